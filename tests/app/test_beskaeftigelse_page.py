"""The page "Beskæftigelse og forsørgelse" on the fixture snapshot plus hand-made DREAM marts."""

from __future__ import annotations

import re

import duckdb
import pytest

from core import vocabulary
from core.paths import Home
from dashboards.auth import hash_password
from dashboards.udfald import kaplan_meier
from evaluation.suppression import HIDDEN
from tests.app.conftest import PASSWORDS, login, open_page
from tests.app.fixture_snapshot import build_fixture_snapshot
from tests.app.test_walk_findings import assert_trial_first_in_legends

REHAB = "andel_selvforsoergende_uge_52_efter_afgoerelse"


@pytest.fixture(scope="module")
def dream_home(tmp_path_factory) -> Home:
    home = Home(tmp_path_factory.mktemp("dream_home"))
    build_fixture_snapshot(home.published)
    with duckdb.connect(str(home.published)) as con:
        for column in (
            "andel_selvforsoergende_uge_26",
            "andel_selvforsoergende_uge_52",
            "andel_gensygemeldt_6_mdr",
            "gns_ydelsesuger_52",
        ):
            con.execute(f"alter table marts.mart_panel_kommune_kvartal add column {column} double")
        con.execute(
            "update marts.mart_panel_kommune_kvartal set andel_selvforsoergende_uge_26 = 0.6,"
            " andel_selvforsoergende_uge_52 = 0.7, andel_gensygemeldt_6_mdr = 0.05,"
            " gns_ydelsesuger_52 = 20"
        )
        # The rehab outcome: trial 851/840/825 at 0.5/0.3/0.4, control 615/657 at 0.2/0.3
        # and 101 without a known week 52 (NULL).
        con.execute(
            "alter table marts.mart_panel_kommune_kvartal"
            " add column andel_selvforsoergende_uge_52_efter_afgoerelse double"
        )
        con.execute(
            "update marts.mart_panel_kommune_kvartal"
            " set andel_selvforsoergende_uge_52_efter_afgoerelse = case kommunekode"
            " when 851 then 0.5 when 840 then 0.3 when 825 then 0.4"
            " when 615 then 0.2 when 657 then 0.3 end"
        )
        # 10 cases per municipality and quarter; self-support rises by 10 per 52 weeks.
        con.execute(
            """
            create table marts.mart_selvforsoergelse_uger as
            select p.kommunekode, p.kvartal, w.uge::integer as uge,
                10 as n_observeret, (w.uge * 10 // 52)::integer as n_selvforsoergende,
                10 as n_i_risiko, case when w.uge = 10 then 5 else 0 end as n_selvforsoerget
            from marts.mart_panel_kommune_kvartal as p cross join range(0, 53) as w (uge)
            """
        )
        con.execute(
            "alter table marts.fct_sygedagpengesager"
            " add column if not exists is_omfattet_lae285 boolean default true"
        )
        con.execute(
            """
            create table marts.fct_sygedagpengeudfald as
            select sygedagpengesag_id, kommunekode, foerste_fravaersdag,
                'selvforsoergende' as ydelsesgruppe_uge_52
            from marts.fct_sygedagpengesager
            """
        )
        con.execute("create schema if not exists reference")
        con.execute(
            "create table reference.ydelsesgrupper as select * from"
            " read_csv('seeds/ydelsesgrupper.csv', all_varchar = true)"
        )
        con.execute("alter table reference.ydelsesgrupper alter sortering type integer")
    return home


def test_page_renders_curves_tables_and_downloads(app_for, dream_home):
    at = open_page(app_for(dream_home), "beskaeftigelse")
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Beskæftigelse og forsørgelse"
    assert len(at.get("plotly_chart")) == 4
    downloads = [b.proto.label for b in at.get("download_button")]
    assert downloads == ["CSV", "Excel"] * len(at.dataframe)
    assert len(at.dataframe) == 4
    # Headers in words, none a column code (the walk found "uge", "n_observeret" and
    # "ydelsesgruppe" on screen).
    headers = [str(c) for t in at.dataframe for c in t.value.columns]
    assert not [h for h in headers if re.fullmatch(r"[a-z0-9_]+", h)], headers
    assert {"Uge", "Sager i DREAM", "Ydelsesgruppe"} <= set(headers), headers


