"""The marts on a hand-made raw layer, built once with `trialwh.build.build`.

Expected values are worked out by hand from the rows in raw_fixtures.py (see the comments
at each assert); the Kaplan–Meier and Wilson figures are checked against lifelines and
statsmodels on the same data.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date
from fractions import Fraction
from pathlib import Path

import duckdb
import polars as pl
import pytest
from lifelines import KaplanMeierFitter
from statsmodels.stats.proportion import proportion_confint

from tests.integration.raw_fixtures import load_hand_made_raw, load_random_raw
from trialwh.build import BuildResult, build
from trialwh.paths import Home

# One dbt build (about 10 s on an idle machine) shared by every test in the module.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Iterator[tuple[Home, BuildResult]]:
    home = Home(tmp_path_factory.mktemp("models") / "home")
    home.root.mkdir()
    load_hand_made_raw(home.warehouse)
    load_random_raw(home.warehouse)
    result = build(home)
    assert result.success, result.failures
    yield home, result


@pytest.fixture(scope="module")
def published(built) -> Iterator[duckdb.DuckDBPyConnection]:
    home, _ = built
    con = duckdb.connect(str(home.published), read_only=True)
    yield con
    con.close()


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = con.cursor()
    try:
        return cursor.sql(sql).pl().to_dicts()
    finally:
        cursor.close()


def _frame(con: duckdb.DuckDBPyConnection, sql: str) -> pl.DataFrame:
    cursor = con.cursor()
    try:
        return cursor.sql(sql).pl()
    finally:
        cursor.close()


def test_published_snapshot_has_marts_reference_and_build_info(built, published):
    _, result = built
    schemas = {
        r["schema_name"] for r in _rows(published, "select schema_name from duckdb_tables()")
    }
    assert {"marts", "reference", "meta"} <= schemas
    assert "audit" not in schemas  # ingest never ran, so there is nothing to copy
    info = _rows(published, "select * from meta.build_info")
    assert len(info) == 1
    assert info[0]["build_id"] == result.build_id
    # Newest extract_date in the raw layer: 2022-12-31 (Odense's extract).
    assert info[0]["data_as_of"] == date(2022, 12, 31)
    assert info[0]["n_tests_passed"] == result.n_tests_passed > 100
    # persist_docs: the Danish descriptions travel into the published file.
    comment = _rows(
        published, "select comment from duckdb_tables() where table_name = 'mart_attestbesparelse'"
    )[0]["comment"]
    assert "kontrafaktiske udgift" in comment


def test_supersession_keeps_latest_row_and_flags_missing_case(published):
    rows = {
        r["sygedagpengesag_id"]: r
        for r in _rows(
            published,
            "select * from marts.fct_sygedagpengesager where kommunekode = 851",
        )
    }
    assert set(rows) == {"851:S1", "851:S2", "851:S3"}
    # S1 was corrected in the 31.12.2019 extract: closed 29.8.2019.
    assert rows["851:S1"]["afsluttet_dato"] == date(2019, 8, 29)
    assert rows["851:S1"]["antal_udtraek"] == 2
    assert not rows["851:S1"]["is_missing_from_latest_extract"]
    # S3 is only in the 30.6.2019 extract: kept and flagged.
    assert rows["851:S3"]["is_missing_from_latest_extract"]
    assert rows["851:S3"]["seneste_extract_date"] == date(2019, 12, 31)


def test_attestbesparelse_by_hand(published):
    rows = _rows(
        published,
        """
        select * from marts.mart_attestbesparelse
        where kommunekode in (851, 101) order by kommunekode desc, dokumenttype
        """,
    )
    got = {(r["kommunekode"], r["dokumenttype"], r["maaned"]): r for r in rows}
    assert set(got) == {
        (851, "LAE265", date(2019, 2, 1)),
        (851, "LAE285", date(2019, 3, 1)),
        (101, "LAE285", date(2019, 3, 1)),
    }
    # Aalborg March 2019 (in the trial): S1 (tolk) counterfactual 1,290, S2 (waived) 1,140.
    # Actual: S1's LÆ285 1,290; alternative: S2's LÆ125 without invoice = 380 (imputed).
    aalborg = got[(851, "LAE285", date(2019, 3, 1))]
    assert aalborg["sager_omfattet"] == 2
    assert aalborg["attest_indhentet"] == 1
    assert aalborg["attest_fravalgt"] == 1
    assert float(aalborg["kontrafaktisk_udgift_kr"]) == 2430.0
    assert float(aalborg["faktisk_attest_udgift_kr"]) == 1290.0
    assert float(aalborg["alternativ_udgift_kr"]) == 380.0
    assert float(aalborg["nettobesparelse_kr"]) == 760.0
    assert float(aalborg["heraf_imputeret_kr"]) == 380.0
    # København (control): the counterfactual is what was spent, so the saving is 0.
    kbh = got[(101, "LAE285", date(2019, 3, 1))]
    assert float(kbh["faktisk_attest_udgift_kr"]) == 1140.0
    assert float(kbh["kontrafaktisk_udgift_kr"]) == 1140.0
    assert float(kbh["nettobesparelse_kr"]) == 0.0
    # LÆ265: R2 (fleksjob, waived) would have cost 1,639; journal notes cost 250.
    lae265 = got[(851, "LAE265", date(2019, 2, 1))]
    assert lae265["sager_omfattet"] == 1
    assert float(lae265["nettobesparelse_kr"]) == 1639.0 - 250.0


def test_savings_only_inside_the_trial(published):
    outside = _rows(
        published,
        """
        select count(*) as n, coalesce(sum(abs(nettobesparelse_kr)), 0) as besparelse
        from marts.mart_attestbesparelse where not i_forsoeg
        """,
    )[0]
    assert outside["n"] > 0 and outside["besparelse"] == 0


def test_sagsbehandlingstid_kaplan_meier_and_deadlines_by_hand(published):
    rows = {
        (r["kommunekode"], r["forloeb"]): r
        for r in _rows(
            published,
            """
            select * from marts.mart_sagsbehandlingstid
            where kommunekode in (851, 101) and kvartal = date '2019-01-01'
            """,
        )
    }
    # Sickness-benefit spells in Aalborg Q1 2019: S3 15 days (closed), S1 181 days
    # (closed 29.8), S2 open at the 31.12.2019 extract: censored at 304 days.
    # S(15) = 2/3, S(181) = 1/3 -> median 181, p25 15, p75 never reached.
    spell = rows[(851, "sygedagpengeforloeb")]
    assert (spell["n_sager"], spell["n_afsluttet"], spell["n_aabne"]) == (3, 2, 1)
    assert (spell["p25_dage"], spell["median_dage"], spell["p75_dage"]) == (15, 181, None)
    assert spell["andel_inden_frist"] is None
    # First follow-up: S1 45 days, S2 49 days (both within 56); S3 closed after 15 days
    # without one (censored before the deadline: unknown) -> 2/2 within.
    follow_up = rows[(851, "fravaer_til_foerste_opfoelgning")]
    assert follow_up["andel_inden_frist"] == 1.0
    assert follow_up["median_dage"] == 45
    # København's only case had its first follow-up after 70 days: 0 within.
    assert rows[(101, "fravaer_til_foerste_opfoelgning")]["andel_inden_frist"] == 0.0
    # Rehab meeting: R1 (jobafklaring) after 19 days, within 28; R2 was exempted.
    moede = _rows(
        published,
        """
        select * from marts.mart_sagsbehandlingstid
        where kommunekode = 851 and forloeb = 'rehab_start_til_moede'
        """,
    )
    assert len(moede) == 1 and moede[0]["n_sager"] == 1 and moede[0]["andel_inden_frist"] == 1.0


def _km_quantile(kmf: KaplanMeierFitter, survival: Fraction) -> float | None:
    """Smallest t with S(t) <= survival, S from lifelines' event table in exact fractions.

    lifelines' own survival_function_ is a float product and can land a hair above an
    exact value (21/28 as 0.7500000000000001); the counts it tabulates are exact.
    """
    table = kmf.event_table
    s = Fraction(1)
    for t, row in table.iterrows():
        if row["at_risk"] > 0:
            s *= 1 - Fraction(int(row["observed"]), int(row["at_risk"]))
        if s <= survival:
            return float(t)
    return None


def test_kaplan_meier_agrees_with_lifelines(built, published):
    home, _ = built
    con = duckdb.connect(str(home.warehouse), read_only=True)
    try:
        forloeb = _frame(
            con, "select * from intermediate.int_forloeb_unioned where kommunekode = 461"
        )
    finally:
        con.close()
    mart = _rows(published, "select * from marts.mart_sagsbehandlingstid where kommunekode = 461")
    assert len(mart) > 20
    for row in mart:
        group = forloeb.filter(
            (pl.col("kvartal") == row["kvartal"]) & (pl.col("forloeb") == row["forloeb"])
        )
        kmf = KaplanMeierFitter().fit(
            group["varighed_dage"].to_numpy(), group["is_afsluttet"].to_numpy()
        )
        expected = tuple(_km_quantile(kmf, Fraction(q, 4)) for q in (3, 2, 1))
        got = (row["p25_dage"], row["median_dage"], row["p75_dage"])
        assert got == expected, (row["kvartal"], row["forloeb"])
        assert row["n_sager"] == group.height


def test_omgoerelser_by_hand_and_wilson_agrees_with_statsmodels(published):
    rows = {
        (r["kommunekode"], r["kvartal"], r["kilde"]): r
        for r in _rows(published, "select * from marts.mart_omgoerelser")
    }
    # Aalborg Q1 2019: the 30.9 publication restated stadfæstet to 6 -> 6 + 2 + 2 = 10.
    aalborg = rows[(851, date(2019, 1, 1), "ankestatistik")]
    assert aalborg["realitetsbehandlede"] == 10
    assert aalborg["omgoerelsesprocent"] == 40.0
    # København Q2 2019: only dismissed appeals -> no percentage.
    kbh = rows[(101, date(2019, 4, 1), "ankestatistik")]
    assert kbh["realitetsbehandlede"] == 0 and kbh["afvist_bortfaldet"] == 3
    assert kbh["omgoerelsesprocent"] is None and kbh["ci_lav"] is None
    # Aalborg's own appeal A1 (decided 1.8.2019, hjemvist).
    own = rows[(851, date(2019, 7, 1), "ankesager")]
    assert own["realitetsbehandlede"] == 1 and own["omgoerelsesprocent"] == 100.0
    # 1 of 1: the Wilson upper bound is exactly 100 (clamped), the lower one inside 0-100.
    assert own["ci_hoej"] == 100.0 and 0.0 <= own["ci_lav"] < 100.0
    checked = 0
    for row in rows.values():
        if row["realitetsbehandlede"] == 0:
            continue
        low, high = proportion_confint(
            row["omgjorte"], row["realitetsbehandlede"], alpha=0.05, method="wilson"
        )
        assert math.isclose(row["ci_lav"], 100 * low, abs_tol=1e-9)
        assert math.isclose(row["ci_hoej"], 100 * high, abs_tol=1e-9)
        checked += 1
    assert checked >= 8


def test_appeal_linked_to_waived_case(published):
    anke = _rows(published, "select * from marts.fct_ankesager")[0]
    assert anke["sygedagpengesag_id"] == "851:S2"
    assert anke["is_sag_lae285_fravalgt"] is True


def test_panel_by_hand(published):
    panel = _frame(published, "select * from marts.mart_panel_kommune_kvartal")
    # Three municipalities have data (851, 101, 461), 32 quarters 2015Q1..2022Q4.
    assert panel.height == 3 * 32
    assert sorted(panel["kommunekode"].unique().to_list()) == [101, 461, 851]

    def cell(kode: int, kvartal: date) -> dict:
        return panel.filter(
            (pl.col("kommunekode") == kode) & (pl.col("kvartal") == kvartal)
        ).to_dicts()[0]

    q1 = cell(851, date(2019, 1, 1))
    assert q1["kommunenavn"] == "Aalborg" and q1["periode_index"] == 17
    assert q1["i_forsoeg_lae285"] and q1["forsoeg_start_index_lae285"] == 13
    assert q1["sygedagpengesager_omfattet"] == 2 and q1["lae285_fravalgt"] == 1
    assert q1["andel_lae285_fravalgt"] == 0.5
    assert q1["attestudgift_pr_sag_kr"] == pytest.approx((1290 + 380) / 2)
    assert q1["rehab_sager"] == 2 and q1["rehab_fritaget"] == 1
    assert q1["realitetsbehandlede"] == 10 and q1["omgoerelsesprocent"] == 40.0
    assert q1["dage_til_foerste_opfoelgning"] == 45 and q1["sygedagpengeforloeb_dage"] == 181
    # LÆ285 theme ended 31.12.2020; the rehab theme runs to 2022.
    later = cell(851, date(2021, 1, 1))
    assert not later["i_forsoeg_lae285"] and later["i_forsoeg_rehab_fritagelse"]
    assert later["sygedagpengesager_omfattet"] == 0
    assert not cell(851, date(2017, 10, 1))["i_forsoeg_lae285"]
    control = cell(101, date(2019, 1, 1))
    assert not control["i_forsoeg_lae285"] and control["forsoeg_start_index_lae285"] is None
    # København has no rehab extract at all -> NULL, not 0; it has appeal statistics.
    assert control["rehab_sager"] is None
    assert control["realitetsbehandlede"] == 0 and control["omgoerelsesprocent"] is None


def test_dimensions(published):
    assert len(_rows(published, "select kommunekode from marts.dim_kommune")) == 98
    aalborg = _rows(published, "select * from marts.dim_kommune where kommunekode = 851")[0]
    assert aalborg["i_forsoeg_lae285"] and aalborg["forsoeg_start_lae285"] == date(2018, 1, 1)
    vesthimmerland = _rows(published, "select * from marts.dim_kommune where kommunekode = 820")
    assert not vesthimmerland[0]["i_forsoeg_rehab_fritagelse"]
    alle_oevrige = {
        r["kommunekode"]
        for r in _rows(
            published,
            """
            select kommunekode from marts.dim_kontrolgruppe
            where kontrolgruppe = 'alle_oevrige' and tema = 'lae285'
            """,
        )
    }
    assert alle_oevrige == {101, 461}  # municipalities in the data, not in the theme


def test_published_file_is_read_only(built):
    home, _ = built
    assert not Path(home.published).stat().st_mode & 0o222
