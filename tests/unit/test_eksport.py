"""Downloads for Danish Excel: the CSV read back with ``;`` and decimal comma, the workbook
read back with openpyxl (number cells, number formats, hidden cells, "Om udtrækket")."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import polars as pl

from core.eksport import (
    ABOUT_SHEET,
    DownloadTable,
    Sheet,
    column_kind,
    csv_bytes,
    excel_bytes,
)


def _table() -> DownloadTable:
    data = pl.DataFrame(
        {
            "kvartal": [dt.date(2019, 1, 1), dt.date(2019, 4, 1), dt.date(2019, 7, 1)],
            "kommunekode": [851, 773, 101],
            "sager": [1234, 3, 0],
            "andel_fritaget": [0.25549, None, float("nan")],
            "omgoerelsesprocent": [18.649, 7.43e-82, 100.0],
            "nettobesparelse_kr": [1140.5, -2500.49, 1_234_567.0],
            "median_dage": [12.25, 7.43e-82, None],
            "i_forsoeg": [True, False, None],
            "dato": [dt.date(2019, 3, 31), None, dt.date(2020, 12, 1)],
            "navn": ["Aalborg", "=1+1", None],
        }
    )
    mask = pl.DataFrame({c: [False, c == "sager", False] for c in data.columns})
    headers = {"sager": "Sager", "andel_fritaget": "Andel fritaget", "kvartal": "Kvartal"}
    return DownloadTable(data, mask, headers)


def _rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_csv_is_danish_excel_ready():
    rows = _rows(csv_bytes(_table()))
    header, first, second, third = rows
    assert header == [
        "Kvartal",
        "kommunekode",
        "Sager",
        "Andel fritaget (%)",
        "omgoerelsesprocent",
        "nettobesparelse_kr (kr.)",
        "median_dage",
        "i_forsoeg",
        "dato",
        "navn",
    ]
    # Rounded by hand to the screen's precision: 25.549 % → 25,5; 18.649 → 18,6;
    # 1140.5 kr. → 1141 (half away from zero), −2500.49 → −2500; 12.25 → 12,3.
    assert first == [
        "2019K1",
        "851",
        "1234",
        "25,5",
        "18,6",
        "1141",
        "12,3",
        "Ja",
        "31-03-2019",
        "Aalborg",
    ]
    # A hidden count is marked, a missing share is empty, a tiny number is 0,0 (not 7.43e-82),
    # formula-like text is neutralised.
    assert second == ["2019K2", "773", "·", "", "0,0", "-2500", "0,0", "Nej", "", "'=1+1"]
    assert third == ["2019K3", "101", "0", "", "100,0", "1234567", "", "", "01-12-2020", ""]
    text = csv_bytes(_table()).decode("utf-8-sig")
    for bad in ("NaN", "nan", "true", "false", "True", "e-82", "null"):
        assert bad not in text


def test_csv_numbers_read_back_with_semicolon_and_decimal_comma():
    """Danish Excel's reading (``;``, decimal comma) gives the numbers back as numbers."""
    import pandas as pd

    frame = pd.read_csv(io.BytesIO(csv_bytes(_table())), sep=";", decimal=",", encoding="utf-8-sig")
    assert frame["Andel fritaget (%)"].dtype.kind == "f"
    assert frame["Andel fritaget (%)"].iloc[0] == 25.5
    assert frame["nettobesparelse_kr (kr.)"].tolist() == [1141, -2500, 1234567]
    assert frame["omgoerelsesprocent"].tolist() == [18.6, 0.0, 100.0]


def test_english_csv_keeps_danish_excel_numbers_but_english_words():
    rows = _rows(csv_bytes(_table(), "en"))
    assert rows[0][5] == "nettobesparelse_kr (DKK)"
    assert rows[1][4] == "18,6" and rows[1][7] == "Yes"


def test_workbook_numbers_are_numbers_with_danish_formats():
    about = [("Tema", "LÆ285"), ("Kilde (mart)", "marts.mart_fritagelser"), ("Build-id", "b1")]
    book = openpyxl.load_workbook(io.BytesIO(excel_bytes([Sheet("fritagelser", _table())], about)))
    assert book.sheetnames == ["fritagelser", ABOUT_SHEET]
    sheet = book["fritagelser"]
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["Kvartal", "kommunekode", "Sager", "Andel fritaget"]
    row = {h: cell for h, cell in zip(header, sheet[2], strict=True)}
    assert row["Kvartal"].value == "2019K1"
    assert row["Sager"].data_type == "n" and row["Sager"].value == 1234
    assert row["Sager"].number_format == "#,##0"
    assert row["Andel fritaget"].value == 0.25549  # full precision, shown as 25,5 %
    assert row["Andel fritaget"].number_format == "0.0%"
    assert row["nettobesparelse_kr"].value == 1140.5
    assert row["nettobesparelse_kr"].number_format == '#,##0 "kr."'
    assert row["omgoerelsesprocent"].number_format == '0.0" %"'
    assert row["median_dage"].number_format == "#,##0.0"
    assert row["kommunekode"].value == 851 and row["kommunekode"].number_format == "0"
    assert row["dato"].value == dt.datetime(2019, 3, 31)
    assert row["i_forsoeg"].value == "Ja"
    hidden = {h: cell for h, cell in zip(header, sheet[3], strict=True)}
    assert hidden["Sager"].value == "·"
    assert (
        hidden["andel_fritaget" if "andel_fritaget" in hidden else "Andel fritaget"].value is None
    )
    assert hidden["navn"].value == "'=1+1"
    assert [[c.value for c in r] for r in book[ABOUT_SHEET].iter_rows()] == [list(a) for a in about]


def test_column_kinds_follow_the_screen_rules():
    assert column_kind("andel_x", pl.Float64) == "share"
    assert column_kind("omgoerelsesprocent", pl.Float64) == "percent"
    assert column_kind("udgift_kr", pl.Int64) == "kr"
    assert column_kind("aar", pl.Int32) == "code"
    assert column_kind("sager", pl.Int64) == "count"
    assert column_kind("kvartal", pl.Date) == "kvartal"
    assert column_kind("is_x", pl.Boolean) == "bool"
    assert column_kind("tekst", pl.String) == "text"


def test_a_caller_can_ask_for_three_decimals_where_the_name_does_not_tell():
    """Estimates and p-values (the report's workbook): ``kinds_override`` = precise; a text
    column is never made a number."""
    table = DownloadTable(
        pl.DataFrame({"att": [-0.12345], "p_ri": [0.0312], "note": ["svag"]}),
        kinds_override={"att": "precise", "p_ri": "precise", "note": "precise"},
    )
    assert table.kinds() == {"att": "precise", "p_ri": "precise", "note": "text"}
    sheet = openpyxl.load_workbook(io.BytesIO(excel_bytes([Sheet("t", table)])))["t"]
    att, p, note = (sheet.cell(row=2, column=c) for c in (1, 2, 3))
    assert (att.value, att.number_format) == (-0.12345, "#,##0.000")
    assert (p.value, p.number_format) == (0.0312, "#,##0.000")
    assert note.value == "svag"
    assert csv_bytes(table).decode("utf-8-sig").splitlines()[1] == "-0,123;0,031;svag"
