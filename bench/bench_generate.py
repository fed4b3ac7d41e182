"""Benchmark of the synthetic-extract generator: seconds, files and rows per source.

.venv/bin/python -m bench.bench_generate                 # small and national
.venv/bin/python -m bench.bench_generate --scale small   # one scale
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from synthetic import generate


def bench_generate(scale: str, seed: int = 42, out: Path | None = None) -> dict:
    """Generate one run and return its figures (seconds, files and rows per source)."""
    with tempfile.TemporaryDirectory(prefix=f"bench_generate_{scale}_") as tmp:
        target = out or Path(tmp)
        started = time.perf_counter()
        truth = generate(target, scale=scale, seed=seed)
        seconds = time.perf_counter() - started
        size = sum(p.stat().st_size for p in target.iterdir())
    files: dict[str, int] = defaultdict(int)
    rows: dict[str, int] = defaultdict(int)
    for entry in truth["files"]:
        files[entry["source"]] += 1
        rows[entry["source"]] += entry["rows"]
    return {
        "scale": scale,
        "seconds": round(seconds, 1),
        "files": dict(files),
        "rows": dict(rows),
        "rows_total": sum(rows.values()),
        "corrupted_rows": len(truth["corrupted_rows"]),
        "megabytes": round(size / 1e6, 1),
        "municipalities": len(truth["municipalities"]["trial"])
        + len(truth["municipalities"]["control"]),
    }


def render(figures: dict) -> str:
    lines = [
        f"generate --scale {figures['scale']}: {figures['seconds']} s, "
        f"{figures['municipalities']} municipalities, {sum(figures['files'].values())} files, "
        f"{figures['rows_total']:,} rows, {figures['megabytes']} MB, "
        f"{figures['corrupted_rows']:,} corrupted rows"
    ]
    for source, n in figures["rows"].items():
        lines.append(f"  {source:<24} {figures['files'][source]:>4} files {n:>12,} rows")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "national"], action="append")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    for scale in args.scale or ["small", "national"]:
        print(render(bench_generate(scale, args.seed)), flush=True)


if __name__ == "__main__":
    main()
