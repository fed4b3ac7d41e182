"""Benchmark: `trialwh build` at national scale, against the floor of the same SQL.

Timings on the same raw layer, each the median of ``--runs`` runs (default 3) with the
machine's 1-minute load average and the CPU seconds (user + system, this process and the
dbt child) printed beside every run:
- ``trialwh build`` first: a new home (no dbt state: no target/ folder, no record of
  passed unit tests; no model relations) on a machine where nothing was built, so dbt
  parses the whole project; cold: a new home again, now starting from the project parsed
  by that build; warm: the same build again in that home (partial parse; the unit tests,
  which passed for this very project in the cold build, are left out). All run seeds,
  every model and every data test, and publish.
- the floor: the compiled SQL of the same models (from dbt's manifest, in dependency
  order) and of the same data tests, run directly in one DuckDB connection.
The ratios show what dbt and publishing add on top of DuckDB's work (target: <= 1.3).

The raw layer comes from the generator + ingest (``--source generator``: national scale,
slow to produce) or is synthesised directly in SQL at national volumes (``--source sql``,
the default: about 1.2 mio. sickness-benefit cases in two snapshots, their documents,
rehab cases, appeals and Ankestyrelsen's counts for all 98 municipalities; ``--fraction``
scales the case counts down while developing).

    .venv/bin/python -m bench.bench_build [--source sql|generator] [--scale national|small]
                                          [--fraction F] [--runs N] [--home DIR]
"""

from __future__ import annotations

import argparse
import graphlib
import json
import os
import resource
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from core.paths import SEEDS_DIR, Home
from ingest.schema import create_raw_tables
from trialwh.build import build

# National volumes (synthetic/params.py: 5.8 mio. inhabitants x 0.026 x 8 years).
N_SYGEDAGPENGESAGER = 1_200_000
N_REHABILITERINGSSAGER = 200_000
N_ANKESAGER = 60_000
SNAPSHOTS = ("2020-12-31", "2022-12-31")
# Issue 16: `trialwh build` within 1.3 x the floor, cold and warm.
TARGET_RATIO = 1.3
PARSE_CACHE_ENV = "TRIALWH_DBT_PARSE_CACHE"  # trialwh/dbt.py: the parsed project between homes


