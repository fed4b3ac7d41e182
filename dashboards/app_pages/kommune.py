"""Kommune: one municipality against its control group, with a URL per municipality
(``?kommune=851``)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from core import vocabulary
from dashboards import charts, queries
from dashboards.sections import figure, page_header, section
from dashboards.state import context
from dashboards.tables import TableSpec, protect, show_table

# The panel's rates (seed indikatorer: taeller / naevner), plotted against the control group.
RATES: tuple[vocabulary.Indikator, ...] = tuple(
    i
    for i in vocabulary.indikatorer()
    if i.mart == queries.PANEL.removeprefix("marts.") and i.taeller and i.naevner
)
SPEC = TableSpec(
    counts=list(dict.fromkeys(c for i in RATES for c in (i.naevner, i.taeller))),
    rates={
        **{i.kolonne: (i.taeller, i.naevner) for i in RATES},
        # A median over few cases is hidden with the case count.
        "dage_til_foerste_opfoelgning": (
            "sygedagpengesager_omfattet",
            "sygedagpengesager_omfattet",
        ),
    },
)
COLUMNS = [
    "kvartal",
    "sygedagpengesager_omfattet",
    "lae285_fravalgt",
    "andel_lae285_fravalgt",
    "dage_til_foerste_opfoelgning",
    "rehab_sager",
    "rehab_fritaget",
    "andel_rehab_fritaget",
    "realitetsbehandlede",
    "omgjorte",
    "omgoerelsesprocent",
]


def render() -> None:
    ctx = context()
    f = ctx.filters
    navne = ctx.get(queries.kommuner)
    row = navne.filter(pl.col("kommunekode") == f.kommune)
    navn = row["kommunenavn"][0] if row.height else str(f.kommune)
    page_header(ctx, f"{navn} ({f.kommune})")
    st.caption(
        ctx.tr(
            "Vælg kommune i sidepanelet; adressen (…/kommune?kommune=851) kan deles.",
            "Choose the municipality in the sidebar; the address (…/kommune?kommune=851) can be "
            "shared.",
        )
    )
    with section(ctx, "Kommunen", "Municipality"):
        egen = ctx.get(queries.kommune_tidsserie, f.kommune, f.fra, f.til).select(COLUMNS)
        kontrol = ctx.get(queries.panel_tidsserie, f.tema, f.kontrolgruppe, f.fra, f.til).filter(
            pl.col("gruppe") == "kontrol"
        )
        indikator = st.selectbox(
            ctx.tr("Indikator", "Indicator"),
            list(RATES),
            format_func=lambda i: i.navn(ctx.lang),
        )
        num, den = indikator.taeller, indikator.naevner
        percent = indikator.enhed in ("andel", "procent")
        egen_shown = protect(egen, SPEC, ctx.suppressed).data
        serie = pl.concat(
            [
                egen_shown.select(
                    pl.lit(navn).alias("gruppe"),
                    "kvartal",
                    (pl.col(num) / pl.col(den)).alias("vaerdi"),
                ),
                kontrol.select(
                    pl.lit("kontrol").alias("gruppe"),
                    "kvartal",
                    (pl.col(num) / pl.col(den)).alias("vaerdi"),
                ),
            ]
        )
        figure(
            ctx,
            charts.gruppe_linjer(
                serie,
                "vaerdi",
                title=indikator.navn(ctx.lang),
                y_title="%" if percent else "",
                lang=ctx.lang,
                marker_x=ctx.forsoegsstart(),
                percent=percent,
            ),
            f"{navn} mod kontrolgruppen (samlet over dens kommuner) pr. kvartal.",
            f"{navn} against the control group (pooled over its municipalities) per quarter.",
            "marts.mart_panel_kommune_kvartal",
        )
        show_table(ctx, egen, f"kommune_{f.kommune}", SPEC)


render()
