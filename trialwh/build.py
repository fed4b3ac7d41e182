"""`trialwh build`: run dbt build on the warehouse and publish the serving snapshot.

The published file (``Home.published``) is what the dashboard, analysts and the report
read. It is only replaced when every seed, model, unit test and data test passed, and it
is replaced atomically: the new snapshot is written to a temporary file next to it and
moved over the old one with ``os.replace``, so a reader sees either the old or the new
file, never a half-written one. A failing build leaves the previous snapshot untouched.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from core.paths import Home
from ingest.audit import open_warehouse
from ingest.schema import SOURCE_NAMES, SOURCES, create_raw_tables
from trialwh.dbt import run_dbt

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


@dataclass(frozen=True)
class BuildResult:
    success: bool
    failures: list[str] = field(default_factory=list)  # "<node>: <status> <message>"
    published: Path | None = None
    build_id: str | None = None
    n_tests_passed: int = 0


def build(home: Home, *, echo: bool = False) -> BuildResult:
    """Run ``dbt build`` (seeds, models, unit and data tests) and publish if all pass."""
    _ensure_raw_tables(home.warehouse)
    outcome = run_dbt(home, ["build"], echo=echo)
    if not outcome.success:
        return BuildResult(success=False, failures=outcome.failures)
    build_id = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
    n_tests_passed = count_passed_tests(home.dbt_target_dir / "run_results.json")
    publish(home, build_id=build_id, n_tests_passed=n_tests_passed)
    return BuildResult(
        success=True,
        published=home.published,
        build_id=build_id,
        n_tests_passed=n_tests_passed,
    )


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


def count_passed_tests(run_results: Path) -> int:
    """Number of data and unit tests with status pass in dbt's run_results.json."""
    if not run_results.exists():
        return 0
    results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    return sum(
        1
        for node in results
        if node["unique_id"].split(".")[0] in {"test", "unit_test"}
        and str(node.get("status", "")).lower() == "pass"
    )


def publish(home: Home, *, build_id: str, n_tests_passed: int) -> Path:
    """Copy marts, reference and audit (with descriptions) into a new file, then swap it in."""
    home.published_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_files(home)
    tmp = home.published_dir / f".current-{build_id}.duckdb"
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        # The path is bound, never pasted into the SQL (a home path may hold a quote).
        con.execute("attach ? as warehouse (read_only)", [str(home.warehouse)])
        for schema in PUBLISHED_SCHEMAS:
            _copy_schema(con, schema)
        _write_build_info(con, build_id=build_id, n_tests_passed=n_tests_passed)
        con.execute("detach warehouse")
        con.execute("checkpoint")
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    con.close()
    os.chmod(tmp, 0o444)
    os.replace(tmp, home.published)
    return home.published


def remove_stale_temp_files(home: Home) -> list[Path]:
    """Delete half-written snapshots (``.current-*.duckdb`` and their WAL) left by a build
    that was killed while publishing; returns what was removed. Builds never publish
    concurrently (dbt holds the warehouse), so none of these is in use."""
    removed = []
    for path in sorted(home.published_dir.glob(".current-*.duckdb*")):
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _copy_schema(con: duckdb.DuckDBPyConnection, schema: str) -> None:
    tables = con.execute(
        """
        select table_name, comment
        from duckdb_tables()
        where database_name = 'warehouse' and schema_name = ?
        order by table_name
        """,
        [schema],
    ).fetchall()
    views = con.execute(
        """
        select view_name, comment
        from duckdb_views()
        where database_name = 'warehouse' and schema_name = ? and not internal
        order by view_name
        """,
        [schema],
    ).fetchall()
    if not tables and not views:
        return
    con.execute(f'create schema if not exists "{schema}"')
    for name, comment in [*tables, *views]:
        columns = "*"
        if (schema, name) in _PUBLISHED_COLUMNS:
            column, select = _PUBLISHED_COLUMNS[(schema, name)]
            present = con.execute(
                "select count(*) from duckdb_columns() where database_name = 'warehouse' "
                "and schema_name = ? and table_name = ? and column_name = ?",
                [schema, name, column],
            ).fetchone()[0]
            columns = select if present else "*"
        con.execute(
            f'create table "{schema}"."{name}" as '
            f'select {columns} from warehouse."{schema}"."{name}"'
        )
        if comment:
            con.execute(f'comment on table "{schema}"."{name}" is {_literal(comment)}')
    column_comments = con.execute(
        """
        select table_name, column_name, comment
        from duckdb_columns()
        where database_name = 'warehouse' and schema_name = ? and comment is not null
        """,
        [schema],
    ).fetchall()
    for table, column, comment in column_comments:
        con.execute(f'comment on column "{schema}"."{table}"."{column}" is {_literal(comment)}')


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