def synthesise_raw_sql(con: duckdb.DuckDBPyConnection, fraction: float = 1.0) -> None:
    """A national-sized raw layer (``fraction`` of it), deterministic (hash-based), typed as
    ingest writes it."""
    n_sygedagpengesager = max(1, int(N_SYGEDAGPENGESAGER * fraction))
    n_rehabiliteringssager = max(1, int(N_REHABILITERINGSSAGER * fraction))
    n_ankesager = max(1, int(N_ANKESAGER * fraction))
    create_raw_tables(con)
    con.execute(
        "create or replace temp table kommuner as select kommunekode::integer as kommunekode "
        f"from read_csv('{SEEDS_DIR / 'kommuner.csv'}', all_varchar = true)"
    )
    con.execute(
        "create or replace temp table k as "
        "select row_number() over () - 1 as kommune_nr, kommunekode from kommuner"
    )
    trial = "(773, 787, 810, 813, 820, 825, 840, 846, 849, 851, 860)"
    for snapshot_nr, extract in enumerate(SNAPSHOTS):
        # A case is in a snapshot when it was notified before the extract date.
        con.execute(
            f"""
            insert into raw.sygedagpengesager by name
            with cases as (
                select
                    r.i,
                    k.kommunekode,
                    date '2015-01-01' + (hash(i, 'd') % 2920)::integer as fravaer,
                    (hash(i, 'v') % 3 + 1)::integer as kategori,
                    (hash(i, 'l') % 400)::integer as varighed,
                    (hash(i, 'o') % 70 + 10)::integer as opf
                from range({n_sygedagpengesager}) as r(i)
                inner join k on hash(r.i, 'k') % 98 = k.kommune_nr
            )
            select
                'S' || i as sags_id,
                md5(i::varchar) as person_id,
                kommunekode,
                fravaer as foerste_fravaersdag,
                fravaer + 3 as anmeldt_dato,
                kategori as visitationskategori,
                kategori >= 2 as forventet_over_8_uger,
                hash(i, 'a') % 5 > 0 as har_arbejdsgiver,
                ['bevaegeapparat', 'psykisk', 'kraeft', 'hjerte_kar', 'andet', 'ukendt']
                    [(hash(i, 'g') % 6 + 1)::bigint] as diagnosegruppe,
                hash(i, 't') % 20 = 0 as tolk,
                kommunekode in {trial} and kategori >= 2 and fravaer between date '2018-01-01'
                    and date '2020-12-31' and hash(i, 'f') % 3 = 0 as lae285_fravalgt,
                case when kommunekode in {trial} and kategori >= 2
                    and fravaer between date '2018-01-01' and date '2020-12-31'
                    and hash(i, 'f') % 3 = 0 then 'ukompliceret' end
                    as fravalg_begrundelse,
                case when fravaer + opf <= date '{extract}' then fravaer + opf end
                    as foerste_opfoelgning_dato,
                case when fravaer + varighed <= date '{extract}' then fravaer + varighed end
                    as afsluttet_dato,
                case when fravaer + varighed <= date '{extract}' then 'raskmeldt' end
                    as afslutningsaarsag,
                'bench' as load_id,
                'sygedagpengesager_' || kommunekode || '_{extract}.csv' as source_file,
                '' as file_sha256,
                date '{extract}' as extract_date,
                (i + 1)::integer as source_row_number,
                now()::timestamp as loaded_at
            from cases
            where fravaer + 3 <= date '{extract}'
            """
        )
        con.execute(
            f"""
            insert into raw.helbredsdokumentation by name
            select
                'D' || sags_id || '-' || dokumenttype as dokument_id,
                sags_id,
                'sygedagpenge' as sagstype,
                kommunekode,
                dokumenttype,
                'egen_laege' as udsteder,
                anmeldt_dato + 2 as rekvireret_dato,
                case when anmeldt_dato + 20 <= extract_date then anmeldt_dato + 20 end
                    as modtaget_dato,
                case when hash(sags_id, 'h') % 10 > 0 then
                    case dokumenttype when 'LAE285' then 1140.00 else 380.00 end end as honorar_kr,
                tolk,
                load_id,
                'helbredsdokumentation_' || kommunekode || '_{extract}.csv' as source_file,
                file_sha256,
                extract_date,
                source_row_number,
                loaded_at
            from (
                select *, case when lae285_fravalgt then 'LAE125' else 'LAE285' end as dokumenttype
                from raw.sygedagpengesager
                where extract_date = date '{extract}' and visitationskategori >= 2
            )
            where anmeldt_dato + 2 <= extract_date
            """
        )
        con.execute(
            f"""
            insert into raw.rehabiliteringssager by name
            with cases as (
                select
                    r.i,
                    k.kommunekode,
                    date '2015-01-01' + (hash(i, 'rd') % 2920)::integer as start,
                    ['jobafklaring', 'ressourceforloeb', 'fleksjob', 'foertidspension']
                        [(hash(i, 'm') % 4 + 1)::bigint] as maalgruppe
                from range({n_rehabiliteringssager}) as r(i)
                inner join k on hash(r.i, 'rk') % 98 = k.kommune_nr
            )
            select
                'R' || i as sags_id,
                md5('r' || i) as person_id,
                kommunekode,
                maalgruppe,
                start as startdato,
                kommunekode in {trial} and start >= date '2018-01-01' and hash(i, 'x') % 4 = 0
                    as fritaget_rehabmoede,
                case when kommunekode in {trial} and start >= date '2018-01-01'
                    and hash(i, 'x') % 4 = 0 then 'plan_ivaerksat' end as fritagelse_begrundelse,
                kommunekode in {trial} and start >= date '2018-01-01' and hash(i, 'y') % 3 = 0
                    as lae265_fravalgt,
                case when start + 25 <= date '{extract}' then start + 25 end as moede_dato,
                false as moede_akut_fravaer,
                case when start + 60 <= date '{extract}' then start + 60 end as afgoerelse_dato,
                case when start + 60 <= date '{extract}' then maalgruppe end as afgoerelse,
                'bench' as load_id,
                'rehabiliteringssager_' || kommunekode || '_{extract}.csv' as source_file,
                '' as file_sha256,
                date '{extract}' as extract_date,
                (i + 1)::integer as source_row_number,
                now()::timestamp as loaded_at
            from cases
            where start <= date '{extract}'
            """
        )
        con.execute(
            f"""
            insert into raw.ankesager by name
            select
                'A' || i as anke_id,
                851 - (hash(i, 'ak') % 2)::integer * 11 as kommunekode,
                'S' || (hash(i, 's') % {n_sygedagpengesager}) as sags_id,
                'sygedagpenge' as lovomraade,
                date '2015-01-01' + (hash(i, 'ad') % 2900)::integer as modtaget_dato,
                date '2015-01-01' + (hash(i, 'ad') % 2900)::integer + 120 as afgoerelse_dato,
                ['stadfaestet', 'aendret', 'ophaevet', 'hjemvist', 'afvist', 'bortfaldet']
                    [(hash(i, 'at') % 6 + 1)::bigint] as afgoerelsestype,
                'bench' as load_id,
                'ankesager_' || (851 - (hash(i, 'ak') % 2)::integer * 11) || '_{extract}.csv'
                    as source_file,
                '' as file_sha256,
                date '{extract}' as extract_date,
                (i + 1)::integer as source_row_number,
                now()::timestamp as loaded_at
            from range({n_ankesager}) as r(i)
            where date '2015-01-01' + (hash(i, 'ad') % 2900)::integer + 120 <= date '{extract}'
            """
        )
        con.execute(
            f"""
            insert into raw.ankestatistik by name
            select
                aar::integer as aar,
                kvartal::integer as kvartal,
                'kommune ' || kommunekode as kommune,
                kommunekode,
                lovomraade,
                afgoerelsestype,
                (hash(aar, kvartal, kommunekode, lovomraade, afgoerelsestype, {snapshot_nr})
                    % 40)::integer as antal,
                'bench' as load_id,
                'ankestatistik_{extract}.csv' as source_file,
                '' as file_sha256,
                date '{extract}' as extract_date,
                (row_number() over ())::integer as source_row_number,
                now()::timestamp as loaded_at
            from range(2015, 2023) as a(aar)
            cross join range(1, 5) as q(kvartal)
            cross join kommuner
            cross join (values ('sygedagpenge'), ('jobafklaring'), ('ressourceforloeb'),
                ('fleksjob'), ('foertidspension'), ('seniorfoertidspension'), ('andet'))
                as l(lovomraade)
            cross join (values ('stadfaestet'), ('aendret'), ('ophaevet'), ('hjemvist'), ('afvist'),
                ('bortfaldet')) as t(afgoerelsestype)
            where make_date(aar::integer, kvartal::integer * 3, 1) < date '{extract}'
            """
        )


