"""Fixtures for the dashboard tests: a warehouse home holding the hand-made published
snapshot (see fixture_snapshot.py), and an AppTest factory on the entry point."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core.paths import Home
from dashboards.auth import hash_password
from tests.app.fixture_snapshot import build_fixture_snapshot

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
PAGES = (
    "overblik",
    "laegeattester",
    "rehabilitering",
    "sagsbehandlingstid",
    "ankestyrelsen",
    "effekt",
    "kommune",
    "datakvalitet",
    "sql",
)
PASSWORDS = {"mette": "leder-kode-1", "eva": "evaluator-kode-2"}
# A page run that takes longer than this has hung: a page on the fixture takes seconds,
# but CI's two cores run at a load of up to 20, where the Effekt page's estimates (wild
# bootstrap, randomisation inference, HonestDiD) take many times as long.
APP_TIMEOUT_S = 300


@pytest.fixture(scope="session")
def fixture_home(tmp_path_factory) -> Home:
    """A home whose published snapshot is the hand-made fixture (built once)."""
    home = Home(tmp_path_factory.mktemp("fixture_home"))
    build_fixture_snapshot(home.published)
    return home


@pytest.fixture(scope="session")
def login_home(tmp_path_factory) -> Home:
    """Like ``fixture_home`` but with users.toml: a manager and an evaluator."""
    home = Home(tmp_path_factory.mktemp("login_home"))
    build_fixture_snapshot(home.published)
    (home.root / "users.toml").write_text(
        "[users.mette]\n"
        'role = "manager"\n'
        f'password_hash = "{hash_password(PASSWORDS["mette"], "scrypt")}"\n\n'
        "[users.eva]\n"
        'role = "evaluator"\n'
        f'password_hash = "{hash_password(PASSWORDS["eva"], "pbkdf2_sha256")}"\n',
        encoding="utf-8",
    )
    (home.root / "users.toml").chmod(0o600)
    return home


@pytest.fixture
def app_for(monkeypatch) -> Iterator[Callable[[Home], AppTest]]:
    """``app_for(home)``: an AppTest of the entry point with TRIALWH_HOME = home, served
    on 127.0.0.1 (where the demo runs without a users file); login backoff cleared."""
    from streamlit import config

    before = config.get_option("server.address")
    config.set_option("server.address", "127.0.0.1")
    st.cache_resource.clear()

    def make(home: Home) -> AppTest:
        monkeypatch.setenv("TRIALWH_HOME", str(home.root))
        return AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT_S)

    yield make
    config.set_option("server.address", before)
    st.cache_resource.clear()


def open_page(at: AppTest, page: str, **params: str) -> AppTest:
    """Run the app (with URL parameters) and switch to ``page``."""
    at.query_params.update(params)
    at.run()
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    return at


def login(at: AppTest, user: str) -> AppTest:
    at.run()
    at.text_input[0].input(user)
    at.text_input[1].input(PASSWORDS[user])
    at.button[0].click()
    at.run()
    return at
