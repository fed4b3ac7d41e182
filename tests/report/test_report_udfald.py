"""The report's section «Beskæftigelse og forsørgelse (DREAM)»: the theme's DREAM outcomes,
trial vs control before vs during, with the vocabulary's definitions."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from core import vocabulary
from core.paths import Home
from report import writer
from report.udfald import udfald_display, udfald_table
from tests.app.fixture_snapshot import build_fixture_snapshot

REHAB = "andel_selvforsoergende_uge_52_efter_afgoerelse"


def test_means_over_municipality_quarters_with_a_value():
    panel = pl.DataFrame(
        {
            "gruppe": ["Forsøgskommuner"] * 4 + ["Kontrolgruppe"] * 3,
            "periode": ["før", "før", "under", "under", "før", "under", "under"],
            REHAB: [0.5, None, 0.3, 0.6, 0.2, 0.1, 0.4],
        }
    )
    table = udfald_table(panel, "rehab_fritagelse")
    navn = vocabulary.indikator(REHAB).navn_da
    # Forsøg før: 0.5 (1); under: (0.3 + 0.6) / 2 = 0.45 (2); kontrol før 0.2 (1), under
    # (0.1 + 0.4) / 2 = 0.25 (2).
    assert table.rows() == [
        (navn, "Forsøgskommuner", "før", 0.5, 1),
        (navn, "Forsøgskommuner", "under", pytest.approx(0.45), 2),
        (navn, "Kontrolgruppe", "før", 0.2, 1),
        (navn, "Kontrolgruppe", "under", 0.25, 2),
    ]
    shown = udfald_display(table, "rehab_fritagelse")
    assert shown.columns == [
        "Indikator",
        "Forsøgskommuner før",
        "Forsøgskommuner under",
        "Kontrolgruppe før",
        "Kontrolgruppe under",
    ]
    assert shown.row(0) == (navn, "50,0 % (1)", "45,0 % (2)", "20,0 % (1)", "25,0 % (2)")
    # Another theme's DREAM outcomes are not this theme's section.
    assert udfald_table(panel, "lae285").height == 0


def test_report_shows_the_rehab_outcome_with_its_definition(tmp_path, monkeypatch):
    home = Home(tmp_path / "home")
    build_fixture_snapshot(home.published)
    with duckdb.connect(str(home.published)) as con:
        con.execute(f"alter table marts.mart_panel_kommune_kvartal add column {REHAB} double")
        # Trial 851/840/825 at 0.5/0.3/0.4, control 615/657 at 0.2/0.3, 101 without a value.
        con.execute(
            f"update marts.mart_panel_kommune_kvartal set {REHAB} = case kommunekode"
            " when 851 then 0.5 when 840 then 0.3 when 825 then 0.4"
            " when 615 then 0.2 when 657 then 0.3 end"
        )
        before = con.execute(
            "select count(*) from marts.mart_panel_kommune_kvartal where kvartal < '2018-01-01'"
            " and kommunekode = 851"
        ).fetchone()[0]
    # The section does not depend on the estimates (tested elsewhere; they take a minute).
    monkeypatch.setattr(writer, "run_estimates", lambda *args, **kwargs: {})
    html_path, xlsx_path = writer.write_report(home, "rehab_fritagelse", "alle_oevrige", tmp_path)
    html = html_path.read_text(encoding="utf-8")
    ind = vocabulary.indikator(REHAB)
    assert "<h2 class='afsnit'>Beskæftigelse og forsørgelse (DREAM)</h2>" in html
    assert f"<p><b>{ind.navn_da}.</b> {ind.definition_da}</p>" in html
    # Trial (0.5 + 0.3 + 0.4) / 3 = 40 % in every quarter, control (0.2 + 0.3) / 2 = 25 %;
    # before the start 3 (2) municipalities × the quarters before 2018.
    row = f"<td>{ind.navn_da}</td><td>40,0 % ({3 * before})</td>"
    assert row in html
    assert f"<td>25,0 % ({2 * before})</td>" in html
    sheet = pl.read_excel(xlsx_path, sheet_name="Beskaeftigelse_forsoergelse")
    assert sheet.height == 4
