"""Every page through streamlit's AppTest on the hand-made snapshot (tests/app/fixture_snapshot.py).

Expected values are worked out by hand from the fixture's constants (see its docstring)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tests.app.conftest import APP_TIMEOUT_S, PAGES, login, open_page
from tests.app.fixture_snapshot import build_fixture_snapshot


def _table_with(at, column: str) -> pd.DataFrame:
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with column {column!r}")


def _row(frame: pd.DataFrame, column: str, value: str) -> pd.Series:
    rows = frame[frame[column] == value]
    assert len(rows) == 1, rows
    return rows.iloc[0]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_a_figure(app_for, fixture_home, page):
    at = open_page(app_for(fixture_home), page)
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.title) == 1
    if page != "sql":
        assert at.get("plotly_chart"), f"{page} shows no figure"
    # The data-as-of banner is on every page.
    assert any("Data pr. 31.12.2022" in c.value for c in at.caption)
    # Every table has a CSV and an Excel download next to it.
    downloads = [b.proto.label for b in at.get("download_button")]
    assert downloads == ["CSV", "Excel"] * len(at.dataframe)


def test_overblik_detail_tables(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "overblik")
    fravalg = _table_with(at, "Andel")
    # LÆ285 waived in 3 of 10 eligible cases a month in the trial municipalities, 2018–2020.
    forsoeg_under = fravalg[
        (fravalg["Gruppe"] == "Forsøgskommuner") & (fravalg["Periode"] == "Under forsøget")
    ]
    assert forsoeg_under["Andel"].tolist() == ["30,0 %"]
    kontrol_under = fravalg[
        (fravalg["Gruppe"] == "Kontrolgruppe") & (fravalg["Periode"] == "Under forsøget")
    ]
    assert kontrol_under["Andel"].tolist() == ["0,0 %"]
    # Net saving: 3 trial municipalities × 36 trial months × 2.820 kr. = 304.560 kr.; of it
    # 3 × 36 × 100 kr. = 10.800 kr. (3,5 %) imputed from the fee table.
    text = " ".join(m.value for m in at.markdown)
    assert "sparede forsøgskommunerne netto 304.560 kr." in text
    assert "10.800 kr. (4 %) bygger på takster" in text


def test_english_toggle_from_the_url(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "overblik", lang="en")
    assert at.title[0].value == "Overview"
    metrics = {m.label: m.value for m in at.metric}
    # Certificate cost per case: −320 kr. against control (see test_overblik_headline.py).
    assert metrics["Certificate cost per eligible case"] == "-320 DKK"
    assert metrics["Share of eligible cases with LÆ285 waived"] == "+33.3 percentage points"


def test_filters_are_read_from_and_written_to_the_url(app_for, fixture_home):
    at = open_page(
        app_for(fixture_home),
        "rehabilitering",
        tema="rehab_fritagelse",
        kontrol="midtjylland",
        fra="2016K1",
    )
    assert at.selectbox(key="f_tema").value == "rehab_fritagelse"
    assert at.selectbox(key="f_kontrol").value == "midtjylland"
    assert at.query_params["tema"] == "rehab_fritagelse"
    assert at.query_params["fra"] == "2016K1"
    assert at.query_params["til"] == "2022K4"
    # Jobafklaring in the trial municipalities, 2018K1–2022K4 (20 quarters): 3 × 20 × 10 cases,
    # 3 × 20 × 4 exempted.
    table = _table_with(at, "Målgruppe")
    row = table[
        (table["Gruppe"] == "Forsøgskommuner")
        & (table["Periode"] == "Under forsøget")
        & (table["Målgruppe"] == "Jobafklaring")
    ].iloc[0]
    assert (row["Sager"], row["Fritaget"], row["Andel fritaget"]) == ("600", "240", "40,0 %")


def test_unknown_url_values_fall_back_to_defaults(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "overblik", tema="nope", kommune="9999", fra="x")
    assert not at.exception
    assert at.query_params["tema"] == "lae285"
    assert at.query_params["kommune"] == "851"
    assert at.query_params["fra"] == "2015K1"


def test_kommune_page_has_a_url_per_municipality(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "kommune", kommune="840")
    assert at.title[0].value == "Rebild (840)"
    table = _table_with(at, "Andel fravalgt")
    # Rebild waives 5 of 20 eligible cases a quarter during the LÆ285 trial.
    assert _row(table, "Kvartal", "2019K1")["Andel fravalgt"] == "25,0 %"
    assert _row(table, "Kvartal", "2016K1")["Andel fravalgt"] == "0,0 %"


def test_laegeattester_per_municipality(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "laegeattester")
    table = _table_with(at, "Nettobesparelse (kr.)")
    # Aalborg: 36 trial months × 2.820 kr.; 96 months × 10 eligible cases.
    aalborg = _row(table, "Kommune", "Aalborg")
    assert aalborg["Nettobesparelse (kr.)"] == "101.520 kr."
    assert aalborg["Sager omfattet"] == "960"


def test_sagsbehandlingstid_kaplan_meier_summary(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "sagsbehandlingstid")
    table = _table_with(at, "Hændelser")
    row = table[
        (table["Gruppe"] == "Forsøgskommuner") & (table["Periode"] == "Under forsøget")
    ].iloc[0]
    # 3 trial municipalities × 5 cases in 2019, 4 with a follow-up each.
    assert (row["Sager"], row["Hændelser"], row["Median (dage)"]) == ("15", "12", "40,0")
    # Trial and control cases have identical durations: observed = expected, p = 1.
    assert any("p = 1,000 (ingen sikker forskel)" in m for m in at.markdown.values)


def test_ankestyrelsen_reversal_with_and_without_waiver(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "ankestyrelsen")
    table = _table_with(at, "LÆ285 fravalgt i sagen")
    by_waiver = {str(r["LÆ285 fravalgt i sagen"]): r for _, r in table.iterrows()}
    # 2 waived cases in each of the 3 trial municipalities, all appealed and changed;
    # 8 cases with a certificate each, all upheld.
    assert (by_waiver["Ja"]["Omgjorte"], by_waiver["Ja"]["Realitetsbehandlede"]) == ("6", "6")
    assert (by_waiver["Nej"]["Omgjorte"], by_waiver["Nej"]["Realitetsbehandlede"]) == (
        "0",
        "24",
    )


def test_effekt_states_the_few_clusters_caveat(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "effekt")
    assert "Effekt (ATT)" in [m.label for m in at.metric]
    weak = [w.value for w in at.warning if "Svag statistisk sikkerhed: kun 3 behandlede" in w.value]
    assert len(weak) == 1


def _metric(at, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert len(values) == 1, [m.label for m in at.metric]
    return values[0]


def test_effekt_cuts_lae285_at_its_last_trial_quarter(app_for, fixture_home):
    # Default period 2015K1–2022K4; LÆ285 ran 2018K1–2020K4. In 2018K1–2020K4 the trial
    # municipalities waive 10/40, 5/20 and 1/2 (controls 0): ATT = mean(0,25; 0,25; 0,5) = 1/3.
    # Uncut, the 8 quarters 2021K1–2022K4 with no difference would give 12/20 · 1/3 = 0,200.
    at = open_page(app_for(fixture_home), "effekt")
    assert not at.exception
    assert _metric(at, "Effekt (ATT)") == "33,3 procentpoint"
    notes = [i.value for i in at.info if "skåret til" in i.value]
    assert len(notes) == 1
    assert "til og med 2020K4" in notes[0]
    assert "2021K1–2022K4 er udeladt" in notes[0]
    assert "landsdækkende lov" in notes[0]
    # 6 municipalities: all 2^6 = 64 sign vectors; 3 of 6 treated: all C(6,3) = 20 assignments.
    assert any(
        "wild cluster bootstrap med alle 64 fortegnsvektorer (eksakt)" in c.value
        and "randomiseringstest med alle 20 fordelinger (eksakt)" in c.value
        for c in at.caption
    )


def test_effekt_cut_note_in_english(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "effekt", lang="en", til="2021K2")
    assert _metric(at, "Effect (ATT)") == "33.3 percentage points"
    notes = [i.value for i in at.info if "has been cut" in i.value]
    assert len(notes) == 1
    assert "up to and including 2020Q4" in notes[0]
    assert "2021Q1–2021Q2 are left out" in notes[0]
    assert "national law made LÆ285 optional" in notes[0]
    assert any("all 64 sign vectors (exact)" in c.value for c in at.caption)
    # The weak-inference warning is English too, and shown once.
    weak = [w.value for w in at.warning if "only 3 treated units (and 3 controls)" in w.value]
    assert len(weak) == 1
    assert not any("Svag statistisk sikkerhed" in w.value for w in at.warning)


def test_effekt_no_cut_while_the_theme_runs(app_for, fixture_home):
    # Rehab exemption runs to 2022K4, the panel's end. Exempted 8/20, 4/10, 1/3 from 2018K1:
    # ATT = mean(0,4; 0,4; 1/3) = 0,378 = 37,8 percentage points.
    at = open_page(app_for(fixture_home), "effekt", tema="rehab_fritagelse")
    indikator = next(s for s in at.selectbox if s.label == "Indikator")
    indikator.set_value("andel_rehab_fritaget").run()
    assert not at.exception
    assert _metric(at, "Effekt (ATT)") == "37,8 procentpoint"
    assert not [i.value for i in at.info if "skåret til" in i.value]
    # An LÆ285 period that ends before the theme does is not cut either.
    at = open_page(app_for(fixture_home), "effekt", til="2019K4")
    assert _metric(at, "Effekt (ATT)") == "33,3 procentpoint"
    assert not [i.value for i in at.info if "skåret til" in i.value]


def test_effekt_period_wholly_after_the_theme(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "effekt", fra="2021K1")
    assert not at.exception
    assert not at.metric
    assert any("Hele den valgte periode ligger efter" in i.value for i in at.info)


def test_datakvalitet_lists_rejected_files_and_quarantine(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "datakvalitet")
    afviste = _table_with(at, "Fil")
    assert afviste["Årsag"].tolist() == ["Kolonnen startdato mangler"]
    regler = _table_with(at, "Regel")
    assert regler[["Regel", "Antal"]].values.tolist() == [["invalid_date", "3"]]


def test_datakvalitet_shows_managers_no_quarantine_content(app_for, login_home):
    at = login(app_for(login_home), "mette")
    at.switch_page("app_pages/datakvalitet.py").run()
    assert not at.exception
    shown = [frame.value.to_csv() for frame in at.dataframe]
    assert shown and not any("startdato" in t or "invalid_date" in t for t in shown)
    assert not any({"Fil", "Regel"} & set(frame.value.columns) for frame in at.dataframe)
    assert any("kun for evaluatorer" in i.value for i in at.info)
    at = login(app_for(login_home), "eva")
    at.switch_page("app_pages/datakvalitet.py").run()
    assert _table_with(at, "Regel")[["Regel", "Antal"]].values.tolist() == [["invalid_date", "3"]]


def test_sql_page_refuses_a_write_and_runs_a_select(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "sql")
    at.text_area(key="sql_text").input("drop table marts.dim_kommune")
    at.button[0].click()
    at.run()
    assert any("Afvist" in e.value for e in at.error)
    at.text_area(key="sql_text").input("select count(*) as n from marts.dim_kommune")
    at.button[0].click()
    at.run()
    assert not at.error
    assert _table_with(at, "n")["n"].tolist() == ["6"]


def test_demo_without_login_is_evaluator_and_says_so(app_for, fixture_home):
    at = app_for(fixture_home).run()
    assert any(w.value.startswith("Demo uden login") for w in at.sidebar.warning)


def test_login_required_when_users_file_exists(app_for, login_home):
    at = app_for(login_home).run()
    assert at.title[0].value == "Log ind"
    assert not at.get("plotly_chart")
    at.text_input[0].input("mette")
    at.text_input[1].input("wrong")
    at.button[0].click()
    at.run()
    assert any("Forkert" in e.value for e in at.error)


def test_manager_sees_suppressed_small_cells(app_for, login_home):
    at = app_for(login_home)
    at.query_params["kommune"] = "825"
    login(at, "mette")
    at.switch_page("app_pages/kommune.py").run()
    assert at.title[0].value == "Læsø (825)"
    row = _row(_table_with(at, "Andel fravalgt"), "Kvartal", "2019K1")
    # Læsø: 2 eligible cases, 1 waived a quarter: both counts and the share hidden.
    assert (row["Sager omfattet"], row["LÆ285 fravalgt"], row["Andel fravalgt"]) == (
        "·",
        "·",
        "·",
    )
    # Appeals (12 decided, 2 reversed) stay visible as counts ≥ 5 … and 2 is hidden.
    assert (row["Realitetsbehandlede"], row["Omgjorte"]) == ("12", "·")


def test_evaluator_sees_unsuppressed_cells(app_for, login_home):
    at = app_for(login_home)
    at.query_params["kommune"] = "825"
    login(at, "eva")
    at.switch_page("app_pages/kommune.py").run()
    row = _row(_table_with(at, "Andel fravalgt"), "Kvartal", "2019K1")
    assert (row["Sager omfattet"], row["LÆ285 fravalgt"], row["Andel fravalgt"]) == (
        "2",
        "1",
        "50,0 %",
    )


def test_sql_page_is_not_offered_to_managers(app_for, login_home):
    at = login(app_for(login_home), "mette")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/sql.py")


def test_no_snapshot_tells_the_user_to_build(app_for, tmp_path):
    from core.paths import Home

    at = app_for(Home(tmp_path)).run()
    assert at.title[0].value == "Ingen data endnu"
    assert "trialwh build" in at.error[0].value


def test_new_snapshot_is_picked_up_without_restart(app_for, tmp_path):
    from core.paths import Home

    home = Home(tmp_path)
    build_fixture_snapshot(home.published, build_id="build-a")
    at = app_for(home).run()
    assert any("build build-a" in c.value for c in at.caption)
    build_fixture_snapshot(home.published, build_id="build-b")  # os.replace, as the builder does
    at.run()
    assert not at.exception
    assert any("build build-b" in c.value for c in at.caption)


@pytest.mark.parametrize("page", [p for p in PAGES if p != "sql"])
def test_every_page_renders_for_a_manager(app_for, login_home, page):
    at = login(app_for(login_home), "mette")
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.get("plotly_chart")
    assert any("Små tal er skjult" in c.value for c in at.caption)


def test_snapshot_without_marts_says_so(app_for, tmp_path):
    import duckdb

    from core.paths import Home

    home = Home(tmp_path)
    home.published_dir.mkdir()
    con = duckdb.connect(str(home.published))
    con.execute("create schema meta; create table meta.build_info as select 'x' as build_id")
    con.close()
    at = app_for(home).run()
    assert at.title[0].value == "Snapshot kan ikke vises"
    assert "trialwh build" in at.error[0].value


def _line(at, trace_name: str) -> dict[str, float]:
    """Quarter → value of trace ``trace_name`` in the page's first chart (NaN = no point)."""
    import base64
    import json

    import numpy as np

    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    traces = [t for t in spec["data"] if t.get("name") == trace_name]
    assert len(traces) == 1, [t.get("name") for t in spec["data"]]
    y = traces[0]["y"]
    if isinstance(y, dict):  # plotly's typed array: {"dtype": "f8", "bdata": base64}
        y = np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]).tolist()
    y = [float("nan") if v is None else float(v) for v in y]
    return dict(zip(traces[0]["x"], y, strict=True))


