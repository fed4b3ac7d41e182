"""Login fails closed: bind address, broken users files, backoff, timing and the login log."""

from __future__ import annotations

import itertools
import shutil
import time
from pathlib import Path

import pytest
from streamlit import config
from typer.testing import CliRunner

from core.paths import Home
from dashboards import auth
from dashboards.auth import (
    FREE_ATTEMPTS,
    LoginGuard,
    UsersFileError,
    authenticate,
    hash_password,
    load_users,
)
from dashboards.serve import DEMO_ADDRESS, ServeRefused, bind_address, command
from tests.app.conftest import PASSWORDS

USERS = (
    '[users.mette]\nrole = "manager"\npassword_hash = "{h1}"\n\n'
    '[users.eva]\nrole = "evaluator"\npassword_hash = "{h2}"\n'
)


def _users_file(root: Path, mode: int = 0o600) -> Path:
    path = root / "users.toml"
    path.write_text(
        USERS.format(h1=hash_password("a1", "scrypt"), h2=hash_password("b2", "scrypt")),
        encoding="utf-8",
    )
    path.chmod(mode)
    return path


# --- the users file ---------------------------------------------------------------------


def test_only_a_missing_users_file_means_no_login(tmp_path):
    assert load_users(tmp_path / "users.toml") is None
    assert set(load_users(_users_file(tmp_path))) == {"mette", "eva"}


@pytest.mark.parametrize(
    "kind", ["folder", "not_utf8", "malformed", "no_users", "readable_by_others", "dangling"]
)
def test_a_broken_users_file_is_an_error_never_no_users(tmp_path, kind):
    path = tmp_path / "users.toml"
    if kind == "folder":
        path.mkdir()
    elif kind == "not_utf8":
        path.write_bytes(b"[users.\xff]\n")
    elif kind == "malformed":
        path.write_text("[users.mette\nrole = ", encoding="utf-8")
    elif kind == "no_users":
        path.write_text("# nobody yet\n", encoding="utf-8")
    elif kind == "readable_by_others":
        _users_file(tmp_path, mode=0o644)
    elif kind == "dangling":
        path.symlink_to(tmp_path / "elsewhere.toml")
    if path.exists() and not path.is_dir():
        path.chmod(0o644 if kind == "readable_by_others" else 0o600)
    with pytest.raises(UsersFileError):
        load_users(path)


# --- where the server listens -------------------------------------------------------------


def test_serve_binds_the_demo_to_loopback_and_refuses_other_addresses(tmp_path):
    home = Home(tmp_path)
    assert bind_address(home, None) == DEMO_ADDRESS == "127.0.0.1"
    assert bind_address(home, "127.0.0.1") == "127.0.0.1"
    with pytest.raises(ServeRefused, match="kun vises på denne maskine"):
        bind_address(home, "0.0.0.0")
    assert f"--server.address={DEMO_ADDRESS}" in command(8501)
    assert "--server.address=0.0.0.0" in command(8501, "0.0.0.0")


def test_serve_on_another_address_needs_a_usable_users_file(tmp_path):
    home = Home(tmp_path)
    _users_file(tmp_path)
    assert bind_address(home, "0.0.0.0") == "0.0.0.0"
    assert bind_address(home, None) == "127.0.0.1"
    (tmp_path / "users.toml").chmod(0o644)
    with pytest.raises(ServeRefused, match="Brugerfilen kan ikke bruges"):
        bind_address(home, None)


def test_trialwh_serve_refuses_all_interfaces_without_users_file(tmp_path):
    from trialwh.cli import app

    result = CliRunner().invoke(app, ["--home", str(tmp_path), "serve", "--address", "0.0.0.0"])
    assert result.exit_code == 2
    assert "127.0.0.1" in result.output


def test_the_app_without_users_file_on_all_interfaces_shows_nothing(app_for, fixture_home):
    config.set_option("server.address", "0.0.0.0")
    at = app_for(fixture_home)
    config.set_option("server.address", "0.0.0.0")  # app_for set loopback
    at.run()
    assert any("ingen brugerfil" in e.value for e in at.error)
    assert not at.get("plotly_chart")
    assert not at.title or at.title[0].value != "Overblik"


