"""Evaluation statistics: difference-in-differences, survival, proportions, suppression."""