def load_from_generator(home: Home, workdir: Path, scale: str = "national") -> None:
    from ingest.load import ingest_paths
    from synthetic import generate

    extracts = workdir / "extracts"
    generate(extracts, scale=scale, seed=42, progress=True)
    ingest_paths(home, sorted(p for p in extracts.iterdir() if p.name != "truth.json"))


def _topological_models(manifest: dict) -> list[dict]:
    models = {
        uid: node for uid, node in manifest["nodes"].items() if node["resource_type"] == "model"
    }
    graph = {
        uid: [dep for dep in node["depends_on"]["nodes"] if dep in models]
        for uid, node in models.items()
    }
    return [models[uid] for uid in graphlib.TopologicalSorter(graph).static_order()]


def _model_schemas(home: Home) -> list[str]:
    manifest = json.loads((home.dbt_target_dir / "manifest.json").read_text(encoding="utf-8"))
    return sorted({node["schema"] for node in _topological_models(manifest)})


def drop_model_schemas(home: Home, schemas: list[str]) -> None:
    """Back to the state before any build: raw, audit and seeds stay, model relations go."""
    con = duckdb.connect(str(home.warehouse))
    try:
        for schema in schemas:
            con.execute(f'drop schema if exists "{schema}" cascade')
        con.execute("checkpoint")
    finally:
        con.close()


