"""Table downloads for Danish Excel: one CSV and one workbook writer for every table.

CSV (what Danish Excel opens with a double click):

* ``;`` between fields, decimal comma, no thousands separator (``1234,5``), UTF-8 with BOM;
* every number rounded to the precision the screen shows (counts whole, kroner whole,
  shares as percent with one decimal, other decimals with one), so the file and the screen
  agree; shares and kroner carry their unit in the header (``(%)``, ``(kr.)``), not in the
  cell, so Excel reads the cell as a number;
* no ``NaN``, ``true`` or ``7.43e-82``: a missing value is an empty field, a boolean is
  ``Ja``/``Nej``, a number is written out in positional notation;
* quarters as ``2019K1``, dates as ``31-03-2019``;
* suppressed cells as ``·`` (:data:`HIDDEN_MARK`), text Excel would run as a formula
  neutralised (:mod:`core.spreadsheet`).

Excel: numbers stored as numbers with number formats (Excel shows them in the reader's
notation, ``1.234`` and ``25,5%`` in Danish Excel): counts ``#,##0``, kroner
``#,##0 "kr."`` (no decimals), shares ``0.0%``, percent 0–100 ``0.0" %"``, other decimals
``#,##0.0``; dates as dates; suppressed cells as the text ``·`` on a grey fill; and a sheet
``Om udtrækket`` (:data:`ABOUT_SHEET`) with the rows the caller gives (filters, source mart,
data as of, build id).
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import polars as pl
import xlsxwriter

from core.format import Lang, fmt_date, fmt_kvartal, fmt_num
from core.spreadsheet import WORKBOOK_OPTIONS, neutralise_formulas, neutralise_name

Kind = Literal[
    "count",
    "code",
    "kr",
    "share",
    "percent",
    "decimal",
    "precise",
    "kvartal",
    "date",
    "bool",
    "text",
]
HIDDEN_MARK = "·"
ABOUT_SHEET = "Om udtrækket"
ABOUT_SHEET_EN = "About the extract"
# Integer columns that are codes or years, written as they are (no thousands separator).
CODE_COLUMNS = frozenset(
    {"kommunekode", "aar", "kvartal_nr", "periode_index", "source_row_number", "rel_time"}
)
# Decimals shown on screen (evaluation.suppression.display) and written to the CSV.
# "precise" (estimates, standard errors, p-values) is never chosen by name: a caller asks
# for it (DownloadTable.kinds_override).
DECIMALS: dict[Kind, int] = {
    "count": 0,
    "kr": 0,
    "share": 1,
    "percent": 1,
    "decimal": 1,
    "precise": 3,
}
EXCEL_FORMATS: dict[Kind, str] = {
    "count": "#,##0",
    "code": "0",
    "kr": '#,##0 "kr."',
    "share": "0.0%",
    "percent": '0.0" %"',
    "decimal": "#,##0.0",
    "precise": "#,##0.000",
    "date": "dd-mm-yyyy",
}
UNITS: dict[Kind, tuple[str, str, tuple[str, ...]]] = {
    # kind: (Danish suffix, English suffix, texts that already name the unit)
    "share": (" (%)", " (%)", ("%",)),
    "percent": (" (%)", " (%)", ("%", "procent", "percent")),
    "kr": (" (kr.)", " (DKK)", ("kr.", "DKK")),
}


def column_kind(column: str, dtype: pl.DataType) -> Kind:
    """How a column is shown and written, by the same rules as the screen
    (:func:`evaluation.suppression.display`): ``andel*`` a share 0–1, ``*procent`` a percent
    0–100, ``*_kr`` kroner, a date column named ``*kvartal*`` a quarter, integers counts
    unless they are codes or years."""
    if dtype == pl.Boolean:
        return "bool"
    if dtype in (pl.Date, pl.Datetime) or isinstance(dtype, pl.Datetime):
        return "kvartal" if "kvartal" in column else "date"
    if not dtype.is_numeric():
        return "text"
    if column.startswith("andel"):
        return "share"
    if column.endswith("procent"):
        return "percent"
    if column.endswith("_kr"):
        return "kr"
    if dtype.is_integer():
        return "code" if column in CODE_COLUMNS else "count"
    return "decimal"


@dataclass(frozen=True)
class DownloadTable:
    """One table to download: plain values (codes already in words), which cells are hidden
    (``mask``: True = suppressed; None = none), the header shown for each column, and the
    kind of a column where its name does not tell (``kinds_override``, e.g. ``precise``)."""

    data: pl.DataFrame
    mask: pl.DataFrame | None = None
    headers: dict[str, str] | None = None
    kinds_override: dict[str, Kind] | None = None

    def kinds(self) -> dict[str, Kind]:
        by_name = {name: column_kind(name, dtype) for name, dtype in self.data.schema.items()}
        numeric = {n for n, dtype in self.data.schema.items() if dtype.is_numeric()}
        override = {n: kind for n, kind in (self.kinds_override or {}).items() if n in numeric}
        return by_name | override

    def header(self, column: str) -> str:
        return (self.headers or {}).get(column, column)

    def hidden(self, column: str) -> list[bool]:
        if self.mask is None or column not in self.mask.columns:
            return [False] * self.data.height
        return [bool(v) for v in self.mask[column].to_list()]


def _finite(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def csv_cell(value: object, kind: Kind, lang: Lang = "da") -> str:
    """One CSV field for Danish Excel (see the module docstring)."""
    if not _finite(value):
        return ""
    if kind == "bool":
        return ("Ja" if value else "Nej") if lang == "da" else ("Yes" if value else "No")
    if kind == "kvartal":
        return fmt_kvartal(value, "da")  # type: ignore[arg-type]
    if kind == "date":
        return fmt_date(value, "da").replace(".", "-")  # type: ignore[arg-type]
    if kind == "code":
        return str(int(value))  # type: ignore[call-overload]
    if kind in DECIMALS:
        number = float(value)  # type: ignore[arg-type]
        if kind == "share":
            number *= 100
        # fmt_num rounds as the screen does; drop its thousands dots, keep the decimal comma.
        return fmt_num(number, DECIMALS[kind], "da").replace(".", "")
    return str(value)


def csv_header(column: str, label: str, kind: Kind, lang: Lang = "da") -> str:
    """The column's label with its unit when the cell holds a bare number."""
    if kind not in UNITS:
        return label
    da, en, named = UNITS[kind]
    if any(word in label for word in named):
        return label
    return label + (en if lang == "en" else da)


