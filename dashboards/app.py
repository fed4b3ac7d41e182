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

# Imported whole before any page runs: plotly takes pandas from sys.modules as soon as it is
# there, so on a fresh server a page drawing a chart while another session's thread was still
# importing pandas failed with "partially initialized module 'pandas'". An import statement
# waits for a module another thread is importing.
import pandas  # noqa: F401
import streamlit as st

# `streamlit run dashboards/app.py` puts dashboards/ on sys.path, not the project root.
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from dashboards import filters, session  # noqa: E402
from dashboards.auth import (  # noqa: E402
    LOOPBACK,
    USERS_FILE,
    LoginGuard,
    UsersFileError,
    authenticate,
    load_users,
    log_login,
)
from dashboards.i18n import ROLLER, Lang, label, tr  # noqa: E402
from dashboards.kilder import start_run  # noqa: E402
from dashboards.preload import preload_script  # noqa: E402
from dashboards.shared import RUN_LOCK  # noqa: E402
from dashboards.site import PAGES, PAGES_DIR  # noqa: E402
from dashboards.skaermtekster import script as skaermtekster_script  # noqa: E402
from dashboards.snapshot import SnapshotMissing  # noqa: E402
from dashboards.state import PageContext, current_snapshot, home, set_context  # noqa: E402


def _language() -> Lang:
    if "f_en" not in st.session_state:
        st.session_state["f_en"] = st.query_params.get("lang") == "en"
    english = st.sidebar.toggle("English", key="f_en")
    return "en" if english else "da"


@st.cache_resource
def _guard() -> LoginGuard:
    """One backoff record for the whole server (every session shares it)."""
    return LoginGuard()


@st.cache_resource
def _revoked() -> session.Revoked:
    """Session tokens logged out before they expired (one record for the whole server, kept
    in the home so that a logout holds across a restart)."""
    return session.Revoked(home().root / session.REVOKED_FILE)


def _from_cookie(users: dict) -> None:
    """Log in from a valid signed session cookie (a reload or a new tab), unless this
    browser session logged out."""
    if st.session_state.get("logged_out"):
        return
    token = session.read_cookie()
    if not token or token in _revoked():
        return
    user = session.verify(token, users, session.session_secret(home().root), time.time())
    if user is not None:
        st.session_state["user"] = user.name
        st.session_state["session_token"] = token


def _client() -> str:
    """The client's address as the server sees it (``ukendt`` when not known)."""
    try:
        return str(st.context.ip_address or "ukendt")
    except AttributeError:
        return "ukendt"


def _login(lang: Lang) -> tuple[str, str | None]:
    """(role, user name). Stops the run with a login form until someone has logged in.

    Fails closed: a users file that cannot be used stops the app with an error, and the
    demo without login runs only when the server listens on the machine itself.
    """
    try:
        users = load_users(home().root / USERS_FILE)
    except UsersFileError as error:
        st.error(
            tr(lang, f"Brugerfilen er ugyldig: {error}", f"The users file is invalid: {error}")
        )
        st.stop()
    if users is None:
        address = str(st.get_option("server.address") or "")
        if address not in LOOPBACK:
            st.error(
                tr(
                    lang,
                    f"Der er ingen brugerfil ({USERS_FILE}), og serveren lytter ikke kun på "
                    "127.0.0.1: dashboardet vises ikke uden login. Opret brugerfilen, eller "
                    "start demoen med `trialwh serve` (lytter kun på 127.0.0.1).",
                    f"There is no users file ({USERS_FILE}) and the server does not listen on "
                    "127.0.0.1 only: the dashboard is not shown without login. Create the "
                    "users file, or start the demo with `trialwh serve` (127.0.0.1 only).",
                )
            )
            st.stop()
        st.sidebar.warning(
            tr(
                lang,
                "Demo uden login (kun på denne maskine, 127.0.0.1): evaluatorrolle",
                "Demo without login (this machine only, 127.0.0.1): evaluator role",
            )
        )
        return "evaluator", None
    if st.session_state.get("user") not in users:
        _from_cookie(users)
    logged_in = st.session_state.get("user")
    if logged_in in users:
        user = users[logged_in]
        if "cookie_to_set" in st.session_state:
            st.html(
                session.set_cookie_script(st.session_state.pop("cookie_to_set")),
                unsafe_allow_javascript=True,
            )
        st.sidebar.caption(
            tr(
                lang,
                f"Logget ind: {user.name} ({label(ROLLER, user.role, 'da')})",
                f"Logged in: {user.name} ({label(ROLLER, user.role, 'en')})",
            )
        )
        if st.sidebar.button(tr(lang, "Log ud", "Log out")):
            token = st.session_state.pop("session_token", None)
            if token:
                _revoked().add(token)
            _revoked().forget_expired(time.time())
            del st.session_state["user"]
            st.session_state["logged_out"] = True
            st.rerun()
        return user.role, user.name
    if st.session_state.get("logged_out"):
        st.html(session.clear_cookie_script(), unsafe_allow_javascript=True)
    _remember_requested_page(lang)
    st.title(tr(lang, "Log ind", "Log in"))
    with st.form("login"):
        name = st.text_input(tr(lang, "Brugernavn", "User name"))
        password = st.text_input(tr(lang, "Adgangskode", "Password"), type="password")
        submitted = st.form_submit_button(tr(lang, "Log ind", "Log in"))
    if submitted:
        guard, client, now = _guard(), _client(), time.time()
        wait = guard.wait_seconds(name, client, now)
        if wait > 0:
            log_login(home().logs_dir, name, client, "afvist_venter")
            st.error(
                tr(
                    lang,
                    f"For mange forkerte forsøg. Prøv igen om {int(wait) + 1} sekunder.",
                    f"Too many failed attempts. Try again in {int(wait) + 1} seconds.",
                )
            )
            st.stop()
        user = authenticate(users, name, password)
        guard.record(name, client, user is not None, now)
        log_login(home().logs_dir, name, client, "ok" if user is not None else "forkert")
        if user is not None:
            token = session.sign(user, session.session_secret(home().root), now)
            st.session_state.update(
                user=user.name, session_token=token, cookie_to_set=token, logged_out=False
            )
            st.rerun()
        st.error(tr(lang, "Forkert brugernavn eller adgangskode.", "Wrong user name or password."))
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