@dataclass(frozen=True)
class Timing:
    seconds: float
    load: float  # 1-minute load average when the timing started
    cpu_s: float = 0.0  # user + system CPU seconds (this process and the dbt child)


def cpu_seconds() -> float:
    """User + system CPU seconds of this process and its waited-for children so far."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_floor(home: Home) -> tuple[float, float]:
    """Seconds for the compiled models, then the compiled data tests, in one connection
    (``run_floor_timings`` adds CPU seconds and the load)."""
    models, tests = run_floor_timings(home)
    return models.seconds, tests.seconds


def run_floor_timings(home: Home) -> tuple[Timing, Timing]:
    """The compiled models, then the compiled data tests, in one connection."""
    manifest = json.loads((home.dbt_target_dir / "manifest.json").read_text(encoding="utf-8"))
    models = _topological_models(manifest)
    tests = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and node.get("compiled_code")
    ]
    con = duckdb.connect(str(home.warehouse))
    try:
        # Start from the state dbt started from: no model relations (raw and seeds stay).
        for schema in sorted({node["schema"] for node in models}):
            con.execute(f'drop schema if exists "{schema}" cascade')
            con.execute(f'create schema "{schema}"')
        con.execute("checkpoint")
        load, cpu, start = os.getloadavg()[0], cpu_seconds(), time.perf_counter()
        for node in models:
            kind = "view" if node["config"]["materialized"] == "view" else "table"
            relation = f'"{node["schema"]}"."{node["alias"] or node["name"]}"'
            con.execute(f"create or replace {kind} {relation} as {node['compiled_code']}")
        models_t = Timing(time.perf_counter() - start, load, cpu_seconds() - cpu)
        load, cpu, start = os.getloadavg()[0], cpu_seconds(), time.perf_counter()
        for node in tests:
            con.execute(f"select count(*) from ({node['compiled_code']})").fetchall()
        tests_t = Timing(time.perf_counter() - start, load, cpu_seconds() - cpu)
    finally:
        con.close()
    return models_t, tests_t


def _timed(action) -> Timing:
    load, cpu = os.getloadavg()[0], cpu_seconds()
    start = time.perf_counter()
    action()
    return Timing(time.perf_counter() - start, load, cpu_seconds() - cpu)


def _build_or_fail(home: Home) -> None:
    result = build(home)
    if not result.success:
        raise SystemExit("trialwh build failed:\n" + "\n".join(result.failures))


@dataclass(frozen=True)
class BenchResult:
    raw_rows: dict[str, int]
    first: list[Timing]  # a new home on a machine that never built: dbt parses everything
    cold: list[Timing]  # `trialwh build` as in a new home: no dbt target/, no model relations
    warm: list[Timing]  # `trialwh build` again: partial parse, relations replaced
    floor_models: list[Timing]
    floor_tests: list[Timing]

    @property
    def floor(self) -> list[Timing]:
        return [
            Timing(m.seconds + t.seconds, m.load, m.cpu_s + t.cpu_s)
            for m, t in zip(self.floor_models, self.floor_tests, strict=True)
        ]


def bench(home: Home, runs: int) -> BenchResult:
    con = duckdb.connect(str(home.warehouse), read_only=True)
    try:
        raw_rows = {
            name: con.sql(f"select count(*) from raw.{name}").fetchall()[0][0]
            for (name,) in con.sql(
                "select table_name from duckdb_tables() where schema_name = 'raw' order by 1"
            ).fetchall()
        }
    finally:
        con.close()
    first, cold, warm, floor_models, floor_tests = [], [], [], [], []
    schemas: list[str] = []
    for run in range(runs):
        shutil.rmtree(home.dbt_target_dir.parent, ignore_errors=True)  # dbt state
        drop_model_schemas(home, schemas)
        # Each run has a parse cache of its own: empty for the first build on the machine,
        # then holding that build's parse for the build in a new home.
        with tempfile.TemporaryDirectory(prefix="bench-parse-") as cache:
            os.environ[PARSE_CACHE_ENV] = str(Path(cache) / f"run{run}.msgpack")
            try:
                first.append(_timed(lambda: _build_or_fail(home)))
                schemas = _model_schemas(home)
                shutil.rmtree(home.dbt_target_dir.parent, ignore_errors=True)  # dbt state
                drop_model_schemas(home, schemas)
                cold.append(_timed(lambda: _build_or_fail(home)))
                warm.append(_timed(lambda: _build_or_fail(home)))
            finally:
                os.environ.pop(PARSE_CACHE_ENV)
        models_t, tests_t = run_floor_timings(home)
        floor_models.append(models_t)
        floor_tests.append(tests_t)
    return BenchResult(raw_rows, first, cold, warm, floor_models, floor_tests)


def _median(timings: list[Timing]) -> float:
    return statistics.median(t.seconds for t in timings)


def _median_cpu(timings: list[Timing]) -> float:
    return statistics.median(t.cpu_s for t in timings)


def _line(label: str, timings: list[Timing]) -> str:
    runs = ", ".join(f"{t.seconds:.1f} s (cpu {t.cpu_s:.1f} s, load {t.load:.1f})" for t in timings)
    load = statistics.median(t.load for t in timings)
    return (
        f"{label:<44} median {_median(timings):6.1f} s, cpu {_median_cpu(timings):6.1f} s, "
        f"load {load:4.1f}   runs: {runs}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", choices=["sql", "generator"], default="sql")
    parser.add_argument("--home", type=Path, default=None, help="keep the warehouse here")
    parser.add_argument(
        "--scale", choices=["small", "national"], default="national", help="generator scale"
    )
    parser.add_argument(
        "--fraction", type=float, default=1.0, help="--source sql: share of national volumes"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per timing (median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        root = args.home or Path(tmp) / "home"
        root.mkdir(parents=True, exist_ok=True)
        home = Home(root)
        if not (home.warehouse.exists() and args.home):
            if args.source == "generator":
                load_from_generator(home, Path(tmp), args.scale)
            else:
                con = duckdb.connect(str(home.warehouse))
                try:
                    synthesise_raw_sql(con, args.fraction)
                finally:
                    con.close()
        result = bench(home, args.runs)
    print(
        f"raw rows ({args.source}): " + ", ".join(f"{k}={v:,}" for k, v in result.raw_rows.items())
    )
    print(f"{os.cpu_count()} cores; load = 1-minute load average when each run started")
    print(_line("trialwh build, first on the machine:", result.first))
    print(_line("trialwh build, cold (new home):", result.cold))
    print(_line("trialwh build, warm (partial parse):", result.warm))
    print(_line("floor, compiled models in one connection:", result.floor_models))
    print(_line("floor, compiled data tests:", result.floor_tests))
    print(_line("floor, models + data tests:", result.floor))
    floor, floor_cpu = _median(result.floor), _median_cpu(result.floor)
    for label, timings in (("first", result.first), ("cold", result.cold), ("warm", result.warm)):
        ratio = _median(timings) / floor
        verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
        print(
            f"ratio {label} build / floor: {ratio:5.2f}  (target <= {TARGET_RATIO}: {verdict}); "
            f"cpu {_median_cpu(timings) / floor_cpu:5.2f}"
        )


if __name__ == "__main__":
    main()
