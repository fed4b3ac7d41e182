"""Ingest: read, normalise, pseudonymise, validate and load extract files into ``raw``."""