# The default page's own key: Streamlit serves the default page at the root address, so
# its url path is free for a hidden alias that sends ``/overblik`` there.
DEFAULT_PAGE_KEY = "start"


def _pages(lang: Lang, role: str) -> list:
    """The pages ``role`` may see, titled in ``lang``, then hidden pages for every other
    address of the app: ``/overblik`` (the default page's name) leads to the root address,
    and a page ``role`` may not see says so in words, instead of Streamlit's English
    "Page not found"."""
    allowed = [
        (index, file, url, en if lang == "en" else da)
        for index, (file, url, da, en, evaluator_only) in enumerate(PAGES)
        if not evaluator_only or role == "evaluator"
    ]
    visible = [
        st.Page(
            PAGES_DIR / file,
            title=title,
            url_path=DEFAULT_PAGE_KEY if index == 0 else url,
            default=index == 0,
        )
        for index, file, url, title in allowed
    ]
    hidden = [
        st.Page(
            lambda: st.switch_page(visible[0], query_params=st.query_params.to_dict()),
            title=visible[0].title,
            url_path=PAGES[0][1],
            visibility="hidden",
        )
    ]
    shown = {url for _index, _file, url, _title in allowed}
    for _file, url, da, en, _evaluator_only in PAGES:
        if url not in shown:
            title = en if lang == "en" else da
            hidden.append(
                st.Page(
                    _only_for_evaluators(lang, title, role),
                    title=title,
                    url_path=url,
                    visibility="hidden",
                )
            )
    return visible + hidden


def _only_for_evaluators(lang: Lang, title: str, role: str):
    """A page body saying that ``title`` is for evaluators only."""
    evaluator, own = label(ROLLER, "evaluator", lang), label(ROLLER, role, lang)

    def body() -> None:
        st.title(title)
        st.info(
            tr(
                lang,
                f"Siden {title} er kun for rollen {evaluator}. Du er logget ind som {own}; "
                "vælg en anden side i menuen.",
                f"The {title} page is for the {evaluator} role only. You are logged in as "
                f"{own}; choose another page in the menu.",
            )
        )

    return body


REQUESTED_PAGE = "requested_page"


def _remember_requested_page(lang: Lang) -> None:
    """The page the address asked for (a deep link such as ``/kommune?kommune=840``), kept
    while the login form is shown: without a navigation in that run, the first run after
    the login would fall back to the default page."""
    wanted = st.navigation(_pages(lang, "evaluator"), position="hidden")
    st.session_state.setdefault(REQUESTED_PAGE, wanted.url_path)


def _go_to_requested_page(page, pages: list) -> None:
    """After the login, open the page the deep link asked for (if the role may see it)."""
    wanted = st.session_state.pop(REQUESTED_PAGE, None)
    if wanted is None or wanted == page.url_path:
        return
    target = next((p for p in pages if p.url_path == wanted), None)
    if target is not None:
        st.switch_page(target)


def main() -> None:
    st.set_page_config(
        page_title="trialwh · frikommuneforsøg", page_icon=":bar_chart:", layout="wide"
    )
    lang = _language()
    # Streamlit serves its page as lang="en"; screen readers and the browser's spelling and
    # translation offers should know the page is Danish (or English when chosen).
    st.html(
        f"<script>document.documentElement.lang = {lang!r};{preload_script()}</script>",
        unsafe_allow_javascript=True,
    )
    # Streamlit's own English texts ("Skip to main content", "Page not found") in Danish.
    st.html(skaermtekster_script(lang), unsafe_allow_javascript=True)
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
    pages = _pages(lang, role)
    page = st.navigation(pages)
    _go_to_requested_page(page, pages)
    start_run()
    started = time.perf_counter()
    page.run()
    # Read by bench/bench_pages.py: the page's own execution time on the server.
    st.session_state["render_seconds"] = time.perf_counter() - started


with RUN_LOCK:
    main()
