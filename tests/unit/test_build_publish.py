"""trialwh.build: publishing the snapshot, and leaving it alone when the build fails.

dbt itself is replaced by a stand-in here (the real build is covered by the integration
tests); these tests are about what happens around it.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from core.paths import Home
from ingest.schema import create_raw_tables
from trialwh import build as build_module
from trialwh.dbt import DbtOutcome


def _fake_warehouse(home: Home, *, with_audit: bool) -> None:
    """A warehouse as a successful dbt build leaves it: marts, reference, raw (and audit)."""
    con = duckdb.connect(str(home.warehouse))
    try:
        create_raw_tables(con)
        con.execute(
            "insert into raw.sygedagpengesager (sags_id, kommunekode, extract_date) "
            "values ('S1', 851, date '2021-06-30'), ('S2', 851, date '2022-03-31')"
        )
        con.execute("create schema marts")
        con.execute("create table marts.mart_x as select 1 as kommunekode, 2.5 as vaerdi")
        con.execute("comment on table marts.mart_x is 'Én række pr. kommune'")
        con.execute("comment on column marts.mart_x.vaerdi is 'En værdi i kroner'")
        con.execute("create schema reference")
        con.execute("create table reference.kommuner as select 851 as kommunekode")
        con.execute("create schema staging")
        con.execute("create view staging.stg_x as select 1 as a")
        if with_audit:
            con.execute("create schema audit")
            con.execute("create table audit.load_log as select 'f.csv' as source_file")
            con.execute("create table audit.quarantine as select 'f.csv' as source_file")
    finally:
        con.close()


def _write_run_results(home: Home, statuses: dict[str, str]) -> None:
    home.dbt_target_dir.mkdir(parents=True, exist_ok=True)
    results = [{"unique_id": uid, "status": status} for uid, status in statuses.items()]
    (home.dbt_target_dir / "run_results.json").write_text(json.dumps({"results": results}))


def _tables(path: Path) -> set[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.sql("select schema_name || '.' || table_name from duckdb_tables()").fetchall()
    finally:
        con.close()
    return {r[0] for r in rows}


@pytest.fixture
def fake_dbt(monkeypatch):
    """Replace run_dbt; the returned dict sets the outcome of the next build."""
    state: dict = {"outcome": DbtOutcome(success=True, failures=[], output="")}
    monkeypatch.setattr(build_module, "run_dbt", lambda home, args, echo=False: state["outcome"])
    return state


def test_publish_copies_marts_reference_audit_with_comments_and_build_info(home, fake_dbt):
    h = Home(home)
    _fake_warehouse(h, with_audit=True)
    _write_run_results(
        h,
        {
            "test.trialwh.unique_x": "pass",
            "unit_test.trialwh.mart_x.rule": "pass",
            "model.trialwh.mart_x": "success",
            "seed.trialwh.kommuner": "success",
        },
    )
    result = build_module.build(h)
    assert result.success and result.published == h.published
    assert result.n_tests_passed == 2  # one data test + one unit test; models do not count
    assert _tables(h.published) == {
        "marts.mart_x",
        "reference.kommuner",
        "audit.load_log",
        "audit.quarantine",
        "meta.build_info",
    }
    con = duckdb.connect(str(h.published), read_only=True)
    try:
        info = con.sql("select * from meta.build_info").fetchall()
        comments = con.sql(
            "select comment from duckdb_tables() where table_name = 'mart_x'"
        ).fetchall()
        column_comment = con.sql(
            "select comment from duckdb_columns() where column_name = 'vaerdi'"
        ).fetchall()
    finally:
        con.close()
    build_id, _, data_as_of, dbt_version, n_tests = info[0]
    assert build_id == result.build_id
    assert data_as_of == date(2022, 3, 31)  # newest extract_date in raw
    assert dbt_version.startswith("1.")
    assert n_tests == 2
    assert comments == [("Én række pr. kommune",)]
    assert column_comment == [("En værdi i kroner",)]
    # No temporary file is left next to the snapshot.
    assert [p.name for p in h.published_dir.iterdir()] == ["current.duckdb"]


def test_audit_is_optional(home, fake_dbt):
    h = Home(home)
    _fake_warehouse(h, with_audit=False)
    assert build_module.build(h).success
    assert not any(t.startswith("audit.") for t in _tables(h.published))


def test_failed_build_leaves_previous_snapshot_untouched(home, fake_dbt):
    h = Home(home)
    _fake_warehouse(h, with_audit=False)
    first = build_module.build(h)
    before = h.published.read_bytes()
    failure = "test.trialwh.unique_fct_x: fail 2"
    fake_dbt["outcome"] = DbtOutcome(success=False, failures=[failure], output="")
    second = build_module.build(h)
    assert not second.success
    assert second.failures == [failure]
    assert second.published is None and second.build_id is None
    assert h.published.read_bytes() == before
    con = duckdb.connect(str(h.published), read_only=True)
    try:
        assert con.sql("select build_id from meta.build_info").fetchall() == [(first.build_id,)]
    finally:
        con.close()


def test_count_passed_tests_ignores_missing_file(tmp_path):
    assert build_module.count_passed_tests(tmp_path / "run_results.json") == 0


@pytest.mark.parametrize(
    "fault",
    [OSError(28, "No space left on device"), KeyboardInterrupt()],
    ids=["disk_full", "interrupted"],
)
def test_a_publish_failing_midway_leaves_the_previous_snapshot_serving(home, fake_dbt, fault):
    # dbt passed, but writing the new snapshot fails after the tables were copied (the disk
    # fills up, or the build is interrupted): the snapshot published before still serves,
    # byte for byte, and no half-written file is left beside it.
    h = Home(home)
    _fake_warehouse(h, with_audit=False)
    first = build_module.build(h)
    before = h.published.read_bytes()

    def failing_build_info(con, **kwargs):
        raise fault

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(build_module, "_write_build_info", failing_build_info)
        with pytest.raises(type(fault)):
            build_module.build(h)
    assert h.published.read_bytes() == before
    assert [p.name for p in h.published_dir.iterdir()] == ["current.duckdb"]
    con = duckdb.connect(str(h.published), read_only=True)
    try:
        assert con.sql("select build_id from meta.build_info").fetchall() == [(first.build_id,)]
        assert con.sql("select vaerdi from marts.mart_x").fetchall() == [(2.5,)]
    finally:
        con.close()
