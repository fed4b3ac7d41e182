"""The download buttons under every table: CSV for Danish Excel and a workbook with
"Om udtrækket" (filters, source marts, data as of, build id). Files are written by
:mod:`core.eksport`; this module adds what only the dashboard knows.

Source marts: every cached query a page runs notes the marts its SQL names
(:mod:`dashboards.kilder`); a table's "Om udtrækket" lists the marts read since the previous
table, unless the caller names them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl
import streamlit as st

from core.eksport import DownloadTable, Sheet, csv_bytes, excel_bytes
from core.format import fmt_date, fmt_kvartal
from dashboards import queries
from dashboards.i18n import KONTROLGRUPPER, TEMAER, label, tr
from dashboards.kilder import quiet, take_sources
from dashboards.state import PageContext

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def about_rows(
    ctx: PageContext, name: str, sources: Sequence[str], *, n_hidden: int = 0
) -> list[tuple[str, str]]:
    """The rows of "Om udtrækket": what the table is, the filters, where it comes from."""
    f, lang, build = ctx.filters, ctx.lang, ctx.snap.build
    with quiet():
        kommuner = ctx.get(queries.kommuner)
    navne = dict(zip(kommuner["kommunekode"], kommuner["kommunenavn"], strict=True))
    built = build.built_at.strftime("%Y-%m-%d %H:%M") if build.built_at else ""
    rows = [
        (tr(lang, "Tabel", "Table"), name),
        (tr(lang, "Tema", "Theme"), label(TEMAER, f.tema, lang)),
        (tr(lang, "Kontrolgruppe", "Control group"), label(KONTROLGRUPPER, f.kontrolgruppe, lang)),
        (
            tr(lang, "Periode", "Period"),
            f"{fmt_kvartal(f.fra, lang)}–{fmt_kvartal(f.til, lang)}",
        ),
        (tr(lang, "Kommune", "Municipality"), f"{navne.get(f.kommune, f.kommune)} ({f.kommune})"),
        (
            tr(lang, "Kilde (mart)", "Source (mart)"),
            ", ".join(sources) or "–",
        ),
        (tr(lang, "Data pr.", "Data as of"), fmt_date(build.data_as_of, lang) or "–"),
        (tr(lang, "Bygget", "Built"), built or "–"),
        (tr(lang, "Build-id", "Build id"), build.build_id),
        (
            tr(lang, "Småtalsdiskretion", "Small-cell suppression"),
            tr(
                lang,
                f"ja: {n_hidden} celler skjult (·): antal 1–4 og tal, der kunne regnes ud",
                f"yes: {n_hidden} cells hidden (·): counts 1–4 and figures that could be "
                "worked out",
            )
            if ctx.suppressed
            else tr(lang, "nej (evaluatorrolle)", "no (evaluator role)"),
        ),
        (
            tr(lang, "Hentet", "Downloaded"),
            dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        ),
    ]
    return rows


def download_buttons(
    ctx: PageContext,
    table: DownloadTable,
    name: str,
    slug: str,
    *,
    sources: Sequence[str] | None = None,
) -> None:
    """CSV and Excel buttons for ``table``; the files are made when the user clicks."""
    lang = ctx.lang
    marts = take_sources() if sources is None else tuple(sources)
    n_hidden = 0
    if table.mask is not None:
        n_hidden = sum(int(table.mask[c].cast(pl.Int64).sum()) for c in table.mask.columns)
    about = about_rows(ctx, name, marts, n_hidden=n_hidden)
    # One row sized to the buttons: columns of a sixth of the width cut the labels to
    # "C…" and "E…" where the table sits in half a page.
    row = st.container(horizontal=True)
    left = right = row
    left.download_button(
        "CSV",
        data=lambda: csv_bytes(table, lang),
        file_name=f"{slug}.csv",
        mime="text/csv",
        key=f"csv_{slug}",
        icon=":material/download:",
        on_click="ignore",
        help=tr(
            lang,
            "Hent tabellen som CSV til dansk Excel (semikolon, decimalkomma)",
            "Download as CSV for Danish Excel (semicolon, decimal comma)",
        ),
    )
    right.download_button(
        "Excel",
        data=lambda: excel_bytes([Sheet(name, table)], about, lang),
        file_name=f"{slug}.xlsx",
        mime=XLSX_MIME,
        key=f"xlsx_{slug}",
        icon=":material/download:",
        on_click="ignore",
        help=tr(
            lang,
            "Hent tabellen som Excel (tal som tal, med arket «Om udtrækket»)",
            "Download as Excel (numbers as numbers, with the sheet 'About the extract')",
        ),
    )
