"""Kommune: one municipality against its control group, with a URL per municipality
(``?kommune=851``)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards import charts, queries
from dashboards.sections import figure, page_header, section
from dashboards.state import context
from dashboards.tables import TableSpec, protect, show_table

# indicator → (numerator, denominator, Danish, English, percent axis)
INDIKATORER: dict[str, tuple[str, str, str, str, bool]] = {
    "andel_lae285_fravalgt": (
        "lae285_fravalgt",
        "sygedagpengesager_omfattet",
        "Andel LÆ285 fravalgt",
        "Share LÆ285 waived",
        True,
    ),
    "andel_rehab_fritaget": (
        "rehab_fritaget",
        "rehab_sager",
        "Andel fritaget for rehabmøde",
        "Share exempted from rehab meeting",
        True,
    ),
    "omgoerelsesprocent": (
        "omgjorte",
        "realitetsbehandlede",
        "Omgørelsesprocent",
        "Reversal rate",
        True,
    ),
}
SPEC = TableSpec(
    counts=[
        "sygedagpengesager_omfattet",
        "lae285_fravalgt",
        "rehab_sager",
        "rehab_fritaget",
        "realitetsbehandlede",
        "omgjorte",
    ],
    rates={
        "andel_lae285_fravalgt": ("lae285_fravalgt", "sygedagpengesager_omfattet"),
        "andel_rehab_fritaget": ("rehab_fritaget", "rehab_sager"),
        "omgoerelsesprocent": ("omgjorte", "realitetsbehandlede"),
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
            list(INDIKATORER),
            format_func=lambda c: ctx.tr(INDIKATORER[c][2], INDIKATORER[c][3]),
        )
        num, den, da, en, percent = INDIKATORER[indikator]
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
                title=ctx.tr(da, en),
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
