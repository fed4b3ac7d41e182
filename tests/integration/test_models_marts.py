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

from core.paths import Home
from tests.integration.raw_fixtures import (
    _sygedagpengesag,
    insert_raw,
    load_hand_made_raw,
    load_random_raw,
)
from trialwh.build import BuildResult, build

# One dbt build (about 10 s on an idle machine) shared by every test in the module.
pytestmark = pytest.mark.slow


def load_panel_raw(warehouse: Path) -> None:
    """Odense (461) cases in quarters the random Odense cases never reach (2018, 2020Q1),
    for the panel's rules: which cases a headline indicator is measured on, and the cohort.

    Sickness benefit (days from first absence to follow-up / to the end):
    OH1 category 1, absent 3.4.2018, reported 5.4, follow-up after 20, closed after 30.
    OH6 category 1, absent 20.4.2018, reported 23.4, follow-up after 25, closed after 35.
    OH2 category 2 (LÆ285-eligible), absent 10.4.2018, reported 12.4, follow-up after 50,
        still open at the 31.12.2022 extract.
    OH3 category 3 (LÆ285-eligible), absent 28.6.2018 but reported 2.7.2018 (Q3), follow-up
        after 60 (past the 56-day deadline), closed after 95.
    Rehabilitation, started 2020Q1: a jobafklaring case with a meeting, a fleksjob case
    exempted from the meeting, a ressourceforløb and a førtidspension case (outside the
    exemption's target groups).
    """
    d = date
    extract = d(2022, 12, 31)
    cases = [
        _sygedagpengesag("OH1", 461, d(2018, 4, 3), d(2018, 4, 5), 1,
                         opfoelgning=d(2018, 4, 23), afsluttet=d(2018, 5, 3)),
        _sygedagpengesag("OH6", 461, d(2018, 4, 20), d(2018, 4, 23), 1,
                         opfoelgning=d(2018, 5, 15), afsluttet=d(2018, 5, 25)),
        _sygedagpengesag("OH2", 461, d(2018, 4, 10), d(2018, 4, 12), 2,
                         opfoelgning=d(2018, 5, 30)),
        _sygedagpengesag("OH3", 461, d(2018, 6, 28), d(2018, 7, 2), 3,
                         opfoelgning=d(2018, 8, 27), afsluttet=d(2018, 10, 1)),
    ]  # fmt: skip
    insert_raw(
        warehouse,
        "sygedagpengesager",
        [
            {**row, "source_file": "sygedagpengesager_0461_2022-12-31.csv",
             "extract_date": extract, "source_row_number": 1000 + i}
            for i, row in enumerate(cases, start=1)
        ],
    )  # fmt: skip
    rehab = [
        {"sags_id": "ROH1", "maalgruppe": "jobafklaring", "startdato": d(2020, 1, 10),
         "fritaget_rehabmoede": False, "moede_dato": d(2020, 2, 1)},
        {"sags_id": "ROH2", "maalgruppe": "fleksjob", "startdato": d(2020, 1, 15),
         "fritaget_rehabmoede": True, "fritagelse_begrundelse": "plan_ivaerksat"},
        {"sags_id": "ROH3", "maalgruppe": "ressourceforloeb", "startdato": d(2020, 2, 1),
         "fritaget_rehabmoede": False, "moede_dato": d(2020, 2, 25)},
        {"sags_id": "ROH4", "maalgruppe": "foertidspension", "startdato": d(2020, 3, 1),
         "fritaget_rehabmoede": False},
    ]  # fmt: skip
    insert_raw(
        warehouse,
        "rehabiliteringssager",
        [
            {**row, "person_id": f"p-{row['sags_id']}", "kommunekode": 461,
             "lae265_fravalgt": False, "source_file": "rehabiliteringssager_0461_2022-12-31.csv",
             "extract_date": extract, "source_row_number": i}
            for i, row in enumerate(rehab, start=1)
        ],
    )  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Iterator[tuple[Home, BuildResult]]:
    home = Home(tmp_path_factory.mktemp("models") / "home")
    home.root.mkdir()
    load_hand_made_raw(home.warehouse)
    load_random_raw(home.warehouse)
    load_panel_raw(home.warehouse)
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
    forloeb = _frame(published, "select * from marts.fct_forloeb where kommunekode = 461")
    mart = _rows(published, "select * from marts.mart_sagsbehandlingstid where kommunekode = 461")
    assert len(mart) > 20
    for row in mart:
        group = forloeb.filter(
            (pl.col("start_kvartal") == row["kvartal"]) & (pl.col("forloeb") == row["forloeb"])
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
    # Both Q1 2019 cases S1 and S2 are LÆ285-eligible (category 2 and 3); S3 (category 1)
    # is not. Follow-up S1 45, S2 49 days -> KM median 45, both within 56 days. Spells: S1
    # closed after 181 days, S2 open (censored at 304) -> S(181) = 1/2 -> median 181.
    assert q1["dage_til_foerste_opfoelgning"] == 45 and q1["sygedagpengeforloeb_dage"] == 181
    assert q1["andel_opfoelgning_inden_frist"] == 1.0
    # All cases: S3 closed after 15 days without a follow-up (censored at 15) -> the
    # follow-up median stays 45; spells 15, 181, open -> S(15) = 2/3, S(181) = 1/3 -> 181.
    assert q1["dage_til_foerste_opfoelgning_alle"] == 45
    assert q1["sygedagpengeforloeb_dage_alle"] == 181
    assert q1["andel_opfoelgning_inden_frist_alle"] == 1.0
    # R1 (jobafklaring) and R2 (fleksjob, exempted) are both in the exemption's target groups.
    assert q1["andel_rehab_fritaget"] == 0.5
    assert (q1["rehab_sager_alle"], q1["rehab_fritaget_alle"]) == (2, 1)
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
    # K1 (category 2): follow-up after 70 days (1.3 -> 10.5.2019), past the deadline;
    # closed after 92 days (1.3 -> 1.6.2019).
    assert control["dage_til_foerste_opfoelgning"] == 70
    assert control["andel_opfoelgning_inden_frist"] == 0.0
    assert control["sygedagpengeforloeb_dage"] == 92


def test_panel_headline_indicators_on_the_cases_the_theme_concerns(published):
    """Odense's hand-made 2018 and 2020Q1 cases (load_panel_raw)."""
    panel = _frame(
        published, "select * from marts.mart_panel_kommune_kvartal where kommunekode = 461"
    )
    cells = {r["kvartal"]: r for r in panel.to_dicts()}
    q2, q3 = cells[date(2018, 4, 1)], cells[date(2018, 7, 1)]
    # Reported in Q2 2018: OH1, OH6 (category 1) and OH2 (eligible). Only OH2 counts for the
    # headline: follow-up after 50 days (within 56); its spell is still open after more
    # than four years, so the KM curve never reaches 1/2 -> no median.
    assert q2["sygedagpengesager_omfattet"] == 1
    assert q2["dage_til_foerste_opfoelgning"] == 50
    assert q2["andel_opfoelgning_inden_frist"] == 1.0
    assert q2["sygedagpengeforloeb_dage"] is None
    # All three: follow-ups 20, 25, 50 -> S(20) = 2/3, S(25) = 1/3 -> median 25; spells 30,
    # 35 and one open -> S(35) = 1/3 -> median 35; all three within the deadline.
    assert q2["dage_til_foerste_opfoelgning_alle"] == 25
    assert q2["sygedagpengeforloeb_dage_alle"] == 35
    assert q2["andel_opfoelgning_inden_frist_alle"] == 1.0
    # OH3's first absence is in Q2 but it was reported (and so entered the theme rules) in
    # Q3: it belongs to Q3's cohort. Follow-up after 60 days (late), closed after 95.
    assert q3["sygedagpengesager_omfattet"] == 1
    assert (q3["dage_til_foerste_opfoelgning"], q3["sygedagpengeforloeb_dage"]) == (60, 95)
    assert q3["andel_opfoelgning_inden_frist"] == 0.0
    assert q3["dage_til_foerste_opfoelgning_alle"] == 60
    # No sickness-benefit case reported in Q1 2018: no median, no share.
    q1 = cells[date(2018, 1, 1)]
    assert q1["sygedagpengesager_omfattet"] == 0
    assert q1["dage_til_foerste_opfoelgning"] is None
    assert q1["andel_opfoelgning_inden_frist"] is None
    # Rehabilitation Q1 2020: jobafklaring (meeting) and fleksjob (exempted) are the
    # exemption's target groups; ressourceforløb and førtidspension are not.
    rehab = cells[date(2020, 1, 1)]
    assert (rehab["rehab_sager"], rehab["rehab_fritaget"]) == (2, 1)
    assert rehab["andel_rehab_fritaget"] == 0.5
    assert (rehab["rehab_sager_alle"], rehab["rehab_fritaget_alle"]) == (4, 1)
    assert rehab["andel_rehab_fritaget_alle"] == 0.25
    # Odense has a rehabilitation extract now: 0 cases in other quarters, not NULL.
    assert cells[date(2019, 1, 1)]["rehab_sager"] == 0
    assert cells[date(2019, 1, 1)]["andel_rehab_fritaget"] is None


def test_dimensions(published):
    assert len(_rows(published, "select kommunekode from marts.dim_kommune")) == 98
    aalborg = _rows(published, "select * from marts.dim_kommune where kommunekode = 851")[0]
    assert aalborg["is_forsoegskommune_lae285"]
    assert aalborg["forsoeg_start_lae285"] == date(2018, 1, 1)
    vesthimmerland = _rows(published, "select * from marts.dim_kommune where kommunekode = 820")
    assert not vesthimmerland[0]["is_forsoegskommune_rehab_fritagelse"]
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


def test_panel_medians_agree_with_lifelines(built, published):
    """Every Odense quarter: the panel's KM medians recomputed from the raw rows with
    lifelines (eligible = category 2-3 and expected over 8 weeks; cohort = reporting quarter;
    an open case is censored at its extract date, a case closed without a follow-up at its
    end)."""
    home, _ = built
    con = duckdb.connect(str(home.warehouse), read_only=True)
    try:
        raw = _frame(con, "select * from raw.sygedagpengesager where kommunekode = 461")
    finally:
        con.close()
    cases = raw.with_columns(
        kvartal=pl.col("anmeldt_dato").dt.truncate("1q"),
        is_omfattet=pl.col("visitationskategori").is_in([2, 3])
        & pl.col("forventet_over_8_uger").fill_null(True),
        slut=pl.coalesce(pl.min_horizontal("afsluttet_dato", "extract_date"), "extract_date"),
    ).with_columns(
        opf_dage=(
            pl.coalesce("foerste_opfoelgning_dato", "slut") - pl.col("foerste_fravaersdag")
        ).dt.total_days(),
        has_opf=pl.col("foerste_opfoelgning_dato").is_not_null(),
        forloeb_dage=(pl.col("slut") - pl.col("foerste_fravaersdag")).dt.total_days(),
        is_afsluttet=pl.col("afsluttet_dato").is_not_null(),
    )
    panel = _rows(
        published, "select * from marts.mart_panel_kommune_kvartal where kommunekode = 461"
    )
    checked = 0
    for row in panel:
        for suffix, subset in (("", pl.col("is_omfattet")), ("_alle", pl.lit(True))):
            group = cases.filter((pl.col("kvartal") == row["kvartal"]) & subset)
            for column, duration, event in (
                ("dage_til_foerste_opfoelgning", "opf_dage", "has_opf"),
                ("sygedagpengeforloeb_dage", "forloeb_dage", "is_afsluttet"),
            ):
                got = row[column + suffix]
                if group.height == 0:
                    assert got is None
                    continue
                kmf = KaplanMeierFitter().fit(group[duration].to_numpy(), group[event].to_numpy())
                assert got == _km_quantile(kmf, Fraction(1, 2)), (row["kvartal"], column + suffix)
                checked += 1
    assert checked > 30


def test_fct_forloeb_by_hand(published):
    rows = {
        (r["forloeb_id"], r["forloeb"]): r
        for r in _rows(published, "select * from marts.fct_forloeb where kommunekode = 851")
    }
    # S1: absent 1.3.2019, first follow-up 15.4 = 45 days, within the 56 of seed frister.
    s1 = rows[("851:S1", "fravaer_til_foerste_opfoelgning")]
    assert (s1["varighed_dage"], s1["is_afsluttet"], s1["frist_dage"]) == (45, True, 56)
    assert s1["is_inden_frist"] and s1["is_omfattet_lae285"] and s1["maalgruppe"] is None
    assert s1["start_kvartal"] == date(2019, 1, 1)
    # S3 (category 1, not eligible) closed 25.3 without a follow-up: censored at its end,
    # 15 days after absence 10.3, before the deadline -> unknown.
    s3 = rows[("851:S3", "fravaer_til_foerste_opfoelgning")]
    assert (s3["slut_dato"], s3["censur_dato"], s3["varighed_dage"]) == (
        None,
        date(2019, 3, 25),
        15,
    )
    assert s3["is_afsluttet"] is False and s3["is_inden_frist"] is None
    assert s3["is_omfattet_lae285"] is False
    # S2's spell is open at the 31.12.2019 extract: censored there, 304 days after 2.3.2019.
    s2 = rows[("851:S2", "sygedagpengeforloeb")]
    assert (s2["censur_dato"], s2["varighed_dage"], s2["is_afsluttet"]) == (
        date(2019, 12, 31),
        304,
        False,
    )
    assert s2["frist_dage"] is None
    # R1 (jobafklaring): meeting after 19 days, deadline 28 (seed frister, for jobafklaring).
    r1 = rows[("851:R1", "rehab_start_til_moede")]
    assert (r1["varighed_dage"], r1["frist_dage"], r1["is_inden_frist"]) == (19, 28, True)
    assert r1["maalgruppe"] == "jobafklaring" and r1["is_omfattet_lae285"] is None
    # R2 was exempted from the meeting: no meeting forløb; its decision is still open.
    assert ("851:R2", "rehab_start_til_moede") not in rows
    r2 = rows[("851:R2", "rehab_start_til_afgoerelse")]
    assert (r2["maalgruppe"], r2["frist_dage"], r2["is_afsluttet"]) == ("fleksjob", None, False)


def _seed(name: str) -> list[dict[str, str]]:
    import csv

    from core.paths import SEEDS_DIR

    with (SEEDS_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_gruppe_kvartal_groups_and_periods(published):
    lae285 = {int(r["kommunekode"]) for r in _seed("forsoeg_deltagelse") if r["tema"] == "lae285"}
    midtjylland = {
        int(r["kommunekode"])
        for r in _seed("kontrolgrupper")
        if r["kontrolgruppe"] == "midtjylland"
    }
    rows = _frame(
        published, "select * from marts.mart_gruppe_kvartal where tema = 'lae285'"
    ).to_dicts()
    kontrolgrupper = {r["kontrolgruppe"] for r in _seed("kontrolgrupper")} | {"alle_oevrige"}
    assert {r["kontrolgruppe"] for r in rows} == kontrolgrupper

    def groups(kontrolgruppe: str) -> dict[str, set[int]]:
        found: dict[str, set[int]] = {"forsoeg": set(), "kontrol": set()}
        for r in rows:
            if r["kontrolgruppe"] == kontrolgruppe:
                found[r["gruppe"]].add(r["kommunekode"])
        return found

    # alle_oevrige: the municipalities with data that were never in the theme.
    assert groups("alle_oevrige") == {"forsoeg": lae285, "kontrol": {101, 461}}
    assert groups("midtjylland") == {"forsoeg": lae285, "kontrol": midtjylland}
    # 32 quarters 2015Q1..2022Q4 per municipality and control group.
    per_cell = {(r["kontrolgruppe"], r["kommunekode"]) for r in rows}
    assert len(rows) == 32 * len(per_cell)
    # The theme's window: Aalborg (the only LÆ285 municipality with data) 1.1.2018-31.12.2020.
    aalborg = {
        r["kvartal"]: r
        for r in rows
        if r["kommunekode"] == 851 and r["kontrolgruppe"] == "alle_oevrige"
    }
    assert {(r["forsoeg_start_kvartal"], r["forsoeg_slut_kvartal"]) for r in rows} == {
        (date(2018, 1, 1), date(2020, 10, 1))
    }
    expected = {
        date(2017, 10, 1): ("foer", False),
        date(2018, 1, 1): ("under", True),
        date(2020, 10, 1): ("under", True),
        date(2021, 1, 1): ("efter", False),
    }
    for kvartal, (periode, inde) in expected.items():
        assert (aalborg[kvartal]["periode"], aalborg[kvartal]["is_i_forsoeg"]) == (periode, inde)
    assert aalborg[date(2019, 1, 1)]["kommunenavn"] == "Aalborg"
    # A control municipality gets the same periods, never in the theme.
    odense = [r for r in rows if r["kommunekode"] == 461 and r["kontrolgruppe"] == "alle_oevrige"]
    assert not any(r["is_i_forsoeg"] for r in odense)
    assert {r["periode"] for r in odense if r["kvartal"] == date(2021, 1, 1)} == {"efter"}


def test_theme_columns_follow_the_seed(published):
    from core import vocabulary

    def columns(table: str) -> list[str]:
        return [
            row[0]
            for row in published.execute(
                "select column_name from duckdb_columns() where schema_name = 'marts' "
                "and table_name = ? order by column_index",
                [table],
            ).fetchall()
        ]

    temaer = list(vocabulary.tema_koder())
    panel = columns("mart_panel_kommune_kvartal")
    assert [c.removeprefix("i_forsoeg_") for c in panel if c.startswith("i_forsoeg_")] == temaer
    dim = columns("dim_kommune")
    assert [
        c.removeprefix("is_forsoegskommune_") for c in dim if c.startswith("is_forsoegskommune_")
    ] == temaer
    assert not any(c.startswith("i_forsoeg_") for c in dim)
    # The case-date flags: one per theme whose cases are in the fact (macro tema_regler).
    assert [c for c in columns("fct_sygedagpengesager") if "forsoeg" in c] == [
        "is_i_forsoeg_paa_sagsdato_lae285"
    ]
    assert [c for c in columns("fct_rehabiliteringssager") if "forsoeg" in c] == [
        f"is_i_forsoeg_paa_sagsdato_{tema}"
        for tema in ("rehab_fritagelse", "lae265", "sundhedsfaglig_raadgivning", "akut_fravaer")
    ]
    assert {
        r[0] for r in published.execute("select tema from marts.dim_kontrolgruppe").fetchall()
    } == set(temaer)


def test_dream_outcome_columns_are_the_contracts(published):
    """Contract §4.1, to the letter: fct_sygedagpengeudfald's columns in the contract's
    order, and the panel's DREAM indicators (plus the rehab exemption's own outcome)."""
    columns = [
        row[0]
        for row in published.execute(
            "select column_name from duckdb_columns() where schema_name = 'marts'"
            " and table_name = 'fct_sygedagpengeudfald' order by column_index"
        ).fetchall()
    ]
    assert columns == [
        "sygedagpengesag_id",
        "person_id",
        "kommunekode",
        "foerste_fravaersdag",
        "has_dream",
        "er_selvforsoergende_uge_13",
        "er_selvforsoergende_uge_26",
        "er_selvforsoergende_uge_52",
        "uger_til_selvforsoergelse",
        "is_selvforsoergelse_censureret",
        "ydelsesuger_52",
        "ydelsesgruppe_uge_52",
        "is_gensygemeldt_6_mdr",
        "is_gensygemeldt_12_mdr",
    ]
    panel = {
        row[0]
        for row in published.execute(
            "select column_name from duckdb_columns() where schema_name = 'marts'"
            " and table_name = 'mart_panel_kommune_kvartal'"
        ).fetchall()
    }
    assert {
        "andel_selvforsoergende_uge_26",
        "andel_selvforsoergende_uge_52",
        "andel_gensygemeldt_6_mdr",
        "gns_ydelsesuger_52",
        "andel_selvforsoergende_uge_52_efter_afgoerelse",
    } <= panel