def csv_bytes(table: DownloadTable, lang: Lang = "da") -> bytes:
    """The table as CSV for Danish Excel (UTF-8 with BOM, ``;``, decimal comma)."""
    kinds = table.kinds()
    columns: dict[str, list[str]] = {}
    for column in table.data.columns:
        kind = kinds[column]
        values = table.data[column].to_list()
        columns[csv_header(column, table.header(column), kind, lang)] = [
            HIDDEN_MARK if hidden else csv_cell(value, kind, lang)
            for value, hidden in zip(values, table.hidden(column), strict=True)
        ]
    text = pl.DataFrame(columns, schema={name: pl.String for name in columns})
    return neutralise_formulas(text).write_csv(separator=";").encode("utf-8-sig")


@dataclass(frozen=True)
class Sheet:
    """A workbook sheet: its name (cut to Excel's 31 characters) and table."""

    name: str
    table: DownloadTable


def excel_bytes(
    sheets: Sequence[Sheet], about: Sequence[tuple[str, str]] = (), lang: Lang = "da"
) -> bytes:
    """A workbook with one sheet per table (numbers as numbers with Danish-Excel number
    formats, hidden cells marked) and, when ``about`` is given, a last sheet
    ``Om udtrækket`` with those (label, value) rows."""
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS) as workbook:
        header = workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "text_wrap": True})
        hidden = workbook.add_format({"bg_color": "#D9D9D9", "align": "center"})
        formats = {
            kind: workbook.add_format({"num_format": f}) for kind, f in EXCEL_FORMATS.items()
        }
        used: set[str] = set()
        for sheet in sheets:
            _write_sheet(
                workbook, _unique(sheet.name, used), sheet.table, header, hidden, formats, lang
            )
        if about:
            title = ABOUT_SHEET if lang == "da" else ABOUT_SHEET_EN
            page = workbook.add_worksheet(_unique(title, used))
            page.set_column(0, 0, 28)
            page.set_column(1, 1, 80)
            bold = workbook.add_format({"bold": True, "valign": "top"})
            wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
            for row, (key, value) in enumerate(about):
                page.write_string(row, 0, neutralise_name(key), bold)
                page.write_string(row, 1, neutralise_name(value), wrap)
    return buffer.getvalue()


def _unique(name: str, used: set[str]) -> str:
    base = (name or "Tabel")[:31]
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def _write_sheet(workbook, name, table, header, hidden, formats, lang) -> None:
    sheet = workbook.add_worksheet(name)
    kinds = table.kinds()
    safe = neutralise_formulas(table.data)
    for col, column in enumerate(table.data.columns):
        kind = kinds[column]
        label = neutralise_name(table.header(column))
        sheet.write_string(0, col, label, header)
        sheet.set_column(col, col, max(10, min(40, len(label) + 2)))
        cells = zip(safe[safe.columns[col]].to_list(), table.hidden(column), strict=True)
        for row, (value, is_hidden) in enumerate(cells, start=1):
            if is_hidden:
                sheet.write_string(row, col, HIDDEN_MARK, hidden)
            elif not _finite(value):
                continue
            elif kind == "bool":
                sheet.write_string(row, col, csv_cell(value, kind, lang))
            elif kind == "kvartal":
                sheet.write_string(row, col, fmt_kvartal(value, lang))
            elif kind == "date":
                day = (
                    value
                    if isinstance(value, dt.datetime)
                    else dt.datetime.combine(value, dt.time())
                )
                sheet.write_datetime(row, col, day, formats["date"])
            elif kind in formats:
                number = float(value)
                if math.isinf(number):
                    sheet.write_string(row, col, "∞" if number > 0 else "-∞")
                else:
                    sheet.write_number(row, col, number, formats[kind])
            else:
                sheet.write_string(row, col, str(value))
    sheet.freeze_panes(1, 0)
