"""End to end: generate (small, seed 42) → ingest → build → query the published marts.

Expected values come from the generator's truth.json (what it planted, counted from its
own master data before the files were written and corrupted) and from the raw files,
never from the marts themselves.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import duckdb
import pytest

from tests.estimates import same_estimate

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def marts(small_pipeline):
    con = duckdb.connect(str(small_pipeline.published), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def lae285_periods(marts) -> dict[int, tuple[date, date]]:
    rows = marts.execute(
        "select kommunekode, startdato, slutdato from reference.forsoeg_deltagelse "
        "where tema = 'lae285'"
    ).fetchall()
    return {k: (start, end) for k, start, end in rows}


def corrupted_cases_by_kommune(truth: dict, source: str) -> dict[int, set]:
    """The cases (ids, as truth.json names them) with a corrupted row in some file."""
    kommune_of = {f["file"]: f["kommunekode"] for f in truth["files"]}
    cases: dict[int, set] = defaultdict(set)
    for row in truth["corrupted_rows"]:
        if row["file"].startswith(source + "_"):
            cases[kommune_of[row["file"]]].add(row["sags_id"])
    return cases


def test_every_step_succeeds(small_pipeline):
    for step, outcome in small_pipeline.outputs.items():
        assert outcome.exit_code == 0, f"{step}: {outcome.output[-3000:]}"
    assert small_pipeline.published.exists()


def test_every_row_of_every_file_is_loaded_or_quarantined(small_pipeline, marts):
    logged = {
        name: (read, loaded, quarantined)
        for name, read, loaded, quarantined in marts.execute(
            "select source_file, rows_read, rows_loaded, rows_quarantined from audit.load_log "
            "where status = 'loaded'"
        ).fetchall()
    }
    truth = small_pipeline.truth
    dream = truth.get("dream", {})  # DREAM: rows loaded are persons, stored as spells
    expected_bad = defaultdict(set)
    for row in truth["corrupted_rows"] + dream.get("corrupted_rows", []):
        expected_bad[row["file"]].add(row["source_row_number"])
    files = truth["files"] + dream.get("files", [])
    assert set(logged) == {f["file"] for f in files}
    for f in files:
        read, loaded, quarantined = logged[f["file"]]
        assert read == f["rows"], f["file"]
        assert loaded + quarantined == read, f["file"]
        assert quarantined == len(expected_bad[f["file"]]), f["file"]


def test_lae285_cases_and_waivers_match_what_was_planted(small_pipeline, marts):
    """Per municipality and year: eligible cases and waivers equal the generator's count
    after its corrupted rows are quarantined (each case from the latest extract that kept
    its row), exactly; the count before corruption is higher by at most the cases that had
    a corrupted row."""
    truth = small_pipeline.truth
    mart = {
        (k, y): (n, waived)
        for k, y, n, waived in marts.execute(
            "select kommunekode, year(maaned), sum(sager_omfattet), sum(attest_fravalgt) "
            "from marts.mart_attestbesparelse where dokumenttype = 'LAE285' group by all"
        ).fetchall()
    }
    after = {
        (r["kommunekode"], r["aar"]): (r["sager_omfattet"], r["lae285_fravalgt"])
        for r in truth["expected"]["efter_karantaene"]["lae285_by_kommune_aar"]
    }
    assert len(after) > 20
    assert mart == after
    touched = corrupted_cases_by_kommune(truth, "sygedagpengesager")
    assert sum(map(len, touched.values())) > 0  # the corruption did hit some cases
    for row in truth["expected"]["lae285_by_kommune_aar"]:
        key = (row["kommunekode"], row["aar"])
        n, waived = after.get(key, (0, 0))
        assert 0 <= row["sager_omfattet"] - n <= len(touched[row["kommunekode"]]), key
        assert 0 <= row["lae285_fravalgt"] - waived <= len(touched[row["kommunekode"]]), key


def test_savings_only_for_trial_municipalities_inside_their_theme_period(
    small_pipeline, marts, lae285_periods
):
    rows = marts.execute(
        "select kommunekode, maaned, nettobesparelse_kr from marts.mart_attestbesparelse "
        "where dokumenttype = 'LAE285'"
    ).fetchall()
    inside_total: dict[int, float] = defaultdict(float)
    for kommune, month, saving in rows:
        period = lae285_periods.get(kommune)
        inside = period is not None and period[0] <= month <= (period[1] or date.max)
        if inside:
            inside_total[kommune] += float(saving)
        else:
            assert float(saving) == 0.0, (kommune, month, saving)
    # Per municipality, to the øre: the generator's own sum over its eligible cases in the
    # theme of the fee minus the documents' fees (truth.json, after quarantine).
    planted = {
        r["kommunekode"]: r["nettobesparelse_kr"]
        for r in small_pipeline.truth["expected"]["efter_karantaene"][
            "lae285_nettobesparelse_by_kommune"
        ]
    }
    assert set(planted) == set(inside_total) and sum(planted.values()) > 100_000
    for kommune, saving in inside_total.items():
        assert saving == pytest.approx(planted[kommune], abs=0.005), kommune


def test_trial_municipalities_waive_and_controls_do_not(small_pipeline, marts):
    trial = set(small_pipeline.truth["municipalities"]["trial"])
    by_kommune = dict(
        marts.execute(
            "select kommunekode, sum(attest_fravalgt) from marts.mart_attestbesparelse "
            "where dokumenttype = 'LAE285' group by 1"
        ).fetchall()
    )
    for kommune, waived in by_kommune.items():
        if kommune in trial:
            assert waived > 0, kommune
        else:
            assert waived == 0, kommune


def test_omgoerelsesprocent_matches_the_planted_national_rate(small_pipeline, marts):
    """The newest publication of each quarter, all municipalities: the generator's rate."""
    realitet, omgjort = marts.execute(
        "select sum(realitetsbehandlede), sum(aendret_ophaevet + hjemvist) "
        "from marts.mart_omgoerelser where kilde = 'ankestatistik'"
    ).fetchone()
    expected = small_pipeline.truth["expected"]["ankestatistik_omgoerelsesprocent"]
    assert 100 * omgjort / realitet == pytest.approx(expected, abs=0.5)


