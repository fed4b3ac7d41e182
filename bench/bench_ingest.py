"""Benchmark: ingest of the national synthetic extract set (target: under 2 minutes).

Reports rows/s, wall and CPU time, peak memory (resource.getrusage), the time spent per
phase: reading (read + normalise + pseudonymise), validation (polars row rules) and
writing (DuckDB; reading the next file overlaps writing the current one) and committing
(one commit per batch of files of one source, counted on the batch's last file),
and what running the full Great Expectations suite instead of the polars masks would cost
(measured on the largest file of each source, extrapolated per row).

    .venv/bin/python -m bench.bench_ingest --extracts /tmp/trialwh_national
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from core.paths import Home
from ingest.filenames import parse_file_name
from ingest.load import ingest_paths, load_reference
from ingest.prepare import validation_frame
from ingest.schema import SOURCES
from ingest.validate import FileContext, polars_failures, run_gx_suite


def ensure_extracts(folder: Path, scale: str, seed: int) -> float:
    """Generate the extract set into ``folder`` unless it is already there; seconds spent."""
    if (folder / "truth.json").exists():
        return 0.0
    from synthetic import generate

    start = time.perf_counter()
    generate(folder, scale=scale, seed=seed)
    return time.perf_counter() - start


def gx_cost(folder: Path, loaded: dict[str, int]) -> dict[str, Any]:
    """GX suite vs polars masks on the largest file per source; extrapolated to all rows."""
    reference = load_reference()
    out: dict[str, Any] = {}
    for source in SOURCES:
        files = [p for p in folder.glob(f"{source}_*") if p.suffix in (".csv", ".parquet")]
        if not files:
            continue
        path = max(files, key=lambda p: p.stat().st_size)
        name = parse_file_name(path)
        frame, rows = validation_frame(path.read_bytes(), name, b"bench", reference)
        ctx = FileContext(name.kommunekode, name.extract_date)
        t0 = time.perf_counter()
        by_polars = polars_failures(frame, SOURCES[source], ctx)
        t1 = time.perf_counter()
        by_gx = run_gx_suite(frame, SOURCES[source], ctx)
        t2 = time.perf_counter()
        total_rows = loaded.get(source, 0)
        out[source] = {
            "file": path.name,
            "rows": rows,
            "polars_s": round(t1 - t0, 3),
            "gx_s": round(t2 - t1, 3),
            "same_result": by_gx == by_polars,
            "gx_extrapolated_all_rows_s": round((t2 - t1) / max(rows, 1) * total_rows, 1),
        }
    out["gx_extrapolated_total_s"] = round(
        sum(v["gx_extrapolated_all_rows_s"] for v in out.values() if isinstance(v, dict)), 1
    )
    return out


def run(extracts: Path, scale: str = "national", seed: int = 42, with_gx: bool = True) -> dict:
    """Ingest ``extracts`` into a fresh home and return the measurements."""
    generated_s = ensure_extracts(extracts, scale, seed)
    home_dir = Path(tempfile.mkdtemp(prefix="bench_ingest_"))
    try:
        load_before = os.getloadavg()[0]
        usage_before = resource.getrusage(resource.RUSAGE_SELF)
        start = time.perf_counter()
        results = ingest_paths(Home(home_dir), [extracts])
        wall = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (usage.ru_utime - usage_before.ru_utime) + (usage.ru_stime - usage_before.ru_stime)
        peak_mb = usage.ru_maxrss / 1024
        # Per-file phase durations summed. The next file is prepared (read + validate) in
        # a background thread while the current one is written, so these overlap in time.
        split = {k: 0.0 for k in ("read", "validate", "write", "commit")}
        for r in results:
            for key in split:
                split[key] += r.timings.get(key, 0.0)
        rows = sum(r.rows_read or 0 for r in results)
        by_source: dict[str, int] = {}
        for r in results:
            if r.status == "loaded":
                source = r.source_file.split("_", 1)[0]
                by_source[source] = by_source.get(source, 0) + (r.rows_read or 0)
        report: dict[str, Any] = {
            "extracts": str(extracts),
            "generated_s": round(generated_s, 1),
            "files": len(results),
            "files_loaded": sum(r.status == "loaded" for r in results),
            "files_rejected": sum(r.status == "rejected" for r in results),
            "rows_read": rows,
            "rows_loaded": sum(r.rows_loaded for r in results),
            "rows_quarantined": sum(r.rows_quarantined for r in results),
            "wall_s": round(wall, 1),
            "cpu_s": round(cpu, 1),
            "load_average_1min": [round(load_before, 1), round(os.getloadavg()[0], 1)],
            "rows_per_s": round(rows / wall),
            "peak_rss_mb": round(peak_mb),
            "phase_s_overlapping": {k: round(v, 1) for k, v in split.items()},
            "rows_by_source": by_source,
            "warehouse_mb": round(Home(home_dir).warehouse.stat().st_size / 2**20),
            "target_met": wall < 120,
        }
        if with_gx:
            report["great_expectations"] = gx_cost(extracts, by_source)
        return report
    finally:
        shutil.rmtree(home_dir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extracts", type=Path, default=Path("/tmp/trialwh_national"))
    parser.add_argument("--scale", default="national")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-gx", action="store_true", help="skip the GX cost measurement")
    args = parser.parse_args()
    print(json.dumps(run(args.extracts, args.scale, args.seed, not args.no_gx), indent=2))


if __name__ == "__main__":
    main()