@pytest.mark.parametrize(("user", "expected"), [("eva", 0.5), ("mette", None)])
def test_manager_chart_never_shows_a_suppressed_share(app_for, login_home, user, expected):
    # Læsø 2019K1: 1 of 2 eligible cases waived LÆ285 (fixture constants). The evaluator's
    # chart plots 1/2; the manager's chart leaves the quarter out, as the table shows "·".
    at = app_for(login_home)
    at.query_params["kommune"] = "825"
    login(at, user)
    at.switch_page("app_pages/kommune.py").run()
    assert not at.exception, [e.value for e in at.exception]
    line = _line(at, "Læsø")
    value = line["2019K1"]
    if expected is None:
        # Every Læsø quarter has 2 eligible cases: no share is ever drawn for a manager.
        assert all(math.isnan(v) for v in line.values()), line
    else:
        assert value == pytest.approx(100 * expected)
        # Outside the LÆ285 trial (2018K1–2020K4) 0 of 2 were waived.
        assert line["2021K1"] == 0.0


def _sql_page_as(home_dir: str, role: str) -> None:
    """AppTest script: the SQL page run directly (as if reached without the menu) for
    ``role``; the page itself must check the role."""
    import runpy
    from pathlib import Path

    from dashboards import filters
    from dashboards.site import PAGES_DIR
    from dashboards.state import PageContext, current_snapshot, set_context

    snap = current_snapshot(Path(home_dir) / "published" / "current.duckdb")
    chosen = filters.sidebar(snap, "da")
    set_context(PageContext(snap=snap, filters=chosen, role=role, lang="da", user="x"))
    runpy.run_path(str(PAGES_DIR / "sql.py"))


@pytest.mark.parametrize("role", ["manager", "evaluator"])
def test_sql_page_itself_refuses_a_manager(fixture_home, role):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(
        _sql_page_as, args=(str(fixture_home.root), role), default_timeout=APP_TIMEOUT_S
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    refused = [e.value for e in at.error if "kun for evaluatorer" in e.value]
    if role == "manager":
        assert refused == ["SQL-siden er kun for evaluatorer."]
        assert not at.text_area and not at.dataframe
    else:
        assert not refused
        assert at.text_area  # the query box
