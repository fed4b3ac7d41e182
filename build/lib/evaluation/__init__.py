"""Evaluation statistics: difference-in-differences (Callaway–Sant'Anna, TWFE, WCR bootstrap,
randomisation inference), synthetic control, survival, proportions, suppression, formatting
and the evaluation report. See ``evaluation/README.md`` for the API and conventions."""
