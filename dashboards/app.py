"""Entry point (``streamlit run dashboards/app.py``): login, snapshot, filters, navigation.

Every rerun: pick the language, check who is logged in, open (or reuse) the published
snapshot, draw the sidebar filters (mirrored in the URL), show the "data as of" banner, then
run the chosen page with a :class:`~dashboards.state.PageContext`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import duckdb
import streamlit as st

# `streamlit run dashboards/app.py` puts dashboards/ on sys.path, not the project root.
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from dashboards import filters  # noqa: E402
from dashboards.auth import USERS_FILE, UsersFileError, authenticate, load_users  # noqa: E402
from dashboards.i18n import Lang, tr  # noqa: E402
from dashboards.site import PAGES, PAGES_DIR  # noqa: E402
from dashboards.snapshot import SnapshotMissing  # noqa: E402
from dashboards.state import PageContext, current_snapshot, home, set_context  # noqa: E402


def _language() -> Lang:
    if "f_en" not in st.session_state:
        st.session_state["f_en"] = st.query_params.get("lang") == "en"
    english = st.sidebar.toggle("English", key="f_en")
    return "en" if english else "da"


def _login(lang: Lang) -> tuple[str, str | None]:
    """(role, user name). Stops the run with a login form until someone has logged in."""
    try:
        users = load_users(home().root / USERS_FILE)
    except UsersFileError as error:
        st.error(
            tr(lang, f"Brugerfilen er ugyldig: {error}", f"The users file is invalid: {error}")
        )
        st.stop()
    if users is None:
        st.sidebar.warning(
            tr(lang, "Demo uden login: evaluatorrolle", "Demo without login: evaluator role")
        )
        return "evaluator", None
    logged_in = st.session_state.get("user")
    if logged_in in users:
        user = users[logged_in]
        st.sidebar.caption(
            tr(
                lang,
                f"Logget ind: {user.name} ({user.role})",
                f"Logged in: {user.name} ({user.role})",
            )
        )
        if st.sidebar.button(tr(lang, "Log ud", "Log out")):
            del st.session_state["user"]
            st.rerun()
        return user.role, user.name
    st.title(tr(lang, "Log ind", "Log in"))
    with st.form("login"):
        name = st.text_input(tr(lang, "Brugernavn", "User name"))
        password = st.text_input(tr(lang, "Adgangskode", "Password"), type="password")
        submitted = st.form_submit_button(tr(lang, "Log ind", "Log in"))
    if submitted:
        user = authenticate(users, name, password)
        if user is not None:
            st.session_state["user"] = user.name
            st.rerun()
        st.error(tr(lang, "Forkert brugernavn eller adgangskode.", "Wrong user name or password."))
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def main() -> None:
    st.set_page_config(
        page_title="trialwh · frikommuneforsøg", page_icon=":bar_chart:", layout="wide"
    )
    lang = _language()
    # Streamlit serves its page as lang="en"; screen readers and the browser's spelling and
    # translation offers should know the page is Danish (or English when chosen).
    st.html(
        f"<script>document.documentElement.lang = {lang!r};</script>",
        unsafe_allow_javascript=True,
    )
    role, user = _login(lang)
    try:
        snap = current_snapshot(home().published)
    except SnapshotMissing:
        st.title(tr(lang, "Ingen data endnu", "No data yet"))
        st.error(
            tr(
                lang,
                "Der er endnu ikke publiceret et snapshot. Kør `trialwh build` (eller `trialwh "
                "demo`), og genindlæs siden.",
                "No snapshot has been published yet. Run `trialwh build` (or `trialwh demo`) and "
                "reload the page.",
            )
        )
        st.stop()
    try:
        chosen = filters.sidebar(snap, lang)
    except (duckdb.Error, filters.NoData) as error:
        st.title(tr(lang, "Snapshot kan ikke vises", "Snapshot cannot be shown"))
        st.error(
            tr(
                lang,
                "Det publicerede snapshot mangler data til dashboardet "
                f"({str(error).splitlines()[0]}). Kør `trialwh build` igen.",
                "The published snapshot lacks the data the dashboard needs "
                f"({str(error).splitlines()[0]}). Run `trialwh build` again.",
            )
        )
        st.stop()
    ctx = PageContext(snap=snap, filters=chosen, role=role, lang=lang, user=user)
    set_context(ctx)
    pages = [
        st.Page(
            PAGES_DIR / file, title=en if lang == "en" else da, url_path=url, default=index == 0
        )
        for index, (file, url, da, en, evaluator_only) in enumerate(PAGES)
        if not evaluator_only or role == "evaluator"
    ]
    page = st.navigation(pages)
    started = time.perf_counter()
    page.run()
    # Read by bench/bench_pages.py: the page's own execution time on the server.
    st.session_state["render_seconds"] = time.perf_counter() - started


main()
