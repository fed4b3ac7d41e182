"""In a real browser (Debian's chromium through Playwright), on the hand-made snapshot of
the app tests: the language switch keeps the filters, every page at phone width (390 px)
with a screenshot, and the evaluation report printed to an A4 PDF.

Screenshots and the PDF are saved under artifacts/."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from core.paths import Home
from dashboards.site import PAGES
from tests.app.fixture_snapshot import build_fixture_snapshot
from tests.browser._browser import ARTIFACTS, PAGE_URLS, SCREENSHOTS, dashboard, require_chromium
from tests.browser._browser import wait_title as _wait_title

pytestmark = [pytest.mark.browser, pytest.mark.slow]

require_chromium()

TITLES = {url: da for (_file, url, da, _en, _evaluator_only) in PAGES}
# A4 at 96 CSS px per inch: 210 mm less the report's 14 mm side margins.
A4_CONTENT_PX = (210 - 2 * 14) / 25.4 * 96


@pytest.fixture(scope="module")
def fixture_home(tmp_path_factory) -> Home:
    home = Home(tmp_path_factory.mktemp("browser_home"))
    build_fixture_snapshot(home.published)
    return home


@pytest.fixture(scope="module")
def server(fixture_home) -> Iterator[str]:
    with dashboard(fixture_home.root) as url:
        yield url


def test_language_switch_keeps_the_filters(server, browser):
    tab = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        tab.goto(
            f"{server}/?tema=rehab_fritagelse&kontrol=midtjylland&fra=2016K2&til=2019K3"
            "&kommune=840",
            wait_until="domcontentloaded",
        )
        _wait_title(tab, "Overblik")
        tab.wait_for_function("document.documentElement.lang === 'da'", timeout=30_000)
        tab.get_by_text("English", exact=True).click()
        _wait_title(tab, "Overview")
        tab.wait_for_function("document.documentElement.lang === 'en'", timeout=30_000)
        tab.wait_for_function("location.search.includes('lang=en')", timeout=30_000)
        for part in (
            "tema=rehab_fritagelse",
            "kontrol=midtjylland",
            "fra=2016K2",
            "til=2019K3",
            "kommune=840",
        ):
            assert part in tab.url, tab.url
        # The sidebar shows the kept choices in English: the theme's English short name and
        # the quarters in English notation (shown as text or as the value of an input).
        for shown in ("Exemption from rehab meeting", "2016Q2", "2019Q3"):
            tab.wait_for_function(
                """t => {
                    const bar = document.querySelector("[data-testid='stSidebar']");
                    const inputs = [...bar.querySelectorAll('input')].map(i => i.value);
                    return bar.innerText.includes(t) || inputs.some(v => v.includes(t));
                }""",
                arg=shown,
                timeout=30_000,
            )
        tab.screenshot(path=str(SCREENSHOTS / "overview_en.png"), full_page=True)
        tab.get_by_text("English", exact=True).click()
        _wait_title(tab, "Overblik")
        tab.wait_for_function("!location.search.includes('lang=en')", timeout=30_000)
        assert "tema=rehab_fritagelse" in tab.url and "fra=2016K2" in tab.url
    finally:
        tab.close()


# The hand-made snapshot lacks the marts of these pages: they show one notice per section.
WITHOUT_FIGURES = {"sql", "retssikkerhed", "oevrige-forsoeg", "beskaeftigelse"}


@pytest.mark.parametrize("page", PAGE_URLS)
def test_every_page_at_phone_width(server, browser, page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        path = "" if page == PAGE_URLS[0] else page
        query = "?kommune=851" if page == "kommune" else ""
        tab.goto(f"{server}/{path}{query}", wait_until="domcontentloaded")
        _wait_title(tab, "Aalborg (851)" if page == "kommune" else TITLES[page])
        if page not in WITHOUT_FIGURES:
            tab.locator("[data-testid='stPlotlyChart'] .main-svg").first.wait_for(timeout=90_000)
        else:
            tab.locator("[data-testid='stAlert'], textarea").first.wait_for(timeout=90_000)
        assert not tab.locator("[data-testid='stException']").count()
        tab.wait_for_timeout(1000)
        tab.screenshot(path=str(SCREENSHOTS / f"phone_{page}.png"), full_page=True)
    finally:
        tab.close()


def test_overblik_tiles_show_whole_values_at_1440(server, browser):
    """A manager reads the tile's whole difference at desktop width ("+33,3 procentpoint",
    not "+33,3 proc…"): no metric value is cut."""
    tab = browser.new_page(viewport={"width": 1440, "height": 1000})
    try:
        tab.goto(f"{server}/", wait_until="domcontentloaded")
        _wait_title(tab, "Overblik")
        # The tiles fill in one by one: wait for the last of the four.
        tab.locator("[data-testid='stMetricValue']").nth(3).wait_for(timeout=90_000)
        tab.get_by_text("+33,3 procentpoint", exact=True).wait_for(timeout=90_000)
        tab.wait_for_timeout(1000)
        cut = tab.evaluate(
            "[...document.querySelectorAll('[data-testid=stMetricValue] *, "
            "[data-testid=stMetricValue]')].filter(e => e.scrollWidth > e.clientWidth + 1)"
            ".map(e => e.innerText)"
        )
        assert not cut, cut
    finally:
        tab.close()


def test_download_buttons_show_their_whole_labels_at_1440(server, browser):
    """Where two tables stand side by side (Rehabiliteringsteam: who gave the health
    advice), their "CSV" and "Excel" buttons read whole, not "C…" and "E…"."""
    tab = browser.new_page(viewport={"width": 1440, "height": 1000})
    try:
        tab.goto(f"{server}/rehabilitering", wait_until="domcontentloaded")
        _wait_title(tab, TITLES["rehabilitering"])
        buttons = tab.locator("[data-testid='stDownloadButton'] button")
        tab.get_by_text("Hvem gav den sundhedsfaglige rådgivning").wait_for(timeout=90_000)
        tab.wait_for_function(
            "document.querySelectorAll('[data-testid=stDownloadButton]').length >= 4",
            timeout=60_000,
        )
        tab.wait_for_timeout(1000)
        assert buttons.count() >= 4
        cut = tab.evaluate(
            "[...document.querySelectorAll('[data-testid=stDownloadButton] button, "
            "[data-testid=stDownloadButton] button *')]"
            ".filter(e => e.scrollWidth > e.clientWidth + 1)"
            ".map(e => e.textContent)"
        )
        assert not cut, cut
    finally:
        tab.close()


@pytest.mark.parametrize("width", [1440, 390])
def test_chart_source_line_legend_and_axis_title_do_not_overlap(server, browser, width):
    """The source stamp sits below the rotated quarters and the axis title, the legend
    clear of the plot: on the Kommune chart at desktop and phone width."""
    tab = browser.new_page(viewport={"width": width, "height": 1000})
    try:
        tab.goto(f"{server}/kommune?kommune=851", wait_until="domcontentloaded")
        _wait_title(tab, "Aalborg (851)")
        chart = tab.locator("[data-testid='stPlotlyChart']").first
        chart.locator(".annotation-text", has_text="Kilde:").wait_for(timeout=90_000)
        chart.scroll_into_view_if_needed()
        tab.wait_for_timeout(1000)
        stamp = chart.locator(".annotation-text", has_text="Kilde:").bounding_box()
        axis = chart.locator(".g-xtitle").bounding_box()
        legend = chart.locator(".legend").bounding_box()
        plot = chart.locator(".nsewdrag").first.bounding_box()
        assert stamp["y"] >= axis["y"] + axis["height"] - 1, (stamp, axis)
        assert legend["y"] + legend["height"] <= plot["y"] + 1, (legend, plot)
        # The whole stamp is inside the figure: at 390 px a one-line stamp ran past its
        # right edge ("… · build 2026…" cut off).
        svg = chart.locator(".main-svg").first.bounding_box()
        assert svg["x"] <= stamp["x"] and stamp["x"] + stamp["width"] <= svg["x"] + svg["width"], (
            stamp,
            svg,
        )
        assert stamp["y"] + stamp["height"] <= svg["y"] + svg["height"], (stamp, svg)
        if width == 390:
            chart.screenshot(path=str(SCREENSHOTS / "phone_chart_source_line.png"))
    finally:
        tab.close()


def test_streamlit_texts_are_danish_and_overblik_has_an_address(server, browser):
    """Streamlit's own "Skip to main content" and "Page not found" read in Danish;
    ``/overblik`` opens Overblik at the root address (with its filters) instead of
    Streamlit's "Page not found"."""
    tab = browser.new_page(viewport={"width": 1440, "height": 1000})
    try:
        tab.goto(f"{server}/overblik?tema=rehab_fritagelse", wait_until="domcontentloaded")
        _wait_title(tab, "Overblik")
        tab.wait_for_function("location.pathname === '/'", timeout=30_000)
        assert "tema=rehab_fritagelse" in tab.url
        skip = tab.locator("[data-testid='stSkipToContent']")
        tab.wait_for_function(
            "() => document.querySelector('[data-testid=stSkipToContent]')"
            ".textContent === 'Gå til hovedindholdet'",
            timeout=30_000,
        )
        assert skip.count() == 1
        assert not tab.get_by_text("Page not found").count()
        assert not tab.get_by_text("Siden findes ikke").count()
        # In English, Streamlit's own text again (once: the two texts were swapped back and
        # forth without end, and the page hung).
        tab.get_by_text("English", exact=True).click()
        _wait_title(tab, "Overview")
        tab.wait_for_function(
            "() => document.querySelector('[data-testid=stSkipToContent]')"
            ".textContent === 'Skip to main content'",
            timeout=30_000,
        )
        tab.wait_for_timeout(500)
        assert skip.text_content() == "Skip to main content"
        tab.goto(f"{server}/findes-ikke", wait_until="domcontentloaded")
        dialog = tab.get_by_role("dialog")
        dialog.get_by_text("Siden findes ikke", exact=True).wait_for(timeout=60_000)
        dialog.get_by_text(
            "Den side, du har bedt om, findes ikke. Forsiden vises i stedet."
        ).wait_for(timeout=30_000)
        assert "Page not found" not in dialog.inner_text()
        assert "Running the app" not in tab.locator("body").inner_text()
    finally:
        tab.close()


def test_report_prints_to_a4(browser, fixture_home, tmp_path):
    from report.writer import write_report

    html_path, _ = write_report(
        fixture_home, "lae285", "alle_oevrige", tmp_path, wcr_draws=99, ri_draws=19
    )
    tab = browser.new_page(viewport={"width": round(A4_CONTENT_PX), "height": 1000})
    try:
        # 5 MB of HTML with plotly.js inline and a dozen figures: allow a busy machine time.
        tab.goto(html_path.as_uri(), wait_until="load", timeout=120_000)
        tab.locator(".plotly-graph-div .main-svg").first.wait_for(timeout=60_000)
        tab.emulate_media(media="print")
        # Every table fits within the printable width of an A4 page.
        widest = tab.evaluate(
            "Math.max(...[...document.querySelectorAll('table')]"
            ".map(t => t.getBoundingClientRect().width))"
        )
        assert widest <= A4_CONTENT_PX + 1, widest
        pdf = tab.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    finally:
        tab.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "evaluering_lae285.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF")
    # A4 is 595 × 842 points; one page per indicator section and more.
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes and all(
        abs(float(w) - 595.3) < 1.5 and abs(float(h) - 841.9) < 1.5 for w, h in boxes
    )
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages >= 5, pages
