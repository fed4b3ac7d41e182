"""`trialwh build`: run dbt build on the warehouse and publish the serving snapshot.

The published file (``Home.published``) is what the dashboard, analysts and the report
read. It is only replaced when every seed, model, unit test and data test passed, and it
is replaced atomically: the new snapshot is written to a temporary file next to it and
moved over the old one with ``os.replace``, so a reader sees either the old or the new
file, never a half-written one. A failing build leaves the previous snapshot untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

import duckdb

from core.paths import PROJECT_DIR, Home
from ingest.audit import open_warehouse
from ingest.schema import SOURCE_NAMES, SOURCES, WIDE_SOURCES, create_raw_tables
from trialwh.dbt import NO_WRITE_JSON, run_dbt
from trialwh.set_tests import (
    DBT_EXCLUDE,
    CompiledTest,
    read_compiled_tests,
    run_compiled_tests,
    run_set_tests,
)

# Schemas copied from the warehouse into the published snapshot (audit only if present).
PUBLISHED_SCHEMAS: tuple[str, ...] = ("marts", "reference", "audit")

# The quarantine's masked row is published without its CPR field(s): even fully masked
# (``******-****``), a CPR part beside ``person_id`` is not published; the warehouse keeps
# the masked row as ingest wrote it.
_CPR_FIELDS = sorted({c for source in SOURCES.values() for c in source.cpr_columns} | {"cpr"})
_PUBLISHED_COLUMNS: dict[tuple[str, str], tuple[str, str]] = {
    ("audit", "quarantine"): (
        "masked_row",
        "* replace (json_merge_patch(masked_row, '{"
        + ", ".join(f'"{c}": null' for c in _CPR_FIELDS)
        + "}')::varchar as masked_row)",
    ),
}

# dbt's own log file at info level: the debug level writes every statement and transaction
# step of ~460 nodes to logs/dbt/dbt.log (bench/bench_build.py measures the build).
BUILD_FLAGS: tuple[str, ...] = ("--log-level-file", "info")


@dataclass(frozen=True)
class BuildResult:
    success: bool
    failures: list[str] = field(default_factory=list)  # "<node>: <status> <message>"
    published: Path | None = None
    build_id: str | None = None
    n_tests_passed: int = 0
    incremental: bool = False  # only the municipalities with new extracts were recomputed
    refresh_reason: str = ""  # why the build was full or incremental (Danish)
    unit_tests_note: str = ""  # whether the dbt unit tests ran or were left out, and why (Danish)
    estimates_note: str = ""  # the default view's effect estimates stored at publish (Danish)
    data_tests_note: str = ""  # data tests left out as unchanged, and why (Danish); "" if none


def build(home: Home, *, echo: bool = False, full_refresh: bool = False) -> BuildResult:
    """Run ``dbt build`` (seeds, models, unit and data tests) and publish if all pass.

    The build is incremental (see ``plan_refresh``) when the only change since the last
    successful build of this home is new extract files: the incremental models then
    recompute only the municipalities with a new delivery. ``full_refresh`` (or any
    other change) rebuilds every model from all extracts (``dbt build --full-refresh``).

    Unit tests read only their YAML fixtures (every input of every unit test is mocked), so
    their outcome depends on the project and the tools, never on the warehouse: once they
    all passed in a build of this home, later builds of the same project (same
    ``project_fingerprint``) leave them out and count them as passed. Any change to a model,
    macro, seed, test, fixture or to dbt/DuckDB runs them again."""
    _ensure_raw_tables(home.warehouse)
    fingerprint = project_fingerprint()
    unit_tests_passed = _unit_tests_passed(home, fingerprint)
    # The column tests (not_null, unique, accepted_values) run set based after dbt, one
    # query per relation (trialwh/set_tests.py), not as one dbt node each.
    args = ["build", *BUILD_FLAGS, *DBT_EXCLUDE]
    if unit_tests_passed is not None:
        args += ["--exclude-resource-type", "unit_test"]
    con = open_warehouse(str(home.warehouse))
    try:
        loads = raw_loads(con)
        plan = plan_refresh(
            _read_refresh_state(home), fingerprint, loads, full_refresh=full_refresh
        )
        _write_nye_leverancer(con, plan.nye_leverancer, plan.nye_kilder, plan.nye_indlaesninger)
    finally:
        con.close()
    if not plan.incremental:
        # A full build that fails half-way leaves relations of another project or other
        # extracts behind: until one succeeds, no build may start from them.
        _refresh_state_file(home).unlink(missing_ok=True)
        args.append("--full-refresh")
    direct_tests: list[CompiledTest] = []
    unchanged_tests: frozenset[str] = frozenset()
    if plan.incremental:
        selection, direct_tests, unchanged_tests = incremental_selection(
            home.dbt_target_dir / "manifest.json", plan.nye_kilder
        )
        args += selection
    unit_tests_note = (
        f"dbt-enhedstests sprunget over: projektet er uændret siden opbygningen, hvor alle "
        f"{unit_tests_passed} bestod (de tester modellernes kode med faste testdata, ikke data)"
        if unit_tests_passed is not None
        else "dbt-enhedstests kørt (projektet er nyt eller ændret i dette hjem)"
    )
    outcome = run_dbt(home, args, echo=echo)
    if not outcome.success:
        return BuildResult(
            success=False,
            failures=outcome.failures,
            incremental=plan.incremental,
            refresh_reason=plan.reason,
            unit_tests_note=unit_tests_note,
        )
    con = open_warehouse(str(home.warehouse), read_only=True)
    try:
        column_tests = run_set_tests(
            con, home.dbt_target_dir / "manifest.json", skip=unchanged_tests
        )
        data_tests = run_compiled_tests(con, direct_tests, skip=unchanged_tests)
    finally:
        con.close()
    if column_tests.failures or data_tests.failures:
        return BuildResult(
            success=False,
            failures=column_tests.failures + data_tests.failures,
            incremental=plan.incremental,
            refresh_reason=plan.reason,
        )
    _record_refresh_state(home, fingerprint, loads)
    build_id = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
    run_results = home.dbt_target_dir / "run_results.json"
    n_tests_passed = count_passed_tests(run_results) + column_tests.passed + data_tests.passed
    # Left out as unchanged: they passed in the last build, on the very relations they read.
    n_unchanged = column_tests.skipped + data_tests.skipped
    n_tests_passed += n_unchanged
    if unit_tests_passed is None:
        _record_unit_tests(home, fingerprint, count_passed_tests(run_results, {"unit_test"}))
    else:
        n_tests_passed += unit_tests_passed
    notes: list[str] = []
    publish(
        home,
        build_id=build_id,
        n_tests_passed=n_tests_passed,
        descriptions=read_descriptions(home.dbt_target_dir / "manifest.json"),
        notes=notes,
    )
    return BuildResult(
        success=True,
        published=home.published,
        build_id=build_id,
        n_tests_passed=n_tests_passed,
        incremental=plan.incremental,
        refresh_reason=plan.reason,
        unit_tests_note=unit_tests_note,
        estimates_note=" ".join(notes),
        data_tests_note=(
            f"{n_unchanged} datatests sprunget over: de læser intet, som de nye indlæsninger "
            "ændrer, og bestod ved den sidste opbygning"
            if n_unchanged
            else ""
        ),
    )


class IncrementalSelection(NamedTuple):
    args: list[str]  # dbt arguments
    direct_tests: list[CompiledTest]  # data tests dbt leaves to run_compiled_tests
    unchanged_tests: frozenset[str]  # data tests to leave out: they read nothing new


def incremental_selection(
    manifest: Path, nye_kilder: frozenset[str] | None = None
) -> IncrementalSelection:
    """dbt arguments for an incremental build: what the last successful build (of this very
    project, see ``plan_refresh``) left in the warehouse that new extracts cannot change is
    not rebuilt, and dbt does not write its JSON artefacts again.

    Left out: the seeds, the views (their definition is the project's; the data flows
    through them), the tables that read no extract (only seeds and variables, e.g. the
    calendar) and, when ``nye_kilder`` names the raw tables with new loads, the tables
    that read no raw table among them: without a new DREAM delivery the DREAM tables
    (``int_dream_superseded``) hold what a rebuild would write. Rebuilt: every table that
    reads a raw table with new loads (incremental or not), directly or through another
    model; ``nye_kilder`` None counts every raw table as new. A source outside ``raw``
    counts as new, except ``meta.nye_leverancer`` and ``meta.nye_kilder`` (they only narrow
    an incremental model to what its own raw tables' new loads change).

    The data tests run from their compiled SQL in the last build's manifest, in one
    connection after dbt (``run_compiled_tests``; a test's SQL is the project's, the same in
    a full and an incremental build), except the few dbt must run itself (another
    ``fail_calc``, ``limit``, ...), which stay in dbt; the unit tests stay in dbt unless
    ``build`` leaves them out. A data test that reads no raw table with new loads, directly
    or through any model (views included), reads exactly what the last successful build
    left, where it passed, so its outcome cannot change: ``unchanged_tests`` names it, by
    the rule that leaves the tables alone (with ``nye_kilder`` None only the tests that read
    no extract at all, e.g. of a seed), and the runners after dbt leave it out.
    manifest.json (these tests, the set-based column tests, the descriptions) stays the one
    of the last build, which was of the same project. Without that manifest: no arguments
    (build everything), and every test runs."""
    if not manifest.exists():
        return IncrementalSelection([], [], frozenset())
    parsed = json.loads(manifest.read_text(encoding="utf-8"))
    nodes = parsed["nodes"]
    sources = parsed.get("sources", {})
    reads_extract: dict[str, bool] = {}

    def changed_source(unique_id: str) -> bool:
        source = sources.get(unique_id)
        if source is None:  # a manifest without it: source.<project>.<schema>.<table>
            schema, table = [*unique_id.split("."), "", ""][2:4]
        else:
            schema, table = source["schema"], source.get("identifier") or source["name"]
        if schema == "meta" and table in {"nye_leverancer", "nye_kilder"}:
            return False
        if schema != "raw" or nye_kilder is None:
            return True
        return table in nye_kilder

    def reads(unique_id: str) -> bool:
        if unique_id.startswith("source."):
            return changed_source(unique_id)
        if unique_id not in reads_extract:
            reads_extract[unique_id] = False  # a cycle cannot occur in dbt; guards recursion
            parents = nodes.get(unique_id, {}).get("depends_on", {}).get("nodes", [])
            reads_extract[unique_id] = any(reads(parent) for parent in parents)
        return reads_extract[unique_id]

    models = sorted(
        f"path:{node['original_file_path']}"
        for unique_id, node in nodes.items()
        if node["resource_type"] == "model"
        and node["config"].get("materialized") in {"table", "incremental"}
        and reads(unique_id)
    )
    unchanged = frozenset(
        unique_id
        for unique_id, node in nodes.items()
        if node["resource_type"] == "test" and not reads(unique_id)
    )
    direct, in_dbt = read_compiled_tests(manifest)
    selection = [NO_WRITE_JSON, "--indirect-selection", "empty"]
    selection += ["--select", "resource_type:unit_test", *in_dbt, *models]
    return IncrementalSelection(selection, direct, unchanged)


# Loads per raw table: {source: {load_id: number of rows}}.
Loads = dict[str, dict[str, int]]


@dataclass(frozen=True)
class RefreshPlan:
    incremental: bool
    reason: str  # Danish, shown by `trialwh build`
    nye_leverancer: list[tuple[str, int]] = field(default_factory=list)  # (source, kommunekode)
    nye_kilder: frozenset[str] = frozenset()  # raw tables with a new load (incremental)
    nye_indlaesninger: list[tuple[str, str]] = field(default_factory=list)  # (source, load_id)


def raw_loads(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """What the raw layer holds, to compare with the last build: the columns of every raw
    table (the wide, national DREAM too), the rows per load (``load_id``) and, for the
    sources with a municipality, the municipalities of each load."""
    sources = (*SOURCE_NAMES, *WIDE_SOURCES)
    columns = {
        source: [
            name
            for (name,) in con.execute(
                "select column_name from duckdb_columns() where schema_name = 'raw' "
                "and table_name = ? order by column_index",
                [source],
            ).fetchall()
        ]
        for source in sources
    }
    rows: Loads = {}
    kommuner: dict[str, dict[str, list[int]]] = {}
    for source in sources:
        if "load_id" not in columns[source]:
            continue
        rows[source] = {
            str(load_id): n
            for load_id, n in con.execute(
                f"select load_id, count(*) from raw.{source} group by load_id"
            ).fetchall()
        }
        if "kommunekode" in columns[source]:
            kommuner[source] = {}
            for load_id, kommunekode in con.execute(
                f"select distinct load_id, kommunekode from raw.{source} "
                "where kommunekode is not null"
            ).fetchall():
                kommuner[source].setdefault(str(load_id), []).append(int(kommunekode))
    return {"columns": columns, "rows": rows, "kommuner": kommuner}


def plan_refresh(
    previous: dict | None,
    fingerprint: str,
    loads: dict[str, object],
    *,
    full_refresh: bool = False,
) -> RefreshPlan:
    """Incremental only when the last successful build of this home was of the same
    project (``project_fingerprint``) and the raw layer has only grown by new loads since:
    every load it held is still there with the same number of rows, and the raw tables
    have the same columns. Anything else (a forced full refresh, no record of a build, a
    changed model, macro, seed or tool version, a load removed or changed) is a full
    build: correctness before speed."""
    if full_refresh:
        return RefreshPlan(False, "fuld opbygning (--full-refresh)")
    if previous is None:
        return RefreshPlan(False, "fuld opbygning (ingen tidligere vellykket opbygning)")
    if previous.get("fingerprint") != fingerprint:
        return RefreshPlan(False, "fuld opbygning (projektet eller værktøjerne er ændret)")
    if previous.get("columns") != loads["columns"]:
        return RefreshPlan(False, "fuld opbygning (de rå tabellers kolonner er ændret)")
    before: Loads = previous.get("rows") or {}
    now: Loads = loads["rows"]  # type: ignore[assignment]
    for source, counts in before.items():
        current = now.get(source, {})
        for load_id, n in counts.items():
            if current.get(load_id) != n:
                return RefreshPlan(
                    False,
                    f"fuld opbygning (indlæsning {load_id} i raw.{source} er fjernet "
                    "eller ændret siden sidste opbygning)",
                )
    kommuner: dict[str, dict[str, list[int]]] = loads["kommuner"]  # type: ignore[assignment]
    nye: set[tuple[str, int]] = set()
    nye_kilder: set[str] = set()
    nye_indlaesninger: set[tuple[str, str]] = set()
    n_new_loads = 0
    for source, counts in now.items():
        for load_id in counts.keys() - before.get(source, {}).keys():
            n_new_loads += 1
            nye_indlaesninger.add((source, load_id))
            nye_kilder.add(source)
            nye.update((source, k) for k in kommuner.get(source, {}).get(load_id, []))
    return RefreshPlan(
        True,
        f"inkrementel opbygning ({n_new_loads} nye indlæsninger, "
        f"{len({k for _, k in nye})} kommuner genberegnet; nye leverancer af "
        f"{', '.join(sorted(nye_kilder)) or 'ingen kilder'})",
        sorted(nye),
        frozenset(nye_kilder),
        sorted(nye_indlaesninger),
    )


def _refresh_state_file(home: Home) -> Path:
    return home.dbt_target_dir.parent / "refresh_state.json"


def _read_refresh_state(home: Home) -> dict | None:
    try:
        state = json.loads(_refresh_state_file(home).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def _record_refresh_state(home: Home, fingerprint: str, loads: dict[str, object]) -> None:
    path = _refresh_state_file(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {"fingerprint": fingerprint, "columns": loads["columns"], "rows": loads["rows"]}
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps(state), encoding="utf-8")
    os.replace(tmp, path)


def _write_nye_leverancer(
    con: duckdb.DuckDBPyConnection,
    nye: list[tuple[str, int]],
    nye_kilder: frozenset[str] = frozenset(),
    nye_indlaesninger: list[tuple[str, str]] | None = None,
) -> None:
    """meta.nye_leverancer: the (source, municipality) pairs an incremental build
    recomputes, meta.nye_kilder: the raw tables with a new load, national ones too, and
    meta.nye_indlaesninger: the new loads (source, load_id) themselves
    (models/staging/meta/_meta__sources.yml); all empty on a full build."""
    con.execute("begin")
    con.execute("create schema if not exists meta")
    con.execute("create or replace table meta.nye_leverancer (kilde varchar, kommunekode integer)")
    if nye:
        con.executemany("insert into meta.nye_leverancer values (?, ?)", nye)
    con.execute("create or replace table meta.nye_kilder (kilde varchar)")
    if nye_kilder:
        con.executemany("insert into meta.nye_kilder values (?)", [[k] for k in sorted(nye_kilder)])
    con.execute("create or replace table meta.nye_indlaesninger (kilde varchar, load_id varchar)")
    if nye_indlaesninger:
        con.executemany("insert into meta.nye_indlaesninger values (?, ?)", nye_indlaesninger)
    con.execute("commit")


def project_fingerprint() -> str:
    """A hash of everything a unit test's outcome depends on: the dbt project's files
    (models with their YAML fixtures, macros, seeds, tests, project and profile) and the
    versions of dbt, dbt-duckdb and DuckDB."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    for package in ("dbt-core", "dbt-duckdb", "duckdb"):
        digest.update(f"{package}={version(package)}\n".encode())
    files = [PROJECT_DIR / "dbt_project.yml", PROJECT_DIR / "profiles.yml"]
    for folder in ("models", "macros", "seeds", "tests/dbt"):
        files += sorted(p for p in (PROJECT_DIR / folder).rglob("*") if p.is_file())
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(PROJECT_DIR)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _unit_tests_file(home: Home) -> Path:
    return home.dbt_target_dir.parent / "unit_tests_passed.json"


def _unit_tests_passed(home: Home, fingerprint: str) -> int | None:
    """How many unit tests passed for this project in this home, or None if they must run."""
    try:
        recorded = json.loads(_unit_tests_file(home).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if recorded.get("fingerprint") != fingerprint or not isinstance(recorded.get("passed"), int):
        return None
    return recorded["passed"]


def _record_unit_tests(home: Home, fingerprint: str, passed: int) -> None:
    path = _unit_tests_file(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps({"fingerprint": fingerprint, "passed": passed}), encoding="utf-8")
    os.replace(tmp, path)


def _ensure_raw_tables(warehouse: Path) -> None:
    """Create the (empty) raw tables if ingest has not run, so staging always compiles.

    ``WarehouseBusy`` (a Danish message) when another process holds the warehouse.
    """
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = open_warehouse(str(warehouse))
    try:
        create_raw_tables(con)
    finally:
        con.close()


def count_passed_tests(
    run_results: Path, kinds: frozenset[str] | set[str] = frozenset({"test", "unit_test"})
) -> int:
    """Number of data and unit tests (``kinds``) with status pass in dbt's run_results.json."""
    if not run_results.exists():
        return 0
    results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    return sum(
        1
        for node in results
        if node["unique_id"].split(".")[0] in kinds
        and str(node.get("status", "")).lower() == "pass"
    )


def read_descriptions(manifest: Path) -> dict[tuple[str, str], Descriptions]:
    """The YAML descriptions of every model and seed, keyed by (schema, relation name).

    The documentation is written as comments once, into the published snapshot, instead of
    by dbt's ``persist_docs`` into the working warehouse on every build (one statement per
    column plus a column lookup per model)."""
    if not manifest.exists():
        return {}
    nodes = json.loads(manifest.read_text(encoding="utf-8"))["nodes"]
    descriptions: dict[tuple[str, str], Descriptions] = {}
    for node in nodes.values():
        if node["resource_type"] not in {"model", "seed"}:
            continue
        columns = {
            name: column["description"]
            for name, column in node.get("columns", {}).items()
            if column.get("description")
        }
        relation = node.get("alias") or node["name"]
        descriptions[(node["schema"], relation)] = Descriptions(
            table=node.get("description") or None, columns=columns
        )
    return descriptions


@dataclass(frozen=True)
class Descriptions:
    table: str | None
    columns: dict[str, str]


def publish(
    home: Home,
    *,
    build_id: str,
    n_tests_passed: int,
    descriptions: dict[tuple[str, str], Descriptions] | None = None,
    notes: list[str] | None = None,
) -> Path:
    """Copy marts, reference and audit (with descriptions) into a new file, then swap it in.

    Comments come from the warehouse's own comments and, over them, from ``descriptions``
    (the dbt YAML, see ``read_descriptions``)."""
    home.published_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_files(home)
    tmp = home.published_dir / f".current-{build_id}.duckdb"
    tmp.unlink(missing_ok=True)
    # The default view's estimates are computed from the warehouse (the tables the copy
    # publishes) in a thread while the tables are copied: mostly Python beside DuckDB.
    with ThreadPoolExecutor(max_workers=1) as pool:
        estimates = pool.submit(compute_default_estimates, home.warehouse)
        con = duckdb.connect(str(tmp))
        try:
            # The path is bound, never pasted into the SQL (a home path may hold a quote).
            con.execute("attach ? as warehouse (read_only)", [str(home.warehouse)])
            _copy_schemas(con, PUBLISHED_SCHEMAS)
            _write_descriptions(con, descriptions or {})
            _write_build_info(con, build_id=build_id, n_tests_passed=n_tests_passed)
            con.execute("detach warehouse")
            con.execute("checkpoint")
        except BaseException:
            con.close()
            tmp.unlink(missing_ok=True)
            raise
        con.close()
        try:
            note = store_default_estimates(tmp, estimates.result())
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    if notes is not None:
        notes.append(note)
    os.chmod(tmp, 0o444)
    os.replace(tmp, home.published)
    return home.published


def compute_default_estimates(source: Path) -> tuple[dict | None, str]:
    """The effect estimates of the dashboard's default view computed on ``source`` (a
    snapshot, or the warehouse whose marts and reference it is published from: the same
    tables), and what was done (Danish). Without the panel: none; if an estimate fails
    here, none, and the page computes (and reports) it as before."""
    from dashboards import precomputed
    from dashboards.snapshot import Snapshot

    snap = Snapshot(source)
    try:
        if not snap.has_table("marts", "mart_panel_kommune_kvartal"):
            return None, "Ingen effektestimater forudberegnet (snapshottet har intet panel)."
        try:
            estimates = precomputed.compute(snap)
        except Exception as error:  # the page computes (and reports) it as before
            return None, f"Effektestimater ikke forudberegnet ({type(error).__name__}: {error})."
    finally:
        snap.close()
    note = f"{len(estimates)} effektestimater for standardvisningen forudberegnet ved udgivelsen."
    return estimates, note


def store_default_estimates(snapshot: Path, computed: tuple[dict | None, str] | None = None) -> str:
    """Store the effect estimates of the dashboard's default view in the new snapshot
    (dashboards/precomputed.py), so the first visitor does not wait for them; returns what
    was done (Danish). ``computed`` is ``compute_default_estimates`` of the warehouse the
    snapshot was published from; without it they are computed on the snapshot. The
    snapshot is published all the same when there are none."""
    from dashboards import precomputed

    estimates, note = computed or compute_default_estimates(snapshot)
    if estimates is None:
        return note
    con = duckdb.connect(str(snapshot))
    try:
        precomputed.store(con, estimates)
        con.execute("checkpoint")
    finally:
        con.close()
    return note


def remove_stale_temp_files(home: Home) -> list[Path]:
    """Delete half-written snapshots (``.current-*.duckdb`` and their WAL) left by a build
    that was killed while publishing; returns what was removed. Builds never publish
    concurrently (dbt holds the warehouse), so none of these is in use."""
    removed = []
    for path in sorted(home.published_dir.glob(".current-*.duckdb*")):
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


# Tables copied at once into the new snapshot: one copy keeps about 1.3 of two cores busy.
COPY_WORKERS = 2


def _copy_schemas(con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...]) -> None:
    """Copy the tables and views of ``schemas`` from the attached warehouse into ``con``'s
    database as tables, with their comments; ``COPY_WORKERS`` tables at a time, the largest
    first (views, computed as they are copied, count as large)."""
    jobs: list[tuple[float, str, str]] = []  # (size, relation, select)
    comments: list[str] = []
    for schema in schemas:
        relations = con.execute(
            """
            select table_name, comment, estimated_size
            from duckdb_tables()
            where database_name = 'warehouse' and schema_name = ?
            union all
            select view_name, comment, null
            from duckdb_views()
            where database_name = 'warehouse' and schema_name = ? and not internal
            """,
            [schema, schema],
        ).fetchall()
        if not relations:
            continue
        con.execute(f'create schema if not exists "{schema}"')
        for name, comment, size in relations:
            columns = "*"
            if (schema, name) in _PUBLISHED_COLUMNS:
                column, select = _PUBLISHED_COLUMNS[(schema, name)]
                present = con.execute(
                    "select count(*) from duckdb_columns() where database_name = 'warehouse' "
                    "and schema_name = ? and table_name = ? and column_name = ?",
                    [schema, name, column],
                ).fetchone()[0]
                columns = select if present else "*"
            relation = f'"{schema}"."{name}"'
            jobs.append((float("inf") if size is None else size, relation, columns))
            if comment:
                comments.append(f"comment on table {relation} is {_literal(comment)}")
        comments += [
            f'comment on column "{schema}"."{table}"."{column}" is {_literal(comment)}'
            for table, column, comment in con.execute(
                """
                select table_name, column_name, comment
                from duckdb_columns()
                where database_name = 'warehouse' and schema_name = ? and comment is not null
                """,
                [schema],
            ).fetchall()
        ]

    def copy(relation: str, columns: str) -> None:
        with con.cursor() as cursor:
            cursor.execute(f"create table {relation} as select {columns} from warehouse.{relation}")

    # The pool starts the copies in the order they are submitted: the largest first.
    jobs.sort(key=lambda job: job[0], reverse=True)
    with ThreadPoolExecutor(max_workers=COPY_WORKERS) as pool:
        copies = [pool.submit(copy, relation, columns) for _, relation, columns in jobs]
        try:
            for done in copies:
                done.result()
        except BaseException:
            for pending in copies:
                pending.cancel()
            raise
    if comments:
        con.execute(";\n".join(comments))


def _write_descriptions(
    con: duckdb.DuckDBPyConnection, descriptions: dict[tuple[str, str], Descriptions]
) -> None:
    """Comment the published tables and their columns with the YAML descriptions."""
    published = con.execute(
        """
        select schema_name, table_name, column_name
        from duckdb_columns()
        where database_name = current_database()
        """
    ).fetchall()
    columns_of: dict[tuple[str, str], dict[str, str]] = {}
    for schema, table, column in published:
        columns_of.setdefault((schema, table), {})[column.lower()] = column
    statements = []
    for (schema, table), docs in sorted(descriptions.items()):
        present = columns_of.get((schema, table))
        if present is None:
            continue
        relation = f'"{schema}"."{table}"'
        if docs.table:
            statements.append(f"comment on table {relation} is {_literal(docs.table)}")
        for column, text in sorted(docs.columns.items()):
            name = present.get(column.lower())
            if name is not None:
                statements.append(f'comment on column {relation}."{name}" is {_literal(text)}')
    if statements:
        con.execute(";\n".join(statements))


def _write_build_info(
    con: duckdb.DuckDBPyConnection, *, build_id: str, n_tests_passed: int
) -> None:
    from dbt.version import __version__ as dbt_version

    extract_dates = " union all ".join(
        f"select max(extract_date) as extract_date from warehouse.raw.{source}"
        for source in SOURCE_NAMES
    )
    con.execute("create schema if not exists meta")
    con.execute(
        f"""
        create table meta.build_info as
        select
            ?::varchar as build_id,
            ?::timestamp as built_at,
            (select max(extract_date) from ({extract_dates})) as data_as_of,
            ?::varchar as dbt_version,
            ?::integer as n_tests_passed
        """,
        [build_id, datetime.now(UTC).replace(tzinfo=None), dbt_version, n_tests_passed],
    )
    con.execute(
        "comment on table meta.build_info is 'Om dette øjebliksbillede: bygge-id, "
        "byggetidspunkt (UTC), data opdateret til (seneste udtræksdato), dbt-version "
        "og antal beståede tests.'"
    )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
