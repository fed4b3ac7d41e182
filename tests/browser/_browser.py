"""Real-browser helpers shared by the browser tests and ``bench/bench_pages_browser.py``:
Debian's chromium launched through Playwright, and ``trialwh serve`` started on a free
localhost port and stopped again."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from dashboards.site import PAGES

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
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
# Every page of the app, by its url path; the first is the default page at the root address.
PAGE_URLS = [url for (_file, url, _da, _en, _evaluator_only) in PAGES]


def require_chromium() -> None:
    """At a test module's top: skip it when chromium is absent (fail under strict inputs)."""
    if CHROMIUM.exists():
        return
    import pytest

    from tests.conftest import STRICT_INPUTS

    if os.environ.get(STRICT_INPUTS) == "1":
        pytest.fail(
            f"{CHROMIUM} is not installed ({STRICT_INPUTS}=1: CI must provide it)",
            pytrace=False,
        )
    pytest.skip(
        f"{CHROMIUM} is not installed (apt-get install -y chromium): browser test skipped",
        allow_module_level=True,
    )


def launch(playwright):
    """Headless chromium from a sync or async Playwright (await the result of the latter)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout_s: float = 120) -> None:
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
    raise TimeoutError("the dashboard did not become healthy")


@contextmanager
def dashboard(
    home_root: Path, *, timeout_s: float = 120, drop_env: Iterable[str] = ()
) -> Iterator[str]:
    """``trialwh serve`` on ``home_root`` at a free localhost port; yields its address."""
    with serving(home_root, timeout_s=timeout_s, drop_env=drop_env) as (_process, url):
        yield url


@contextmanager
def serving(
    home_root: Path, *, timeout_s: float = 120, drop_env: Iterable[str] = ()
) -> Iterator[tuple[subprocess.Popen, str]]:
    """As ``dashboard``, yielding the server process (its pid is the server's) too."""
    env = dict(os.environ, TRIALWH_HOME=str(home_root))
    for name in drop_env:
        env.pop(name, None)
    command = [sys.executable, "-m", "trialwh.cli", "--home", str(home_root)]
    with running(
        lambda port: [*command, "serve", "--port", str(port)], env=env, timeout_s=timeout_s
    ) as served:
        yield served


@contextmanager
def running(
    command: Callable[[int], list[str]],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout_s: float = 120,
) -> Iterator[tuple[subprocess.Popen, str]]:
    """A Streamlit server started by ``command(port)`` at a free localhost port, once it is
    healthy; yields the process and its address, and stops it afterwards."""
    port = free_port()
    process = subprocess.Popen(
        command(port),
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, timeout_s)
        yield process, url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_title(tab, title: str, timeout_ms: float = 90_000) -> None:
    """Wait until an ``h1`` on the page shows ``title``."""
    tab.wait_for_function(
        "t => [...document.querySelectorAll('h1')].some(h => h.innerText.includes(t))",
        arg=title,
        timeout=timeout_ms,
    )
