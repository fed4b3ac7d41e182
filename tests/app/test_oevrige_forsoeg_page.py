"""The "Øvrige forsøg" page on the hand-made snapshot plus two small marts of the other
trials; figures below are counted by hand from the rows inserted here."""

from __future__ import annotations

import duckdb
import pytest

from core.paths import Home
from tests.app.conftest import open_page
from tests.app.fixture_snapshot import build_fixture_snapshot
from tests.app.test_pages import _table_with

MARTS = """
create table marts.mart_psykologbehandling as
select * from (values
    (849, date '2019-01-01', 3, 2, 8.0, 20000.0, 2, 10000.0, 3, 2, -7.0, -45.1, 31.1, 1, 0.5),
    (787, date '2019-04-01', 6, 6, 9.0, 54000.0, 6, 9000.0, 6, 5, -6.0, -9.0, -3.0, 4, 0.8)
) as t (kommunekode, kvartal, forloeb, forloeb_afsluttet, gns_sessioner, udgift_kr,
        forloeb_med_udgift, udgift_pr_forloeb_kr, n_med_score_foer, n_med_screening,
        gns_scoreaendring, gns_scoreaendring_ci_lav, gns_scoreaendring_ci_hoej,
        n_klinisk_relevant_fald, andel_klinisk_relevant_fald);
create table marts.mart_psykologbehandling_instrument as
select * from (values
    (849, date '2019-01-01', 'BDI', 2, -7.0, -45.1, 31.1, 5.0, 1, 0.5)
) as t (kommunekode, kvartal, screening_instrument, n_parret, gns_scoreaendring,
        gns_scoreaendring_ci_lav, gns_scoreaendring_ci_hoej, klinisk_relevant_fald,
        n_klinisk_relevant_fald, andel_klinisk_relevant_fald);
create table marts.mart_uddannelsespaalaeg as
select * from (values
    (851, date '2018-04-01', 12, 5, 7, 2, 1, 2, 0, 0, 2, 2 / 12, 2, 4, 6, 2, 'uddannelseshjaelp'),
    (851, date '2019-04-01', 3, 1, 2, 1, 0, 0, 0, 0, 1, 1 / 3, 1, 1, 1, 1, 'selvforsoergende')
) as t (kommunekode, kvartal, fritaget, ophoert, stadig_fritaget, ophoert_paabegyndt_uddannelse,
        ophoert_beskaeftigelse, ophoert_anden_ydelse, ophoert_fraflyttet, ophoert_andet,
        heraf_paabegyndt_uddannelse, andel_paabegyndt_uddannelse, heraf_paabegyndt_uddannelse_su,
        ved_forsoegets_slut_selvforsoergende, ved_forsoegets_slut_paa_ydelse,
        ved_forsoegets_slut_ukendt, ydelsesgruppe_ved_forsoegets_slut);
"""


@pytest.fixture(scope="module")
def trials_home(tmp_path_factory) -> Home:
    home = Home(tmp_path_factory.mktemp("oevrige_home"))
    build_fixture_snapshot(home.published)
    con = duckdb.connect(str(home.published))
    con.execute(MARTS)
    con.close()
    return home


def test_psychologist_view_shows_courses_and_score_change(app_for, trials_home):
    at = open_page(app_for(trials_home), "oevrige_forsoeg")
    assert not at.exception, [e.value for e in at.exception]
    assert at.get("plotly_chart")
    table = _table_with(at, "Psykologforløb")
    assert sorted(table["Psykologforløb"].tolist()) == ["3", "6"]
    assert sorted(table["Udgift pr. forløb (kr.)"].tolist()) == ["10.000 kr.", "9.000 kr."]
    downloads = [b.proto.label for b in at.get("download_button")]
    assert downloads == ["CSV", "Excel"] * len(at.dataframe)


def test_theme_switch_shows_the_exemptions(app_for, trials_home):
    at = open_page(app_for(trials_home), "oevrige_forsoeg")
    at.button_group[0].set_value("uddannelsespaalaeg_fritagelse").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["forsoeg"] in (
        "uddannelsespaalaeg_fritagelse",
        ["uddannelsespaalaeg_fritagelse"],
    )
    table = _table_with(at, "Fritaget")
    assert sorted(table["Fritaget"].tolist()) == ["12", "3"]
    assert sorted(table["Påbegyndt uddannelse"].tolist()) == ["1", "2"]
    # Where the young people were at the trial's end (DREAM), in words; the most common
    # benefit group (a code, and a person's own group in a cell of one) is not shown.
    assert sorted(table["Ved forsøgets slut: på offentlig ydelse"].tolist()) == ["1", "6"]
    assert not any("ydelsesgruppe" in c or "uddannelseshjaelp" in c for c in table.columns)
    assert any("uddannelsespålæg" in c.value for c in at.caption)


