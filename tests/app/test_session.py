"""A reload keeps the login (signed session cookie) and a deep link lands on its page."""

from __future__ import annotations

import os
import shutil
import stat

import pytest
import streamlit as st

from core.paths import Home
from dashboards import session
from dashboards.auth import User, hash_password
from tests.app.conftest import PASSWORDS, login

SECRET = b"s" * 32
USERS = {
    "mette": User("mette", "manager", hash_password("a1", "pbkdf2_sha256", salt=b"1" * 16)),
    "eva": User("eva", "evaluator", hash_password("b2", "pbkdf2_sha256", salt=b"2" * 16)),
}
NOW = 1_800_000_000.0


def test_a_signed_token_names_its_user_until_it_expires():
    token = session.sign(USERS["mette"], SECRET, NOW, ttl=3600)
    assert session.verify(token, USERS, SECRET, NOW + 3599) == USERS["mette"]
    assert session.verify(token, USERS, SECRET, NOW + 3600) is None  # expired
    assert session.verify(token, USERS, b"t" * 32, NOW) is None  # another server's secret


def test_a_forged_or_stale_token_is_refused():
    token = session.sign(USERS["mette"], SECRET, NOW, ttl=3600)
    name, expiry, mac = token.split(".")
    # Another user's name or a later expiry under the same MAC.
    as_eva = f"{session._b64('eva')}.{expiry}.{mac}"
    later = f"{name}.{int(expiry) + 86400}.{mac}"
    for bad in (as_eva, later, f"{name}.{expiry}.{'0' * 64}", "x", "", None, "a.b.c"):
        assert session.verify(bad, USERS, SECRET, NOW) is None, bad
    # A changed password (or role) ends the session.
    changed = dict(USERS, mette=User("mette", "manager", hash_password("ny", "pbkdf2_sha256")))
    assert session.verify(token, changed, SECRET, NOW) is None
    promoted = dict(USERS, mette=User("mette", "evaluator", USERS["mette"].password_hash))
    assert session.verify(token, promoted, SECRET, NOW) is None
    assert session.verify(token, {"eva": USERS["eva"]}, SECRET, NOW) is None


def test_the_secret_is_made_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv(session.SECRET_ENV, raising=False)
    first = session.session_secret(tmp_path)
    assert len(first) == 32 and session.session_secret(tmp_path) == first
    assert stat.S_IMODE(os.stat(tmp_path / session.SECRET_FILE).st_mode) == 0o600
    monkeypatch.setenv(session.SECRET_ENV, "from-the-environment")
    assert session.session_secret(tmp_path) == b"from-the-environment"


def test_the_cookie_script_sets_a_strict_expiring_cookie():
    script = session.set_cookie_script("abc.1.f", ttl=60)
    assert "trialwh_session=abc.1.f; path=/; max-age=60; SameSite=Strict" in script
    assert "max-age=0" in session.clear_cookie_script()


# --- in the app ------------------------------------------------------------------------


def _title(at) -> str:
    return at.title[0].value if at.title else ""


@pytest.fixture
def cookie(monkeypatch):
    """The cookie the browser sends when a session connects (a reload), settable per test."""
    jar: dict[str, str | None] = {"value": None}
    monkeypatch.setattr(session, "read_cookie", lambda: jar["value"])
    return jar


def test_a_reload_keeps_the_login(app_for, login_home, cookie):
    first = login(app_for(login_home), "mette")
    token = first.session_state["session_token"]
    assert _title(first) == "Overblik"
    # The browser is told to store the token (a script in the page).
    scripts = [h.proto.body for h in first.get("html")]
    assert any(f"trialwh_session={token}" in body for body in scripts)
    # A reload is a new session with an empty session_state; the browser sends the cookie.
    cookie["value"] = token
    reloaded = app_for(login_home).run()
    assert not reloaded.exception
    assert _title(reloaded) == "Overblik"
    assert not reloaded.text_input  # no login form
    assert any("Logget ind: mette (leder)" in c.value for c in reloaded.sidebar.caption)


def test_without_a_valid_cookie_the_form_is_shown(app_for, login_home, cookie):
    for value in (None, "forged.1.x", session.sign(USERS["eva"], SECRET, NOW)):
        cookie["value"] = value
        at = app_for(login_home).run()
        assert _title(at) == "Log ind", value
        assert len(at.text_input) == 2


