"""Kommune: one municipality against its control group, with a URL per municipality
(``?kommune=851``)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from core import vocabulary
from core.format import fmt_pct
from dashboards import charts, queries, queries_perioder
from dashboards.i18n import label, tr
from dashboards.om_tallet import om_tallet
from dashboards.queries_perioder import OPDELINGER
from dashboards.sections import figure, page_header, section
from dashboards.state import PageContext, context
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
    # The ranking below shows each count summed over the same quarters: a quarter hidden
    # alone would be that total minus the quarters shown.
    totals_by=[],
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
        om_tallet(ctx.lang, indikator)
        show_table(ctx, egen, f"kommune_{f.kommune}", SPEC)
    with section(ctx, "Sammenligning", "Comparison"):
        _flere_kommuner(ctx, indikator, navne)
        _placering(ctx, indikator, navn)


def _flere_kommuner(ctx: PageContext, indikator: vocabulary.Indikator, navne) -> None:
    """The chosen municipality and any others the user adds, one line each."""
    f = ctx.filters
    st.subheader(ctx.tr("Flere kommuner i samme graf", "Several municipalities in one chart"))
    koder = [k for k in navne["kommunekode"].to_list() if k != f.kommune]
    navn_af = dict(navne.select("kommunekode", "kommunenavn").iter_rows())
    andre = st.multiselect(
        ctx.tr("Sammenlign med", "Compare with"),
        koder,
        format_func=lambda code: f"{navn_af.get(code, code)} ({code})",
        placeholder=ctx.tr("Vælg kommuner", "Choose municipalities"),
        key="kommune_sammenlign",
    )
    opdeling = st.radio(
        ctx.tr("Vis pr.", "Show by"),
        list(OPDELINGER),
        index=list(OPDELINGER).index("kvartal"),
        format_func=lambda code: label(OPDELINGER, code, ctx.lang),
        horizontal=True,
        key="kommune_opdeling",
    )
    if opdeling == "maaned" and not ctx.get(queries_perioder.har_maaned, indikator.indikator):
        st.info(
            ctx.tr(
                f"«{indikator.navn('da')}» opgøres kun pr. kvartal (kilden har ingen "
                "månedstal). Vælg kvartal, år eller løbende 12 mdr.",
                f"'{indikator.navn('en')}' is measured per quarter only (its source has no "
                "monthly figures). Choose quarter, year or rolling 12 months.",
            )
        )
        return
    serie = ctx.get(
        queries_perioder.kommuner_perioder,
        indikator.indikator,
        (f.kommune, *andre),
        f.fra,
        f.til,
        opdeling,
    )
    # Rolling 12 months are calendar months where the indicator has months, else quarters.
    maanedlig = opdeling == "maaned" or "n_maaneder" in serie.columns
    serie = _periode_labels(serie, "maaned" if maanedlig else opdeling, ctx.lang)
    if ctx.suppressed:
        # Rates on fewer than 5 cases are hidden (counts come along for the rule only).
        serie = protect(
            serie.with_columns(
                pl.col("taeller").alias(indikator.taeller),
                pl.col("naevner").alias(indikator.naevner),
            ).rename({"vaerdi": indikator.kolonne}),
            _spec(indikator),
            ctx.suppressed,
        ).data.rename({indikator.kolonne: "vaerdi"})
    figure(
        ctx,
        charts.kommune_linjer(
            serie,
            title=indikator.navn(ctx.lang),
            y_title=charts.unit_title(indikator.enhed, ctx.lang),
            lang=ctx.lang,
            percent=indikator.enhed == "andel",
            fremhaevet=f.kommune,
            x_title=_x_title(opdeling, ctx.lang, maanedlig),
        ),
        "Én linje pr. kommune; den valgte kommune er fremhævet. Tæller og nævner er lagt "
        "sammen over hver periode (år: kun periodens kvartaler; løbende 12 mdr.: "
        + (
            "de tolv måneder til og med måneden"
            if maanedlig
            else "de fire kvartaler til og med kvartalet, da kilden kun har kvartalstal"
        )
        + "); måned: sagerne efter sagsdatoens måned.",
        "One line per municipality; the chosen municipality is highlighted. Numerator and "
        "denominator are summed over each period (year: only quarters in the chosen period; "
        "rolling 12 months: "
        + (
            "the twelve months up to and including the month"
            if maanedlig
            else "the four quarters up to and including the quarter, as the source is quarterly"
        )
        + "); month: cases by the month of their case date.",
        queries_perioder.MAANED if maanedlig else queries.PANEL,
    )


def _periode_labels(frame: pl.DataFrame, opdeling: str, lang) -> pl.DataFrame:
    """``kvartal`` and its axis label for the chosen breakdown: 2019K1, 2019, or the last
    quarter of a rolling window."""
    frame = frame.rename({"periode": "kvartal"})
    if opdeling == "maaned":
        # Danmarks Statistik's and jobindsats' month notation: 2019M03.
        return frame.with_columns(pl.col("kvartal").dt.strftime("%YM%m").alias("kvartal_label"))
    if opdeling == "aar":
        return frame.with_columns(
            pl.col("kvartal").dt.year().cast(pl.String).alias("kvartal_label")
        )
    return charts.kvartal_labels(frame, lang)


def _x_title(opdeling: str, lang, maanedlig: bool = False) -> str:
    if opdeling == "loebende_12_mdr" and maanedlig:
        return tr(lang, "Løbende 12 mdr. til og med måned", "Rolling 12 months up to the month")
    if opdeling in ("aar", "maaned"):
        return label(OPDELINGER, opdeling, lang)
    if opdeling == "loebende_12_mdr":
        return tr(lang, "Løbende 12 mdr. til og med kvartal", "Rolling 12 months up to the quarter")
    return label(OPDELINGER, "kvartal", lang)


def _placering(ctx: PageContext, indikator: vocabulary.Indikator, navn: str) -> None:
    """Where the municipality ranks among all municipalities, against the national value;
    the trial and control municipalities of the chosen theme and control group marked."""
    f = ctx.filters
    st.subheader(ctx.tr("Placering blandt alle kommuner", "Ranking among all municipalities"))
    rang = ctx.get(queries.rangering, indikator.indikator, f.fra, f.til)
    grupper = ctx.grupper().select("kommunekode", "gruppe")
    table = rang.join(grupper, on="kommunekode", how="left").select(
        "placering",
        "kommunenavn",
        "gruppe",
        pl.col("taeller").alias(indikator.taeller),
        pl.col("naevner").alias(indikator.naevner),
        pl.col("vaerdi").alias(indikator.kolonne),
    )
    spec = _spec(indikator)
    shown = protect(table, spec, ctx.suppressed).data
    national = ctx.get(queries.landsgennemsnit, indikator.indikator, f.fra, f.til)
    egen = rang.filter(pl.col("kommunekode") == f.kommune)
    egen_shown = shown.filter(pl.col("kommunenavn") == navn)
    ranked = rang["placering"].drop_nulls().len()
    value = egen_shown[indikator.kolonne][0] if egen_shown.height else None
    if value is None or not egen.height or egen["placering"][0] is None:
        st.write(
            ctx.tr(
                f"{navn} har for få sager i perioden til en placering.",
                f"{navn} has too few cases in the period to be ranked.",
            )
        )
    else:
        st.write(
            ctx.tr(
                f"{navn} ligger nr. {egen['placering'][0]} af {ranked} kommuner med "
                f"{_fmt(indikator, value, 'da')}; landsgennemsnittet er "
                f"{_fmt(indikator, national, 'da')} (højeste værdi er nr. 1).",
                f"{navn} ranks {egen['placering'][0]} of {ranked} municipalities with "
                f"{_fmt(indikator, value, 'en')}; the national value is "
                f"{_fmt(indikator, national, 'en')} (highest value is no. 1).",
            )
        )
    show_table(ctx, table, f"placering_{indikator.indikator}", spec)


def _spec(indikator: vocabulary.Indikator) -> TableSpec:
    return TableSpec(
        counts=[indikator.naevner, indikator.taeller],
        rates={indikator.kolonne: (indikator.taeller, indikator.naevner)},
    )


def _fmt(indikator: vocabulary.Indikator, value: float | None, lang) -> str:
    if indikator.enhed == "andel":
        return fmt_pct(value, 1, lang)
    return fmt_pct(value, 1, lang, fraction=False)


render()
