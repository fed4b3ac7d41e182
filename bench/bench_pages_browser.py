"""Benchmark: every dashboard page loaded in a real browser (targets: < 1.5 s per page; 20
concurrent sessions with p95 < 3 s).

Starts ``trialwh serve`` on a built home (localhost, a free port) and drives Debian's
chromium with Playwright. One *load* = a new browser context (no cookies, no cache, a new
Streamlit session), ``goto`` the page, and wait until

* the page's script has finished on the server (``stApp``'s ``data-test-script-state`` is
  ``notRunning`` after the title is shown), and
* every plotly chart on the page has drawn its SVG (``.main-svg``) — the last chart drawn.

Figures (the machine's 1-minute load average printed beside each):

* ``first``: the first load of the page after the server started (every query and figure
  of the page computed: the first visitor after a new snapshot);
* ``fresh``: the median of ``--repeat`` later loads, each in a new context (every later
  visitor: the server's caches are filled, the browser's are not);
* ``--sessions N``: N concurrent sessions (contexts), each loading ``--loads`` pages from the
  page list in its own order; p50/p95/max of all loads. Bounded: it stops after
  N × loads loads or ``--max-seconds``, whichever comes first, and talks to localhost only.

    .venv/bin/python -m bench.bench_pages_browser --home /tmp/trialwh_national/home
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from core.paths import Home
from dashboards.site import PAGES

CHROMIUM = "/usr/bin/chromium"
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
# Pages that need a choice in the URL to show their figures.
QUERY = {"kommune": "?kommune=851"}
# The SQL page draws no chart: it is done when its editor is shown.
NO_CHARTS = {"sql"}

DONE_JS = """
() => {
    const app = document.querySelector("[data-testid='stApp']");
    if (!app || app.getAttribute("data-test-script-state") !== "notRunning") return false;
    if (!document.querySelector("h1")) return false;
    if (document.querySelector("[data-testid='stSkeleton']")) return false;
    const charts = document.querySelectorAll("[data-testid='stPlotlyChart']");
    for (const chart of charts) {
        if (!chart.querySelector(".main-svg")) return false;
    }
    return true;
}
"""


def load() -> float:
    return os.getloadavg()[0]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(home: Home) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "trialwh.cli",
            "--home",
            str(home.root),
            "serve",
            "--port",
            str(port),
        ],
        env=dict(os.environ, TRIALWH_HOME=str(home.root)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"trialwh serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return process, url
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise TimeoutError("the dashboard did not become healthy")


def page_url(base: str, url_path: str) -> str:
    first = PAGES[0][1]
    path = "" if url_path == first else url_path
    return f"{base}/{path}{QUERY.get(url_path, '')}"


async def load_page(browser, base: str, url_path: str, timeout_s: float = 300) -> float:
    """Seconds from navigation to the last chart drawn, in a new browser context."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        tab = await context.new_page()
        start = time.perf_counter()
        await tab.goto(page_url(base, url_path), wait_until="commit")
        if url_path in NO_CHARTS:
            await tab.locator("textarea").first.wait_for(timeout=timeout_s * 1000)
        await tab.wait_for_function(DONE_JS, timeout=timeout_s * 1000, polling=20)
        elapsed = time.perf_counter() - start
        if await tab.locator("[data-testid='stException']").count():
            raise RuntimeError(f"{url_path}: the page shows an exception")
        return elapsed
    finally:
        await context.close()


async def per_page(base: str, repeat: int, pages: list[str]) -> dict[str, dict[str, float]]:
    from playwright.async_api import async_playwright

    results: dict[str, dict[str, float]] = {}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            print(f"{'page':<22}{'first (s)':>10}{'fresh median (s)':>18}{'runs':>22}{'load':>7}")
            for url_path in pages:
                first = await load_page(browser, base, url_path)
                runs = [await load_page(browser, base, url_path) for _ in range(repeat)]
                results[url_path] = {
                    "first_s": first,
                    "fresh_median_s": statistics.median(runs),
                    "load": load(),
                }
                shown = " ".join(f"{r:.2f}" for r in runs)
                print(
                    f"{url_path:<22}{first:>10.2f}{statistics.median(runs):>18.2f}"
                    f"{shown:>22}{load():>7.2f}",
                    flush=True,
                )
        finally:
            await browser.close()
    return results


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0–100)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


