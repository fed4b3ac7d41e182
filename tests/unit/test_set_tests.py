"""The set-based column tests (trialwh/set_tests.py) fail exactly where dbt's not_null,
unique and accepted_values would, and say which column of which relation failed."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from trialwh.set_tests import read_set_tests, run_set_tests

MODEL = "model.trialwh.fct_x"


def _test(name, kind, column, config=None, **kwargs):
    return (
        f"test.trialwh.{name}",
        {
            "resource_type": "test",
            "name": name,
            "column_name": column,
            "test_metadata": {
                "name": kind,
                "namespace": None,
                "kwargs": {"column_name": column, "model": "{{ ref('fct_x') }}", **kwargs},
            },
            "config": {
                "severity": "ERROR",
                "where": None,
                "limit": None,
                "fail_calc": "count(*)",
                "warn_if": "!= 0",
                "error_if": "!= 0",
                **(config or {}),
            },
            "depends_on": {"nodes": [MODEL]},
        },
    )


def _manifest(tmp_path: Path, *tests) -> Path:
    model = {"resource_type": "model", "name": "fct_x", "schema": "marts", "alias": "fct_x"}
    nodes = {MODEL: model, **dict(tests)}
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"nodes": nodes, "sources": {}}), encoding="utf-8")
    return path


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("create schema marts")
    # id: unique but one null; kode: 'a', 'a', 'b', null (duplicate a); n: 1, 2, 3, 9
    con.execute(
        "create table marts.fct_x as select * from (values "
        "(1, 'a', 1, 'x'), (2, 'a', 2, 'x'), (3, 'b', 3, 'y'), (null, null, 9, 'y')) "
        "as t(id, kode, n, gruppe)"
    )
    yield con
    con.close()


def test_each_kind_fails_where_dbt_would(tmp_path, con):
    manifest = _manifest(
        tmp_path,
        _test("not_null_id", "not_null", "id"),
        _test("not_null_n", "not_null", "n"),
        _test("unique_id", "unique", "id"),  # null ignored: passes
        _test("unique_kode", "unique", "kode"),  # 'a' twice: fails
        _test("accepted_kode", "accepted_values", "kode", values=["a", "b"]),  # null ignored
        _test("accepted_n", "accepted_values", "n", values=[1, 2, 3], quote=False),  # 9 fails
        _test("accepted_n_quoted", "accepted_values", "n", values=["1", "2", "3", "9"]),
    )
    result = run_set_tests(con, manifest)
    assert result.passed == 4
    assert sorted(f.split(":")[0] for f in result.failures) == [
        "test.trialwh.accepted_n",
        "test.trialwh.not_null_id",
        "test.trialwh.unique_kode",
    ]
    messages = " ".join(result.failures)
    assert '"marts"."fct_x": 1 rækker med tom id' in messages
    assert "1 rækker med en kode, der allerede findes (ikke unik)" in messages
    assert "1 rækker med n uden for de tilladte værdier (1, 2, 3)" in messages


def test_where_filters_and_warn_does_not_fail(tmp_path, con):
    manifest = _manifest(
        tmp_path,
        _test("not_null_id_x", "not_null", "id", {"where": "gruppe = 'x'"}),  # passes
        _test("unique_kode_warn", "unique", "kode", {"severity": "warn"}),
    )
    result = run_set_tests(con, manifest)
    assert result.passed == 1
    assert result.failures == []
    assert [w.split(":")[0] for w in result.warnings] == ["test.trialwh.unique_kode_warn"]


def test_an_unsupported_config_fails_instead_of_being_dropped(tmp_path, con):
    manifest = _manifest(tmp_path, _test("not_null_limit", "not_null", "n", {"limit": 10}))
    tests, unsupported = read_set_tests(manifest)
    assert tests == []
    assert len(unsupported) == 1 and "limit" in unsupported[0]
    assert run_set_tests(con, manifest).failures == unsupported


def test_skipped_tests_do_not_run_and_are_counted(tmp_path, con):
    # not_null_id would fail (one null id); left out, it neither fails nor counts as passed.
    manifest = _manifest(
        tmp_path,
        _test("not_null_id", "not_null", "id"),
        _test("unique_id", "unique", "id"),
    )
    result = run_set_tests(con, manifest, skip=frozenset({"test.trialwh.not_null_id"}))
    assert (result.passed, result.skipped, result.failures) == (1, 1, [])
    assert run_set_tests(con, manifest).skipped == 0
