"""The evaluation report (HTML + Excel) for a theme and control group, on the published
snapshot: reads the marts, runs the estimators of :mod:`evaluation`, writes the files."""
