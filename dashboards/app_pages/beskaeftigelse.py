"""Beskæftigelse og forsørgelse: DREAM outcomes of the LÆ285-eligible sickness-benefit
cases, trial vs control, before vs during the trial."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from core.vocabulary import indikator
from dashboards import charts, queries, udfald
from dashboards.i18n import GRUPPER, PERIODER, label
from dashboards.om_tallet import om_tallet
from dashboards.sections import figure, page_header, section
from dashboards.shared import shared_figure
from dashboards.state import context
from dashboards.tables import TableSpec, protect, show_table

INDIKATORER = (
    "andel_selvforsoergende_uge_26",
    "andel_selvforsoergende_uge_52",
    "andel_gensygemeldt_6_mdr",
    "gns_ydelsesuger_52",
)
# The outcomes are measured on the cases of the theme their indicators belong to (seed
# indikatorer: the LÆ285-eligible cases, fct_sygedagpengeudfald → panel).
TEMA = indikator(INDIKATORER[0]).tema or ""
# The rehab exemption's own DREAM outcome (fct_rehabiliteringsudfald → panel), shown with
# the groups and trial start of its theme.
REHAB_INDIKATOR = "andel_selvforsoergende_uge_52_efter_afgoerelse"


# The line of each period: before the trial dotted, during it solid, after it dashed.
PERIODE_STREG = {"foer": "dot", "under": "solid", "efter": "dash"}


@shared_figure
def _curves(frame: pl.DataFrame, y: str, lang: str, title: str, y_title: str) -> go.Figure:
    fig = go.Figure()
    # Trial first in the legend, as on every chart.
    rank = {g: i for i, g in enumerate(charts.trial_first(frame["gruppe"].to_list()))}
    ordered = frame.sort(pl.col("gruppe").replace_strict(rank), maintain_order=True)
    for (gruppe, periode), part in ordered.group_by("gruppe", "periode", maintain_order=True):
        fig.add_trace(
            go.Scatter(
                x=part["uge"].to_list(),
                y=(part[y] * 100).to_list(),
                mode="lines",
                name=f"{label(GRUPPER, gruppe, lang)}, {label(PERIODER, periode, lang).lower()}",
                # One colour per group, as on every chart; the period by the line's dash.
                line={
                    "color": charts.PALETTE.get(gruppe, charts.DEFAULT_COLOURS[2]),
                    "dash": PERIODE_STREG.get(periode, "solid"),
                },
            )
        )
    x_title = "Uger efter første fraværsdag" if lang == "da" else "Weeks after first absence"
    fig.update_layout(
        title=title,
        xaxis_title=x_title,
        yaxis_title=y_title,
        separators=",." if lang == "da" else ".,",
    )
    return fig


def render() -> None:
    ctx = context().with_tema(TEMA)
    f = ctx.filters
    page_header(ctx, ctx.tr("Beskæftigelse og forsørgelse", "Employment and income support"))
    st.caption(
        ctx.tr(
            "Udfald i DREAM for sygedagpengesager, der ville kræve LÆ285 uden forsøget "
            "(kategori 2–3, forventet over 8 uger). Uge 0 er ugen med første fraværsdag.",
            "DREAM outcomes of sickness-benefit cases that would need LÆ285 without the trial "
            "(category 2–3, expected over 8 weeks). Week 0 is the week of the first absence.",
        )
    )
    spec = TableSpec(
        counts=["n_observeret", "n_selvforsoergende", "n_i_risiko", "n_selvforsoerget"],
        rates={"andel_selvforsoergende": ("n_selvforsoergende", "n_observeret")},
    )

    with section(ctx, "Selvforsørgelse uge for uge", "Self-support week by week"):
        uger = ctx.get(udfald.selvforsoergelse_uger, TEMA, f.kontrolgruppe, f.fra, f.til)
        shown = protect(uger, spec, ctx.suppressed).data
        figure(
            ctx,
            _curves(
                shown.drop_nulls("andel_selvforsoergende"),
                "andel_selvforsoergende",
                ctx.lang,
                ctx.tr("Andel selvforsørgende", "Share self-supporting"),
                "%",
            ),
            "Andel af sagerne uden nogen offentlig ydelse i DREAM i ugen, efter uger siden "
            "første fraværsdag; kun uger, DREAM dækker.",
            "Share of cases with no public benefit in DREAM that week, by weeks since the first "
            "absence; only weeks DREAM covers.",
            f"{udfald.UGER}",
        )
        show_table(ctx, uger, "selvforsoergelse_uger", spec)

    with section(ctx, "Uger til varig selvforsørgelse", "Weeks to sustained self-support"):
        uger = ctx.get(udfald.selvforsoergelse_uger, TEMA, f.kontrolgruppe, f.fra, f.til)
        km = udfald.kaplan_meier(uger)
        if ctx.suppressed:
            km = km.filter(pl.col("n_i_risiko") >= 5)
        figure(
            ctx,
            _curves(
                km,
                "andel_varigt_selvforsoergende",
                ctx.lang,
                ctx.tr("Andel varigt selvforsørgende", "Share in sustained self-support"),
                "%",
            ),
            "Kaplan–Meier: andel, der er begyndt på 4 uger i træk uden offentlig ydelse, efter "
            "uger siden første fraværsdag; sager, hvor DREAM slutter før, tæller med til da.",
            "Kaplan–Meier: share that has started 4 weeks in a row without public benefits, by "
            "weeks since the first absence; cases where DREAM ends earlier count until then.",
            f"{udfald.UGER}",
        )

    with section(ctx, "Indikatorer pr. kvartal", "Indicators by quarter"):
        kvartal = ctx.get(udfald.udfald_kvartal, TEMA, f.kontrolgruppe, f.fra, f.til)
        valgt = st.selectbox(
            ctx.tr("Indikator", "Indicator"),
            INDIKATORER,
            format_func=lambda k: getattr(indikator(k), f"navn_{ctx.lang}"),
        )
        ind = indikator(valgt)
        figure(
            ctx,
            charts.gruppe_linjer(
                kvartal.drop_nulls(valgt),
                valgt,
                title=getattr(ind, f"navn_{ctx.lang}"),
                y_title="%" if ind.enhed == "andel" else ctx.tr("uger", "weeks"),
                lang=ctx.lang,
                marker_x=ctx.forsoegsstart(),
                percent=ind.enhed == "andel",
            ),
            ind.definition_da + " Gennemsnit over kommunerne.",
            ind.definition_en + " Average over the municipalities.",
            "marts.mart_panel_kommune_kvartal",
        )
        # The table below shows all four: the chosen one's definition first.
        om_tallet(ctx.lang, ind, *(k for k in INDIKATORER if k != valgt))
        show_table(ctx, kvartal, "udfald_kvartal", TableSpec(counts=["n_kommuner"]))

    _efter_afgoerelse()

    with section(ctx, "Forsørgelse 52 uger efter", "Income support after 52 weeks"):
        grupper = ctx.get(
            udfald.ydelsesgruppe_uge_52, TEMA, f.kontrolgruppe, f.fra, f.til, ctx.lang
        )
        show_table(
            ctx,
            grupper,
            "ydelsesgruppe_uge_52",
            TableSpec(counts=["n_sager", "n_i_alt"], rates={"andel": ("n_sager", "n_i_alt")}),
        )


def _efter_afgoerelse() -> None:
    """The rehab exemption's outcome: trial vs control of its theme, mean of municipalities
    per quarter (as the LÆ285 outcomes above), with its «Om tallet»."""
    ind = indikator(REHAB_INDIKATOR)
    ctx = context().with_tema(ind.tema or "")
    f = ctx.filters
    with section(
        ctx,
        "Selvforsørgelse efter rehabiliteringsteamets afgørelse",
        "Self-support after the rehabilitation team's decision",
    ):
        frame = ctx.get(
            queries.indikator_tidsserie, f.tema, f.kontrolgruppe, ind.indikator, f.fra, f.til
        ).rename({"vaerdi": ind.kolonne})
        figure(
            ctx,
            charts.gruppe_linjer(
                frame.drop_nulls(ind.kolonne),
                ind.kolonne,
                title=ind.navn(ctx.lang),
                y_title="%",
                lang=ctx.lang,
                marker_x=ctx.forsoegsstart(),
                percent=True,
            ),
            ind.definition_da + " Gennemsnit over kommunerne.",
            ind.definition_en + " Average over the municipalities.",
            "marts.mart_panel_kommune_kvartal",
        )
        om_tallet(ctx.lang, ind)
        show_table(ctx, frame, "efter_afgoerelse", TableSpec(counts=["n_kommuner"]))


render()
