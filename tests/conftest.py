"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """An empty warehouse home, with TRIALWH_HOME pointing at it."""
    root = tmp_path / "home"
    root.mkdir()
    monkeypatch.setenv("TRIALWH_HOME", str(root))
    monkeypatch.setenv("TRIALWH_PSEUDONYM_KEY", "test-key-not-secret")
    return root
