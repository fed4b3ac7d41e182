"""In a real browser (Debian's chromium through Playwright), with a users file: a deep link
lands on its page after login, a reload keeps the login (signed session cookie), and the
downloads open as Danish Excel opens them — the CSV with ``;`` and decimal comma, the
workbook with openpyxl (number cells, number formats, "Om udtrækket") — and a chart's
camera button saves a PNG."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.paths import Home
from dashboards.auth import hash_password
from tests.app.fixture_snapshot import build_fixture_snapshot
from tests.browser._browser import SCREENSHOTS, dashboard, require_chromium
from tests.browser._browser import wait_title as _wait_title

pytestmark = [pytest.mark.browser, pytest.mark.slow]

require_chromium()

PASSWORD = "leder-kode-1"


@pytest.fixture(scope="module")
def login_home(tmp_path_factory) -> Home:
    home = Home(tmp_path_factory.mktemp("browser_login_home"))
    build_fixture_snapshot(home.published)
    users = home.root / "users.toml"
    users.write_text(
        f'[users.mette]\nrole = "manager"\npassword_hash = "{hash_password(PASSWORD)}"\n',
        encoding="utf-8",
    )
    users.chmod(0o600)
    return home


@pytest.fixture(scope="module")
def server(login_home) -> Iterator[str]:
    with dashboard(login_home.root, drop_env=["TRIALWH_SESSION_KEY"]) as url:
        yield url


@pytest.fixture(scope="module")
def tab(server, browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{server}/kommune?kommune=840", wait_until="domcontentloaded")
    _wait_title(page, "Log ind")
    page.get_by_label("Brugernavn").fill("mette")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    try:
        yield page
    finally:
        context.close()


def test_a_deep_link_lands_on_its_page_and_a_reload_keeps_the_login(tab):
    _wait_title(tab, "Rebild (840)")
    tab.wait_for_function("document.cookie.includes('trialwh_session=')", timeout=30_000)
    tab.reload(wait_until="domcontentloaded")
    _wait_title(tab, "Rebild (840)")
    assert not tab.get_by_label("Adgangskode").count()
    assert "kommune=840" in tab.url and "/kommune" in tab.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / "kommune_after_reload.png"), timeout=90_000)


def _download(tab, label: str) -> bytes:
    button = tab.locator("[data-testid='stDownloadButton'] button", has_text=label).first
    button.scroll_into_view_if_needed()
    with tab.expect_download(timeout=60_000) as info:
        button.click()
    return Path(info.value.path()).read_bytes()


def test_the_csv_opens_with_semicolon_and_decimal_comma(tab):
    _wait_title(tab, "Rebild (840)")
    data = _download(tab, "CSV")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    assert header[0] == "Kvartal" and rows[1][0] == "2015K1"
    share = next(i for i, h in enumerate(header) if "fravalgt" in h.lower() and "%" in h)
    values = [r[share] for r in rows[1:] if r[share] not in ("", "·")]
    # Rebild waives 5 of 20 eligible cases a quarter during the trial: 25,0 (%).
    assert "25,0" in values
    assert all("." not in v for v in values)
    text = data.decode("utf-8-sig")
    for bad in ("NaN", "true", "True", "e-"):
        assert bad not in text


def test_the_workbook_has_numbers_formats_and_om_udtraekket(tab):
    import openpyxl

    _wait_title(tab, "Rebild (840)")
    book = openpyxl.load_workbook(io.BytesIO(_download(tab, "Excel")))
    assert book.sheetnames[-1] == "Om udtrækket"
    sheet = book[book.sheetnames[0]]
    header = [c.value for c in sheet[1]]
    counts = header.index("Sager omfattet")
    shares = header.index("Andel fravalgt")
    body = list(sheet.iter_rows(min_row=2))
    assert all(r[counts].data_type == "n" and r[counts].number_format == "#,##0" for r in body)
    filled = [r[shares] for r in body if isinstance(r[shares].value, float)]
    assert filled and all(c.number_format == "0.0%" for c in filled)
    assert 0.25 in [c.value for c in filled]
    info = dict(book["Om udtrækket"].iter_rows(values_only=True))
    assert info["Build-id"] == "fixture-build-1" and info["Data pr."] == "31.12.2022"
    assert "marts.mart_panel_kommune_kvartal" in info["Kilde (mart)"]
    assert info["Kommune"] == "Rebild (840)"


def test_a_chart_exports_as_png(tab):
    _wait_title(tab, "Rebild (840)")
    chart = tab.locator("[data-testid='stPlotlyChart']").first
    chart.scroll_into_view_if_needed()
    chart.hover()
    button = chart.locator(".modebar-btn[data-title*='png' i]").first
    with tab.expect_download(timeout=60_000) as info:
        button.click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"\x89PNG")
    assert info.value.suggested_filename.endswith(".png")
    (SCREENSHOTS / "chart_export.png").write_bytes(data)
    # Twice the chart's width on screen (scale 2).
    width = int.from_bytes(data[16:20], "big")
    box = chart.bounding_box()
    assert abs(width - 2 * box["width"]) <= 4, (width, box)


def test_the_sql_address_tells_a_manager_it_is_for_evaluators(tab, server):
    """A manager who opens ``/sql`` (an evaluator's link) reads why in Danish, not
    Streamlit's English "Page not found"; the menu still offers no SQL page."""
    other = tab.context.new_page()
    try:
        other.goto(f"{server}/sql", wait_until="domcontentloaded")
        _wait_title(other, "SQL")
        other.get_by_text("Siden SQL er kun for rollen evaluator.", exact=False).wait_for(
            timeout=60_000
        )
        assert not other.get_by_text("Page not found").count()
        assert not other.locator("[data-testid='stSidebarNav'] a", has_text="SQL").count()
        assert not other.locator("textarea").count()
    finally:
        other.close()