@pytest.fixture
def own_home(login_home, tmp_path) -> Home:
    """A copy of the login home for a test that logs out: the revocation list is kept in
    the home, and a token signed in the same second for the same user is the same token."""
    shutil.copytree(login_home.root, tmp_path / "home")
    return Home(tmp_path / "home")


def test_logging_out_revokes_the_cookie(app_for, own_home, cookie):
    login_home = own_home
    at = login(app_for(login_home), "eva")
    token = at.session_state["session_token"]
    at.sidebar.button[0].click().run()  # Log ud
    assert _title(at) == "Log ind"
    assert any("max-age=0" in h.proto.body for h in at.get("html"))
    # The browser may still send the old cookie (a reload before the script ran): refused.
    cookie["value"] = token
    assert _title(app_for(login_home).run()) == "Log ind"


def test_a_deep_link_lands_on_its_page_after_login(app_for, login_home, cookie):
    at = app_for(login_home)
    at.query_params.update({"kommune": "840"})
    at.switch_page("app_pages/kommune.py")
    at.run()
    assert _title(at) == "Log ind"
    at.text_input[0].input("mette")
    at.text_input[1].input(PASSWORDS["mette"])
    at.button[0].click()
    at.run()
    assert not at.exception
    assert "(840)" in _title(at), _title(at)


def test_a_deep_link_with_the_cookie_opens_its_page(app_for, login_home, cookie):
    token = login(app_for(login_home), "eva").session_state["session_token"]
    cookie["value"] = token
    at = app_for(login_home)
    at.query_params.update({"kommune": "840"})
    at.switch_page("app_pages/kommune.py")
    at.run()
    assert "(840)" in _title(at), _title(at)


def test_a_logout_holds_across_a_server_restart(app_for, own_home, cookie):
    at = login(app_for(own_home), "eva")
    token = at.session_state["session_token"]
    at.sidebar.button[0].click().run()  # Log ud
    stored = (own_home.root / session.REVOKED_FILE).read_text(encoding="utf-8")
    # Only the token's SHA-256 and expiry are kept, never the token itself.
    assert token not in stored and session._digest(token) in stored
    assert stat.S_IMODE(os.stat(own_home.root / session.REVOKED_FILE).st_mode) == 0o600
    st.cache_resource.clear()  # the server restarts: nothing is left in memory
    cookie["value"] = token
    assert _title(app_for(own_home).run()) == "Log ind"


def test_the_revocation_list_is_written_atomically_and_read_back(tmp_path):
    path = tmp_path / session.REVOKED_FILE
    first = session.Revoked(path)
    token = session.sign(USERS["mette"], SECRET, NOW, ttl=3600)
    other = session.sign(USERS["eva"], SECRET, NOW, ttl=60)
    first.add(token)
    first.add(other)
    assert sorted(p.name for p in tmp_path.iterdir()) == [session.REVOKED_FILE]  # no temp left
    second = session.Revoked(path)  # after a restart
    assert token in second and other in second
    assert session.sign(USERS["mette"], SECRET, NOW + 1, ttl=3600) not in second
    # Expired entries are dropped from the file; a later logout from the other process is
    # seen without a restart.
    second.forget_expired(NOW + 61)
    assert other not in session.Revoked(path) and token in session.Revoked(path)
    later = session.sign(USERS["eva"], SECRET, NOW + 5, ttl=3600)
    session.Revoked(path).add(later)
    os.utime(path, ns=(0, os.stat(path).st_mtime_ns + 1_000_000))  # a visible change
    assert later in second


def test_an_unreadable_revocation_list_fails_closed(tmp_path):
    path = tmp_path / session.REVOKED_FILE
    path.write_text("{not json", encoding="utf-8")
    revoked = session.Revoked(path)
    token = session.sign(USERS["mette"], SECRET, NOW, ttl=3600)
    # Every cookie counts as revoked (the form still works), and the file is not replaced.
    assert token in revoked
    revoked.add(token)
    assert path.read_text(encoding="utf-8") == "{not json"
    # Once the file is removed, other cookies count again; the logout made meanwhile holds.
    path.unlink()
    assert session.sign(USERS["eva"], SECRET, NOW, ttl=3600) not in revoked
    assert token in revoked
