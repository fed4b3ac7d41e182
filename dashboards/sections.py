"""Building blocks shared by the pages: figures with captions, sections that degrade
gracefully when a mart or an evaluation module is not there, headline metrics."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

import duckdb
import plotly.graph_objects as go
import streamlit as st

from core.format import fmt_date, fmt_kr, fmt_num
from dashboards.charts import talformat
from dashboards.figur_eksport import png_config, stamp
from dashboards.i18n import Lang, tr
from dashboards.state import PageContext


def figure(ctx: PageContext, fig: go.Figure, da: str, en: str, source: str) -> None:
    """A plotly figure with a one-line caption saying what is plotted and from where; the
    figure carries its source, period and data-as-of for the PNG export (figur_eksport)."""
    fig = talformat(stamp(fig, ctx, source), ctx.lang)
    st.plotly_chart(fig, width="stretch", config=png_config(fig))
    st.caption(f"{ctx.tr(da, en)} {ctx.tr('Kilde', 'Source')}: `{source}`.")


# The table or column a Catalog or Binder error names ('Table with name x', 'column "x"').
MISSING_NAME = re.compile(r'(?:[Tt]able with name|[Cc]olumn(?: with name)?) "?([\w.]+)"?')


@contextmanager
def section(ctx: PageContext, what_da: str, what_en: str) -> Iterator[None]:
    """Run a page section; if its tables or columns are missing from the snapshot, say so
    instead of failing the page (never show invented numbers)."""
    try:
        yield
    except (duckdb.CatalogException, duckdb.BinderException) as error:
        # DuckDB's own message is English: name only the missing table or column.
        found = MISSING_NAME.search(str(error))
        missing = f" ({ctx.tr('mangler', 'missing')}: {found.group(1)})" if found else ""
        st.warning(
            ctx.tr(
                f"{what_da}: data findes ikke i dette snapshot{missing}. Det er bygget, før "
                "disse data kom med; næste build af lageret tager dem med.",
                f"{what_en}: data not in this snapshot{missing}. It was built before these "
                "data were added; the next build of the warehouse includes them.",
            )
        )


def evaluation_module(name: str) -> ModuleType | None:
    """``evaluation.<name>`` if it is installed in this version, else None."""
    try:
        return importlib.import_module(f"evaluation.{name}")
    except ImportError:
        return None


def not_available(ctx: PageContext, what_da: str, what_en: str) -> None:
    st.info(
        ctx.tr(
            f"{what_da} er ikke tilgængelig i denne version (evalueringsmodulet mangler).",
            f"{what_en} is not available in this version (the evaluation module is missing).",
        )
    )


def page_header(ctx: PageContext, title: str) -> None:
    """The page title and the "data as of" banner (plus the suppression note for managers)."""
    st.title(title)
    build = ctx.snap.build
    parts = [
        tr(ctx.lang, "Data pr. ", "Data as of ") + (fmt_date(build.data_as_of, ctx.lang) or "?"),
        tr(ctx.lang, "bygget ", "built ")
        + (fmt_date(build.built_at, ctx.lang) if build.built_at else "?"),
        f"build {build.build_id}",
    ]
    if build.n_tests_passed is not None:
        parts.append(
            tr(
                ctx.lang,
                f"{build.n_tests_passed} test bestået",
                f"{build.n_tests_passed} tests passed",
            )
        )
    st.caption(" · ".join(parts))
    if ctx.suppressed:
        st.caption(
            tr(
                ctx.lang,
                "Små tal er skjult: antal 1–4, andele bygget på under 5 sager og tal, der "
                "kunne regnes ud af de viste, vises som «·».",
                "Small numbers are hidden: counts 1–4, shares based on fewer than 5 cases and "
                "figures that could be worked out from those shown read '·'.",
            )
        )


def kr_short(value: float | None, lang: Lang) -> str:
    """Kroner for a metric tile: millions as ``8,4 mio. kr.`` so the figure fits."""
    if value is None:
        return "–"
    if abs(value) < 1_000_000:
        return fmt_kr(value, 0, lang)
    millions = fmt_num(value / 1_000_000, 1, lang)
    return f"DKK {millions}m" if lang == "en" else f"{millions} mio. kr."
