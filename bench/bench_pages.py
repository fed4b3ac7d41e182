"""Benchmark: render time of every dashboard page (target: under 1 s at national scale).

Runs each page through ``streamlit.testing.v1.AppTest`` on a built home, as the evaluator
(no suppression shortcuts). Per page:

* ``cold``: all Streamlit caches cleared first, so the time includes opening the snapshot and
  every query and computation of the page (the first visitor after a new build);
* ``warm``: the same page rerun with the caches filled (every later visitor / rerun).

``cold``/``warm`` are the page script's own execution time on the server (measured around
``page.run()`` in the app); the ``wall`` columns add AppTest's overhead (its polling and
parsing of the page's elements). The browser's drawing is not included. The median of
``--repeat`` runs is reported.

    .venv/bin/python -m bench.bench_pages --home /tmp/trialwh_national/home

The same pages in a real browser, to the last chart drawn: ``bench/bench_pages_browser.py``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import time
from pathlib import Path

import duckdb
import streamlit as st
from streamlit import config
from streamlit.testing.v1 import AppTest

from core.paths import Home
from dashboards.site import PAGES

APP = Path(__file__).resolve().parent.parent / "dashboards" / "app.py"


def _scale(home: Home) -> dict[str, int]:
    con = duckdb.connect(str(home.published), read_only=True)
    try:
        counts = {}
        for table in (
            "fct_sygedagpengesager",
            "fct_rehabiliteringssager",
            "fct_forloeb",
            "mart_gruppe_kvartal",
            "mart_panel_kommune_kvartal",
        ):
            counts[table] = con.sql(f"select count(*) from marts.{table}").fetchall()[0][0]
        return counts
    finally:
        con.close()


def time_page(page_file: str, repeat: int) -> dict[str, float]:
    cold: list[float] = []
    warm: list[float] = []
    cold_wall: list[float] = []
    warm_wall: list[float] = []
    for _ in range(repeat):
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.run()  # the default page; establishes the session
        at.switch_page(f"app_pages/{page_file}")
        st.cache_data.clear()
        st.cache_resource.clear()
        start = time.perf_counter()
        at.run()
        cold_wall.append(time.perf_counter() - start)
        if at.exception:
            raise RuntimeError(f"{page_file}: {at.exception[0].value}")
        cold.append(at.session_state["render_seconds"])
        start = time.perf_counter()
        at.run()
        warm_wall.append(time.perf_counter() - start)
        warm.append(at.session_state["render_seconds"])
    return {
        "cold_s": statistics.median(cold),
        "warm_s": statistics.median(warm),
        "cold_wall_s": statistics.median(cold_wall),
        "warm_wall_s": statistics.median(warm_wall),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--home", type=Path, required=True, help="A home with a published snapshot."
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, help="Also write the results here.")
    args = parser.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    # The demo without login is shown only to a server on 127.0.0.1 (dashboards/app.py); a
    # bare AppTest has no address and would time the login refusal instead of the page.
    config.set_option("server.address", "127.0.0.1")
    home = Home(args.home.resolve())
    os.environ["TRIALWH_HOME"] = str(home.root)
    scale = _scale(home)
    print("Snapshot:", home.published, scale)
    results: dict[str, dict[str, float]] = {}
    print(f"{'page':<22}{'cold (s)':>10}{'warm (s)':>10}{'cold wall':>11}{'warm wall':>11}")
    for file, url, *_ in PAGES:
        results[url] = time_page(file, args.repeat)
        r = results[url]
        print(
            f"{url:<22}{r['cold_s']:>10.3f}{r['warm_s']:>10.3f}"
            f"{r['cold_wall_s']:>11.3f}{r['warm_wall_s']:>11.3f}",
            flush=True,
        )
    worst_cold = max(r["cold_s"] for r in results.values())
    worst_warm = max(r["warm_s"] for r in results.values())
    print(f"slowest page: cold {worst_cold:.3f} s, warm {worst_warm:.3f} s (target < 1 s)")
    if args.json:
        args.json.write_text(json.dumps({"scale": scale, "pages": results}, indent=2))


if __name__ == "__main__":
    main()
