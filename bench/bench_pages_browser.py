"""Benchmark: every dashboard page loaded in a real browser (targets: < 1.5 s per page; 20
concurrent sessions with p95 < 3 s).

Starts ``trialwh serve`` on a built home (localhost, a free port) and drives Debian's
chromium with Playwright. One *load* = a new browser context (no cookies, no HTTP cache, a
new Streamlit session), ``goto`` the page, and wait until

* the page's script has finished on the server (``stApp``'s ``data-test-script-state`` is
  ``notRunning`` after the title is shown), and
* every plotly chart on the page has drawn its SVG (``.main-svg``) — the last chart drawn.

Per page it prints ``first`` (the first load after the server started: every query and
figure of the page computed) and ``fresh`` (the median of ``--repeat`` later loads, each in
a new context: the server's caches are filled, the browser's are not), with the server's CPU
seconds per load and the machine's 1-minute load average beside each figure (the machine's
2 cores are shared with other work: the load says how much). Then the *breakdown* of the
fresh loads (medians, seconds from navigation start, all on the browser's clock):

* ``html``: the HTML document received; ``js``: the last JavaScript file received
  (``js MB`` decoded, ``n``: files; the largest, usually plotly.js, is named at the end);
* ``ws``: the websocket ``/_stcore/stream`` open; ``run``/``done``: the server's
  ``new_session`` / ``script_finished`` messages arriving (the page script starting and
  finishing on the server; ``srv`` = done − run);
* ``plotly0``/``plotly``: plotly.js (Streamlit's ``PlotlyChart`` chunk, 4.7 MB) requested /
  received;
* ``chart1``/``chartN``: the first and the last plotly chart drawn (SVG attached);
* ``main``: seconds the renderer's main thread was busy (CDP ``TaskDuration``; on a loaded
  machine this includes waiting for a core), ``js cpu``: of which running JavaScript (CDP
  ``ScriptDuration``, parsing and compiling included).

The *floor* (``--no-floor`` leaves it out): the same Streamlit server (the dashboard's own
command line, ``dashboards.serve.command``) running a page with a title and one small plotly
chart and nothing else (no chart for a page that draws none), loaded the same way just before
each fresh load of a page. It is what any page of this stack costs the browser and the
server on this machine; ``÷ floor`` is the page's fresh median over its floor's median (a
ratio measured in one run, so the machine's noise mostly cancels). ``--elements`` measures
only the floor page with each kind of element the pages use added to it (a sidebar of
filters, tables, texts, expanders, …; ``FLOOR_ELEMENTS``): what each costs a fresh load.

Load test (``--sessions``, default 20), bounded: at most sessions × ``--loads`` loads, each
with a time limit, stopping after ``--max-seconds``; localhost only. Two kinds:

* *protocol* sessions (bench/stream_client.py): each a websocket ``/_stcore/stream`` speaking
  Streamlit's protobuf ``BackMsg``/``ForwardMsg``, timed from connect to ``script_finished``:
  the server's latency for N concurrent users (queueing, running the page, serialising and
  sending it), without the browser's work (which runs on the user's machine, not ours);
* ``--browser-sessions`` (default 2) real chromium contexts loading pages at the same time,
  timed to the last chart drawn as above: what a user sees while the others load, with the
  browser competing for the same 2 cores as the server.

Every failure is printed with its kind (timeout, exception, closed, connect, …).

    .venv/bin/python -m bench.bench_pages_browser --home /tmp/trialwh_national/home
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from bench import stream_client
from core.paths import Home
from dashboards.serve import command
from dashboards.site import PAGES, PAGES_WITHOUT_CHARTS
from tests.browser._browser import launch, running, serving

PAGE_TARGET_S = 1.5  # issue 16: a fresh load of every page (its ratio is printed)
P95_TARGET_S = 3.0  # issue 16: 20 concurrent sessions

# Pages that need a choice in the URL to show their figures.
QUERY = {"kommune": "?kommune=851"}

# The floor page: a title and one small plotly chart (``?diagram=0``: the title only).
# ``?med=a,b`` adds the page elements named in FLOOR_ELEMENTS (``--elements``).
FLOOR_APP = """\
import plotly.graph_objects as go
import polars as pl
import streamlit as st