def test_the_app_with_a_broken_users_file_shows_nothing(app_for, fixture_home, tmp_path):
    home = Home(tmp_path / "broken")
    home.published_dir.mkdir(parents=True)
    shutil.copyfile(fixture_home.published, home.published)
    (home.root / "users.toml").write_text("[users.x]\n", encoding="utf-8")
    (home.root / "users.toml").chmod(0o600)
    at = app_for(home).run()
    assert any("Brugerfilen er ugyldig" in e.value for e in at.error)
    assert not at.get("plotly_chart")


# --- backoff, timing, log -----------------------------------------------------------------


def test_backoff_per_user_and_per_client():
    guard = LoginGuard()
    for i in range(FREE_ATTEMPTS):
        assert guard.wait_seconds("mette", "10.0.0.1", 100.0 + i) == 0
        guard.record("mette", "10.0.0.1", False, 100.0 + i)
    last = 100.0 + FREE_ATTEMPTS - 1
    # Third failure in a row: the next attempt waits 2 s after it, for that name ...
    assert guard.wait_seconds("mette", "10.0.0.9", last) == 2.0
    assert guard.wait_seconds("Mette ", "10.0.0.9", last + 1.5) == pytest.approx(0.5)
    # ... and from that client, whatever name it tries next.
    assert guard.wait_seconds("eva", "10.0.0.1", last) == 2.0
    assert guard.wait_seconds("eva", "10.0.0.2", last) == 0
    guard.record("mette", "10.0.0.1", False, last + 2)
    assert guard.wait_seconds("mette", "10.0.0.9", last + 2) == 4.0  # doubles
    guard.record("mette", "10.0.0.1", True, last + 10)
    assert guard.wait_seconds("mette", "10.0.0.1", last + 10) == 0


def test_an_unknown_name_costs_the_work_of_the_slowest_known_hash(monkeypatch):
    fast = hash_password("a1", "scrypt")
    slow = hash_password("b2", "pbkdf2_sha256")
    users = {
        "mette": auth.User("mette", "manager", fast),
        "eva": auth.User("eva", "evaluator", slow),
    }
    checked: list[str] = []
    real = auth.verify_password
    monkeypatch.setattr(
        auth, "verify_password", lambda pw, stored: checked.append(stored) or real(pw, stored)
    )
    assert authenticate(users, "ukendt", "b2") is None  # even with eva's password
    assert checked == [slow]
    assert authenticate(users, "eva", "b2").name == "eva"


def _submit(at, user: str, password: str):
    at.text_input[0].input(user)
    at.text_input[1].input(password)
    at.button[0].click()
    return at.run()


def _slow_clock(monkeypatch) -> None:
    """``time.time`` for the app: it starts at the real time and moves 10 µs per call, so
    the 2 s a failed login must wait do not run out while a loaded machine renders the
    next form (each call is at least one step of AppTest's wait loop, which sleeps 1 ms, so
    2 s of this clock take more than 200 s of wall time)."""
    start = time.time()
    ticks = itertools.count()
    monkeypatch.setattr(time, "time", lambda: start + next(ticks) * 1e-5)


def test_the_login_form_backs_off_and_logs_every_attempt(app_for, login_home, monkeypatch):
    log = login_home.logs_dir / auth.LOGIN_LOG
    log.unlink(missing_ok=True)
    _slow_clock(monkeypatch)
    at = app_for(login_home).run()
    for _ in range(FREE_ATTEMPTS):
        _submit(at, "mette", "forkert")
        assert any("Forkert" in e.value for e in at.error)
    # The right password now is refused too: wait first.
    _submit(at, "mette", PASSWORDS["mette"])
    assert any("For mange forkerte forsøg" in e.value for e in at.error)
    assert at.title[0].value == "Log ind"
    lines = log.read_text(encoding="utf-8").splitlines()
    outcomes = [line.split("\t")[1] for line in lines]
    assert outcomes == ["forkert"] * FREE_ATTEMPTS + ["afvist_venter"]
    assert all("user=mette" in line for line in lines)
    assert not any("forkert\tuser=forkert" in line or PASSWORDS["mette"] in line for line in lines)
    assert oct(log.stat().st_mode & 0o777) == "0o600"
