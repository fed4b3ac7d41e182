"""`trialwh report --tema psykologbehandling`: the hand-made snapshot of the report tests,
extended with the psychologist theme (three treated municipalities, a planted -20 days on
the psychiatric spell), courses and scores whose summaries are worked out by hand here."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pytest
from scipy import stats

from core.paths import Home
from report.writer import EXCEL_HEADERS, excel_headers, write_report
from tests.app.fixture_marts import add_forloeb, add_gruppe_kvartal
from tests.evaluation import published_fixture as fixture

TREATED = {849: 13, 810: 13, 813: 15}
PLANTED_DAGE = -20.0
PLANTED_AARSDAGE = -7.0
# BDI courses in the trial: changes -10, -4, -6 (and one course without a score after).
BDI = [(30, 20), (25, 21), (28, 22), (27, None)]


def _extend(path: Path) -> None:
    rng = np.random.default_rng(5)
    panel = fixture.panel()
    level = {k: rng.normal(150, 10) for k in panel["kommunekode"].unique().to_list()}
    noise = rng.normal(0, 3, panel.height)
    panel = panel.with_columns(
        pl.col("kommunekode")
        .replace_strict(TREATED, default=None, return_dtype=pl.Int32)
        .alias("forsoeg_start_index_psykologbehandling"),
    ).with_columns(
        i_forsoeg_psykologbehandling=pl.col("periode_index")
        >= pl.col("forsoeg_start_index_psykologbehandling").fill_null(99),
        psykisk_sager=pl.lit(10, dtype=pl.Int64),
    )
    panel = panel.with_columns(
        sygedagpengeforloeb_dage_psykisk=pl.col("kommunekode").replace_strict(level)
        + 0.5 * pl.col("periode_index")
        + pl.Series(noise)
        + pl.when("i_forsoeg_psykologbehandling").then(PLANTED_DAGE).otherwise(0.0),
        # The mean days in the first year, with its own planted effect per psychiatric case.
        gns_sygedagpengedage_365_psykisk=pl.col("kommunekode").replace_strict(level) * 0.8
        + pl.Series(rng.normal(0, 3, panel.height))
        + pl.when("i_forsoeg_psykologbehandling").then(PLANTED_AARSDAGE).otherwise(0.0),
    )
    courses = pl.DataFrame(
        {
            "kommunekode": [849] * len(BDI),
            "henvist_dato": [dt.date(2019, 2, 1)] * len(BDI),
            "screening_instrument": ["BDI"] * len(BDI),
            "score_foer": [float(a) for a, _ in BDI],
            "score_efter": [None if b is None else float(b) for _, b in BDI],
        }
    ).with_columns(
        has_parret_score=pl.col("score_efter").is_not_null(),
        scoreaendring=pl.col("score_efter") - pl.col("score_foer"),
        is_klinisk_relevant_fald=(pl.col("score_foer") - pl.col("score_efter")) >= 5,
    )
    mart = pl.DataFrame(
        {
            "kommunekode": [849, 810],
            "kvartal": [dt.date(2019, 1, 1), dt.date(2019, 4, 1)],
            "forloeb": [30, 50],
            "udgift_kr": [240_000.0, 400_000.0],
            "forloeb_med_udgift": [30, 50],
        }
    )
    con = duckdb.connect(str(path))
    try:
        con.register("panel_df", panel.to_arrow())
        con.register("courses_df", courses.to_arrow())
        con.register("mart_df", mart.to_arrow())
        con.execute("create or replace table marts.mart_panel_kommune_kvartal as from panel_df")
        con.execute("create table marts.fct_psykologforloeb as from courses_df")
        con.execute("create table marts.mart_psykologbehandling as from mart_df")
        con.execute(
            "insert into marts.dim_kontrolgruppe select distinct 'alle_oevrige', "
            "'psykologbehandling', kommunekode from panel_df "
            "where forsoeg_start_index_psykologbehandling is null"
        )
        con.execute("alter table marts.fct_sygedagpengesager add column diagnosegruppe varchar")
        con.execute("update marts.fct_sygedagpengesager set diagnosegruppe = 'psykisk'")
        add_gruppe_kvartal(con, (*fixture.TEMAER, "psykologbehandling"))
        add_forloeb(con, "seneste_extract_date")
        # The theme's population (fct_forloeb.is_omfattet_psykologbehandling): every other
        # sickness-benefit spell is psychiatric; the other spells have no flag.
        con.execute(
            "create or replace table marts.fct_forloeb as select *, case when forloeb in"
            " ('sygedagpengeforloeb', 'fravaer_til_foerste_opfoelgning') then"
            " hash(forloeb_id) % 2 = 0 end as is_omfattet_psykologbehandling"
            " from marts.fct_forloeb"
        )
    finally:
        con.close()


@pytest.fixture
def files(home: Path, tmp_path: Path) -> list[Path]:
    published = Home(home)
    fixture.write_published(published.published)
    _extend(published.published)
    return write_report(
        published, "psykologbehandling", "alle_oevrige", tmp_path, wcr_draws=199, ri_draws=99
    )


def test_psychologist_report_recovers_the_planted_effect_and_says_inference_is_weak(files):
    html_path, xlsx_path = files
    # The workbook has Danish headers (report.writer.EXCEL_HEADERS).
    H = {k: EXCEL_HEADERS.get(k, k) for k in ("kolonne", "ci_lav", "ci_hoej", "behandlede", "att")}
    text = html_path.read_text(encoding="utf-8")
    assert "Evaluering: Psykologbehandling til sygemeldte" in text
    assert "Svag statistisk sikkerhed: kun 3 behandlede enheder" in text
    sheets = pl.read_excel(xlsx_path, sheet_id=0)
    overview = {r[H["kolonne"]]: r for r in sheets["Overblik"].iter_rows(named=True)}
    effect = overview["sygedagpengeforloeb_dage_psykisk"]
    assert effect[H["ci_lav"]] <= PLANTED_DAGE <= effect[H["ci_hoej"]]
    assert effect[H["behandlede"]] == 3

    # Paired BDI change by hand: -10, -4, -6 -> mean -20/3, sd 3.0551, t(2) interval.
    scores = sheets["Scoreændring pr. instrument"].row(0, named=True)
    changes = [-10.0, -4.0, -6.0]
    mean = sum(changes) / 3
    sd = math.sqrt(sum((c - mean) ** 2 for c in changes) / 2)
    half = stats.t.ppf(0.975, 2) * sd / math.sqrt(3)
    assert scores["n_parret"] == 3
    # Indicator columns carry the vocabulary's name (report.writer.excel_headers).
    names = excel_headers()
    assert scores[names["gns_scoreaendring"]] == pytest.approx(mean)
    assert scores[H["ci_lav"]] == pytest.approx(mean - half)
    assert scores[H["ci_hoej"]] == pytest.approx(mean + half)
    assert scores[names["andel_klinisk_relevant_fald"]] == pytest.approx(2 / 3)  # falls 10 and 6

    # Cost per course 640,000 / 80 = 8,000 kr.; weeks saved per course = -ATT / 7 days x
    # psychiatric cases of the trial municipalities in the trial / courses, where ATT is the
    # effect on the mean days in the first year (a mean: effect x cases = days saved), not
    # the median of the headline indicator.
    cost = {
        next((k for k, v in EXCEL_HEADERS.items() if v == name), name): value
        for name, value in sheets["Udgift mod sparede ydelsesuger"].row(0, named=True).items()
    }
    assert cost["udgift_pr_forloeb_kr"] == pytest.approx(8_000.0)
    # The theme has no end here, so the window runs to the last quarter (2022K4 = 32).
    psykisk = 10 * ((32 - 13 + 1) * 2 + (32 - 15 + 1))
    assert cost["sager_psykisk_i_forsoeget"] == psykisk
    att = cost["effekt_dage_pr_sag"]
    assert abs(att - PLANTED_AARSDAGE) < abs(effect[H["att"]] - PLANTED_AARSDAGE)
    assert abs(att - PLANTED_AARSDAGE) < 3.0
    uger = -att / 7 * psykisk / 80
    assert cost["sparede_uger_pr_forloeb"] == pytest.approx(uger)
    assert cost["sparede_uger_ci_lav"] < uger < cost["sparede_uger_ci_hoej"]
    assert cost["udgift_pr_sparet_uge_kr"] == pytest.approx(8_000.0 / uger)
    assert "3 behandlede enheder" in cost["note"]


def test_psychologist_kaplan_meier_uses_the_themes_own_population(files, home: Path):
    # Counted independently on the snapshot: the psychiatric spells (flag true) of the
    # trial and control municipalities before and during the theme, per spell type.
    with duckdb.connect(str(Home(home).published), read_only=True) as con:
        expected = dict(
            con.execute(
                "select forloeb.forloeb, count(*) from marts.fct_forloeb as forloeb"
                " inner join marts.mart_gruppe_kvartal as grupper"
                " on forloeb.kommunekode = grupper.kommunekode"
                " and forloeb.start_kvartal = grupper.kvartal"
                " where grupper.tema = 'psykologbehandling'"
                " and grupper.kontrolgruppe = 'alle_oevrige' and grupper.periode <> 'efter'"
                " and forloeb.is_omfattet_psykologbehandling group by 1"
            ).fetchall()
        )
        everyone = con.execute(
            "select count(*) from marts.fct_forloeb where forloeb = 'sygedagpengeforloeb'"
        ).fetchall()[0][0]
    _, xlsx_path = files
    km = pl.read_excel(xlsx_path, sheet_name="Varigheder_KM")
    header = {k: EXCEL_HEADERS.get(k, k) for k in ("varighed", "sager")}
    got = dict(km.group_by(header["varighed"]).agg(pl.col(header["sager"]).sum()).iter_rows())
    assert got == expected
    assert 0 < got["sygedagpengeforloeb"] < everyone