med = set(filter(None, st.query_params.get("med", "").split(",")))
small = pl.DataFrame({"a": [1, 2], "b": ["x", "y"]})
if "sidepanel" in med:
    with st.sidebar:
        for i in range(5):
            st.selectbox(f"Valg {i}", ["a", "b", "c"], key=f"valg{i}")
        st.checkbox("English")
st.title("Gulv")
if "vaelger" in med:
    st.selectbox("Valg", ["a", "b"])
if "tekst" in med:
    for i in range(35):
        st.markdown(f"Afsnit **{i}** med lidt tekst.")
if "foldud" in med:
    for i in range(9):
        with st.expander(f"Om {i}"):
            st.markdown("Forklaring.")
if "noegletal" in med:
    for i, column in enumerate(st.columns(4)):
        column.metric(f"Nøgletal {i}", i)
if "tabel" in med:
    st.dataframe(small)
if "tabeller" in med:
    frame = pl.DataFrame({"a": list(range(100)), "b": [str(i) for i in range(100)]})
    for i in range(4):
        st.dataframe(frame, key=f"tabel{i}")
if "tabel_foldet" in med:
    with st.expander("Tabel"):
        st.dataframe(small)
if "statiske_tabeller" in med:
    frame = pl.DataFrame({"a": list(range(10)), "b": [str(i) for i in range(10)]})
    for i in range(4):
        st.table(frame)
if "hent" in med:
    for i in range(8):
        st.download_button(f"Hent {i}", data=b"x", file_name=f"x{i}.csv", key=f"hent{i}")
if st.query_params.get("diagram") != "0":
    st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 3, 2])))
if "diagram2" in med:
    st.plotly_chart(go.Figure(go.Scatter(x=list(range(50)), y=list(range(50)))))
