"""The downloads under the pages' tables, as the pages make them: the CSV read the way
Danish Excel reads it (``;``, decimal comma) and the workbook read with openpyxl.

The files are made when the user clicks; the test records what each page hands to the
download buttons and writes the files from it exactly as the buttons do."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from core.eksport import ABOUT_SHEET, Sheet, csv_bytes, excel_bytes
from dashboards import downloads, tables
from dashboards.snapshot import Snapshot
from tests.app.conftest import PASSWORDS, open_page


@pytest.fixture
def recorded(monkeypatch):
    """name → (table, about rows) of every table drawn in the run."""
    seen: dict[str, tuple] = {}
    original_about = downloads.about_rows
    abouts: list = []

    def about(*args, **kwargs):
        rows = original_about(*args, **kwargs)
        abouts.append(rows)
        return rows

    def buttons(ctx, table, name, slug, *, sources=None):
        downloads.download_buttons(ctx, table, name, slug, sources=sources)
        seen[name] = (table, abouts[-1])

    monkeypatch.setattr(downloads, "about_rows", about)
    monkeypatch.setattr(tables, "download_buttons", buttons)
    return seen


def _csv(table, lang="da") -> list[list[str]]:
    data = csv_bytes(table, lang)
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_overblik_csv_and_workbook_for_danish_excel(app_for, fixture_home, recorded):
    at = open_page(app_for(fixture_home), "overblik")
    assert not at.exception
    table, about = recorded["attester_fravalgt"]
    # The screen says 30,0 % for the trial municipalities during the trial (3 of 10 a month).
    frame = pd.read_csv(io.BytesIO(csv_bytes(table)), sep=";", decimal=",", encoding="utf-8-sig")
    row = frame[(frame["Gruppe"] == "Forsøgskommuner") & (frame["Periode"] == "Under forsøget")]
    assert row["Andel (%)"].tolist() == [30.0]
    assert frame["Andel (%)"].dtype.kind == "f"
    text = csv_bytes(table).decode("utf-8-sig")
    for bad in ("NaN", "true", "True", "e-"):
        assert bad not in text
    book = openpyxl.load_workbook(io.BytesIO(excel_bytes([Sheet("attester", table)], about)))
    sheet = book["attester"]
    header = [c.value for c in sheet[1]]
    share = header.index("Andel")
    cells = [r[share] for r in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "n" and c.number_format == "0.0%" for c in cells if c.value)
    assert 0.3 in [c.value for c in cells]
    info = dict(book[ABOUT_SHEET].iter_rows(values_only=True))
    snap = Snapshot(fixture_home.published)
    try:
        assert info["Build-id"] == snap.build.build_id
    finally:
        snap.close()
    assert info["Data pr."] == "31.12.2022"
    assert "marts.mart_attestbesparelse" in info["Kilde (mart)"]
    assert info["Periode"] == "2015K1–2022K4"
    assert info["Tema"] and info["Kontrolgruppe"] == "Alle øvrige kommuner"


def test_every_table_on_a_page_has_its_source_and_quarters_as_2019k1(
    app_for, fixture_home, recorded
):
    at = open_page(app_for(fixture_home), "kommune", kommune="840")
    assert not at.exception
    table, about = recorded["kommune_840"]
    rows = _csv(table)
    assert rows[0][0] == "Kvartal"
    assert rows[1][0] == "2015K1" and rows[-1][0] == "2022K4"
    assert "marts.mart_panel_kommune_kvartal" in dict(about)["Kilde (mart)"]


def test_a_managers_download_marks_the_same_cells_as_the_screen(app_for, login_home, recorded):
    at = app_for(login_home)
    at.query_params.update({"kommune": "825"})
    at.run()
    at.text_input[0].input("mette")
    at.text_input[1].input(PASSWORDS["mette"])
    at.button[0].click()
    at.run()
    at.switch_page("app_pages/kommune.py")
    at.run()
    assert not at.exception
    screen = next(d.value for d in at.dataframe if "Kvartal" in d.value.columns)
    table, about = recorded["kommune_825"]
    rows = _csv(table)
    hidden_screen = int((screen == "·").to_numpy().sum())
    hidden_csv = sum(cell == "·" for row in rows[1:] for cell in row)
    # Læsø: 2 eligible cases and 1 waived a quarter, so counts and shares are hidden.
    assert hidden_screen > 0 and hidden_csv == hidden_screen
    book = openpyxl.load_workbook(io.BytesIO(excel_bytes([Sheet("t", table)], about)))
    hidden_xlsx = sum(c.value == "·" for r in book["t"].iter_rows(min_row=2) for c in r)
    assert hidden_xlsx == hidden_screen
    assert dict(about)["Småtalsdiskretion"].startswith(f"ja: {hidden_screen} celler skjult")


def test_a_querys_marts_are_read_from_its_sql_constants_and_helpers():
    from dashboards import queries
    from dashboards.kilder import marts_of

    # rangering names the panel only through the PANEL constant and the _rate_sql helper.
    assert marts_of(queries.rangering) == ("marts.mart_panel_kommune_kvartal",)
    assert marts_of(queries.kommuner) == ("marts.dim_kommune",)
    assert marts_of(len) == ()
