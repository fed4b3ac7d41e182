"""Overblik's top: one tile per main indicator of the chosen theme — "forsøg vs. kontrol:
forskel (95 %-interval)", a verdict sentence and a link to the estimate on the Effekt page —
and the theme's headline indicator for both groups over time with the trial start marked."""

from __future__ import annotations

import streamlit as st

from core import vocabulary
from core.format import fmt_kvartal
from dashboards import charts, queries
from dashboards.effects import did_headline, estimation_window
from dashboards.figur_eksport import png_config, stamp
from dashboards.headline import Forskel, tile_indicators
from dashboards.om_tallet import om_tallet
from dashboards.state import PageContext

EFFEKT_PAGE = "app_pages/effekt.py"
TILES_PER_ROW = 2


def _period_note(ctx: PageContext) -> str | None:
    """Why no comparison can be made for the chosen period (None when it can)."""
    f = ctx.filters
    start, _ = ctx.get(queries.forsoegsvindue, f.tema)
    if start is None:
        return ctx.tr(
            "Ingen kommuner er i forsøget under dette tema.",
            "No municipality is in the trial under this theme.",
        )
    window = ctx.get(estimation_window, f.tema, f.fra, f.til)
    if window.is_empty:
        slut = fmt_kvartal(window.tema_slut, ctx.lang)
        return ctx.tr(
            f"Den valgte periode ligger efter forsøget (temaets sidste kvartal er {slut}). "
            "Vælg en periode, der begynder før, for at sammenligne.",
            f"The chosen period lies after the trial (the theme's last quarter is {slut}). "
            "Choose a period that starts earlier to compare.",
        )
    if f.til < start or f.fra >= start:
        begynder = fmt_kvartal(start, ctx.lang)
        return ctx.tr(
            f"Forsøget begynder {begynder}; perioden skal rumme kvartaler både før og under "
            "forsøget for at sammenligne udviklingen.",
            f"The trial starts {begynder}; the period must hold quarters both before and during "
            "the trial to compare the change.",
        )
    return None


def render(ctx: PageContext) -> None:
    """The tiles for the chosen theme, control group and period."""
    st.subheader(ctx.tr("Forsøg mod kontrol", "Trial against control"))
    note = _period_note(ctx)
    if note:
        st.info(note)
        return
    indikatorer = tile_indicators(ctx.filters.tema, ctx.get(queries.panel_kolonner))
    # Two tiles a row: four in a row cut the values ("+33,3 proc…") at 1440 px.
    for first in range(0, len(indikatorer), TILES_PER_ROW):
        columns = st.columns(TILES_PER_ROW)
        for column, indikator in zip(
            columns, indikatorer[first : first + TILES_PER_ROW], strict=False
        ):
            with column.container(border=True):
                _tile(ctx, indikator)
    st.caption(
        ctx.tr(
            "Forskel = udviklingen i forsøgskommunerne fra før til under forsøget minus "
            "udviklingen i kontrolgruppen (forskel-i-forskelle), med 95 %-interval.",
            "Difference = the change in the trial municipalities from before to during the "
            "trial minus the change in the control group (difference-in-differences), with a "
            "95% interval.",
        )
    )


def _tile(ctx: PageContext, indikator: vocabulary.Indikator) -> None:
    f = ctx.filters
    result = ctx.get(did_headline, f.tema, f.kontrolgruppe, indikator.kolonne, f.fra, f.til)
    forskel = Forskel.from_result(indikator, result)
    name = indikator.navn(ctx.lang)
    if forskel is None:
        st.metric(name, "–")
        st.write(
            ctx.tr(
                "Ingen forsøgs- eller kontrolkommuner med tal for indikatoren i perioden.",
                "No trial or control municipalities with figures for the indicator in the period.",
            )
        )
        return
    st.metric(name, forskel.value(ctx.lang), help=indikator.definition(ctx.lang))
    st.caption(ctx.tr("Forsøg vs. kontrol: ", "Trial vs control: ") + forskel.interval(ctx.lang))
    st.write(forskel.verdict(ctx.lang))
    om_tallet(ctx.lang, indikator)
    st.page_link(
        EFFEKT_PAGE,
        label=ctx.tr("Se estimatet under Effekt", "See the estimate under Effect"),
        icon=":material/arrow_forward:",
    )


def render_chart(ctx: PageContext) -> None:
    """The theme's headline indicator per group and quarter, the trial start marked."""
    f = ctx.filters
    indikatorer = tile_indicators(f.tema, ctx.get(queries.panel_kolonner))
    if not indikatorer:
        return
    indikator = indikatorer[0]
    frame = ctx.get(
        queries.indikator_tidsserie, f.tema, f.kontrolgruppe, indikator.indikator, f.fra, f.til
    )
    if frame.is_empty():
        st.info(
            ctx.tr(
                "Ingen tal for grupperne i den valgte periode.",
                "No figures for the groups in the chosen period.",
            )
        )
        return
    start = ctx.forsoegsstart()
    fig = charts.gruppe_linjer(
        frame,
        "vaerdi",
        title=indikator.navn(ctx.lang),
        y_title=charts.unit_title(indikator.enhed, ctx.lang),
        lang=ctx.lang,
        percent=indikator.enhed == "andel",
        marker_x=start,
        marker_text=ctx.tr(f"Forsøget starter {start}", f"Trial starts {start}"),
    )
    fig = charts.talformat(stamp(fig, ctx, queries.PANEL), ctx.lang)
    st.plotly_chart(fig, width="stretch", config=png_config(fig))
    st.caption(
        ctx.tr(
            "Forsøgskommuner og kontrolgruppe kvartal for kvartal; andele samlet over "
            "kommunerne, øvrige tal som gennemsnit af kommunerne. Kilde: "
            f"`{queries.PANEL}`.",
            "Trial municipalities and control group quarter by quarter; shares pooled over "
            "the municipalities, other figures as the municipalities' mean. Source: "
            f"`{queries.PANEL}`.",
        )
    )
    om_tallet(ctx.lang, indikator)
