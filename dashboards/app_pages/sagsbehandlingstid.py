"""Sagsbehandlingstid: Kaplan–Meier curves trial vs control, before vs during the trial;
share of cases within the legal deadlines."""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from core.format import fmt_num
from dashboards import charts, queries
from dashboards.i18n import FORLOEB, GRUPPER, PERIODER, label
from dashboards.indicators import km_logrank_under, km_summary
from dashboards.om_tallet import om_tallet
from dashboards.sections import figure, page_header, section
from dashboards.shared import shared_figure
from dashboards.state import PageContext, context
from dashboards.tables import TableSpec, protect, show_table
from report.charts import km_figure as _km_figure

# The same figure for every session that asks for the same data (dashboards.shared).
km_figure = shared_figure(_km_figure)

MIN_CASES = 5
# The spells that are indicators of seed indikatorer: the median (Kaplan–Meier) and the
# share within the deadline.
MEDIAN_INDIKATOR = {
    "fravaer_til_foerste_opfoelgning": "dage_til_foerste_opfoelgning",
    "sygedagpengeforloeb": "sygedagpengeforloeb_dage",
    "attest_rekvireret_til_modtaget": "dage_attest_svartid",
    "rehab_start_til_afgoerelse": "dage_rehab_afgoerelse",
}
FRIST_INDIKATOR = {
    "fravaer_til_foerste_opfoelgning": "andel_opfoelgning_inden_frist",
    "attest_rekvireret_til_modtaget": "andel_attest_inden_frist",
}
FRIST_FORLOEB = (
    "fravaer_til_foerste_opfoelgning",
    "rehab_start_til_moede",
    "attest_rekvireret_til_modtaget",
)


KM_SPEC = TableSpec(
    counts=["n_sager", "haendelser"],
    rates={c: ("n_sager", "n_sager") for c in ("median_dage", "median_ci_lav", "median_ci_hoej")},
)
FRIST_SPEC = TableSpec(
    counts=["n_sager", "inden_frist"],
    rates={"andel_inden_frist": ("inden_frist", "n_sager")},
    # The Kaplan–Meier table shows each group's cases before and during the trial: the
    # quarters of a period add up to it, so none may be hidden alone in its period.
    totals_by=[("gruppe", "periode")],
)


def med_periode(frame: pl.DataFrame, start: dt.date | None, slut: dt.date | None) -> pl.DataFrame:
    """``frame`` with ``periode`` (foer/under/efter the theme's trial window) after
    ``gruppe``, from its ``kvartal``."""
    kvartal = pl.col("kvartal")
    periode = (
        pl.when(pl.lit(start).is_null())
        .then(pl.lit(None, pl.String))
        .when(kvartal < pl.lit(start))
        .then(pl.lit("foer"))
        .when(kvartal <= pl.lit(slut))
        .then(pl.lit("under"))
        .otherwise(pl.lit("efter"))
    )
    columns = frame.columns
    at = columns.index("gruppe") + 1
    return frame.with_columns(periode.alias("periode")).select(
        *columns[:at], "periode", *columns[at:]
    )


def render() -> None:
    ctx = context()
    page_header(ctx, ctx.tr("Sagsbehandlingstid", "Processing times"))
    forloeb = st.selectbox(
        ctx.tr("Forløb", "Spell"),
        ctx.get(queries.km_forloeb),
        format_func=lambda code: label(FORLOEB, code, ctx.lang),
    )
    with section(ctx, "Kaplan–Meier", "Kaplan–Meier"):
        summary = _kaplan_meier(ctx, forloeb)
        _logrank(ctx, forloeb)
        if forloeb in MEDIAN_INDIKATOR:
            om_tallet(ctx.lang, MEDIAN_INDIKATOR[forloeb])
        show_table(ctx, summary, f"km_{forloeb}", KM_SPEC)
    with section(ctx, "Frister", "Deadlines"):
        _frister(ctx)


