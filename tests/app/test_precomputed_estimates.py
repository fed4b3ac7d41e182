"""The default view's effect estimates are computed when the snapshot is published
(trialwh/build.py store_default_estimates, dashboards/precomputed.py) and the page reads them
instead of computing them again; with other code they are ignored."""

from __future__ import annotations

import shutil

import pytest

from dashboards import effects, precomputed
from dashboards.snapshot import Snapshot
from tests.app.fixture_snapshot import build_fixture_snapshot
from tests.estimates import same_estimate
from trialwh.build import store_default_estimates


@pytest.fixture(scope="module")
def snapshots(tmp_path_factory):
    """The hand-made fixture snapshot, once as published without stored estimates and once
    with the default view's estimates stored by the build."""
    root = tmp_path_factory.mktemp("precomputed")
    plain = root / "plain.duckdb"
    build_fixture_snapshot(plain)
    stored = root / "stored.duckdb"
    shutil.copyfile(plain, stored)
    note = store_default_estimates(stored)
    return plain, stored, note


def test_stored_estimates_are_the_ones_the_page_computes(snapshots, monkeypatch):
    plain_path, stored_path, note = snapshots
    plain, stored = Snapshot(plain_path), Snapshot(stored_path)
    keys = precomputed.default_keys(stored)
    assert note.startswith(f"{len(keys)} effektestimater")
    # The Overblik tiles (no sensitivity table) and the Effekt page's first indicator.
    assert [k[5] for k in keys] == [False] * (len(keys) - 1) + [True]
    assert keys[-1][2] == next(iter(effects.OUTCOMES))
    for key in keys:
        assert precomputed.lookup(plain, key) is precomputed.MISSING
        kept = precomputed.lookup(stored, key)
        assert kept is not precomputed.MISSING
        assert same_estimate(kept, effects.did_estimate(plain, *key[:5], sensitivity=key[5]))
    assert any(precomputed.lookup(stored, key) is not None for key in keys)
    # The page takes the stored one: the estimator is not called.
    monkeypatch.setattr("evaluation.did.estimate", lambda *a, **k: pytest.fail("recomputed"))
    for key in keys:
        assert same_estimate(
            effects.did_estimate(stored, *key[:5], sensitivity=key[5]),
            precomputed.lookup(stored, key),
        )


def test_estimates_of_other_code_are_ignored(snapshots, monkeypatch):
    _, stored_path, _ = snapshots
    monkeypatch.setattr(precomputed, "code_version", lambda: "other code")
    stored = Snapshot(stored_path)
    for key in precomputed.default_keys(stored):
        assert precomputed.lookup(stored, key) is precomputed.MISSING
