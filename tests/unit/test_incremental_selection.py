"""What an incremental `trialwh build` asks dbt to rebuild, and the data tests it runs
from their compiled SQL instead (trialwh/build.py incremental_selection,
trialwh/set_tests.py run_compiled_tests)."""

from __future__ import annotations

import json

import duckdb

from trialwh.build import incremental_selection
from trialwh.dbt import NO_WRITE_JSON
from trialwh.set_tests import CompiledTest, run_compiled_tests


def _model(name, materialized, parents):
    return (
        f"model.trialwh.{name}",
        {
            "resource_type": "model",
            "name": name,
            "original_file_path": f"models/{name}.sql",
            "config": {"materialized": materialized},
            "depends_on": {"nodes": parents},
        },
    )


def _data_test(name, config, compiled="select 1 where false"):
    return (
        f"test.trialwh.{name}",
        {
            "resource_type": "test",
            "name": name,
            "test_metadata": {"name": "relationships"},
            "config": {"severity": "ERROR", **config},
            "compiled_code": compiled,
            "depends_on": {"nodes": ["model.trialwh.fct_a"]},
        },
    )


def test_an_incremental_build_rebuilds_only_the_tables_that_read_an_extract(tmp_path):
    source = "source.trialwh.raw.sager"
    nodes = dict(
        [
            ("seed.trialwh.kommuner", {"resource_type": "seed", "depends_on": {"nodes": []}}),
            _model("stg_a", "view", [source]),
            _model("int_a", "view", ["model.trialwh.stg_a"]),
            _model("fct_a", "incremental", ["model.trialwh.int_a"]),
            _model("mart_a", "table", ["model.trialwh.fct_a", "model.trialwh.dim_k"]),
            _model("dim_k", "table", ["seed.trialwh.kommuner"]),  # seeds only
            _model("dim_kal", "table", []),  # variables only
            _model("int_k", "view", ["seed.trialwh.kommuner"]),
            _data_test("relationships_a", {}),
            _data_test("limited_a", {"limit": 10}),  # dbt must run it itself
            _data_test("unique_a", {}),
        ]
    )
    nodes["test.trialwh.unique_a"]["test_metadata"] = {"name": "unique"}  # set based
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"nodes": nodes}), encoding="utf-8")

    args, direct = incremental_selection(manifest)

    assert args[:3] == [NO_WRITE_JSON, "--indirect-selection", "empty"]
    selected = args[args.index("--select") + 1 :]
    assert selected == [
        "resource_type:unit_test",
        "limited_a",
        "path:models/fct_a.sql",
        "path:models/mart_a.sql",
    ]
    assert [t.unique_id for t in direct] == ["test.trialwh.relationships_a"]
    assert incremental_selection(tmp_path / "missing.json") == ([], [])


def test_compiled_tests_fail_on_any_row_and_warn_when_told():
    con = duckdb.connect()
    con.execute("create table fct as select * from (values (1, 10), (2, null), (3, null)) t(id, k)")
    tests = [
        CompiledTest("test.t.passes", "select * from fct where id > 3", "error"),
        CompiledTest("test.t.fails", "select * from fct where k is null", "error"),
        CompiledTest(
            "test.t.warns", "select * from fct where k = 10\n-- a trailing comment", "warn"
        ),
        CompiledTest("test.t.broken", "select * from no_such_table", "error"),
    ]
    result = run_compiled_tests(con, tests)
    assert result.passed == 1
    assert result.failures[0] == "test.t.fails: fail 2 rækker fejler testen"
    assert result.failures[1].startswith("test.t.broken: error")
    assert result.warnings == ["test.t.warns: warn 1 rækker fejler testen"]
