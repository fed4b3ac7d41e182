"""The page "Beskæftigelse og forsørgelse" on the fixture snapshot plus hand-made DREAM marts."""

from __future__ import annotations

import duckdb
import pytest

from core.paths import Home
from dashboards.udfald import kaplan_meier
from tests.app.conftest import open_page
from tests.app.fixture_snapshot import build_fixture_snapshot


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
    assert len(at.get("plotly_chart")) == 3
    downloads = [b.proto.label for b in at.get("download_button")]
    assert downloads == ["CSV", "Excel"] * len(at.dataframe)
    assert len(at.dataframe) == 3


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
