"""Benchmark: national DREAM — generate, ingest, and build the outcome models.

Three stages, each timed (wall seconds) with its peak resident memory:
1. generate (this process): the national sickness-benefit and rehabilitation cases (the
   generator's own simulation), the DREAM register for every person (+25 % without a
   case), written as one wide CSV ``dream_2022-12-31.csv`` (~1 mio. rows × 418 weeks);
   the cases go straight into ``raw.sygedagpengesager`` (pseudonymised with the same key)
   so that the outcome models have their cases without timing the case-file ingest;
2. ingest (child process, ``trialwh ingest``): the DREAM file only;
3. build (child process, ``dbt build``): the seeds and the models up to
   ``fct_sygedagpengeudfald``, ``mart_selvforsoergelse_uger`` and the panel's DREAM
   indicators, with their tests.
Peak memory of the children is read from ``/usr/bin/time -v`` (maximum resident set size).

    .venv/bin/python -m bench.bench_dream [--scale national|small] [--home DIR]

Target (issue 10): ingest + build of national DREAM under 5 minutes and under 8 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from core.paths import Home
from ingest.audit import create_ingest_tables
from ingest.pseudonymise import load_key, pseudonymise
from synthetic import params as P
from synthetic.cases import simulate_sygedagpengesager
from synthetic.cpr import person_frame
from synthetic.dream import simulate_dream, write_dream
from synthetic.municipalities import kommune_frame, load_reference, run_kommuner, theme_windows
from synthetic.rehab import simulate_rehabiliteringssager

CASES_FILE = "bench_sygedagpengesager.parquet"
BUILD_SELECT = (
    "ydelsesgrupper +fct_sygedagpengeudfald +mart_selvforsoergelse_uger"
    " +int_sygedagpengeudfald_pr_kvartal"
)


def _peak_self_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def _timed_child(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, peak resident GB and output of a child run under /usr/bin/time -v.

    The output ends with a line giving the child's CPU seconds (user + system): on a
    shared machine the wall time depends on the load, the CPU time much less.
    """
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-v", *args], env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    peak = int(match[1]) / 1024**2 if match else float("nan")
    cpu = sum(
        float(m[1]) for m in re.finditer(r"(?:User|System) time \(seconds\): ([\d.]+)", done.stderr)
    )
    if done.returncode != 0:
        print(done.stdout[-3000:], done.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"{args[0]} failed ({done.returncode})")
    return seconds, peak, f"{done.stdout}\ncpu {cpu:.1f} s"


def generate(home: Home, out: Path, scale: str, key: bytes) -> dict:
    cfg = P.SCALES[scale]
    eff = P.resolve_effects(None)
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(1).spawn(4)]
    ref = load_reference()
    trial, control = run_kommuner(ref, scale)
    kommuner = sorted(trial + control)
    kom = kommune_frame(ref, kommuner, rngs[0])
    themes = theme_windows(ref, kommuner)
    sdp = simulate_sygedagpengesager(rngs[1], kom, themes, eff, cfg.volume_factor)
    n_persons = int(sdp["person_nr"].max()) + 1
    rehab, extra = simulate_rehabiliteringssager(
        rngs[2], sdp, kom, themes, eff, cfg.volume_factor, n_persons
    )
    first = sdp.group_by("person_nr").agg(pl.col("anmeldt_dato").min()).sort("person_nr")
    persons = person_frame(
        rngs[3], np.concatenate([first["anmeldt_dato"].cast(pl.Int64).to_numpy(), extra])
    )
    sdp = sdp.join(persons, on="person_nr", how="left", maintain_order="left")
    rehab = rehab.join(persons, on="person_nr", how="left", maintain_order="left")
    people, matrix, truth = simulate_dream(rngs[3], sdp, rehab, persons, eff, P.PERIOD_END)
    written = write_dream(out, people, matrix, P.PERIOD_END, "csv", rngs[3], mess=True)
    del matrix
    sdp.write_parquet(out / CASES_FILE)
    _cases_to_raw(home, sdp, key)
    return {
        "cases": sdp.height,
        "persons": people.height,
        "weeks": written.weeks,
        "file": out / written.file,
        "bad_rows": len(written.bad_rows),
        "effect": truth["planted_effect"],
    }


def reuse(home: Home, out: Path, key: bytes) -> dict | None:
    """The files of an earlier generate in ``out`` (national generate takes ~10 minutes)."""
    files = sorted(out.glob("dream_*.csv"))
    if not files or not (out / CASES_FILE).exists():
        return None
    sdp = pl.read_parquet(out / CASES_FILE)
    _cases_to_raw(home, sdp, key)
    return {"cases": sdp.height, "persons": "?", "weeks": "?", "file": files[-1], "bad_rows": "?"}


