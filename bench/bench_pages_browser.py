"""Benchmark: every dashboard page loaded in a real browser (targets: < 1.5 s per page; 20
concurrent sessions with p95 < 3 s).

Starts ``trialwh serve`` on a built home (localhost, a free port) and drives Debian's
chromium with Playwright. One *load* = a new browser context (no cookies, no cache, a new
Streamlit session), ``goto`` the page, and wait until

* the page's script has finished on the server (``stApp``'s ``data-test-script-state`` is
  ``notRunning`` after the title is shown), and
* every plotly chart on the page has drawn its SVG (``.main-svg``) — the last chart drawn.

Figures (the server's CPU seconds and the machine's 1-minute load average printed beside
each; with ``--url`` the server is not ours and its CPU shows as nan):

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
import statistics
import time
from contextlib import nullcontext
from pathlib import Path

from core.paths import Home
from dashboards.site import PAGES
from tests.browser._browser import launch, serving

PAGE_TARGET_S = 1.5  # issue 16: a fresh load of every page (its ratio is printed)

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


def server_cpu_s(pid: int | None) -> float:
    """CPU seconds (user + system) the dashboard server and its children have used."""
    if pid is None:
        return float("nan")
    ticks = os.sysconf("SC_CLK_TCK")
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # utime, stime, cutime, cstime are fields 14–17 of /proc/PID/stat (1-based).
    return sum(int(value) for value in fields[11:15]) / ticks


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


async def timed_load(browser, base: str, url_path: str, pid: int | None) -> tuple[float, float]:
    """(wall seconds, server CPU seconds) of one fresh load."""
    cpu = server_cpu_s(pid)
    wall = await load_page(browser, base, url_path)
    return wall, server_cpu_s(pid) - cpu


async def per_page(
    base: str, repeat: int, pages: list[str], pid: int | None
) -> dict[str, dict[str, float]]:
    from playwright.async_api import async_playwright

    results: dict[str, dict[str, float]] = {}
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        try:
            print(
                f"{'page':<22}{'first s':>8}{'cpu':>6}{'fresh median s':>16}{'cpu':>6}"
                f"{'runs s':>20}{'load':>7}{'÷ target':>10}"
            )
            for url_path in pages:
                first, first_cpu = await timed_load(browser, base, url_path, pid)
                runs = [await timed_load(browser, base, url_path, pid) for _ in range(repeat)]
                walls = [wall for wall, _cpu in runs]
                cpus = [cpu for _wall, cpu in runs]
                results[url_path] = {
                    "first_s": first,
                    "first_cpu_s": first_cpu,
                    "fresh_median_s": statistics.median(walls),
                    "fresh_cpu_s": statistics.median(cpus),
                    "load": load(),
                }
                shown = " ".join(f"{r:.2f}" for r in walls)
                print(
                    f"{url_path:<22}{first:>8.2f}{first_cpu:>6.2f}"
                    f"{statistics.median(walls):>16.2f}{statistics.median(cpus):>6.2f}"
                    f"{shown:>20}{load():>7.2f}"
                    f"{statistics.median(walls) / PAGE_TARGET_S:>10.2f}",
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
    base: str,
    sessions: int,
    loads: int,
    pages: list[str],
    max_seconds: float,
    seed: int,
    pid: int | None,
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
        browser = await launch(playwright)
        try:
            loads_before = load()
            cpu_before = server_cpu_s(pid)
            start = time.perf_counter()
            await asyncio.gather(*(session(browser, plan) for plan in plans))
            wall = time.perf_counter() - start
            cpu = server_cpu_s(pid) - cpu_before
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
        "server_cpu_s": cpu,
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
    with nullcontext((None, args.url)) if args.url else serving(home.root) as (process, base):
        pid = process.pid if process is not None else None
        print(
            f"Dashboard {base} on {home.published}; cores {os.cpu_count()}, load {load():.2f};"
            " cpu = the server's CPU seconds for that load",
            flush=True,
        )
        results = asyncio.run(per_page(base, args.repeat, pages, pid))
        slowest = max(results, key=lambda page: results[page]["fresh_median_s"])
        worst_first = max(results, key=lambda page: results[page]["first_s"])
        print(
            f"slowest page: fresh median {results[slowest]['fresh_median_s']:.2f} s "
            f"(cpu {results[slowest]['fresh_cpu_s']:.2f} s, {slowest}), first load "
            f"{results[worst_first]['first_s']:.2f} s (cpu "
            f"{results[worst_first]['first_cpu_s']:.2f} s, {worst_first}) "
            f"(target < 1.5 s), load {load():.2f}"
        )
        rounds = []
        for index in range(args.rounds if args.sessions else 0):
            outcome = asyncio.run(
                concurrent(base, args.sessions, args.loads, pages, args.max_seconds, index, pid)
            )
            rounds.append(outcome)
            print(
                f"{outcome['sessions']} sessions, {outcome['loads']} loads "
                f"({outcome['failures']} failed) in {outcome['wall_s']:.1f} s: "
                f"p50 {outcome['p50_s']:.2f} s, p95 {outcome['p95_s']:.2f} s, "
                f"max {outcome['max_s']:.2f} s; server cpu {outcome['server_cpu_s']:.1f} s; "
                f"load {outcome['load_before']:.2f} → "
                f"{outcome['load_after']:.2f}",
                flush=True,
            )
        if rounds:
            print(
                f"median of {len(rounds)} rounds: p95 "
                f"{statistics.median(r['p95_s'] for r in rounds):.2f} s (target < 3 s), "
                f"server cpu {statistics.median(r['server_cpu_s'] for r in rounds):.1f} s, "
                f"load {load():.2f}"
            )


if __name__ == "__main__":
    main()
