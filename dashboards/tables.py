"""Tables as users see them: suppressed for managers, Danish formats, CSV and Excel download.

:func:`prepare` is pure (tested directly); :func:`show_table` draws it with its download
buttons. Downloads hold the same cells as the screen (suppressed for managers) in plain
numbers, and are generated only when the user clicks (deferred ``data=`` callables).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import polars as pl
import streamlit as st

from core.eksport import DownloadTable, Sheet, csv_bytes, excel_bytes
from dashboards.downloads import download_buttons
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
from dashboards.shared import shared
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
    """Group, period, spell, theme and case codes as words in ``lang``; yes/no columns as
    ``Ja``/``Nej`` (``Yes``/``No``), never ``True``/``False``."""
    yes, no = tr(lang, "Ja", "Yes"), tr(lang, "Nej", "No")
    return frame.with_columns(
        *(
            pl.col(column).replace_strict(
                {code: label(vocabulary, code, lang) for code in vocabulary},
                default=pl.col(column),
                return_dtype=pl.String,
            )
            for column, vocabulary in CODE_COLUMNS.items()
            if column in frame.columns and frame.schema[column] == pl.String
        ),
        *(
            pl.when(pl.col(column)).then(pl.lit(yes)).otherwise(pl.lit(no)).alias(column)
            if frame[column].null_count() == 0
            else pl.when(pl.col(column).is_null())
            .then(pl.lit(None, pl.String))
            .when(pl.col(column))
            .then(pl.lit(yes))
            .otherwise(pl.lit(no))
            .alias(column)
            for column, dtype in frame.schema.items()
            if dtype == pl.Boolean
        ),
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


@shared
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
    """A workbook of ``frame`` as the download buttons write it (:mod:`core.eksport`)."""
    return excel_bytes([Sheet(sheet, DownloadTable(frame))])


def to_csv(frame: pl.DataFrame, lang: Lang = "da") -> bytes:
    """``frame`` as CSV for Danish Excel (:func:`core.eksport.csv_bytes`)."""
    return csv_bytes(DownloadTable(frame), lang)


@shared
def download_table(
    frame: pl.DataFrame, spec: TableSpec, *, suppressed: bool, lang: Lang
) -> DownloadTable:
    """What the download buttons write: the same cells as the screen (codes in words,
    suppressed cells marked) with plain values and the screen's headers."""
    protected = protect(translate_codes(frame, lang), spec, suppressed)
    headers = {c: column_label(c, lang) for c in frame.columns}
    return DownloadTable(protected.data, protected.mask if suppressed else None, headers)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "tabel"


def show_table(
    ctx: PageContext,
    frame: pl.DataFrame,
    name: str,
    spec: TableSpec | None = None,
    *,
    sources: Sequence[str] | None = None,
) -> pl.DataFrame:
    """Draw ``frame`` (suppressed for managers) with CSV and Excel download buttons
    (:mod:`dashboards.downloads`; ``sources``: the marts it comes from, default those the
    page has read so far); returns the displayed frame (for tests and callers that want to
    reuse it)."""
    shown, _ = prepare(frame, spec or TableSpec(), suppressed=ctx.suppressed, lang=ctx.lang)
    st.dataframe(shown.to_pandas(), hide_index=True, width="stretch")
    if (shown == HIDDEN).select(pl.any_horizontal(pl.all().any())).item():
        st.caption(tr(ctx.lang, FOOTNOTE_DA, FOOTNOTE_EN))
    download_buttons(
        ctx,
        download_table(frame, spec or TableSpec(), suppressed=ctx.suppressed, lang=ctx.lang),
        name,
        _slug(name),
        sources=sources,
    )
    return shown