def test_facts_reconcile_with_raw_rows(small_pipeline, marts):
    warehouse = duckdb.connect(str(small_pipeline.home / "warehouse.duckdb"), read_only=True)
    try:
        raw_cases = warehouse.execute(
            "select count(distinct (kommunekode, sags_id)) from raw.sygedagpengesager"
        ).fetchone()[0]
    finally:
        warehouse.close()
    fact_cases, missing = marts.execute(
        "select count(*), count(*) filter (where is_missing_from_latest_extract) "
        "from marts.fct_sygedagpengesager"
    ).fetchone()
    assert fact_cases == raw_cases
    # Exactly what the generator kept: every case once, and missing from the latest extract
    # when planted so or when its row there was corrupted.
    after = small_pipeline.truth["expected"]["efter_karantaene"]["sygedagpengesager"]
    assert (fact_cases, missing) == (after["cases"], after["missing_from_latest"])
    assert missing >= 1


def test_panel_has_one_row_per_municipality_and_quarter(small_pipeline, marts):
    municipalities = small_pipeline.truth["municipalities"]
    n_kommuner = len(municipalities["trial"]) + len(municipalities["control"])
    rows, distinct_keys, kommuner = marts.execute(
        "select count(*), count(distinct (kommunekode, kvartal)), count(distinct kommunekode) "
        "from marts.mart_panel_kommune_kvartal"
    ).fetchone()
    assert kommuner == n_kommuner
    assert rows == distinct_keys == n_kommuner * 32  # 2015Q1..2022Q4


def test_published_snapshot_is_readable_and_describes_its_build(marts):
    build_id, data_as_of = marts.execute(
        "select build_id, data_as_of from meta.build_info"
    ).fetchone()
    assert build_id
    assert data_as_of == date(2023, 3, 31)  # the newest ankestatistik publication


def test_estimates_stored_at_publish_are_the_pages_own_on_the_snapshot(small_pipeline, monkeypatch):
    """The build computes the default view's estimates from the warehouse while it copies
    the tables; they must be what the page computes on the published snapshot itself."""
    from dashboards import effects, precomputed
    from dashboards.snapshot import Snapshot

    snap = Snapshot(small_pipeline.published)
    try:
        keys = precomputed.default_keys(snap)
        stored = {key: precomputed.lookup(snap, key) for key in keys}
    finally:
        snap.close()
    assert f"{len(keys)} effektestimater" in small_pipeline.outputs["build"].output
    assert all(value is not precomputed.MISSING for value in stored.values())
    assert all(value is not None for value in stored.values())
    # A new snapshot object (its memo empty) under other code: the page computes them.
    monkeypatch.setattr(precomputed, "code_version", lambda: "not the stored code")
    fresh_snap = Snapshot(small_pipeline.published)
    try:
        for key, kept in stored.items():
            assert precomputed.lookup(fresh_snap, key) is precomputed.MISSING
            fresh = effects.did_estimate(fresh_snap, *key[:5], sensitivity=key[5])
            assert fresh is not None and same_estimate(kept, fresh), key
    finally:
        fresh_snap.close()
