"""Run every benchmark in turn and print their figures (`make bench`).

    .venv/bin/python -m bench.run_all [--work DIR]

Order: generator (small and national), ingest of the national extracts, `dbt build`
against its floor at national volume (keeping that home), dashboard page render times on
the home just built, the monthly refresh, and the evaluation estimators. National data is
large (GBs, minutes): ``--work`` keeps it between runs; by default a temporary folder is
used and removed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def steps(work: Path) -> list[tuple[str, list[str]]]:
    home = work / "build_home"
    return [
        ("generator", ["bench.bench_generate", "--scale", "small", "--scale", "national"]),
        ("ingest", ["bench.bench_ingest", "--extracts", str(work / "national")]),
        ("dbt build", ["bench.bench_build", "--source", "sql", "--home", str(home)]),
        ("monthly refresh", ["bench.bench_refresh", "--workdir", str(work / "refresh")]),
        ("dashboard pages", ["bench.bench_pages", "--home", str(home)]),
        ("dashboard in a browser", ["bench.bench_pages_browser", "--home", str(home)]),
        ("evaluation", ["bench.bench_evaluation", "--replications", "40"]),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, help="Keep national data here between runs.")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="trialwh_bench_"))
    work.mkdir(parents=True, exist_ok=True)
    failed: list[str] = []
    try:
        for name, command in steps(work):
            print(f"\n=== {name} ===", flush=True)
            started = time.perf_counter()
            code = subprocess.call([sys.executable, "-m", *command])
            print(f"--- {name}: {time.perf_counter() - started:.1f} s, exit {code}", flush=True)
            if code != 0:
                failed.append(name)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
