"""Effekt: difference-in-differences per indicator, the event-study plot, the pre-trend test
and the few-clusters caveat spelled out."""

from __future__ import annotations

import math

import streamlit as st

from core import vocabulary
from core.format import fmt_num
from core.vocabulary import Indikator
from dashboards import queries
from dashboards.effects import (
    OUTCOMES,
    did_estimate,
    draws_note,
    effect_text,
    estimation_window,
    summary_tables,
    unit_of,
    window_note,
)
from dashboards.i18n import label
from dashboards.om_tallet import om_tallet
from dashboards.sections import evaluation_module, figure, not_available, page_header, section
from dashboards.shared import shared_figure
from dashboards.state import PageContext, context
from dashboards.tables import show_table
from evaluation import measured
from evaluation.did import FEW_TREATED_UNITS, DidResult
from report.charts import event_study_figure as _event_study_figure

# The same figure for every session that asks for the same data (dashboards.shared).
event_study_figure = shared_figure(_event_study_figure)


def render() -> None:
    ctx = context()
    page_header(ctx, ctx.tr("Effekt", "Effect"))
    st.write(
        ctx.tr(
            "Forskel-i-forskelle (Callaway–Sant'Anna): udviklingen i forsøgskommunerne fra før "
            "til under "
            "forsøget sammenlignet med udviklingen i kontrolgruppen, kommune for kommune og "
            "kvartal for kvartal.",
            "Difference-in-differences (Callaway–Sant'Anna): the change in the trial "
            "municipalities from "
            "before to during the trial compared with the change in the control group.",
        )
    )
    if evaluation_module("did") is None:
        not_available(ctx, "Effektestimatet", "The effect estimate")
        return
    outcome = st.selectbox(
        ctx.tr("Indikator", "Indicator"),
        list(OUTCOMES),
        format_func=lambda c: label(OUTCOMES, c, ctx.lang),
    )
    om_tallet(ctx.lang, *[i for i in vocabulary.indikatorer() if i.kolonne == outcome][:1])
    with section(ctx, "Effekt", "Effect"):
        _estimat(ctx, outcome)


def _estimat(ctx: PageContext, outcome: str) -> None:
    f = ctx.filters
    window = ctx.get(estimation_window, f.tema, f.fra, f.til)
    note = window_note(window, f.tema, ctx.lang)
    if note:
        st.info(note)
    if window.is_empty:
        st.info(
            ctx.tr(
                "Hele den valgte periode ligger efter temaets sidste kvartal; vælg en "
                "periode, der begynder før, for at se effekten.",
                "The whole chosen period lies after the theme's last quarter; choose a "
                "period that starts earlier to see the effect.",
            )
        )
        return
    result = ctx.get(did_estimate, f.tema, f.kontrolgruppe, outcome, f.fra, f.til)
    if result is None:
        st.info(
            ctx.tr(
                "Ingen forsøgs- eller kontrolkommuner med data.",
                "No trial or control municipalities with data.",
            )
        )
        return
    indikator = _indikator(outcome)
    _metrics(ctx, result, indikator)
    _inference_section(result, ctx, indikator)
    _pretrend(ctx, result)
    _event_study(ctx, result, outcome)


def _metrics(ctx: PageContext, result: DidResult, indikator: Indikator | None) -> None:
    """The headline estimate, its interval and p-values, and how far to trust them, the
    estimate and interval in the indicator's unit (as on the Overblik tiles)."""
    # Two metrics a row: four in a row cut "40,8 procentpoint" to "40,8 procent…" at
    # 1440 px. The interval is in the unit of the estimate beside it.
    cols = st.columns(2)
    cols[0].metric(
        ctx.tr("Effekt (ATT)", "Effect (ATT)"),
        effect_text(result.att, indikator, ctx.lang, unit=True),
    )
    cols[1].metric(
        ctx.tr("95 %-KI", "95% CI"),
        f"{effect_text(result.ci_low, indikator, ctx.lang)} – "
        f"{effect_text(result.ci_high, indikator, ctx.lang)}",
    )
    cols = st.columns(2)
    cols[0].metric(
        ctx.tr("p (hovedinterval)", "p (headline interval)"),
        fmt_num(result.p_headline, 3, ctx.lang) or "–",
    )
    cols[1].metric(
        ctx.tr("p (før-trend)", "p (pre-trend)"),
        fmt_num(result.pretrend_p, 3, ctx.lang) or "–",
    )
    st.caption(
        draws_note(
            result.wcr_draws, result.wcr_enumerated, result.ri_draws, result.ri_exact, ctx.lang
        )
    )
    if result.warning:
        # Few treated municipalities: say so once, prominently. evaluation.did words the
        # warning in Danish only, so the English text is given here.
        st.warning(
            ctx.tr(
                f"{result.warning} Randomiseringstestens p-værdi: {fmt_num(result.p_ri, 3, 'da')}.",
                f"Weak statistical certainty: only {result.n_treated} treated units (and "
                f"{result.n_control} controls). The interval and p-value shown first are "
                "design-based (placebo regions when all treated municipalities share a "
                "region, else studentised randomisation inference); the ordinary analytic "
                f"interval is too narrow. {_wcr_note_en(result)}Randomisation-inference "
                f"p-value: {fmt_num(result.p_ri, 3, 'en')}. Read the result as an "
                "indication, not proof.",
            )
        )


