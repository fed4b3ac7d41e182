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

    args, direct, unchanged = incremental_selection(manifest)

    assert args[:3] == [NO_WRITE_JSON, "--indirect-selection", "empty"]
    selected = args[args.index("--select") + 1 :]
    assert selected == [
        "resource_type:unit_test",
        "limited_a",
        "path:models/fct_a.sql",
        "path:models/mart_a.sql",
    ]
    assert [t.unique_id for t in direct] == ["test.trialwh.relationships_a"]
    assert unchanged == frozenset()  # every raw table counted as new: every test runs
    assert incremental_selection(tmp_path / "missing.json") == ([], [], frozenset())


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
    skipped = run_compiled_tests(con, tests, skip=frozenset({"test.t.fails", "test.t.broken"}))
    assert (skipped.passed, skipped.skipped, skipped.failures) == (1, 2, [])
    result = run_compiled_tests(con, tests)
    assert result.passed == 1 and result.skipped == 0
    assert result.failures[0] == "test.t.fails: fail 2 rækker fejler testen"
    assert result.failures[1].startswith("test.t.broken: error")
    assert result.warnings == ["test.t.warns: warn 1 rækker fejler testen"]


def test_tables_that_read_no_raw_table_with_new_loads_are_left_alone(tmp_path):
    """Without a new DREAM delivery the table that reads only DREAM (and a seed) keeps
    what the last build wrote; the outcome table joining cases to DREAM is rebuilt, since
    it reads the cases; with a DREAM delivery alone, the cases' own tables stay."""
    dream, sager = "source.trialwh.dream.dream", "source.trialwh.sygedagpenge.sager"
    meta = "source.trialwh.meta.nye_leverancer"
    nodes = dict(
        [
            ("seed.trialwh.grupper", {"resource_type": "seed", "depends_on": {"nodes": []}}),
            _model("stg_dream", "view", [dream]),
            _model("int_dream", "table", ["model.trialwh.stg_dream", "seed.trialwh.grupper"]),
            _model("int_sager", "incremental", [sager, meta]),
            _model("fct_udfald", "table", ["model.trialwh.int_sager", "model.trialwh.int_dream"]),
            _model("mart_sager", "table", ["model.trialwh.int_sager"]),
        ]
    )
    sources = {
        dream: {"schema": "raw", "name": "dream", "identifier": "dream"},
        sager: {"schema": "raw", "name": "sager", "identifier": "sygedagpengesager"},
        meta: {"schema": "meta", "name": "nye_leverancer", "identifier": "nye_leverancer"},
    }
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"nodes": nodes, "sources": sources}), encoding="utf-8")

    def selected(nye_kilder):
        args, _, _ = incremental_selection(manifest, nye_kilder)
        return [a for a in args[args.index("--select") + 2 :] if a.startswith("path:")]

    # identifier, not the source's name, is the raw table
    assert selected(frozenset({"sygedagpengesager"})) == [
        "path:models/fct_udfald.sql",
        "path:models/int_sager.sql",
        "path:models/mart_sager.sql",
    ]
    assert selected(frozenset({"dream"})) == [
        "path:models/fct_udfald.sql",
        "path:models/int_dream.sql",
    ]
    assert selected(frozenset()) == []  # nothing new: nothing rebuilt
    assert selected(None) == [  # every raw table counted as new
        "path:models/fct_udfald.sql",
        "path:models/int_dream.sql",
        "path:models/int_sager.sql",
        "path:models/mart_sager.sql",
    ]


def test_data_tests_that_read_nothing_new_are_left_out(tmp_path):
    """A test reads new data if any relation it reads, through views and tables alike,
    reads a raw table with new loads; the others read what the last build left and passed."""
    dream, sager = "source.trialwh.dream.dream", "source.trialwh.sygedagpenge.sager"
    nodes = dict(
        [
            ("seed.trialwh.grupper", {"resource_type": "seed", "depends_on": {"nodes": []}}),
            _model("stg_dream", "view", [dream]),
            _model("int_dream", "table", ["model.trialwh.stg_dream", "seed.trialwh.grupper"]),
            _model("stg_sager", "view", [sager]),
            _model("fct_udfald", "table", ["model.trialwh.stg_sager", "model.trialwh.int_dream"]),
        ]
    )

    def test_on(name, *parents):
        node = _data_test(name, {})[1] | {"depends_on": {"nodes": list(parents)}}
        return f"test.trialwh.{name}", node

    for name, parents in {
        "dream_only": ["model.trialwh.int_dream", "seed.trialwh.grupper"],
        "on_view": ["model.trialwh.stg_sager"],  # a view over the cases' raw table
        "joined": ["model.trialwh.int_dream", "model.trialwh.fct_udfald"],
        "seed_only": ["seed.trialwh.grupper"],
        "raw_dream": [dream],  # a source test
    }.items():
        uid, node = test_on(name, *parents)
        nodes[uid] = node
    sources = {
        dream: {"schema": "raw", "name": "dream", "identifier": "dream"},
        sager: {"schema": "raw", "name": "sager", "identifier": "sygedagpengesager"},
    }
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"nodes": nodes, "sources": sources}), encoding="utf-8")

    def left_out(nye_kilder):
        selection = incremental_selection(manifest, nye_kilder)
        assert len(selection.direct_tests) == 5  # the runner leaves them out, by id
        return sorted(uid.split(".")[-1] for uid in selection.unchanged_tests)

    assert left_out(frozenset({"sygedagpengesager"})) == ["dream_only", "raw_dream", "seed_only"]
    assert left_out(frozenset({"dream"})) == ["on_view", "seed_only"]
    assert left_out(frozenset()) == ["dream_only", "joined", "on_view", "raw_dream", "seed_only"]
    assert left_out(None) == ["seed_only"]  # seeds are not rebuilt: same project
