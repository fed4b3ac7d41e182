"""Benchmark: the monthly refresh, end to end.

A warehouse holds every monthly snapshot but the newest (generator, ``--snapshots N``
months, all municipalities of the scale) and a published build of it. The refresh adds
the newest month's extract files of every municipality and source and republishes:
``trialwh ingest`` of the new files, then ``trialwh build`` (dbt build with every test,
then publish). Each run starts from a copy of the same home, so the runs are alike; the
figure is the median of ``--runs`` runs (default 3) with the machine's 1-minute load
average printed beside every run (issue 16's target: < 15 s at national scale).

    .venv/bin/python -m bench.bench_refresh [--scale small|national] [--snapshots N]
                                            [--runs N] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from core.paths import Home
from ingest.load import ingest_paths
from synthetic import generate
from synthetic.params import snapshot_dates
from trialwh.build import build

TARGET_S = 15.0
_DATE = re.compile(r"_(\d{4}-\d{2}-\d{2})\.[a-z]+$")


@dataclass(frozen=True)
class RefreshRun:
    ingest_s: float
    build_s: float
    load: float  # 1-minute load average when the run started
    n_files: int

    @property
    def total_s(self) -> float:
        return self.ingest_s + self.build_s


def split_newest_month(extracts: Path, snapshots: int) -> tuple[list[Path], list[Path]]:
    """The extract files of the earlier months (and Ankestyrelsen's own publication dates),
    and those of the newest monthly snapshot the generator wrote."""
    newest = snapshot_dates(snapshots)[-1].isoformat()
    files = sorted(p for p in extracts.iterdir() if _DATE.search(p.name))
    earlier = [p for p in files if _DATE.search(p.name).group(1) != newest]
    latest = [p for p in files if _DATE.search(p.name).group(1) == newest]
    return earlier, latest


def _build_or_fail(home: Home) -> None:
    result = build(home)
    if not result.success:
        raise SystemExit("trialwh build failed:\n" + "\n".join(result.failures))


def prepare(workdir: Path, scale: str, snapshots: int) -> tuple[Home, list[Path]]:
    """The base home (all months but the newest, built and published) and the new files."""
    extracts = workdir / "extracts"
    generate(extracts, scale=scale, seed=42, mess=False, snapshots=snapshots, progress=True)
    earlier, latest = split_newest_month(extracts, snapshots)
    base = Home(workdir / "base")
    base.root.mkdir(parents=True, exist_ok=True)
    ingest_paths(base, earlier, progress=True)
    _build_or_fail(base)
    return base, latest


def refresh_once(base: Home, run_root: Path, new_files: list[Path]) -> RefreshRun:
    shutil.rmtree(run_root, ignore_errors=True)
    shutil.copytree(base.root, run_root)
    home = Home(run_root)
    load = os.getloadavg()[0]
    start = time.perf_counter()
    results = ingest_paths(home, new_files)
    ingest_s = time.perf_counter() - start
    rejected = [r for r in results if r.status != "loaded"]
    if rejected:
        raise SystemExit(f"{len(rejected)} new files were not loaded: {rejected[:3]}")
    start = time.perf_counter()
    _build_or_fail(home)
    build_s = time.perf_counter() - start
    return RefreshRun(ingest_s, build_s, load, len(new_files))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=["small", "national"], default="national")
    parser.add_argument("--snapshots", type=int, default=3, help="monthly snapshots in all")
    parser.add_argument("--runs", type=int, default=3, help="refresh runs (median)")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the files here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-refresh-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        base, new_files = prepare(workdir, args.scale, args.snapshots)
        runs = [refresh_once(base, workdir / "run", new_files) for _ in range(args.runs)]
    print(
        f"scale {args.scale}, {args.snapshots} monthly snapshots; refresh = the newest month: "
        f"{runs[0].n_files} files; {os.cpu_count()} cores; load = 1-minute load average"
    )
    for number, run in enumerate(runs, start=1):
        print(
            f"run {number}: ingest {run.ingest_s:5.1f} s + build and publish {run.build_s:5.1f} s"
            f" = {run.total_s:5.1f} s (load {run.load:.1f})"
        )
    ingest = statistics.median(r.ingest_s for r in runs)
    build_s = statistics.median(r.build_s for r in runs)
    total = statistics.median(r.total_s for r in runs)
    print(f"median: ingest {ingest:.1f} s, build and publish {build_s:.1f} s, total {total:.1f} s")
    print(f"target < {TARGET_S:.0f} s end to end: {'met' if total < TARGET_S else 'NOT met'}")


if __name__ == "__main__":
    main()
