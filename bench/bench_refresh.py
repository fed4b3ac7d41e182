"""Benchmark: the monthly refresh, end to end.

A warehouse holds every monthly snapshot but the newest (generator, ``--snapshots N``
months, all municipalities of the scale) and a published build of it. The refresh adds
the newest month's extract files of every municipality and source and republishes:
``trialwh ingest`` of the new files, then ``trialwh build`` (dbt build with every test,
then publish), which is incremental: only the municipalities with new extracts are
recomputed in the incremental models (README, "Monthly refresh"). Beside it, on the same
copy, the same build as a full refresh (``trialwh build --full-refresh``) and the floor
(the compiled SQL of every model and data test in one DuckDB connection,
``bench.bench_build.run_floor_timings``). ``--partial K`` adds only K municipalities' new files
(a month in which not every municipality has delivered yet).

Each run starts from a copy of the same home, so the runs are alike; figures are medians
of ``--runs`` runs (default 3), with the machine's 1-minute load average and the CPU
seconds (this process and its children: dbt runs in a child) beside every timing: on a
shared, loaded machine wall time says little alone (issue 16's target: < 15 s at
national scale).

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

from bench.bench_build import Timing, cpu_seconds, run_floor_timings
from core.paths import Home
from ingest.load import ingest_paths
from synthetic import generate
from synthetic.params import snapshot_dates
from trialwh.build import build

TARGET_S = 15.0
_DATE = re.compile(r"_(\d{4}-\d{2}-\d{2})\.[a-z]+$")


def _timed(action) -> tuple[Timing, object]:
    load, cpu = os.getloadavg()[0], cpu_seconds()
    start = time.perf_counter()
    value = action()
    return Timing(time.perf_counter() - start, load, cpu_seconds() - cpu), value


@dataclass(frozen=True)
class RefreshRun:
    ingest: Timing
    build: Timing  # incremental `trialwh build` (with publish)
    full: Timing  # `trialwh build --full-refresh` of the same raw layer (with publish)
    floor: Timing  # compiled models + data tests in one DuckDB connection
    n_files: int
    reason: str  # the build's own account (incremental, municipalities recomputed)

    @property
    def total_s(self) -> float:
        return self.ingest.seconds + self.build.seconds

    @property
    def total_cpu_s(self) -> float:
        return self.ingest.cpu_s + self.build.cpu_s


def split_newest_month(extracts: Path, snapshots: int) -> tuple[list[Path], list[Path]]:
    """The extract files of the earlier months (and Ankestyrelsen's own publication dates),
    and those of the newest monthly snapshot the generator wrote."""
    newest = snapshot_dates(snapshots)[-1].isoformat()
    files = sorted(p for p in extracts.iterdir() if _DATE.search(p.name))
    earlier = [p for p in files if _DATE.search(p.name).group(1) != newest]
    latest = [p for p in files if _DATE.search(p.name).group(1) == newest]
    return earlier, latest


def _build_or_fail(home: Home, *, full_refresh: bool = False):
    result = build(home, full_refresh=full_refresh)
    if not result.success:
        raise SystemExit("trialwh build failed:\n" + "\n".join(result.failures))
    return result


_KOMMUNE = re.compile(r"^[a-z_]+?_(\d{3,4})_\d{4}-\d{2}-\d{2}\.[a-z]+$")


def only_municipalities(files: list[Path], k: int) -> list[Path]:
    """The new files of the first ``k`` municipalities (by code) and the national ones."""
    codes = sorted({int(m[1]) for p in files if (m := _KOMMUNE.match(p.name))})
    keep = set(codes[:k])
    return [p for p in files if (m := _KOMMUNE.match(p.name)) is None or int(m[1]) in keep]


def prepare(workdir: Path, scale: str, snapshots: int) -> tuple[Home, list[Path]]:
    """The base home (all months but the newest, built and published) and the new files;
    kept in ``workdir`` and reused by the next run with the same scale and snapshots."""
    extracts = workdir / "extracts"
    base = Home(workdir / "base")
    prepared = workdir / f"prepared-{scale}-{snapshots}"
    if not prepared.exists():
        shutil.rmtree(base.root, ignore_errors=True)
        generate(extracts, scale=scale, seed=42, mess=False, snapshots=snapshots, progress=True)
        base.root.mkdir(parents=True, exist_ok=True)
        ingest_paths(base, split_newest_month(extracts, snapshots)[0], progress=True)
        _build_or_fail(base)
        prepared.touch()
    return base, split_newest_month(extracts, snapshots)[1]


def refresh_once(base: Home, run_root: Path, new_files: list[Path]) -> RefreshRun:
    shutil.rmtree(run_root, ignore_errors=True)
    shutil.copytree(base.root, run_root)
    home = Home(run_root)
    ingest, results = _timed(lambda: ingest_paths(home, new_files))
    rejected = [r for r in results if r.status != "loaded"]
    if rejected:
        raise SystemExit(f"{len(rejected)} new files were not loaded: {rejected[:3]}")
    incremental, result = _timed(lambda: _build_or_fail(home))
    if not result.incremental:
        raise SystemExit(f"the refresh was not incremental: {result.refresh_reason}")
    full, _ = _timed(lambda: _build_or_fail(home, full_refresh=True))
    models, tests = run_floor_timings(home)
    floor = Timing(models.seconds + tests.seconds, models.load, models.cpu_s + tests.cpu_s)
    return RefreshRun(ingest, incremental, full, floor, len(new_files), result.refresh_reason)


def _median(values) -> float:
    return statistics.median(values)


def _cell(timing: Timing) -> str:
    return f"{timing.seconds:5.1f} s (cpu {timing.cpu_s:5.1f} s, load {timing.load:4.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=["small", "national"], default="national")
    parser.add_argument("--snapshots", type=int, default=3, help="monthly snapshots in all")
    parser.add_argument("--runs", type=int, default=3, help="refresh runs (median)")
    parser.add_argument(
        "--partial", type=int, default=None, help="only this many municipalities deliver"
    )
    parser.add_argument("--workdir", type=Path, default=None, help="keep the files here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-refresh-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        base, new_files = prepare(workdir, args.scale, args.snapshots)
        if args.partial is not None:
            new_files = only_municipalities(new_files, args.partial)
        print(
            f"scale {args.scale}, {args.snapshots} monthly snapshots; refresh = the newest "
            f"month: {len(new_files)} files; {os.cpu_count()} cores; load = 1-minute load "
            "average when the timing started; cpu = user + system CPU seconds (ingest "
            "threads, dbt child)",
            flush=True,
        )
        runs = []
        for number in range(1, args.runs + 1):
            run = refresh_once(base, workdir / "run", new_files)
            runs.append(run)
            print(f"run {number}: {run.reason}")
            print(f"  ingest of the new files          {_cell(run.ingest)}")
            print(f"  incremental build and publish    {_cell(run.build)}")
            total = f"{run.total_s:5.1f} s (cpu {run.total_cpu_s:5.1f} s)"
            print(f"  refresh end to end               {total}")
            print(f"  full build and publish (same)    {_cell(run.full)}")
            print(f"  floor: compiled models + tests   {_cell(run.floor)}", flush=True)
    rows = (
        ("ingest", [r.ingest for r in runs]),
        ("incremental build", [r.build for r in runs]),
        (
            "refresh end to end",
            [Timing(r.total_s, r.ingest.load, r.total_cpu_s) for r in runs],
        ),
        ("full build", [r.full for r in runs]),
        ("floor", [r.floor for r in runs]),
    )
    floor = _median([r.floor.seconds for r in runs])
    floor_cpu = _median([r.floor.cpu_s for r in runs])
    print(
        f"medians of {len(runs)} runs (load = median of the 1-minute load averages at the "
        "starts; ratio = median / median of the floor, wall and cpu):"
    )
    for label, timings in rows:
        wall = _median([t.seconds for t in timings])
        cpu = _median([t.cpu_s for t in timings])
        print(
            f"  {label:<20} {wall:6.1f} s   cpu {cpu:6.1f} s   "
            f"load {_median([t.load for t in timings]):5.1f}   "
            f"ratio to floor {wall / floor:5.2f} (wall) {cpu / floor_cpu:5.2f} (cpu)"
        )
    total = _median([r.total_s for r in runs])
    print(f"target < {TARGET_S:.0f} s end to end: {'met' if total < TARGET_S else 'NOT met'}")


if __name__ == "__main__":
    main()
