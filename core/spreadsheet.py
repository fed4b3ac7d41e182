"""Downloads and workbooks safe to open in a spreadsheet (CSV/Excel formula injection).

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as
a formula by Excel and LibreOffice when the file is opened (``=HYPERLINK(...)``,
``@SUM(...)``, ``-2+3``). Every such text value gets a leading apostrophe, which the
spreadsheet shows as text. Numbers are never changed: numeric columns are left alone, and
a text value that is just a number (``-12``, ``+4,5``, ``-0.25``) is kept as it is.
Workbooks are written with ``strings_to_formulas`` (and ``strings_to_urls``) off.
"""

from __future__ import annotations

import re

import polars as pl

FORMULA_START = r"^[=+\-@\t\r]"
PLAIN_NUMBER = r"^[+-]?[0-9]+(?:[.,][0-9]+)?(?:[eE][+-]?[0-9]+)?$"
# xlsxwriter.Workbook options for every workbook a user downloads.
WORKBOOK_OPTIONS: dict[str, bool] = {"strings_to_formulas": False, "strings_to_urls": False}


def neutralise_text(text: pl.Expr) -> pl.Expr:
    """A text value that a spreadsheet would run as a formula, prefixed with ``'``."""
    risky = text.str.contains(FORMULA_START) & ~text.str.contains(PLAIN_NUMBER)
    return pl.when(risky).then(pl.lit("'") + text).otherwise(text)


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with every text value (and text column name) neutralised; numbers as
    they were."""
    texts = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    safe = frame.with_columns(neutralise_text(pl.col(name)).alias(name) for name in texts)
    return safe.rename({name: neutralise_name(name) for name in frame.columns})


def neutralise_name(text: str) -> str:
    """``neutralise_text`` for one Python string (a column header)."""
    risky = re.match(FORMULA_START, text) and not re.match(PLAIN_NUMBER, text)
    return "'" + text if risky else text
