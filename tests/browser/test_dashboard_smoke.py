"""Real-browser smoke test: `trialwh serve` on a built small home, every page opened in
Debian's chromium (driven by Playwright), its title and a plotly figure checked, and a
screenshot saved under artifacts/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dashboards.site import PAGES, PAGES_WITHOUT_CHARTS
from tests.browser._browser import PAGE_URLS, SCREENSHOTS, dashboard, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]

require_chromium()


@pytest.fixture(scope="module")
def server(small_pipeline) -> Iterator[str]:
    with dashboard(small_pipeline.home, timeout_s=60) as url:
        yield url


# url path → Danish title (from the app's page table).
TITLES = {url: da for (_file, url, da, _en, _evaluator_only) in PAGES}
# The desktop width of the issue: 1440 px.
DESKTOP = {"width": 1440, "height": 1000}


@pytest.mark.parametrize("page", PAGE_URLS)
def test_page_renders_in_a_real_browser(server, browser, page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab = browser.new_page(viewport=DESKTOP)
    try:
        query = "?kommune=851" if page == "kommune" else ""
        # The first page is the default page: it lives at the root address.
        path = "" if page == PAGE_URLS[0] else page
        tab.goto(f"{server}/{path}{query}", wait_until="domcontentloaded")
        heading = tab.locator("h1").first
        heading.wait_for(timeout=60_000)
        expected = "Aalborg (851)" if page == "kommune" else TITLES[page]
        tab.wait_for_function(
            "t => [...document.querySelectorAll('h1')].some(h => h.innerText.includes(t))",
            arg=expected,
            timeout=60_000,
        )
        if page == "sql":
            tab.locator("textarea").first.wait_for(timeout=30_000)
        else:
            tab.locator("[data-testid='stPlotlyChart'] .main-svg").first.wait_for(timeout=60_000)
        # plotly.js is preloaded for the pages with charts only.
        preloads = tab.locator("link[rel=modulepreload][data-trialwh-preload]")
        assert preloads.count() == (0 if page in PAGES_WITHOUT_CHARTS else 1)
        assert not tab.locator("[data-testid='stException']").count()
        assert not tab.get_by_text("Page not found").count()
        # Let the remaining figures finish drawing before the screenshot.
        tab.wait_for_timeout(1500)
        tab.screenshot(path=str(SCREENSHOTS / f"{page}.png"), full_page=True)
        # The filters are mirrored in the address.
        assert "tema=lae285" in tab.url
    finally:
        tab.close()