def test_curves_list_the_trial_first(app_for, dream_home):
    # The week-by-week legend listed the control group first.
    assert_trial_first_in_legends(open_page(app_for(dream_home), "beskaeftigelse"))


def test_curves_one_colour_per_group_and_the_period_by_dash(app_for, dream_home):
    # The week-by-week curves took plotly's default colour per trace, so the trial group
    # had two colours (before/during) and neither was the trial red of the other charts.
    import json

    from dashboards.charts import PALETTE

    at = open_page(app_for(dream_home), "beskaeftigelse")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    lines = {t["name"]: t["line"] for t in spec["data"] if t.get("name")}
    assert lines, spec["data"]
    for name, line in lines.items():
        group = "forsoeg" if name.startswith("Forsøg") else "kontrol"
        assert line["color"] == PALETTE[group], (name, line)
        assert line["dash"] == ("dot" if "før" in name else "solid"), (name, line)


REHAB_NAVN = "Andel selvforsørgende 52 uger efter afgørelsen (jobafklaring og fleksjob)"


def _rehab_table(at):
    """The rehab outcome's table: the one whose columns hold the indicator's name."""
    (table,) = [t.value for t in at.dataframe if REHAB_NAVN in t.value.columns]
    return table


def test_rehab_outcome_trial_vs_control_with_om_tallet(app_for, dream_home):
    at = open_page(app_for(dream_home), "beskaeftigelse")
    assert not at.exception, [e.value for e in at.exception]
    table = _rehab_table(at)
    # Every quarter: trial (0.5 + 0.3 + 0.4) / 3 = 40 %, control (0.2 + 0.3) / 2 = 25 %.
    by_group = table.groupby("Gruppe")
    assert set(by_group.groups) == {"Forsøgskommuner", "Kontrolgruppe"}
    trial = by_group.get_group("Forsøgskommuner")
    control = by_group.get_group("Kontrolgruppe")
    assert set(trial[REHAB_NAVN]) == {"40,0 %"} and set(control[REHAB_NAVN]) == {"25,0 %"}
    assert set(trial["Kommuner"]) == {"3"} and set(control["Kommuner"]) == {"2"}
    # Om tallet: the seed's definition, word for word, under the indicator's name.
    expander = [e for e in at.expander if e.label == f"Om tallet: {REHAB_NAVN}"]
    assert len(expander) == 1
    assert vocabulary.indikator(REHAB).definition_da in expander[0].markdown[0].value


def test_rehab_outcome_hides_small_counts_for_managers(app_for, dream_home):
    users = dream_home.root / "users.toml"
    users.write_text(
        f'[users.mette]\nrole = "manager"\npassword_hash = "{hash_password(PASSWORDS["mette"])}"\n',
        encoding="utf-8",
    )
    users.chmod(0o600)
    try:
        at = login(app_for(dream_home), "mette")
        at.switch_page("app_pages/beskaeftigelse.py")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        table = _rehab_table(at)
        control = table[table["Gruppe"] == "Kontrolgruppe"]
        assert set(control["Kommuner"]) == {HIDDEN}
    finally:
        users.unlink()


def test_kaplan_meier_from_summed_counts():
    import polars as pl

    counts = pl.DataFrame(
        {
            "gruppe": ["forsoeg"] * 3,
            "periode": ["under"] * 3,
            "uge": [0, 1, 2],
            "n_i_risiko": [10, 8, 4],
            "n_selvforsoerget": [2, 4, 0],
        }
    )
    # S(0) = 0.8, S(1) = 0.8 · 0.5 = 0.4, S(2) = 0.4: reached = 1 − S.
    got = kaplan_meier(counts)["andel_varigt_selvforsoergende"].to_list()
    assert got == pytest.approx([0.2, 0.6, 0.6])