def _cases_to_raw(home: Home, sdp: pl.DataFrame, key: bytes) -> None:
    """The latest snapshot of every case, as ingest would have loaded it."""
    cases = pseudonymise(sdp.with_columns(pl.col("cpr").alias("cpr_text")), "cpr_text", key)
    frame = cases.select(  # noqa: F841 - scanned by DuckDB
        "sags_id",
        "person_id",
        "kommunekode",
        "foerste_fravaersdag",
        "anmeldt_dato",
        "visitationskategori",
        "forventet_over_8_uger",
        "har_arbejdsgiver",
        "diagnosegruppe",
        "tolk",
        "lae285_fravalgt",
        "fravalg_begrundelse",
        "foerste_opfoelgning_dato",
        pl.when(pl.col("afsluttet_dato") <= P.PERIOD_END).then(pl.col("afsluttet_dato")),
        pl.when(pl.col("afsluttet_dato") <= P.PERIOD_END).then(pl.col("afslutningsaarsag")),
    )
    home.root.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(home.warehouse)) as con:
        create_ingest_tables(con)
        con.execute(
            """
            insert into raw.sygedagpengesager by name
            select *, 'bench' as load_id, 'bench' as source_file, '' as file_sha256,
                date '2022-12-31' as extract_date,
                row_number() over ()::integer as source_row_number,
                now()::timestamp as loaded_at
            from frame
            where foerste_fravaersdag <= date '2022-12-31'
            """
        )


def _slowest_nodes(run_results: Path, n: int = 8) -> list[tuple[float, str]]:
    """The ``n`` slowest models and tests of the build (dbt's run_results.json, wall)."""
    if not run_results.exists():
        return []
    results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    timed = [(float(r["execution_time"]), r["unique_id"].split(".", 2)[-1]) for r in results]
    return sorted(timed, reverse=True)[:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="national", choices=sorted(P.SCALES))
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument(
        "--extracts",
        type=Path,
        default=None,
        help="folder for the generated files; reused (not generated again) if it holds them",
    )
    parser.add_argument("--generate-only", action="store_true")
    args = parser.parse_args()
    root = args.home or Path(tempfile.mkdtemp(prefix="bench_dream_"))
    home, out = Home(root / "home"), args.extracts or root / "extracts"
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "TRIALWH_HOME": str(home.root), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    env.setdefault("TRIALWH_PSEUDONYM_KEY", "bench-key-not-secret")
    os.environ["TRIALWH_PSEUDONYM_KEY"] = env["TRIALWH_PSEUDONYM_KEY"]
    key = load_key(home.key_file)
    print(f"maskinens belastning før start (1/5/15 min): {os.getloadavg()}")

    t0 = time.perf_counter()
    made = None if args.generate_only else reuse(home, out, key)
    verb = "reused"
    if made is None:
        made, verb = generate(home, out, args.scale, key), "generate"
    gen_s = time.perf_counter() - t0
    size_mb = made["file"].stat().st_size / 1024**2
    print(
        f"{verb}: {gen_s:.1f} s, peak {_peak_self_gb():.2f} GB; {made['cases']} sager, "
        f"{made['persons']} personer × {made['weeks']} uger, {size_mb:.0f} MB CSV, "
        f"{made['bad_rows']} fejlkoder"
    )
    if args.generate_only:
        return

    bin_dir = Path(sys.executable).parent
    ingest_s, ingest_gb, output = _timed_child(
        [str(bin_dir / "trialwh"), "--home", str(home.root), "ingest", str(made["file"])], env
    )
    lines = output.strip().splitlines()
    print(f"ingest:   {ingest_s:.1f} s ({lines[-1]}), peak {ingest_gb:.2f} GB — {lines[0]}")

    project = Path(__file__).resolve().parents[1]
    build_s, build_gb, output = _timed_child(
        [
            sys.executable,
            "-c",
            "from dbt.cli.main import cli; cli()",
            "build",
            "--select",
            *BUILD_SELECT.split(),
            "--indirect-selection",
            "cautious",
            "--project-dir",
            str(project),
            "--profiles-dir",
            str(project),
            "--target-path",
            str(home.root / "dbt_target"),
            "--log-path",
            str(home.root / "dbt_logs"),
        ],
        env,
    )
    summary = [line for line in output.splitlines() if "Done. PASS=" in line]
    cpu = output.strip().splitlines()[-1]
    done = summary[-1] if summary else ""
    print(f"build:    {build_s:.1f} s ({cpu}), peak {build_gb:.2f} GB — {done}")
    for seconds, node in _slowest_nodes(home.root / "dbt_target" / "run_results.json"):
        print(f"          {seconds:7.1f} s  {node}")
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        n_rows, n_persons = con.execute(
            "select count(*), count(distinct person_id) from raw.dream"
        ).fetchone()
        n_outcomes = con.execute("select count(*) from marts.fct_sygedagpengeudfald").fetchone()
    print(
        f"raw.dream: {n_rows} forløbsrækker for {n_persons} personer; "
        f"fct_sygedagpengeudfald: {n_outcomes[0]} sager"
    )
    print(
        f"ingest + build: {ingest_s + build_s:.1f} s (mål < 300 s), "
        f"peak {max(ingest_gb, build_gb):.2f} GB (mål < 8 GB)"
    )
    print(f"maskinens belastning efter (1/5/15 min): {os.getloadavg()}")


if __name__ == "__main__":
    main()