def _kaplan_meier(ctx: PageContext, forloeb: str) -> pl.DataFrame:
    """The Kaplan–Meier curves of the spell; returns the medians per group and period."""
    f = ctx.filters
    summary, fits = ctx.get(
        km_summary,
        f.tema,
        f.kontrolgruppe,
        forloeb,
        f.fra,
        f.til,
    )
    shown = {
        (g, p): fit for (g, p), fit in fits.items() if not (ctx.suppressed and fit.n < MIN_CASES)
    }
    # Trial first in the legend, as on every chart.
    order = charts.trial_first([g for g, _ in shown])
    curves = {
        _curve_name(ctx, g, p): shown[(g, p)]
        for g in order
        for p in dict.fromkeys(q for h, q in shown if h == g)
    }
    # One colour per group on every chart (trial red, control blue); before dotted.
    styles = {
        _curve_name(ctx, g, p): (charts.PALETTE[g], "dot" if p == "foer" else "solid")
        for g, p in shown
        if g in charts.PALETTE
    }
    if curves:
        fig = km_figure(
            curves,
            styles=styles,
            title=label(FORLOEB, forloeb, ctx.lang),
            x_title=ctx.tr("Dage", "Days"),
            y_title=ctx.tr("Andel endnu uden hændelsen", "Share still without the event"),
            lang=ctx.lang,
        )
        figure(
            ctx,
            fig,
            "Kaplan–Meier-kurver med 95 %-bånd: andel af forløbene, hvor hændelsen endnu ikke "
            "er sket, "
            "efter antal dage; åbne forløb tæller med til de udgår (censurering).",
            "Kaplan–Meier curves with 95% bands: share of spells still without the event by "
            "days; "
            "open spells count until censored.",
            "marts.fct_forloeb",
        )
    else:
        st.info(ctx.tr("For få sager til at vise kurverne.", "Too few cases to show the curves."))
    return summary


def _curve_name(ctx: PageContext, gruppe: str, periode: str) -> str:
    return f"{label(GRUPPER, gruppe, ctx.lang)}, {label(PERIODER, periode, ctx.lang).lower()}"


def _logrank(ctx: PageContext, forloeb: str) -> None:
    f = ctx.filters
    p_value = ctx.get(
        km_logrank_under,
        f.tema,
        f.kontrolgruppe,
        forloeb,
        f.fra,
        f.til,
    )
    if p_value is not None:
        st.write(
            ctx.tr(
                "Log-rank-test, forsøg mod kontrol for forløb startet under forsøget: "
                f"p = {fmt_num(p_value, 3, 'da')}"
                + (" (forskellige kurver)." if p_value < 0.05 else " (ingen sikker forskel)."),
                "Log-rank test, trial vs control for spells started during the trial: "
                f"p = {fmt_num(p_value, 3, 'en')}"
                + (" (curves differ)." if p_value < 0.05 else " (no clear difference)."),
            )
        )


def _frister(ctx: PageContext) -> None:
    f = ctx.filters
    st.subheader(ctx.tr("Andel inden for lovens frist", "Share within the legal deadline"))
    frist = st.selectbox(
        ctx.tr("Frist", "Deadline"),
        list(FRIST_FORLOEB),
        format_func=lambda code: label(FORLOEB, code, ctx.lang),
    )
    andele = ctx.get(
        queries.sagsbehandlingstid_kvartal, f.tema, f.kontrolgruppe, frist, f.fra, f.til
    )
    andele = andele.select("gruppe", "kvartal", "n_sager", "inden_frist", "andel_inden_frist")
    andele = med_periode(andele, *ctx.get(queries.forsoegsvindue, f.tema))
    spec = FRIST_SPEC
    figure(
        ctx,
        charts.gruppe_linjer(
            protect(andele, spec, ctx.suppressed).data,
            "andel_inden_frist",
            title=ctx.tr("Andel inden for fristen", "Share within the deadline"),
            y_title="%",
            lang=ctx.lang,
            marker_x=ctx.forsoegsstart(),
            percent=True,
        ),
        "Andel af sagerne, hvor fristen blev overholdt (første opfølgning inden 8 uger, "
        "rehabiliteringsmøde inden 4 uger, attest inden svarfristen), vægtet med antal sager.",
        "Share of cases meeting the deadline (first follow-up within 8 weeks, team meeting "
        "within 4 weeks, certificate within its deadline), weighted by cases.",
        "marts.mart_sagsbehandlingstid",
    )
    if frist in FRIST_INDIKATOR:
        om_tallet(ctx.lang, FRIST_INDIKATOR[frist])
    show_table(ctx, andele, f"frist_{frist}", spec)


render()
