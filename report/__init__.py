"""The evaluation report (HTML + Excel) for a theme and control group, on the published
snapshot: selects from the marts (groups and periods from ``mart_gruppe_kvartal``, durations
from ``fct_forloeb``), runs the estimators of :mod:`evaluation`, draws the figures
(:mod:`report.charts`) and renders ``templates/rapport.html.j2``."""
