"""Benchmark: the monthly refresh, end to end.

A warehouse holds every monthly snapshot but the newest (generator, ``--snapshots N``
months, all municipalities of the scale) and a published build of it. Two refreshes are
measured, labelled apart: "monthly refresh (municipal extracts)", issue 16's target, adds
the newest month's municipal extract files to that warehouse after the national DREAM
delivery the generator dates in the same month has been ingested and built (DREAM is its
own national delivery); "monthly refresh + new DREAM delivery" adds the municipal files
and the national ones together. Each refresh ingests its new files and republishes:
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
                                            [--runs N] [--workdir DIR] [--no-full]
                                            [--scenario municipal|dream|both]
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


def national_files(files: list[Path]) -> list[Path]:
    """The files without a municipality (DREAM, Ankestyrelsen's table)."""
    return [p for p in files if _KOMMUNE.match(p.name) is None]


def prepare(workdir: Path, scale: str, snapshots: int) -> tuple[Home, Home, list[Path]]:
    """The base home (all months but the newest, built and published), the same home with
    the newest month's national deliveries (DREAM) added and built, and the newest month's
    files; kept in ``workdir`` and reused by the next run with the same scale and
    snapshots."""
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
    new_files = split_newest_month(extracts, snapshots)[1]
    with_dream = Home(workdir / "base-national")
    stamp = workdir / f"prepared-national-{scale}-{snapshots}"
    if not stamp.exists():
        shutil.rmtree(with_dream.root, ignore_errors=True)
        shutil.copytree(base.root, with_dream.root)
        ingest_paths(with_dream, national_files(new_files))
        _build_or_fail(with_dream)
        stamp.touch()
    return base, with_dream, new_files


_NODE_TIME = re.compile(
    r"OK created sql (?:table|incremental) model [\w.]+?\.(\w+) .*?in ([\d.]+)s"
)


def slowest_models(home: Home, offset: int, n: int = 8) -> list[tuple[str, float]]:
    """The ``n`` slowest models of the build whose log starts at ``offset`` in dbt.log."""
    log = home.dbt_log_dir / "dbt.log"
    if not log.exists():
        return []
    with log.open("rb") as handle:
        handle.seek(offset)
        text = handle.read().decode("utf-8", errors="replace")
    times = [(m[1], float(m[2])) for m in _NODE_TIME.finditer(text)]
    return sorted(times, key=lambda item: -item[1])[:n]


def _log_size(home: Home) -> int:
    log = home.dbt_log_dir / "dbt.log"
    return log.stat().st_size if log.exists() else 0


@dataclass(frozen=True)
class Step:
    ingest: Timing
    build: Timing
    n_files: int
    reason: str
    slowest: list[tuple[str, float]]
    tests_note: str  # the data tests the build left out as unchanged ("" if none)
    stages: dict[str, float]  # summed per-file ingest stages (read, validate, write)

    @property
    def total(self) -> Timing:
        return Timing(
            self.ingest.seconds + self.build.seconds,
            self.ingest.load,
            self.ingest.cpu_s + self.build.cpu_s,
        )


def refresh_step(start: Home, run_root: Path, new_files: list[Path]) -> tuple[Home, Step]:
    """Copy ``start`` to ``run_root``, ingest ``new_files`` and build incrementally."""
    shutil.rmtree(run_root, ignore_errors=True)
    shutil.copytree(start.root, run_root)
    home = Home(run_root)
    ingest, results = _timed(lambda: ingest_paths(home, new_files))
    rejected = [r for r in results if r.status != "loaded"]
    if rejected:
        raise SystemExit(f"{len(rejected)} new files were not loaded: {rejected[:3]}")
    offset = _log_size(home)
    incremental, result = _timed(lambda: _build_or_fail(home))
    if not result.incremental:
        raise SystemExit(f"the refresh was not incremental: {result.refresh_reason}")
    slowest = slowest_models(home, offset)
    stages: dict[str, float] = {}
    for file in results:
        for stage, seconds in file.timings.items():
            stages[stage] = stages.get(stage, 0.0) + seconds
    return home, Step(
        ingest,
        incremental,
        len(new_files),
        result.refresh_reason,
        slowest,
        result.data_tests_note,
        stages,
    )


def full_and_floor(home: Home) -> tuple[Timing, Timing]:
    """``trialwh build --full-refresh`` of the home, then the floor on the same raw layer."""
    full, _ = _timed(lambda: _build_or_fail(home, full_refresh=True))
    models, tests = run_floor_timings(home)
    return full, Timing(models.seconds + tests.seconds, models.load, models.cpu_s + tests.cpu_s)


def _median(values) -> float:
    return statistics.median(values)


def _cell(timing: Timing) -> str:
    return f"{timing.seconds:5.1f} s (cpu {timing.cpu_s:5.1f} s, load {timing.load:4.1f})"


SCENARIOS = {
    "municipal": "monthly refresh (municipal extracts)",
    "dream": "monthly refresh + new DREAM delivery",
}


def _print_step(label: str, step: Step) -> None:
    print(f"  {label}: {step.n_files} files; {step.reason}")
    if step.tests_note:
        print(f"    {step.tests_note}")
    print(f"    ingest of the new files        {_cell(step.ingest)}")
    parts = ", ".join(f"{stage} {seconds:.1f}" for stage, seconds in sorted(step.stages.items()))
    print(
        "    ingest stages summed over files (s; *_cpu = the process's CPU while the stage "
        f"ran, so overlapping stages count twice): {parts}"
    )
    print(f"    incremental build and publish  {_cell(step.build)}")
    print(f"    end to end                     {_cell(step.total)}")
    models = ", ".join(f"{name} {seconds:.1f}" for name, seconds in step.slowest)
    print(f"    slowest models (s, dbt log)    {models}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=["small", "national"], default="national")
    parser.add_argument("--snapshots", type=int, default=3, help="monthly snapshots in all")
    parser.add_argument("--runs", type=int, default=3, help="refresh runs (median)")
    parser.add_argument(
        "--partial", type=int, default=None, help="only this many municipalities deliver"
    )
    parser.add_argument(
        "--scenario", choices=[*SCENARIOS, "both"], default="both", help="which refresh"
    )
    parser.add_argument("--no-full", action="store_true", help="skip the full build and the floor")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the files here")
    args = parser.parse_args()
    scenarios = list(SCENARIOS) if args.scenario == "both" else [args.scenario]
    with tempfile.TemporaryDirectory(prefix="bench-refresh-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        base, with_dream, new_files = prepare(workdir, args.scale, args.snapshots)
        if args.partial is not None:
            new_files = only_municipalities(new_files, args.partial)
        national = national_files(new_files)
        municipal = [p for p in new_files if p not in national]
        print(
            f"scale {args.scale}, {args.snapshots} monthly snapshots; the newest month: "
            f"{len(municipal)} municipal extract files and {len(national)} national "
            f"({', '.join(p.name for p in national)}); {os.cpu_count()} cores shared with "
            "other users; load = 1-minute load average when the timing started; cpu = user "
            "+ system CPU seconds (ingest threads, dbt child)\n"
            f"  {SCENARIOS['municipal']}: the municipal files, added to a warehouse that "
            "already holds the newest DREAM delivery (built)\n"
            f"  {SCENARIOS['dream']}: the municipal files and the national ones, added "
            "to the warehouse before that DREAM delivery",
            flush=True,
        )
        steps: dict[str, list[Step]] = {name: [] for name in scenarios}
        fulls: list[tuple[Timing, Timing]] = []
        for number in range(1, args.runs + 1):
            print(f"run {number}:")
            for name in scenarios:
                start, files = (with_dream, municipal) if name == "municipal" else (base, new_files)
                home, step = refresh_step(start, workdir / "run", files)
                steps[name].append(step)
                _print_step(SCENARIOS[name], step)
            if not args.no_full:
                # Same raw layer in both scenarios (the earlier months and all new files).
                full, floor = full_and_floor(home)
                fulls.append((full, floor))
                print(f"  full build and publish (same raw) {_cell(full)}")
                print(f"  floor: compiled models + tests    {_cell(floor)}", flush=True)
    print(
        f"medians of {args.runs} runs (load = median of the 1-minute load averages at the starts):"
    )

    def row(label: str, timings: list[Timing]) -> None:
        wall = _median([t.seconds for t in timings])
        cpu = _median([t.cpu_s for t in timings])
        load = _median([t.load for t in timings])
        extra = ""
        if fulls:
            floor = _median([f.seconds for _, f in fulls])
            extra = f"   {wall / floor:5.2f}x the floor"
        print(f"  {label:<48} {wall:6.1f} s   cpu {cpu:6.1f} s   load {load:5.1f}{extra}")

    for name in scenarios:
        runs = steps[name]
        row(f"{SCENARIOS[name]}: ingest", [s.ingest for s in runs])
        row(f"{SCENARIOS[name]}: build", [s.build for s in runs])
        row(f"{SCENARIOS[name]}: end to end", [s.total for s in runs])
    if fulls:
        row("full build (all extracts)", [f for f, _ in fulls])
        row("floor", [f for _, f in fulls])
    for name in scenarios:
        total = _median([s.total.seconds for s in steps[name]])
        verdict = "met" if total < TARGET_S else "NOT met"
        print(f"target < {TARGET_S:.0f} s end to end, {SCENARIOS[name]}: {verdict}")


if __name__ == "__main__":
    main()
