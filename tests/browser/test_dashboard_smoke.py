"""Real-browser smoke test: `trialwh serve` on a built small home, every page opened in
Debian's chromium (driven by Playwright), its title and a plotly figure checked, and a
screenshot saved under artifacts/screenshots/."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboards.site import PAGES
from tests.conftest import STRICT_INPUTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

if not CHROMIUM.exists():
    if os.environ.get(STRICT_INPUTS) == "1":
        pytest.fail(
            f"/usr/bin/chromium is not installed ({STRICT_INPUTS}=1: CI must provide it)",
            pytrace=False,
        )
    pytest.skip(
        "/usr/bin/chromium is not installed (apt-get install -y chromium): "
        "browser smoke test skipped",
        allow_module_level=True,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"trialwh serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError("dashboard did not become healthy")


@pytest.fixture(scope="module")
def server(small_pipeline) -> Iterator[str]:
    port = _free_port()
    env = dict(os.environ, TRIALWH_HOME=str(small_pipeline.home))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "trialwh.cli",
            "--home",
            str(small_pipeline.home),
            "serve",
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


# url path → Danish title (from the app's page table).
TITLES = {url: da for (_file, url, da, _en, _evaluator_only) in PAGES}
# Every page of the app, by its url path (the desktop width of the issue: 1440 px).
PAGE_URLS = [url for (_file, url, _da, _en, _evaluator_only) in PAGES]
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
        assert not tab.locator("[data-testid='stException']").count()
        assert not tab.get_by_text("Page not found").count()
        # Let the remaining figures finish drawing before the screenshot.
        tab.wait_for_timeout(1500)
        tab.screenshot(path=str(SCREENSHOTS / f"{page}.png"), full_page=True)
        # The filters are mirrored in the address.
        assert "tema=lae285" in tab.url
    finally:
        tab.close()
