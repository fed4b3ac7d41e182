"""Tables as users see them: suppressed for managers, Danish formats, CSV and Excel download.

:func:`prepare` is pure (tested directly); :func:`show_table` draws it with its download
buttons. Downloads hold the same cells as the screen (suppressed for managers) in plain
numbers, and are generated only when the user clicks (deferred ``data=`` callables).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field, replace

import polars as pl
import streamlit as st
import xlsxwriter

from core.spreadsheet import WORKBOOK_OPTIONS, neutralise_formulas
from dashboards.i18n import (
    CODE_TABLES,
    FORLOEB,
    GRUPPER,
    PERIODER,
    TEMAER,
    Lang,
    column_label,
    label,
    tr,
)
from dashboards.state import PageContext
from evaluation.suppression import FOOTNOTE_DA, FOOTNOTE_EN, HIDDEN, Suppressed, display, suppress


@dataclass(frozen=True, kw_only=True)
class TableSpec:
    """How to protect a table: count columns, rates as (numerator, denominator), and the
    margins whose totals are shown next to it (see :func:`evaluation.suppression.suppress`)."""

    counts: list[str] = field(default_factory=list)
    rates: dict[str, tuple[str, str]] = field(default_factory=dict)
    totals_by: list[str | tuple[str, ...]] | None = None
    # Count columns adding up within a row, ``(total, (part, ...))``, and amounts/durations
    # hidden with the counts they are computed from (see evaluation.suppression).
    relations: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    follows: dict[str, tuple[str, ...]] = field(default_factory=dict)


# Integer columns that are codes or years, shown as they are.
IDENTIFIER_COLUMNS = frozenset(
    {"kommunekode", "aar", "kvartal_nr", "periode_index", "source_row_number", "rel_time"}
)
CODE_COLUMNS = {
    "gruppe": GRUPPER,
    "periode": PERIODER,
    "forloeb": FORLOEB,
    "tema": TEMAER,
    **CODE_TABLES,
}


def translate_codes(frame: pl.DataFrame, lang: Lang) -> pl.DataFrame:
    """Group, period, spell, theme and case codes as words in ``lang``."""
    return frame.with_columns(
        pl.col(column).replace_strict(
            {code: label(vocabulary, code, lang) for code in vocabulary},
            default=pl.col(column),
            return_dtype=pl.String,
        )
        for column, vocabulary in CODE_COLUMNS.items()
        if column in frame.columns and frame.schema[column] == pl.String
    )


def protect(frame: pl.DataFrame, spec: TableSpec, suppressed: bool) -> Suppressed:
    """The table with small cells hidden when ``suppressed`` (manager); untouched otherwise."""
    if suppressed:
        return suppress(
            frame,
            spec.counts,
            spec.rates,
            spec.totals_by,
            relations=spec.relations,
            follows=spec.follows,
        )
    return suppress(frame, [], {}, None)


def prepare(
    frame: pl.DataFrame, spec: TableSpec, *, suppressed: bool, lang: Lang
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(display frame of formatted strings with translated headers, download frame with
    plain values and the same hidden cells)."""
    protected = protect(translate_codes(frame, lang), spec, suppressed)
    # Every count-like integer column gets thousands separators, not just the protected ones.
    integers = [
        c
        for c, dtype in frame.schema.items()
        if dtype.is_integer() and c not in IDENTIFIER_COLUMNS and c not in protected.counts
    ]
    shown = display(replace(protected, counts=(*protected.counts, *integers)), lang)
    headers = {c: column_label(c, lang) for c in frame.columns}
    return shown.rename(headers), protected.data.rename(headers)


def to_excel(frame: pl.DataFrame, sheet: str) -> bytes:
    """The workbook download: formula-like text neutralised, no string read as a formula."""
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS) as workbook:
        neutralise_formulas(frame).write_excel(
            workbook=workbook, worksheet=sheet[:31], autofit=True
        )
    return buffer.getvalue()


def to_csv(frame: pl.DataFrame) -> bytes:
    """The CSV download (UTF-8 with BOM, ``;``), formula-like text neutralised."""
    return neutralise_formulas(frame).write_csv(separator=";").encode("utf-8-sig")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "tabel"


def show_table(
    ctx: PageContext, frame: pl.DataFrame, name: str, spec: TableSpec | None = None
) -> pl.DataFrame:
    """Draw ``frame`` (suppressed for managers) with CSV and Excel download buttons; returns
    the displayed frame (for tests and callers that want to reuse it)."""
    shown, download = prepare(frame, spec or TableSpec(), suppressed=ctx.suppressed, lang=ctx.lang)
    st.dataframe(shown.to_pandas(), hide_index=True, width="stretch")
    if (shown == HIDDEN).select(pl.any_horizontal(pl.all().any())).item():
        st.caption(tr(ctx.lang, FOOTNOTE_DA, FOOTNOTE_EN))
    slug = _slug(name)
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        "CSV",
        data=lambda: to_csv(download),
        file_name=f"{slug}.csv",
        mime="text/csv",
        key=f"csv_{slug}",
        icon=":material/download:",
        on_click="ignore",
        help=tr(ctx.lang, "Hent tabellen som CSV (semikolon)", "Download as CSV (semicolon)"),
    )
    right.download_button(
        "Excel",
        data=lambda: to_excel(download, name),
        file_name=f"{slug}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx_{slug}",
        icon=":material/download:",
        on_click="ignore",
        help=tr(ctx.lang, "Hent tabellen som Excel", "Download as Excel"),
    )
    return shown
