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
from trialwh.set_tests import DBT_EXCLUDE


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


def _write_manifest(home: Home, nodes: dict) -> None:
    home.dbt_target_dir.mkdir(parents=True, exist_ok=True)
    (home.dbt_target_dir / "manifest.json").write_text(json.dumps({"nodes": nodes}))


def test_publish_writes_yaml_descriptions_as_comments(home, fake_dbt):
    """Without persist_docs the warehouse has no comments; the manifest's descriptions are
    written into the published file: the table's, and a column's matched by name in any
    case; a column or relation that is not published is skipped, and a quote survives."""
    h = Home(home)
    _fake_warehouse(h, with_audit=False)
    con = duckdb.connect(str(h.warehouse))
    try:
        con.execute("comment on table marts.mart_x is null")
        con.execute("comment on column marts.mart_x.vaerdi is null")
    finally:
        con.close()
    _write_manifest(
        h,
        {
            "model.trialwh.mart_x": {
                "resource_type": "model",
                "name": "mart_x",
                "alias": "mart_x",
                "schema": "marts",
                "description": "Kommunens tal, 'kvartalsvis'",
                "columns": {
                    "VAERDI": {"name": "VAERDI", "description": "Beløb i kroner"},
                    "kommunekode": {"name": "kommunekode", "description": ""},
                    "findes_ikke": {"name": "findes_ikke", "description": "Ingen kolonne"},
                },
            },
            "model.trialwh.stg_x": {
                "resource_type": "model",
                "name": "stg_x",
                "alias": "stg_x",
                "schema": "staging",
                "description": "Ikke publiceret",
                "columns": {},
            },
            "seed.trialwh.kommuner": {
                "resource_type": "seed",
                "name": "kommuner",
                "alias": "kommuner",
                "schema": "reference",
                "description": "De 98 kommuner",
                "columns": {"kommunekode": {"description": "Kommunekode, tre cifre"}},
            },
            "test.trialwh.unique_x": {"resource_type": "test", "name": "unique_x"},
        },
    )
    assert build_module.build(h).success
    con = duckdb.connect(str(h.published), read_only=True)
    try:
        tables = dict(
            con.sql("select table_name, comment from duckdb_tables() order by 1").fetchall()
        )
        columns = dict(
            con.sql(
                "select table_name || '.' || column_name, comment from duckdb_columns() "
                "where schema_name in ('marts', 'reference')"
            ).fetchall()
        )
    finally:
        con.close()
    assert tables["mart_x"] == "Kommunens tal, 'kvartalsvis'"
    assert tables["kommuner"] == "De 98 kommuner"
    assert columns == {
        "mart_x.kommunekode": None,
        "mart_x.vaerdi": "Beløb i kroner",
        "kommuner.kommunekode": "Kommunekode, tre cifre",
    }


def test_unit_tests_run_again_only_when_the_project_changed(home, monkeypatch):
    """Data tests run in every build; unit tests (fixtures only) in the first build of a
    project in this home and again after any change to it or after a failed build; when
    left out, the ones that passed for this very project are counted."""
    h = Home(home)
    _fake_warehouse(h, with_audit=False)
    calls: list[list[str]] = []
    state = {"success": True, "fingerprint": "project-v1"}

    def fake(home, args, echo=False):
        calls.append(args)
        statuses = {"test.trialwh.unique_x": "pass", "test.trialwh.not_null_x": "pass"}
        if "--exclude-resource-type" not in args:
            statuses |= {
                "unit_test.trialwh.mart_x.a": "pass",
                "unit_test.trialwh.mart_x.b": "pass",
                "unit_test.trialwh.mart_x.c": "pass" if state["success"] else "fail",
            }
        _write_run_results(home, statuses)
        return DbtOutcome(success=state["success"], failures=[], output="")

    monkeypatch.setattr(build_module, "run_dbt", fake)
    monkeypatch.setattr(build_module, "project_fingerprint", lambda: state["fingerprint"])

    def excluded() -> bool:
        args = calls[-1]
        flag = "--exclude-resource-type"
        return flag in args and args[args.index(flag) + 1] == "unit_test"

    state["success"] = False  # a unit test fails: nothing is recorded
    assert not build_module.build(h).success
    assert calls[-1][0] == "build" and not excluded()
    state["success"] = True
    first = build_module.build(h)
    assert not excluded() and first.n_tests_passed == 5
    second = build_module.build(h)
    assert excluded() and second.n_tests_passed == 5  # 2 data tests run + 3 unit tests
    state["fingerprint"] = "project-v2"  # a model, fixture, macro or seed changed
    third = build_module.build(h)
    assert not excluded() and third.n_tests_passed == 5
    # Nothing else is left out of dbt but the column tests, which run set based after it.
    for args in calls:
        assert not {"--select", "-s", "--resource-type"} & set(args)
        assert args[args.index("--exclude") :][: len(DBT_EXCLUDE)] == list(DBT_EXCLUDE)
        assert args.count("--exclude") == 1