def _wcr_note_en(result: DidResult) -> str:
    """The English of the Danish warning's sentence on the other p-values (evaluation.did)."""
    if result.headline == "regional":
        return measured.regional_other_p_values("en")
    if result.n_treated < FEW_TREATED_UNITS:
        return (
            "The wild cluster bootstrap p-value is conservative with so few treated units "
            "(it rarely finds an effect even when there is one). "
        )
    return ""


def _pretrend(ctx: PageContext, result: DidResult) -> None:
    regional = result.pretrend_method == "regional"
    if math.isnan(result.pretrend_p) and regional:
        pretrend = ctx.tr(
            "Før-trend-testen kan ikke beregnes: for få placebo-forsøg med fire kvartaler "
            "før start i de andre regioner",
            "The pre-trend test cannot be computed: too few placebo trials with four "
            "quarters before the start in the other regions",
        )
    elif math.isnan(result.pretrend_p):
        pretrend = ctx.tr(
            "Før-trend-testen kan ikke beregnes for denne indikator (ingen variation før start)",
            "The pre-trend test cannot be computed for this indicator (no variation before "
            "the start)",
        )
    elif result.pretrend_p > 0.05:  # a test at 5 % rejects at p ≤ 0.05
        pretrend = ctx.tr(
            "Før-trend-testen afviser ikke parallelle trends",
            "The pre-trend test does not reject parallel trends",
        )
    else:
        pretrend = ctx.tr(
            "Før-trend-testen afviser parallelle trends: læs estimatet med forsigtighed",
            "The pre-trend test rejects parallel trends: read the estimate with caution",
        )
    st.write(f"{pretrend} (p = {fmt_num(result.pretrend_p, 3, ctx.lang) or '–'}).")
    # Sizes measured in bench/bench_evaluation.py (evaluation/measured.py).
    if regional or not math.isnan(result.pretrend_p):
        st.caption(measured.pretrend_note(result.pretrend_method, ctx.lang))


def _event_study(ctx: PageContext, result: DidResult, outcome: str) -> None:
    scale, unit = unit_of(_indikator(outcome))
    fig = event_study_figure(
        result,
        title=label(OUTCOMES, outcome, ctx.lang),
        lang=ctx.lang,
        scale=scale,
        unit=ctx.tr(*unit),
    )
    figure(
        ctx,
        fig,
        "Event study: forskel mellem forsøgs- og kontrolkommuner i hvert kvartal før og efter "
        "forsøgsstart, med 95 %-intervaller; før start bør estimaterne ligge om 0.",
        "Event study: trial minus control difference for each quarter before and after the "
        "trial "
        "start, with 95% intervals; before the start the estimates should be near 0.",
        "marts.mart_panel_kommune_kvartal",
    )
    effects, p_values, counts = summary_tables(result, _indikator(outcome), ctx.lang)
    show_table(ctx, effects, f"did_{outcome}")
    show_table(ctx, p_values, f"did_{outcome}_p")
    st.caption(counts)


def _indikator(outcome: str) -> Indikator | None:
    """The panel indicator ``outcome`` in the vocabulary (seed indikatorer)."""
    panel = queries.PANEL.removeprefix("marts.")
    return next(
        (i for i in vocabulary.indikatorer() if i.kolonne == outcome and i.mart == panel), None
    )


def _inference_section(result: DidResult, ctx: PageContext, indikator: Indikator | None) -> None:
    """How the headline interval was found, the evidence, and the HonestDiD bounds."""
    from dashboards.effects import inference_details

    kommuner = ctx.get(queries.kommuner)
    navne = dict(
        zip(kommuner["kommunekode"].to_list(), kommuner["kommunenavn"].to_list(), strict=True)
    )
    lines, table = inference_details(result, ctx.lang, navne, indikator)
    for line in lines:
        st.caption(line)
    if table is not None:
        st.caption(
            ctx.tr(
                "Følsomhed over for brud på parallelle forløb (Rambachan & Roth): intervallet, "
                "hvis forskellen i trend må ændre hældning med højst M pr. kvartal (glathed), "
                "eller hvis bruddet fra kvartal til kvartal efter start højst er M gange det "
                "største før start (relativ størrelse).",
                "Sensitivity to violations of parallel trends (Rambachan & Roth): the interval "
                "if the trend difference may change slope by at most M per quarter "
                "(smoothness), or if the quarter-to-quarter violation after the start is at "
                "most M times the largest before it (relative magnitude).",
            )
        )
        show_table(ctx, table, "honestdid")


render()
