"""When `trialwh build` may build incrementally (trialwh.build.plan_refresh): only when the
raw layer has grown by new loads since the last successful build of the same project."""

from __future__ import annotations

import duckdb

from ingest.schema import create_raw_tables
from trialwh.build import plan_refresh, raw_loads

COLUMNS = {"sygedagpengesager": ["sags_id", "kommunekode", "load_id"], "dream": ["load_id"]}


def _loads(rows, kommuner):
    return {"columns": COLUMNS, "rows": rows, "kommuner": kommuner}


def _state(rows, fingerprint="f1"):
    return {"fingerprint": fingerprint, "columns": COLUMNS, "rows": rows}


BEFORE = {"sygedagpengesager": {"L1": 10, "L2": 5}, "dream": {"D1": 100}}


def test_new_loads_are_built_incrementally_for_their_municipalities():
    now = {"sygedagpengesager": {"L1": 10, "L2": 5, "L3": 7, "L4": 2}, "dream": {"D1": 100}}
    kommuner = {"sygedagpengesager": {"L1": [851], "L2": [773], "L3": [851], "L4": [810]}}
    plan = plan_refresh(_state(BEFORE), "f1", _loads(now, kommuner))
    assert plan.incremental
    assert plan.nye_leverancer == [("sygedagpengesager", 810), ("sygedagpengesager", 851)]
    assert "2 nye indlæsninger" in plan.reason
    assert plan.nye_kilder == {"sygedagpengesager"}  # DREAM had no new load
    assert plan.nye_indlaesninger == [("sygedagpengesager", "L3"), ("sygedagpengesager", "L4")]


def test_nothing_new_is_incremental_and_recomputes_nothing():
    plan = plan_refresh(_state(BEFORE), "f1", _loads(BEFORE, {}))
    assert plan.incremental
    assert plan.nye_leverancer == []
    assert plan.nye_kilder == frozenset()


def test_a_national_load_is_incremental_without_municipalities():
    now = {**BEFORE, "dream": {"D1": 100, "D2": 120}}
    plan = plan_refresh(_state(BEFORE), "f1", _loads(now, {}))
    assert plan.incremental
    assert plan.nye_leverancer == []
    assert plan.nye_kilder == {"dream"}
    assert plan.nye_indlaesninger == [("dream", "D2")]


def test_full_when_asked_or_without_a_previous_build():
    assert not plan_refresh(_state(BEFORE), "f1", _loads(BEFORE, {}), full_refresh=True).incremental
    plan = plan_refresh(None, "f1", _loads(BEFORE, {}))
    assert not plan.incremental
    assert "ingen tidligere" in plan.reason


def test_full_when_the_project_changed():
    plan = plan_refresh(_state(BEFORE, fingerprint="old"), "f1", _loads(BEFORE, {}))
    assert not plan.incremental
    assert "projektet" in plan.reason


def test_full_when_a_load_was_removed_or_changed():
    removed = {"sygedagpengesager": {"L1": 10}, "dream": {"D1": 100}}
    plan = plan_refresh(_state(BEFORE), "f1", _loads(removed, {}))
    assert not plan.incremental
    assert "L2" in plan.reason and "raw.sygedagpengesager" in plan.reason
    shrunk = {"sygedagpengesager": {"L1": 10, "L2": 4}, "dream": {"D1": 100}}
    assert not plan_refresh(_state(BEFORE), "f1", _loads(shrunk, {})).incremental


def test_full_when_the_raw_columns_changed():
    loads = {"columns": {**COLUMNS, "dream": ["load_id", "ny"]}, "rows": BEFORE, "kommuner": {}}
    plan = plan_refresh(_state(BEFORE), "f1", loads)
    assert not plan.incremental
    assert "kolonner" in plan.reason


def test_raw_loads_counts_rows_and_municipalities_per_load():
    con = duckdb.connect()
    create_raw_tables(con)
    con.execute(
        "insert into raw.sygedagpengesager (sags_id, kommunekode, load_id) values "
        "('a', 851, 'L1'), ('b', 851, 'L1'), ('c', 773, 'L2')"
    )
    con.execute("insert into raw.dream (person_id, load_id) values ('p', 'D1'), ('q', 'D1')")
    loads = raw_loads(con)
    assert loads["rows"]["sygedagpengesager"] == {"L1": 2, "L2": 1}
    assert loads["rows"]["dream"] == {"D1": 2}  # the national DREAM loads are tracked too
    assert "dream" not in loads["kommuner"]
    assert loads["kommuner"]["sygedagpengesager"] == {"L1": [851], "L2": [773]}
    assert loads["rows"]["rehabiliteringssager"] == {}
    assert loads["columns"]["sygedagpengesager"][:2] == ["sags_id", "person_id"]