def test_project_fingerprint_follows_every_project_file(tmp_path, monkeypatch):
    project = tmp_path / "project"
    for name in ("models/a.sql", "models/_a__unit_tests.yml", "macros/m.sql", "seeds/s.csv"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text("select 1\n")
    (project / "dbt_project.yml").write_text("name: x\n")
    monkeypatch.setattr(build_module, "PROJECT_DIR", project)
    before = build_module.project_fingerprint()
    assert build_module.project_fingerprint() == before
    for name in ("models/_a__unit_tests.yml", "seeds/s.csv", "macros/m.sql"):
        original = (project / name).read_text()
        (project / name).write_text(original + "-- changed\n")
        assert build_module.project_fingerprint() != before, name
        (project / name).write_text(original)
    assert build_module.project_fingerprint() == before
    (project / "models" / "b.sql").write_text("select 2\n")
    assert build_module.project_fingerprint() != before


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


def test_a_table_that_fails_to_copy_fails_the_publish(home, fake_dbt):
    # The tables are copied by several threads: an error in one of them (here a view that
    # fails when it is read) still fails the publish, and the previous snapshot serves.
    h = Home(home)
    _fake_warehouse(h, with_audit=False)
    build_module.build(h)
    before = h.published.read_bytes()
    con = duckdb.connect(str(h.warehouse))
    try:
        for i in range(5):  # more tables than copy threads, so others are copied too
            con.execute(f"create table marts.mart_{i} as select {i} as n")
        con.execute("create view marts.mart_broken as select error('kaput') as x")
    finally:
        con.close()
    with pytest.raises(duckdb.Error, match="kaput"):
        build_module.build(h)
    assert h.published.read_bytes() == before
    assert [p.name for p in h.published_dir.iterdir()] == ["current.duckdb"]


def test_every_table_and_view_is_copied_with_its_rows(home, fake_dbt):
    h = Home(home)
    _fake_warehouse(h, with_audit=True)
    con = duckdb.connect(str(h.warehouse))
    try:
        for i in range(7):
            con.execute(f"create table marts.mart_{i} as select range as n from range({i * 1000})")
        con.execute("create view marts.v_sum as select sum(n) as s from marts.mart_6")
    finally:
        con.close()
    build_module.build(h)
    con = duckdb.connect(str(h.published), read_only=True)
    try:
        for i in range(7):
            n, total = con.execute(
                f"select count(*), coalesce(sum(n), 0) from marts.mart_{i}"
            ).fetchone()
            assert (n, total) == (i * 1000, i * 1000 * (i * 1000 - 1) // 2)
        assert con.execute("select s from marts.v_sum").fetchone() == (5999 * 6000 // 2,)
        assert con.execute(
            "select table_type from information_schema.tables where table_name = 'v_sum'"
        ).fetchone() == ("BASE TABLE",)
    finally:
        con.close()