async def concurrent(
    base: str, sessions: int, loads: int, pages: list[str], max_seconds: float, seed: int
) -> dict[str, float]:
    from playwright.async_api import async_playwright

    times: list[float] = []
    failures: list[str] = []
    deadline = time.monotonic() + max_seconds
    rng = random.Random(seed)
    plans = [[rng.choice(pages) for _ in range(loads)] for _ in range(sessions)]

    async def session(browser, plan: list[str]) -> None:
        for url_path in plan:
            if time.monotonic() > deadline:
                return
            try:
                times.append(await load_page(browser, base, url_path, timeout_s=60))
            except Exception as error:  # counted and reported, not hidden
                failures.append(f"{url_path}: {type(error).__name__}")

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            loads_before = load()
            start = time.perf_counter()
            await asyncio.gather(*(session(browser, plan) for plan in plans))
            wall = time.perf_counter() - start
        finally:
            await browser.close()
    return {
        "sessions": sessions,
        "loads": len(times),
        "failures": len(failures),
        "p50_s": statistics.median(times) if times else float("nan"),
        "p95_s": percentile(times, 95) if times else float("nan"),
        "max_s": max(times) if times else float("nan"),
        "wall_s": wall,
        "load_before": loads_before,
        "load_after": load(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True, help="A home with a snapshot.")
    parser.add_argument("--url", help="Use a running dashboard instead of starting one.")
    parser.add_argument("--repeat", type=int, default=3, help="Fresh loads per page.")
    parser.add_argument("--pages", nargs="*", help="URL paths (default: every page).")
    parser.add_argument("--sessions", type=int, default=20, help="0 = no load test.")
    parser.add_argument("--loads", type=int, default=3, help="Page loads per session.")
    parser.add_argument("--rounds", type=int, default=3, help="Load-test rounds (median).")
    parser.add_argument("--max-seconds", type=float, default=300)
    args = parser.parse_args()
    home = Home(args.home.resolve())
    pages = args.pages or [url for _file, url, *_ in PAGES]
    process = None
    base = args.url
    if base is None:
        process, base = start_server(home)
    try:
        print(
            f"Dashboard {base} on {home.published}; cores {os.cpu_count()}, load {load():.2f}",
            flush=True,
        )
        results = asyncio.run(per_page(base, args.repeat, pages))
        worst = max(r["fresh_median_s"] for r in results.values())
        worst_first = max(r["first_s"] for r in results.values())
        print(
            f"slowest page: fresh median {worst:.2f} s, first load {worst_first:.2f} s "
            f"(target < 1.5 s), load {load():.2f}"
        )
        rounds = []
        for index in range(args.rounds if args.sessions else 0):
            outcome = asyncio.run(
                concurrent(base, args.sessions, args.loads, pages, args.max_seconds, seed=index)
            )
            rounds.append(outcome)
            print(
                f"{outcome['sessions']} sessions, {outcome['loads']} loads "
                f"({outcome['failures']} failed) in {outcome['wall_s']:.1f} s: "
                f"p50 {outcome['p50_s']:.2f} s, p95 {outcome['p95_s']:.2f} s, "
                f"max {outcome['max_s']:.2f} s; load {outcome['load_before']:.2f} → "
                f"{outcome['load_after']:.2f}",
                flush=True,
            )
        if rounds:
            print(
                f"median of {len(rounds)} rounds: p95 "
                f"{statistics.median(r['p95_s'] for r in rounds):.2f} s (target < 3 s)"
            )
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    main()
