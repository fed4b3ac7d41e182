"""What makes the pages fast without changing what they show: the whole panel is read once
per snapshot (``Snapshot.memo``), and the Overblik tiles use the effect estimate without the
HonestDiD sensitivity table (``did_headline``), whose figures equal the Effekt page's."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from dashboards import effects
from dashboards.snapshot import Snapshot
from tests.app.fixture_snapshot import build_fixture_snapshot

FIRST = dt.date(2015, 1, 1)
LAST = dt.date(2022, 10, 1)


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    return build_fixture_snapshot(tmp_path_factory.mktemp("speed") / "s.duckdb")


@pytest.fixture()
def snap(path):
    snapshot = Snapshot(path)
    yield snapshot
    snapshot.close()


def test_memo_computes_once_per_snapshot(path, snap):
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert snap.memo("k", compute) == 1
    assert snap.memo("k", compute) == 1
    assert snap.memo("other", compute) == 2
    # A newly opened snapshot (a new build) starts empty.
    fresh = Snapshot(path)
    try:
        assert fresh.memo("k", compute) == 3
    finally:
        fresh.close()


def test_full_panel_is_read_once_and_is_the_whole_panel(snap):
    first = effects._full_panel(snap)
    assert effects._full_panel(snap) is first
    direct = snap.query("select count(*) as n from marts.mart_panel_kommune_kvartal")
    assert first.height == direct["n"][0]


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


def test_tile_estimate_equals_the_effekt_estimate(snap):
    outcome = "andel_lae285_fravalgt"
    full = effects.did_estimate(snap, "lae285", "alle_oevrige", outcome, FIRST, LAST)
    tile = effects.did_headline(snap, "lae285", "alle_oevrige", outcome, FIRST, LAST)
    assert full is not None and tile is not None
    for field in ("att", "se", "ci_low", "ci_high", "p_wcr", "p_ri"):
        assert _same(getattr(tile, field), getattr(full, field)), field
    assert tile.sensitivity is None
    assert full.sensitivity is not None