"""

# What ``--elements`` adds to the floor page, one variant at a time (an Overblik-like page has
# them all: a sidebar of filters, 35 texts, 9 expanders, 4 key figures, 4 tables, 8 download
# buttons and a second chart).
FLOOR_ELEMENTS: dict[str, str] = {
    "sidepanel": "sidebar: 5 selectboxes and a checkbox",
    "vaelger": "one selectbox",
    "tekst": "35 markdown texts",
    "foldud": "9 expanders",
    "noegletal": "4 metrics in columns",
    "tabel": "one st.dataframe (2 rows)",
    "tabeller": "4 st.dataframe (100 rows each)",
    "tabel_foldet": "one st.dataframe in a closed expander",
    "statiske_tabeller": "4 st.table (10 rows each)",
    "hent": "8 download buttons",
    "diagram2": "a second plotly chart",
}
ALL_ELEMENTS = "sidepanel,tekst,foldud,noegletal,tabeller,hent,diagram2"

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

# Before any of the page's scripts: time every websocket message and every chart's first SVG
# on the browser's clock (performance.now(), 0 = navigation start).
TIMING_INIT_JS = """
(() => {
    const t = (window.__trialwh = { msgs: [], charts: [], wsOpen: null });
    // Streamlit loads over 250 files: keep every resource's timing, not the first 250.
    performance.setResourceTimingBufferSize(5000);
    const Native = window.WebSocket;
    class TimedWebSocket extends Native {
        constructor(...args) {
            super(...args);
            this.addEventListener("open", () => {
                if (t.wsOpen === null) t.wsOpen = performance.now();
            });
            this.addEventListener("message", () => t.msgs.push(performance.now()));
        }
    }
    window.WebSocket = TimedWebSocket;
    const seen = new WeakSet();
    new MutationObserver((records) => {
        for (const record of records) {
            for (const node of record.addedNodes) {
                if (node.nodeType !== 1) continue;
                const svg = node.matches(".main-svg") ? node : node.querySelector(".main-svg");
                if (!svg) continue;
                const chart = svg.closest("[data-testid='stPlotlyChart']");
                if (chart && !seen.has(chart)) {
                    seen.add(chart);
                    t.charts.push(performance.now());
                }
            }
        }
    }).observe(document, { childList: true, subtree: true });
})();
"""

COLLECT_JS = """
() => {
    const t = window.__trialwh || { msgs: [], charts: [], wsOpen: null };
    const nav = performance.getEntriesByType("navigation")[0];
    const scripts = performance.getEntriesByType("resource").filter(
        (r) => r.name.split("?")[0].endsWith(".js"));
    const largest = scripts.reduce(
        (a, b) => (!a || b.decodedBodySize > a.decodedBodySize ? b : a), null);
    const plotly = scripts.find((r) => r.name.includes("/PlotlyChart."));
    return {
        html: nav ? nav.responseEnd : null,
        js_last: scripts.length ? Math.max(...scripts.map((r) => r.responseEnd)) : null,
        js_bytes: scripts.reduce((sum, r) => sum + r.decodedBodySize, 0),
        js_files: scripts.length,
        js_largest: largest ? largest.name.split("/").pop() : "",
        js_largest_bytes: largest ? largest.decodedBodySize : 0,
        js_largest_end: largest ? largest.responseEnd : null,
        plotly_start: plotly ? plotly.startTime : null,
        plotly_end: plotly ? plotly.responseEnd : null,
        ws_open: t.wsOpen,
        msgs: t.msgs,
        charts: t.charts,
    };
}
"""

BREAKDOWN = (
    "html",
    "js",
    "ws",
    "run",
    "done",
    "srv",
    "plotly0",
    "plotly",
    "chart1",
    "chartN",
    "main",
    "js cpu",
)


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


def failure_kind(error: BaseException) -> str:
    """A short name for what went wrong with a browser load."""
    name = type(error).__name__
    if name == "TimeoutError":
        return "timeout"
    if isinstance(error, PageException):
        return "exception"
    return f"{name}: {str(error).splitlines()[0][:80] if str(error) else ''}"


class PageException(RuntimeError):
    """The page shows a Python exception (Streamlit's ``stException``)."""


def _ms(value: float | None) -> float:
    return float("nan") if value is None else value / 1000


def _script_times(frames: list[bytes], msgs: list[float]) -> tuple[float, float]:
    """(script started, script finished) on the browser's clock: the ``new_session`` and the
    last successful ``script_finished`` among the websocket frames, matched by position to
    the times the page recorded for its websocket messages."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    started = finished = float("nan")
    if len(frames) != len(msgs):
        return started, finished
    for payload, at in zip(frames, msgs, strict=True):
        msg = ForwardMsg()
        msg.ParseFromString(payload)
        kind = msg.WhichOneof("type")
        if kind == "new_session" and started != started:
            started = at / 1000
        elif (
            kind == "script_finished"
            and msg.script_finished == ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
        ):
            finished = at / 1000
    return started, finished


@contextmanager
def floor_server() -> Iterator[str]:
    """The floor page served by the dashboard's Streamlit command line; yields its URL."""
    with tempfile.TemporaryDirectory(prefix="trialwh-gulv-") as tmp:
        app = Path(tmp) / "gulv.py"
        app.write_text(FLOOR_APP, encoding="utf-8")
        with running(lambda port: command(port, app=app), cwd=Path(tmp)) as (_process, url):
            yield url


def floor_url(base: str, url_path: str) -> str:
    """The floor of ``url_path``: with a chart, or without for a page that draws none."""
    return f"{base}/?diagram=0" if url_path in PAGES_WITHOUT_CHARTS else f"{base}/"


async def load_page(
    browser,
    base: str,
    url_path: str,
    timeout_s: float = 300,
    detail: bool = False,
    url: str | None = None,
) -> tuple[float, dict[str, float | str]]:
    """Seconds from navigation to the last chart drawn, in a new browser context, and (with
    ``detail``) the breakdown of that load. ``url`` (the floor page) replaces the page's."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        tab = await context.new_page()
        frames: list[bytes] = []
        if detail:
            await tab.add_init_script(TIMING_INIT_JS)
            tab.on(
                "websocket",
                lambda ws: ws.on(
                    "framereceived",
                    lambda p: frames.append(p if isinstance(p, bytes) else p.encode()),
                ),
            )
            cdp = await context.new_cdp_session(tab)
            await cdp.send("Performance.enable")
        start = time.perf_counter()
        await tab.goto(url or page_url(base, url_path), wait_until="commit")
        # A page without a chart (the SQL page) is done when its editor is shown.
        if url is None and url_path in PAGES_WITHOUT_CHARTS:
            await tab.locator("textarea").first.wait_for(timeout=timeout_s * 1000)
        await tab.wait_for_function(DONE_JS, timeout=timeout_s * 1000, polling=20)
        elapsed = time.perf_counter() - start
        if await tab.locator("[data-testid='stException']").count():
            raise PageException(f"{url_path}: the page shows an exception")
        parts: dict[str, float | str] = {}
        if detail:
            seen = await tab.evaluate(COLLECT_JS)
            metrics = {
                m["name"]: m["value"] for m in (await cdp.send("Performance.getMetrics"))["metrics"]
            }
            run, done = _script_times(frames, seen["msgs"])
            charts = seen["charts"]
            parts = {
                "html": _ms(seen["html"]),
                "js": _ms(seen["js_last"]),
                "ws": _ms(seen["ws_open"]),
                "run": run,
                "done": done,
                "srv": done - run,
                "plotly0": _ms(seen["plotly_start"]),
                "plotly": _ms(seen["plotly_end"]),
                "chart1": _ms(min(charts)) if charts else float("nan"),
                "chartN": _ms(max(charts)) if charts else float("nan"),
                "main": metrics.get("TaskDuration", float("nan")),
                "js cpu": metrics.get("ScriptDuration", float("nan")),
                "js_mb": seen["js_bytes"] / 1e6,
                "js_files": seen["js_files"],
                "js_largest": f"{seen['js_largest']} ({seen['js_largest_bytes'] / 1e6:.1f} MB, "
                f"received at {_ms(seen['js_largest_end']):.2f} s)",
            }
        return elapsed, parts
    finally:
        await context.close()


async def timed_load(
    browser, base: str, url_path: str, pid: int | None, detail: bool = False
) -> tuple[float, float, dict[str, float | str]]:
    """(wall seconds, server CPU seconds, breakdown) of one fresh load."""
    cpu = server_cpu_s(pid)
    wall, parts = await load_page(browser, base, url_path, detail=detail)
    return wall, server_cpu_s(pid) - cpu, parts


def _median(values: list[float]) -> float:
    kept = [v for v in values if v == v]
    return statistics.median(kept) if kept else float("nan")


async def per_page(
    base: str, repeat: int, pages: list[str], pid: int | None, floor: str | None = None
) -> dict[str, dict[str, float]]:
    from playwright.async_api import async_playwright

    results: dict[str, dict[str, float]] = {}
    breakdowns: dict[str, dict[str, float]] = {}
    largest = ""
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        try:
            print(
                f"{'page':<20}{'first s':>8}{'cpu':>6}{'load':>6}{'fresh median s':>16}"
                f"{'cpu':>6}  {'runs s':<17}{'load':>6}{'÷ target':>9}{'floor s':>9}"
                f"{'÷ floor':>9}"
            )
            for url_path in pages:
                first_load = load()
                first, first_cpu, _ = await timed_load(browser, base, url_path, pid)
                runs, floors = [], []
                for _ in range(repeat):
                    if floor is not None:
                        wall, _parts = await load_page(
                            browser, floor, "gulv", url=floor_url(floor, url_path)
                        )
                        floors.append(wall)
                    runs.append(await timed_load(browser, base, url_path, pid, detail=True))
                walls = [wall for wall, _cpu, _parts in runs]
                cpus = [cpu for _wall, cpu, _parts in runs]
                breakdowns[url_path] = {
                    key: _median([float(parts[key]) for _w, _c, parts in runs])
                    for key in (*BREAKDOWN, "js_mb", "js_files")
                }
                largest = str(runs[-1][2].get("js_largest", largest))
                floor_s = _median(floors)
                results[url_path] = {
                    "floor_s": floor_s,
                    "first_s": first,
                    "first_cpu_s": first_cpu,
                    "first_load": first_load,
                    "fresh_median_s": statistics.median(walls),
                    "fresh_cpu_s": statistics.median(cpus),
                    "load": load(),
                }
                shown = " ".join(f"{r:.2f}" for r in walls)
                print(
                    f"{url_path:<20}{first:>8.2f}{first_cpu:>6.2f}{first_load:>6.2f}"
                    f"{statistics.median(walls):>16.2f}{statistics.median(cpus):>6.2f}"
                    f"  {shown:<17}{load():>6.2f}"
                    f"{statistics.median(walls) / PAGE_TARGET_S:>9.2f}"
                    f"{floor_s:>9.2f}{statistics.median(walls) / floor_s:>9.2f}",
                    flush=True,
                )
        finally:
            await browser.close()
    print(
        "\nWhere a fresh load's time goes (medians; seconds from navigation start on the "
        "browser's clock; srv = the page script on the server; main / js cpu = seconds the "
        "renderer's main thread was busy / running JavaScript, waits for a core included):"
    )
    print(f"{'page':<20}" + "".join(f"{key:>8}" for key in BREAKDOWN) + f"{'js MB':>7}{'n':>4}")
    for url_path, parts in breakdowns.items():
        print(
            f"{url_path:<20}"
            + "".join(f"{parts[key]:>8.2f}" for key in BREAKDOWN)
            + f"{parts['js_mb']:>7.1f}{parts['js_files']:>4.0f}"
        )
    print(f"largest JavaScript file: {largest}; load {load():.2f}")
    return results


async def element_costs(floor: str, repeat: int) -> None:
    """Fresh loads of the floor page alone and with each of FLOOR_ELEMENTS (and all of them
    at once), the variants interleaved ``repeat`` times; prints each median and its cost over
    the plain floor (measured in the same run, so the machine's noise mostly cancels)."""
    from playwright.async_api import async_playwright

    variants = {"": "the floor: a title and one small chart", **FLOOR_ELEMENTS}
    variants[ALL_ELEMENTS] = "together, as on a chart page"
    walls: dict[str, list[float]] = {name: [] for name in variants}
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        try:
            await load_page(browser, floor, "", url=f"{floor}/")  # the server's first run
            for _ in range(repeat):
                for name in variants:
                    url = f"{floor}/?med={name}" if name else f"{floor}/"
                    wall, _parts = await load_page(browser, floor, "", url=url)
                    walls[name].append(wall)
        finally:
            await browser.close()
    base = _median(walls[""])
    width = max(map(len, variants.values())) + 2
    print(f"{'elements':<{width}}{'median s':>9}{'+ s':>7}  runs s (load {load():.2f})")
    for name, what in variants.items():
        median = _median(walls[name])
        runs = " ".join(f"{wall:.2f}" for wall in walls[name])
        print(f"{what:<{width}}{median:>9.2f}{median - base:>+7.2f}  {runs}")


def floor_summary(results: dict[str, dict[str, float]]) -> str:
    """The floor's medians (with a chart, and without one for the pages that draw none)
    against the target, and the pages' ratios to their floors."""
    with_chart = [r["floor_s"] for p, r in results.items() if p not in PAGES_WITHOUT_CHARTS]
    without = [r["floor_s"] for p, r in results.items() if p in PAGES_WITHOUT_CHARTS]
    ratios = {p: r["fresh_median_s"] / r["floor_s"] for p, r in results.items()}
    most = max(ratios, key=ratios.__getitem__)
    parts = []
    if with_chart:
        parts.append(
            f"floor with one small plotly chart: median {_median(with_chart):.2f} s "
            f"({min(with_chart):.2f}–{max(with_chart):.2f} s over the pages), "
            f"{_median(with_chart) / PAGE_TARGET_S:.2f}× the target"
        )
    if without:
        parts.append(
            f"without a chart: {_median(without):.2f} s, "
            f"{_median(without) / PAGE_TARGET_S:.2f}× the target"
        )
    parts.append(
        f"pages ÷ floor: median {_median(list(ratios.values())):.2f}, "
        f"highest {ratios[most]:.2f} ({most})"
    )
    return "; ".join(parts) + ";"


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0–100)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def _summary(times: list[float]) -> dict[str, float]:
    if not times:
        return {"p50_s": float("nan"), "p95_s": float("nan"), "max_s": float("nan")}
    return {
        "p50_s": statistics.median(times),
        "p95_s": percentile(times, 95),
        "max_s": max(times),
    }


async def concurrent(
    base: str,
    sessions: int,
    browser_sessions: int,
    loads: int,
    pages: list[str],
    max_seconds: float,
    seed: int,
    pid: int | None,
    timeout_s: float,
) -> dict:
    """``sessions`` protocol sessions and ``browser_sessions`` browser contexts at once, each
    loading ``loads`` pages from ``pages`` in its own (seeded) order."""
    from playwright.async_api import async_playwright

    rng = random.Random(seed)
    deadline = time.monotonic() + max_seconds
    proto_times: list[float] = []
    browser_times: list[float] = []
    failures: list[tuple[str, str, str]] = []  # (client, page, kind)

    async def protocol_session(plan: list[str]) -> None:
        for url_path in plan:
            if time.monotonic() > deadline:
                return
            outcome = await stream_client.load(
                base,
                url_path,
                QUERY.get(url_path, ""),
                default_page=PAGES[0][1],
                timeout_s=timeout_s,
            )
            if outcome.ok:
                proto_times.append(outcome.finished_s)
            else:
                kind = outcome.failure or "?"
                failures.append(("protocol", url_path, f"{kind} {outcome.detail}".strip()))

    async def browser_session(browser, plan: list[str]) -> None:
        for url_path in plan:
            if time.monotonic() > deadline:
                return
            try:
                wall, _parts = await load_page(browser, base, url_path, timeout_s=timeout_s)
                browser_times.append(wall)
            except Exception as error:  # counted and reported by kind, not hidden
                failures.append(("browser", url_path, failure_kind(error)))

    def plan() -> list[str]:
        return [rng.choice(pages) for _ in range(loads)]

    async with async_playwright() as playwright:
        browser = await launch(playwright) if browser_sessions else None
        try:
            load_before = load()
            cpu_before = server_cpu_s(pid)
            start = time.perf_counter()
            await asyncio.gather(
                *(protocol_session(plan()) for _ in range(sessions)),
                *(browser_session(browser, plan()) for _ in range(browser_sessions)),
            )
            wall = time.perf_counter() - start
            cpu = server_cpu_s(pid) - cpu_before
        finally:
            if browser is not None:
                await browser.close()
    return {
        "sessions": sessions,
        "browser_sessions": browser_sessions,
        "protocol": {"loads": len(proto_times), **_summary(proto_times)},
        "browser": {"loads": len(browser_times), **_summary(browser_times)},
        "failures": failures,
        "wall_s": wall,
        "server_cpu_s": cpu,
        "server_cpu_per_load_s": cpu / max(1, len(proto_times) + len(browser_times)),
        "load_before": load_before,
        "load_after": load(),
    }


def print_round(outcome: dict) -> None:
    proto, brow = outcome["protocol"], outcome["browser"]
    kinds = collections.Counter((client, kind) for client, _page, kind in outcome["failures"])
    print(
        f"{outcome['sessions']} protocol sessions: {proto['loads']} loads, "
        f"p50 {proto['p50_s']:.2f} s, p95 {proto['p95_s']:.2f} s, max {proto['max_s']:.2f} s | "
        f"{outcome['browser_sessions']} browser sessions: {brow['loads']} loads, "
        f"p50 {brow['p50_s']:.2f} s, p95 {brow['p95_s']:.2f} s, max {brow['max_s']:.2f} s | "
        f"{len(outcome['failures'])} failed | {outcome['wall_s']:.1f} s wall, server cpu "
        f"{outcome['server_cpu_s']:.1f} s ({outcome['server_cpu_per_load_s']:.2f} s/load), "
        f"load {outcome['load_before']:.2f} → {outcome['load_after']:.2f}",
        flush=True,
    )
    for (client, kind), count in sorted(kinds.items()):
        pages = sorted({p for c, p, k in outcome["failures"] if (c, k) == (client, kind)})
        print(f"    failed {count}× ({client}): {kind} — pages {', '.join(pages)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="A home with a snapshot (all but --elements).")
    parser.add_argument("--url", help="Use a running dashboard instead of starting one.")
    parser.add_argument("--repeat", type=int, default=3, help="Fresh loads per page.")
    parser.add_argument("--pages", nargs="*", help="URL paths (default: every page).")
    parser.add_argument("--no-pages", action="store_true", help="Only the load test.")
    parser.add_argument("--no-floor", action="store_true", help="Leave the floor page out.")
    parser.add_argument("--sessions", type=int, default=20, help="Protocol sessions; 0 = none.")
    parser.add_argument(
        "--browser-sessions", type=int, default=2, help="Browser contexts in the load test."
    )
    parser.add_argument("--loads", type=int, default=3, help="Page loads per session.")
    parser.add_argument("--rounds", type=int, default=3, help="Load-test rounds (median).")
    parser.add_argument("--timeout", type=float, default=60, help="Seconds per load at most.")
    parser.add_argument("--max-seconds", type=float, default=300)
    parser.add_argument(
        "--elements",
        action="store_true",
        help="Only what page elements cost: the floor page with each of them (--repeat loads).",
    )
    args = parser.parse_args()
    if args.elements:
        with floor_server() as floor:
            asyncio.run(element_costs(floor, args.repeat))
        return
    if args.home is None:
        parser.error("--home is required (a home with a published snapshot)")
    home = Home(args.home.resolve())
    pages = args.pages or [url for _file, url, *_ in PAGES]
    with nullcontext((None, args.url)) if args.url else serving(home.root) as (process, base):
        pid = process.pid if process is not None else None
        print(
            f"Dashboard {base} on {home.published}; cores {os.cpu_count()} shared with other "
            f"work on this machine, load {load():.2f}; cpu = the server's CPU seconds",
            flush=True,
        )
        if not args.no_pages:
            with nullcontext(None) if args.no_floor else floor_server() as floor:
                results = asyncio.run(per_page(base, args.repeat, pages, pid, floor))
            slowest = max(results, key=lambda page: results[page]["fresh_median_s"])
            worst_first = max(results, key=lambda page: results[page]["first_s"])
            print(
                f"slowest page: fresh median {results[slowest]['fresh_median_s']:.2f} s "
                f"(cpu {results[slowest]['fresh_cpu_s']:.2f} s, {slowest}), first load "
                f"{results[worst_first]['first_s']:.2f} s (cpu "
                f"{results[worst_first]['first_cpu_s']:.2f} s, {worst_first}) "
                f"(target < {PAGE_TARGET_S} s), load {load():.2f}"
            )
            if not args.no_floor:
                print(floor_summary(results), f"load {load():.2f}")
        rounds = []
        for index in range(args.rounds if args.sessions or args.browser_sessions else 0):
            outcome = asyncio.run(
                concurrent(
                    base,
                    args.sessions,
                    args.browser_sessions,
                    args.loads,
                    pages,
                    args.max_seconds,
                    index,
                    pid,
                    args.timeout,
                )
            )
            rounds.append(outcome)
            print_round(outcome)
        if rounds:
            print(
                f"median of {len(rounds)} rounds: protocol p95 "
                f"{_median([r['protocol']['p95_s'] for r in rounds]):.2f} s "
                f"(target < {P95_TARGET_S} s), browser p95 "
                f"{_median([r['browser']['p95_s'] for r in rounds]):.2f} s, failed "
                f"{statistics.median(len(r['failures']) for r in rounds):.0f}, server cpu "
                f"{_median([r['server_cpu_per_load_s'] for r in rounds]):.2f} s/load, "
                f"load {load():.2f}"
            )


if __name__ == "__main__":
    main()
