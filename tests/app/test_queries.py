"""The dashboard's queries select from the marts: groups and periods from
mart_gruppe_kvartal, durations from fct_forloeb, Ankestyrelsen's figures from ankestatistik
only. Expected values are worked out by hand from tests/app/fixture_snapshot.py."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from dashboards import queries
from dashboards.snapshot import Snapshot
from tests.app.fixture_snapshot import build_fixture_snapshot

K2018 = dt.date(2018, 1, 1)
K2018_4 = dt.date(2018, 10, 1)


@pytest.fixture(scope="module")
def snap(tmp_path_factory):
    snapshot = Snapshot(build_fixture_snapshot(tmp_path_factory.mktemp("queries") / "s.duckdb"))
    yield snapshot
    snapshot.close()


def test_omgoerelser_tidsserie_counts_ankestatistik_only(snap):
    # Per quarter and trial municipality: 2 law areas × 12 decided on the merits, 2 reversed
    # in each during the trial; three trial municipalities. The case-level appeals (kilde
    # ankesager: 4 decided, 1 reversed per municipality and quarter) must not be added.
    serie = queries.omgoerelser_tidsserie(snap, "lae285", "alle_oevrige", K2018, K2018)
    row = serie.filter(pl.col("gruppe") == "forsoeg").row(0, named=True)
    assert row["realitetsbehandlede"] == 3 * 2 * 12
    assert row["omgjorte"] == 3 * 2 * 2
    # Control (Horsens, Herning, København): 3 reversed of 12 per law area.
    kontrol = serie.filter(pl.col("gruppe") == "kontrol").row(0, named=True)
    assert (kontrol["realitetsbehandlede"], kontrol["omgjorte"]) == (72, 18)


def test_omgoerelser_kommune_counts_ankestatistik_only(snap):
    kommuner = queries.omgoerelser_kommune(snap, "lae285", "alle_oevrige", K2018, K2018_4)
    aalborg = kommuner.filter(pl.col("kommunenavn") == "Aalborg").row(0, named=True)
    # Four quarters × 2 law areas × 12, of which 2 reversed.
    assert aalborg["realitetsbehandlede"] == 96
    assert aalborg["omgjorte"] == 16
    assert aalborg["omgoerelsesprocent"] == pytest.approx(100 * 16 / 96)
    assert aalborg["i_forsoeg"] is True
    assert kommuner.filter(pl.col("kommunenavn") == "Herning")["i_forsoeg"].to_list() == [False]


def test_groups_and_window_come_from_mart_gruppe_kvartal(snap):
    grupper = queries.grupper(snap, "lae285", "midtjylland")
    assert grupper.filter(pl.col("gruppe") == "forsoeg")["kommunenavn"].sort().to_list() == [
        "Aalborg",
        "Læsø",
        "Rebild",
    ]
    assert grupper.filter(pl.col("gruppe") == "kontrol")["kommunenavn"].sort().to_list() == [
        "Herning",
        "Horsens",
    ]
    assert queries.forsoegsvindue(snap, "lae285") == (K2018, dt.date(2020, 10, 1))
    assert queries.forsoegsvindue(snap, "akut_fravaer") == (K2018, dt.date(2022, 10, 1))


def test_periods_follow_the_theme_window(snap):
    summer = queries.panel_summer(
        snap, "lae285", "alle_oevrige", dt.date(2017, 10, 1), dt.date(2021, 1, 1)
    )
    trial = {r["periode"]: r for r in summer.filter(pl.col("gruppe") == "forsoeg").to_dicts()}
    # 2017K4 before, 2018K1–2020K4 during (12 quarters), 2021K1 after.
    assert {p: trial[p]["n_kvartaler"] for p in trial} == {"foer": 1, "under": 12, "efter": 1}
    # Waived during the trial: (10 + 5 + 1) per quarter.
    assert trial["under"]["lae285_fravalgt"] == 12 * 16


def test_km_counts_come_from_fct_forloeb(snap):
    counts = queries.km_optaelling(
        snap,
        "lae285",
        "alle_oevrige",
        "fravaer_til_foerste_opfoelgning",
        dt.date(2019, 1, 1),
        dt.date(2019, 1, 1),
    )
    trial = counts.filter(pl.col("gruppe") == "forsoeg")
    # Per municipality in 2019: follow-ups after 20, 30, 40, 50 days, one case still open
    # (no end either) censored at the as-of date 2022-12-31: 1401 days after 2019-03-01.
    assert trial["dage"].to_list() == [20, 30, 40, 50, 1401]
    assert trial["haendelser"].to_list() == [3, 3, 3, 3, 0]
    assert trial["ophoer"].to_list() == [3, 3, 3, 3, 3]
    assert set(trial["periode"]) == {"under"}


def test_km_forloeb_lists_spells_with_a_deadline_first(snap):
    assert queries.km_forloeb(snap)[0] == "fravaer_til_foerste_opfoelgning"
    assert set(queries.km_forloeb(snap)) == {
        "fravaer_til_foerste_opfoelgning",
        "anmeldelse_til_foerste_opfoelgning",
        "sygedagpengeforloeb",
        "rehab_start_til_afgoerelse",
    }


def test_unknown_theme_is_refused(snap):
    with pytest.raises(ValueError, match="unknown tema"):
        queries.grupper(snap, "findes_ikke", "alle_oevrige")


def test_kommuner_med_data_leaves_out_municipalities_without_figures(tmp_path):
    import duckdb

    copy = build_fixture_snapshot(tmp_path / "copy.duckdb")
    con = duckdb.connect(str(copy))
    # København without any certificate cost (LÆ285's headline indicator, seed temaer).
    con.execute(
        "update marts.mart_panel_kommune_kvartal set attestudgift_pr_sag_kr = null"
        " where kommunekode = 101"
    )
    con.close()
    snapshot = Snapshot(copy)
    try:
        assert queries.kommuner_med_data(snapshot, "lae285") == [615, 657, 825, 840, 851]
        assert 101 in queries.kommuner_med_data(snapshot, "rehab_fritagelse")
    finally:
        snapshot.close()