def _uddannelseshjaelp_mart() -> str:
    """Aalborg (851) = the mean of donors 461 and 561 plus a wiggle of ±2 percentage points,
    and 10 points more from 2018K1 (periode 13) on; four more donors on other paths; 100 young
    people in every cell, week 26 known up to 2022K2 (periode 30)."""
    import math

    donors = {461: 0.20, 561: 0.30, 730: 0.22, 751: 0.28, 615: 0.18, 657: 0.32}
    rows = []
    for periode in range(1, 33):
        year, quarter = 2015 + (periode - 1) // 4, (periode - 1) % 4 + 1
        kvartal = f"date '{year}-{3 * quarter - 2:02d}-01'"
        known = 100 if periode <= 30 else 0
        values = {
            kode: level + 0.04 * math.sin(periode * (i + 1) / 4)
            for i, (kode, level) in enumerate(donors.items())
        }
        values[851] = (
            (values[461] + values[561]) / 2
            + 0.02 * math.cos(1.7 * periode)
            + (0.10 if periode >= 13 else 0.0)
        )
        for kode, value in values.items():
            gode = round(100 * value) if known else 0
            andel = f"{gode} / 100" if known else "null"
            treated = kode == 851
            rows.append(
                f"({kode}, {kvartal}, {periode}, 100, {known}, {gode}, {andel}, {treated},"
                f" {treated and periode >= 13}, {not treated})"
            )
    return (
        "create table marts.mart_uddannelseshjaelp_udfald as select * from (values "
        + ",\n".join(rows)
        + ") as t (kommunekode, kvartal, periode_index, unge_paa_uddannelseshjaelp,"
        " unge_med_kendt_udfald, heraf_uddannelse_eller_selvforsoergende_uge_26,"
        " andel_uddannelse_eller_selvforsoergende_uge_26, is_forsoegskommune, is_i_forsoeg,"
        " is_donor)"
    )


@pytest.fixture(scope="module")
def synth_home(tmp_path_factory) -> Home:
    home = Home(tmp_path_factory.mktemp("oevrige_synth_home"))
    build_fixture_snapshot(home.published)
    con = duckdb.connect(str(home.published))
    con.execute(MARTS)
    con.execute(_uddannelseshjaelp_mart())
    con.close()
    return home


def test_exemption_theme_shows_the_synthetic_control(app_for, synth_home):
    at = open_page(app_for(synth_home), "oevrige_forsoeg")
    at.button_group[0].set_value("uddannelsespaalaeg_fritagelse").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [w for w in at.warning if "snapshot" in w.value], [w.value for w in at.warning]
    # The indicator's Danish name from the vocabulary heads the section.
    assert any("i uddannelse eller selvforsørgende 26 uger senere" in h.value for h in at.subheader)
    path = _table_with(at, "Andel, syntetisk kontrol")
    # 2015K1 .. 2022K2: the quarters with a known outcome; the counts of Aalborg as inserted.
    assert len(path) == 30
    assert set(path["Unge på uddannelseshjælp med kendt udfald"]) == {"100"}
    gaps = path["Forskel (procentpoint)"].str.replace(",", ".").astype(float)
    # From 2018K1 Aalborg lies about 10 points above its synthetic control (wiggle ±2).
    assert abs(gaps[12:].mean() - 10) <= 2.5 and abs(gaps[:12].mean()) <= 1
    weights = _table_with(at, "Vægt")
    assert len(weights) >= 1
    labels = [m.label for m in at.metric]
    assert "Placebo-p" in labels and "Mindste mulige p = 1/(J + 1)" in labels
    assert any("p-værdien kan kun være k/" in c.value for c in at.caption)
    downloads = [b.proto.label for b in at.get("download_button")]
    assert downloads.count("CSV") == len(at.dataframe)


@pytest.fixture(scope="module")
def one_pair_home(tmp_path_factory) -> Home:
    """The trials' marts plus one instrument row of Aalborg (851) with a single paired
    score: no spread, so no interval (null in the mart)."""
    home = Home(tmp_path_factory.mktemp("oevrige_one_pair"))
    build_fixture_snapshot(home.published)
    with duckdb.connect(str(home.published)) as con:
        con.execute(MARTS)
        con.execute(
            "insert into marts.mart_psykologbehandling_instrument values "
            "(851, date '2019-04-01', 'BDI', 1, -4.0, null, null, 5.0, 0, 0.0)"
        )
    return home


@pytest.mark.parametrize("lang", ["da", "en"])
def test_instrument_table_names_municipalities_and_explains_empty_intervals(
    app_for, one_pair_home, lang
):
    # The walk found bare codes (851) and blank interval cells without a word on why.
    params = {"lang": "en"} if lang == "en" else {}
    at = open_page(app_for(one_pair_home), "oevrige_forsoeg", **params)
    assert not at.exception, [e.value for e in at.exception]
    instrument = "Screening instrument" if lang == "en" else "Screeningsinstrument"
    table = _table_with(at, instrument)
    kommune = "Municipality" if lang == "en" else "Kommune"
    # 849 is not in the fixture's municipality dimension: no name to show.
    assert sorted(table[kommune].fillna("").tolist()) == ["", "Aalborg"]
    empty = "Empty 95% interval: " if lang == "en" else "Tomt 95 %-interval: "
    notes = [c.value for c in at.caption if c.value.startswith(empty)]
    assert len(notes) == 1, [c.value for c in at.caption]
