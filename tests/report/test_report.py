"""The evaluation report on a hand-made published snapshot with planted effects."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import polars as pl
import pytest
from typer.testing import CliRunner

from core.paths import Home
from report import writer as report_module
from report.writer import load_report_data, write_report
from tests.app.fixture_marts import add_forloeb, add_gruppe_kvartal
from tests.evaluation import published_fixture as fixture
from trialwh.cli import app


@pytest.fixture
def published_home(home: Path) -> Home:
    resolved = Home(home)
    fixture.write_published(resolved.published)
    con = duckdb.connect(str(resolved.published))
    try:
        add_gruppe_kvartal(con, fixture.TEMAER)
        add_forloeb(con, "seneste_extract_date")
    finally:
        con.close()
    return resolved


@pytest.fixture
def report_files(published_home: Home, tmp_path: Path) -> list[Path]:
    return write_report(
        published_home, "lae285", "alle_oevrige", tmp_path / "out", wcr_draws=199, ri_draws=99
    )


def test_report_writes_html_and_excel(report_files):
    html_path, xlsx_path = report_files
    assert html_path.name == "evaluering_lae285_alle_oevrige.html"
    assert xlsx_path.suffix == ".xlsx"
    text = html_path.read_text(encoding="utf-8")
    assert "Evaluering: Differentieret brug af LÆ285" in text
    assert "Svag statistisk sikkerhed: kun 8 behandlede enheder" in text
    assert "Kontrolgruppe <b>alle_oevrige</b>: 12 kommuner. Periode: 2015K1–2020K4" in text
    assert text.count("plotly") > 5 and "<h2 class='afsnit'>Metode</h2>" in text


def test_excel_holds_every_table_and_recovers_planted_effects(report_files):
    xlsx_path = report_files[1]
    sheets = pl.read_excel(xlsx_path, sheet_id=0)
    assert {
        "Overblik",
        "Haendelsesstudie",
        "Gruppe_tid",
        "Sager_pr_kommune",
        "Omgoerelser",
        "Syntetisk_kontrol_vaegte",
        "Syntetisk_kontrol_gab",
    } <= set(sheets)
    overview = {row["Kolonne i panelet"]: row for row in sheets["Overblik"].iter_rows(named=True)}
    low, high = "95 %-KI, nedre", "95 %-KI, øvre"
    waiver = overview["andel_lae285_fravalgt"]
    assert waiver[low] <= fixture.PLANTED_WAIVER_SHARE <= waiver[high]
    # Nobody waives before the trial: no pre-trend can be tested (not "p = 1").
    assert waiver["p (før-trend)"] is None
    days = overview["dage_til_foerste_opfoelgning"]
    assert days[low] <= fixture.PLANTED_FOLLOW_UP_DAYS <= days[high]
    assert days["Forsøgskommuner"] == 8 and days["Kontrolkommuner"] == 12
    # No effect was planted on the benefit duration or omgoerelsesprocent.
    for column in ("sygedagpengeforloeb_dage", "omgoerelsesprocent"):
        assert overview[column][low] <= 0 <= overview[column][high]
    # Window ends with the trial (2020K4 = 24): latest lag is 24 - 13 = 11; earliest lead is
    # quarter 1 for the cohort starting in quarter 15: 1 - 15 = -14.
    es = sheets["Haendelsesstudie"].filter(pl.col("Indikator") == "dage_til_foerste_opfoelgning")
    assert es["Kvartaler fra start"].max() == 11 and es["Kvartaler fra start"].min() == -14


def test_counts_table_is_suppressed(report_files):
    counts = pl.read_excel(report_files[1], sheet_name="Sager_pr_kommune").rename(
        {
            "Kommune": "kommunenavn",
            "År": "aar",
            "LÆ285-omfattede sager": "sygedagpengesager_omfattet",
        }
    )
    laesoe = counts.filter(pl.col("kommunenavn") == "Kommune 825")
    data = fixture.panel()
    yearly = (
        data.filter(pl.col("kommunekode") == 825)
        .group_by("aar")
        .agg(pl.col("sygedagpengesager_omfattet").sum())
    )
    small_years = yearly.filter(pl.col("sygedagpengesager_omfattet").is_between(1, 4))["aar"]
    shown = laesoe.filter(pl.col("aar").cast(pl.String).is_in([str(y) for y in small_years]))
    assert shown.height >= 1
    assert (shown["sygedagpengesager_omfattet"] == "·").all()
    # Every year with a hidden cell has at least two hidden cells (totals are shown).
    per_year = (
        counts.filter(pl.col("kommunenavn") != "I alt")
        .group_by("aar")
        .agg(pl.col("sygedagpengesager_omfattet").is_in(["·", "x"]).sum().alias("hidden"))
    )
    assert not (per_year["hidden"] == 1).any()
    assert per_year["hidden"].sum() >= 2


def test_named_control_group(published_home):
    data = load_report_data(published_home, "lae285", "midtjylland")
    assert data.control_units == fixture.NAMED_CONTROL
    assert data.window_end == fixture.TRIAL_END
    assert data.panel["periode_index"].max() == fixture.TRIAL_END


def test_unknown_control_group_and_missing_snapshot(published_home, tmp_path):
    with pytest.raises(ValueError, match="findes ikke"):
        load_report_data(published_home, "lae285", "findes_ikke")
    with pytest.raises(FileNotFoundError):
        load_report_data(Home(tmp_path / "tom"), "lae285", "alle_oevrige")


def test_cli_report(published_home, tmp_path, monkeypatch):
    monkeypatch.setattr(report_module, "WCR_DRAWS", 199)
    monkeypatch.setattr(report_module, "RI_DRAWS", 99)
    out = tmp_path / "cli"
    result = CliRunner().invoke(
        app,
        [
            "--home",
            str(published_home.root),
            "report",
            "--tema",
            "lae285",
            "--kontrolgruppe",
            "midtjylland",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (out / "evaluering_lae285_midtjylland.html").exists()
    assert (out / "evaluering_lae285_midtjylland.xlsx").exists()


def test_cli_report_errors(home, published_home):
    runner = CliRunner()
    usage = runner.invoke(app, ["--home", str(published_home.root), "report", "--tema", "xyz"])
    assert usage.exit_code == 2 and "ukendt tema" in usage.output
    missing = runner.invoke(app, ["--home", str(home / "empty"), "report"])
    assert missing.exit_code == 1 and "trialwh build" in missing.output


def test_kaplan_meier_section_matches_lifelines(report_files):
    from lifelines import KaplanMeierFitter

    table = pl.read_excel(report_files[1], sheet_name="Varigheder_KM").rename(
        {
            "Forløb": "varighed",
            "Gruppe": "gruppe",
            "Periode": "periode",
            "Sager": "sager",
            "Median (dage)": "median_dage",
            "p (log-rank, forsøg mod kontrol)": "logrank_p_forsoeg_mod_kontrol",
        }
    )
    frame = fixture.cases().filter(pl.col("is_omfattet_lae285"))
    frame = frame.with_columns(
        (
            pl.col("afsluttet_dato").fill_null(pl.col("seneste_extract_date"))
            - pl.col("foerste_fravaersdag")
        )
        .dt.total_days()
        .alias("dage"),
        pl.col("afsluttet_dato").is_not_null().alias("afsluttet"),
        pl.col("kommunekode").is_in(list(fixture.TREATED)).alias("forsoeg"),
    ).filter(pl.col("foerste_fravaersdag") < dt.date(2021, 1, 1))
    # Trial municipalities during the theme: spells starting (first day of absence) from
    # 2018-01-01 (quarter 13), the cohort rule of fct_forloeb.
    during = frame.filter(
        pl.col("forsoeg") & (pl.col("foerste_fravaersdag") >= dt.date(2018, 1, 1))
    )
    fitter = KaplanMeierFitter().fit(during["dage"].to_numpy(), during["afsluttet"].to_numpy())
    row = table.filter(
        (pl.col("varighed") == "sygedagpengeforloeb")
        & (pl.col("gruppe") == "Forsøgskommuner")
        & (pl.col("periode") == "under")
    )
    assert row["sager"][0] == during.height
    assert row["median_dage"][0] == fitter.median_survival_time_
    assert set(table["periode"]) == {"før", "under"}
    assert table["logrank_p_forsoeg_mod_kontrol"].is_not_null().all()


def test_counts_table_keeps_missing_sources_empty():
    from report.writer import ReportData, counts_table

    panel = fixture.panel().with_columns(
        pl.when(pl.col("kommunekode") == 851)
        .then(None)
        .otherwise(pl.col("realitetsbehandlede"))
        .alias("realitetsbehandlede"),
        pl.when(pl.col("kommunekode").is_in(list(fixture.TREATED)))
        .then(pl.lit("Forsøgskommuner"))
        .otherwise(pl.lit("Kontrolgruppe"))
        .alias("gruppe"),
    )
    data = ReportData(
        panel=panel,
        control_units=fixture.CONTROLS,
        treated_units=sorted(fixture.TREATED),
        window_end=32,
        build_info={},
    )
    table = counts_table(data)
    aalborg = table.filter(pl.col("kommunenavn") == "Kommune 851")
    assert (aalborg["realitetsbehandlede"] == "").all()
    other = table.filter(pl.col("kommunenavn") == "Kommune 810")
    assert (other["realitetsbehandlede"] != "").all()


def test_omgoerelser_table_hides_small_counts_and_their_funnel_points():
    from report.writer import protect_omgoerelser

    frame = pl.DataFrame(
        {
            "kommunekode": [1, 2, 3],
            "kommunenavn": ["A", "B", "C"],
            "gruppe": ["Forsøgskommuner", "Kontrolgruppe", "Kontrolgruppe"],
            "omgjorte": [3, 20, 0],
            "realitetsbehandlede": [40, 80, 4],
        }
    ).with_columns(
        (100 * pl.col("omgjorte") / pl.col("realitetsbehandlede")).alias("omgoerelsesprocent"),
        pl.lit(1.0).alias("ci_lav"),
        pl.lit(2.0).alias("ci_hoej"),
    )
    shown, plotted = protect_omgoerelser(frame)
    assert shown["omgjorte"].to_list() == ["·", "20", "0"]
    assert shown["realitetsbehandlede"].to_list() == ["40", "80", "·"]
    assert shown["omgoerelsesprocent"].to_list() == ["·", "25,0 %", "·"]
    assert plotted["kommunenavn"].to_list() == ["B"]


def test_omgoerelser_table_of_a_theme_counts_only_its_law_areas():
    from report.writer import ReportData, omgoerelser_table

    # Two quarters of two municipalities. All law areas: 851 has 10 + 10 decisions on the
    # merits, 5 + 5 reversed; on LÆ265's law areas only 4 + 6 decisions, 1 + 3 reversed
    # (25 % and 50 %); 810 has none on the theme's areas in the second quarter (no rate).
    panel = pl.DataFrame(
        {
            "kommunekode": [851, 851, 810, 810],
            "kommunenavn": ["Aalborg", "Aalborg", "Brønderslev", "Brønderslev"],
            "gruppe": ["Forsøgskommuner"] * 2 + ["Kontrolgruppe"] * 2,
            "omgjorte": [5, 5, 2, 2],
            "realitetsbehandlede": [10, 10, 8, 8],
            "realitetsbehandlede_lae265": [4, 6, 5, 0],
            "omgoerelsesprocent_lae265": [25.0, 50.0, 40.0, None],
        }
    )
    data = ReportData(
        panel=panel, control_units=[810], treated_units=[851], window_end=2, build_info={}
    )
    own = omgoerelser_table(data, "lae265").sort("kommunekode")
    assert own["realitetsbehandlede"].to_list() == [5, 10]
    assert own["omgjorte"].to_list() == [2, 4]
    assert own["omgoerelsesprocent"].to_list() == pytest.approx([40.0, 40.0])
    # Wilson 95 % for 4 of 10 by hand: (0.4 + z²/20 ± z·sqrt(0.024 + z²/400)) / (1 + z²/10).
    z = 1.959963984540054
    centre, half = 0.4 + z**2 / 20, z * (0.024 + z**2 / 400) ** 0.5
    low, high = (centre - half) / (1 + z**2 / 10), (centre + half) / (1 + z**2 / 10)
    aalborg = own.filter(pl.col("kommunekode") == 851).row(0, named=True)
    assert (aalborg["ci_lav"], aalborg["ci_hoej"]) == pytest.approx((100 * low, 100 * high))
    # Without a theme (or for a theme without law areas): every law area.
    every = omgoerelser_table(data).sort("kommunekode")
    assert every["realitetsbehandlede"].to_list() == [16, 20]
    assert every["omgjorte"].to_list() == [4, 10]
