"""Figures and tables shared by every session (dashboards/shared.py): keyed on the content of
their inputs, copied out, and never stale after a republish."""

from __future__ import annotations

import base64
import datetime as dt
import json

import duckdb
import numpy as np
import plotly.graph_objects as go
import polars as pl
import pytest

from core.paths import Home
from dashboards import charts, shared
from dashboards.shared import Unkeyable, content_key, shared_figure
from tests.app.fixture_snapshot import build_fixture_snapshot


def _frame(forsoeg: float = 0.25) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "gruppe": ["forsoeg", "forsoeg", "kontrol", "kontrol"],
            "kvartal": [dt.date(2018, 1, 1), dt.date(2018, 4, 1)] * 2,
            "vaerdi": [forsoeg, 0.5, 0.75, 1.0],
        }
    )


def test_content_key_follows_content_order_and_type():
    assert content_key(_frame()) == content_key(_frame())
    assert content_key(_frame()) != content_key(_frame(forsoeg=0.3))
    assert content_key(_frame()) != content_key(_frame().reverse())  # row order matters
    renamed = _frame().rename({"vaerdi": "andel"})
    assert content_key(_frame()) != content_key(renamed)
    assert len({content_key(1), content_key(1.0), content_key(True)}) == 3
    assert content_key(np.array([1, 2])) != content_key(np.array([1, 3]))
    with pytest.raises(Unkeyable):
        content_key(object())


def test_a_shared_figure_is_built_once_and_equals_the_direct_build():
    calls = []

    @shared_figure
    def build(frame: pl.DataFrame, *, title: str) -> go.Figure:
        calls.append(title)
        trace = go.Scatter(x=frame["kvartal"], y=frame["vaerdi"])
        return go.Figure(trace, layout={"title": title})

    shared.CACHE.clear()
    first = build(_frame(), title="a")
    second = build(_frame(), title="a")
    assert calls == ["a"]
    direct = build.__wrapped__(_frame(), title="a")
    spec = json.loads(direct.to_json())
    assert json.loads(first.to_json()) == json.loads(second.to_json()) == spec
    build(_frame(), title="b")  # another argument: built again
    build(_frame(forsoeg=0.3), title="a")  # other data: built again
    assert calls == ["a", "a", "b", "a"]


def test_a_caller_changing_its_figure_does_not_change_the_next_sessions():
    shared.CACHE.clear()
    kwargs = {"title": "T", "y_title": "%", "lang": "da"}
    mine = charts.gruppe_linjer(_frame(), "vaerdi", **kwargs)
    mine.add_annotation(text="kun min", x=0, y=0)
    mine.update_layout(title="ændret", margin={"b": 300})
    mine.update_traces(line={"color": "black"}, name="min")
    theirs = charts.gruppe_linjer(_frame(), "vaerdi", **kwargs)
    assert theirs.layout.title.text == "T"
    assert not [a for a in theirs.layout.annotations if a.text == "kun min"]
    direct = charts.gruppe_linjer.__wrapped__(_frame(), "vaerdi", **kwargs)
    assert json.loads(theirs.to_json()) == json.loads(direct.to_json())


def test_an_unkeyable_argument_is_built_every_time():
    calls = []

    @shared_figure
    def build(thing: object) -> go.Figure:
        calls.append(thing)
        return go.Figure()

    marker = object()
    build(marker)
    build(marker)
    assert calls == [marker, marker]


def _values(array) -> list:
    """A trace's values from plotly's JSON (a list, or a typed array: dtype + base64)."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def _headline_chart(at) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def test_a_republished_snapshot_shows_its_new_data(app_for, tmp_path):
    """The Overblik chart (lae285's headline, certificate cost per case: the mean of the
    municipalities) after a republish in which every municipality's value rose by 1000 kr.:
    every point of the open session's chart is 1000 higher, and its stamp names the new build."""
    home = Home(tmp_path)
    build_fixture_snapshot(home.published, build_id="build-a")
    at = app_for(home).run()
    assert not at.exception, [e.value for e in at.exception]
    before = _headline_chart(at)

    new = tmp_path / "new.duckdb"
    build_fixture_snapshot(new, build_id="build-b")
    con = duckdb.connect(str(new))
    con.execute(
        "update marts.mart_panel_kommune_kvartal"
        " set attestudgift_pr_sag_kr = attestudgift_pr_sag_kr + 1000"
    )
    con.close()
    new.replace(home.published)  # as the builder publishes
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    after = _headline_chart(at)

    lines = [t for t in before["data"] if t.get("mode") == "lines+markers"]
    lines_after = [t for t in after["data"] if t.get("mode") == "lines+markers"]
    assert [t["name"] for t in lines] == [t["name"] for t in lines_after]
    assert lines, "the chart has its group lines"
    for old, fresh in zip(lines, lines_after, strict=True):
        assert _values(fresh["x"]) == _values(old["x"])
        assert _values(fresh["y"]) == pytest.approx([y + 1000 for y in _values(old["y"])])
    stamps = [a["text"] for a in after["layout"]["annotations"] if "build" in a["text"]]
    assert stamps and all("build build-b" in s for s in stamps)


def test_query_results_follow_the_snapshot_file_even_under_the_same_build_id(tmp_path):
    """fetch() keys on the published file as well as its build id: a file replaced under the
    same build id (a rebuild that reused the id) still shows its own rows."""
    from dashboards import queries
    from dashboards.snapshot import Snapshot
    from dashboards.state import fetch

    path = tmp_path / "current.duckdb"
    build_fixture_snapshot(path, build_id="same")
    first = Snapshot(path)
    before = fetch(first, queries.kommuner)
    new = tmp_path / "new.duckdb"
    build_fixture_snapshot(new, build_id="same")
    con = duckdb.connect(str(new))
    con.execute(
        "delete from marts.dim_kommune"
        " where kommunekode = (select min(kommunekode) from marts.dim_kommune)"
    )
    con.close()
    new.replace(path)
    second = Snapshot(path)
    after = fetch(second, queries.kommuner)
    assert second.build.build_id == first.build.build_id == "same"
    assert after.height == before.height - 1
    assert fetch(first, queries.kommuner).height == before.height  # the old file, its rows
    first.close()
    second.close()


def test_a_result_asked_for_by_many_sessions_at_once_is_computed_once():
    import threading

    store = shared._Lru(8)
    calls = []
    start = threading.Barrier(8)

    def compute() -> str:
        calls.append(1)
        return "resultat"

    def session(out: list) -> None:
        start.wait()
        out.append(store.get_or_compute("nøgle", compute))

    out: list = []
    threads = [threading.Thread(target=session, args=(out,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert out == ["resultat"] * 8
    assert calls == [1]
