"""Synthetic extract generator with a known, planted trial effect."""
