"""Benchmark: full `dbt build` at national scale, against the floor of the same SQL.

Two timings on the same raw layer:
- ``dbt build``: seeds, every model, unit tests and data tests, as `trialwh build` runs it.
- the floor: the compiled SQL of the same models (from dbt's manifest, in dependency
  order) and of the same data tests, run directly in one DuckDB connection.
The ratio shows what dbt itself (process start, parsing, per-node overhead, unit tests)
adds on top of DuckDB's work.

The raw layer comes from the generator + ingest (``--source generator``: national scale,
slow to produce) or is synthesised directly in SQL at national volumes (``--source sql``,
the default: about 1.2 mio. sickness-benefit cases in two snapshots, their documents,
rehab cases, appeals and Ankestyrelsen's counts for all 98 municipalities).

    .venv/bin/python -m bench.bench_build [--source sql|generator] [--scale national|small]
                                          [--home DIR]
"""

from __future__ import annotations

import argparse
import graphlib
import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from core.paths import SEEDS_DIR, Home
from ingest.schema import create_raw_tables
from trialwh.dbt import run_dbt

# National volumes (synthetic/params.py: 5.8 mio. inhabitants x 0.026 x 8 years).
N_SYGEDAGPENGESAGER = 1_200_000
N_REHABILITERINGSSAGER = 200_000
N_ANKESAGER = 60_000
SNAPSHOTS = ("2020-12-31", "2022-12-31")


@dataclass(frozen=True)
class BenchResult:
    raw_rows: dict[str, int]
    dbt_build_s: float  # cold: a new home, dbt parses the whole project
    dbt_build_warm_s: float  # the same build again: partial parse, as repeated builds run
    floor_models_s: float
    floor_tests_s: float

    @property
    def floor_s(self) -> float:
        return self.floor_models_s + self.floor_tests_s

    @property
    def ratio(self) -> float:
        return self.dbt_build_s / self.floor_s


def synthesise_raw_sql(con: duckdb.DuckDBPyConnection) -> None:
    """A national-sized raw layer, deterministic (hash-based), typed as ingest writes it."""
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
                from range({N_SYGEDAGPENGESAGER}) as r(i)
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
                from range({N_REHABILITERINGSSAGER}) as r(i)
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
                'S' || (hash(i, 's') % {N_SYGEDAGPENGESAGER}) as sags_id,
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
            from range({N_ANKESAGER}) as r(i)
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


def run_floor(home: Home) -> tuple[float, float]:
    """Seconds for the compiled models, then the compiled data tests, in one connection."""
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
        start = time.perf_counter()
        for node in models:
            kind = "table" if node["config"]["materialized"] == "table" else "view"
            relation = f'"{node["schema"]}"."{node["alias"] or node["name"]}"'
            con.execute(f"create or replace {kind} {relation} as {node['compiled_code']}")
        models_s = time.perf_counter() - start
        start = time.perf_counter()
        for node in tests:
            con.execute(f"select count(*) from ({node['compiled_code']})").fetchall()
        tests_s = time.perf_counter() - start
    finally:
        con.close()
    return models_s, tests_s


def bench(home: Home, source: str, workdir: Path, scale: str = "national") -> BenchResult:
    if source == "generator":
        load_from_generator(home, workdir, scale)
    else:
        con = duckdb.connect(str(home.warehouse))
        try:
            synthesise_raw_sql(con)
        finally:
            con.close()
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
    start = time.perf_counter()
    outcome = run_dbt(home, ["build"])
    dbt_s = time.perf_counter() - start
    if not outcome.success:
        raise SystemExit("dbt build failed:\n" + "\n".join(outcome.failures))
    start = time.perf_counter()
    run_dbt(home, ["build"])
    warm_s = time.perf_counter() - start
    models_s, tests_s = run_floor(home)
    return BenchResult(raw_rows, dbt_s, warm_s, models_s, tests_s)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", choices=["sql", "generator"], default="sql")
    parser.add_argument("--home", type=Path, default=None, help="keep the warehouse here")
    parser.add_argument(
        "--scale", choices=["small", "national"], default="national", help="generator scale"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        root = args.home or Path(tmp) / "home"
        root.mkdir(parents=True, exist_ok=True)
        result = bench(Home(root), args.source, Path(tmp), args.scale)
    print(
        f"raw rows ({args.source}): " + ", ".join(f"{k}={v:,}" for k, v in result.raw_rows.items())
    )
    print(f"dbt build (seeds, models, unit + data tests): {result.dbt_build_s:6.1f} s")
    print(f"dbt build again (partial parse):              {result.dbt_build_warm_s:6.1f} s")
    print(f"floor, compiled models in one connection:     {result.floor_models_s:6.1f} s")
    print(f"floor, compiled data tests:                   {result.floor_tests_s:6.1f} s")
    print(f"ratio dbt build / floor:                      {result.ratio:6.2f}")
    warm_ratio = result.dbt_build_warm_s / result.floor_s
    print(f"ratio warm dbt build / floor:                 {warm_ratio:6.2f}")
    print(f"target < 60 s (cold): {'met' if result.dbt_build_s < 60 else 'NOT met'}")
    print(f"target < 60 s (warm): {'met' if result.dbt_build_warm_s < 60 else 'NOT met'}")


if __name__ == "__main__":
    main()
