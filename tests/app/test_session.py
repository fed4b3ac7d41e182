"""A reload keeps the login (signed session cookie) and a deep link lands on its page."""

from __future__ import annotations

import os
import stat

import pytest

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
    assert any("Logget ind: mette (manager)" in c.value for c in reloaded.sidebar.caption)


def test_without_a_valid_cookie_the_form_is_shown(app_for, login_home, cookie):
    for value in (None, "forged.1.x", session.sign(USERS["eva"], SECRET, NOW)):
        cookie["value"] = value
        at = app_for(login_home).run()
        assert _title(at) == "Log ind", value
        assert len(at.text_input) == 2


def test_logging_out_revokes_the_cookie(app_for, login_home, cookie):
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
