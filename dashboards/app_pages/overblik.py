"""Overblik: the headline figures for the chosen theme, period and control group — trial vs
control, before vs during the trial — each with its 95 % interval and a plain reading."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl
import streamlit as st

from core import vocabulary
from core.format import fmt_kr, fmt_num, fmt_pct
from dashboards import charts, overblik_tiles, queries
from dashboards.indicators import km_summary, with_share
from dashboards.om_tallet import om_tallet
from dashboards.sections import figure, page_header, section
from dashboards.state import PageContext, context
from dashboards.tables import TableSpec, protect, show_table

FOLLOW_UP = "fravaer_til_foerste_opfoelgning"  # fct_forloeb.forloeb shown on this page
SHARE_SPEC = TableSpec(
    counts=["taeller", "naevner"],
    rates={
        "andel": ("taeller", "naevner"),
        "andel_ci_lav": ("taeller", "naevner"),
        "andel_ci_hoej": ("taeller", "naevner"),
    },
)


def _egne_dokumenter(tema: str) -> list[str]:
    """The certificate types of the theme (the type whose code is the theme's); none for a
    theme that is not about a certificate."""
    return [d for d in queries.DOKUMENTTYPER if d.lower() == tema]


def _share_frame(frame: pl.DataFrame, numerator: str, denominator: str) -> pl.DataFrame:
    shares = with_share(frame, numerator, denominator)
    return shares.select(
        "gruppe",
        "periode",
        pl.col(numerator).alias("taeller"),
        pl.col(denominator).alias("naevner"),
        "andel",
        "andel_ci_lav",
        "andel_ci_hoej",
    ).filter(pl.col("periode") != "efter")


def _value(ctx: PageContext, frame: pl.DataFrame, spec: TableSpec, column: str, gruppe: str):
    """The (possibly suppressed) value of ``column`` for ``gruppe`` during the trial."""
    data = protect(frame, spec, ctx.suppressed).data
    row = data.filter((pl.col("gruppe") == gruppe) & (pl.col("periode") == "under"))
    return row[column][0] if row.height else None


def _share_reading(ctx: PageContext, frame: pl.DataFrame, what_da: str, what_en: str) -> str:
    forsoeg = _value(ctx, frame, SHARE_SPEC, "andel", "forsoeg")
    kontrol = _value(ctx, frame, SHARE_SPEC, "andel", "kontrol")
    if _no_trial_quarters(frame):
        return _no_trial_text(ctx)
    if forsoeg is None or kontrol is None:
        return ctx.tr(
            "For få sager til at sammenligne under forsøget.",
            "Too few cases to compare during the trial.",
        )
    return ctx.tr(
        f"Under forsøget {what_da} {fmt_pct(forsoeg, 1, 'da')} i forsøgskommunerne mod "
        f"{fmt_pct(kontrol, 1, 'da')} i kontrolgruppen (beskrivende; se Effekt for estimatet).",
        f"During the trial {what_en} {fmt_pct(forsoeg, 1, 'en')} in the trial municipalities "
        f"against {fmt_pct(kontrol, 1, 'en')} in the control group (descriptive; see Effect).",
    )


def _no_trial_quarters(frame: pl.DataFrame) -> bool:
    """True when the chosen period holds no quarter during the trial (not: too few cases)."""
    return "periode" in frame.columns and not frame.filter(pl.col("periode") == "under").height


def _no_trial_text(ctx: PageContext) -> str:
    return ctx.tr(
        "Den valgte periode rummer ingen kvartaler under forsøget.",
        "The chosen period holds no quarters during the trial.",
    )


KR_SPEC = TableSpec(
    counts=["sager_omfattet", "attest_fravalgt"],
    rates={
        "nettobesparelse_kr": ("attest_fravalgt", "sager_omfattet"),
        "heraf_imputeret_kr": ("attest_fravalgt", "sager_omfattet"),
    },
)
MEDIAN_SPEC = TableSpec(
    counts=["n_sager", "haendelser"],
    rates={c: ("n_sager", "n_sager") for c in ("median_dage", "median_ci_lav", "median_ci_hoej")},
)


@dataclass(frozen=True, kw_only=True)
class Tal:
    """The page's frames (empty where the snapshot lacks the data)."""

    fravalg: pl.DataFrame = field(default_factory=pl.DataFrame)
    besparelse: pl.DataFrame = field(default_factory=pl.DataFrame)
    fritaget: pl.DataFrame = field(default_factory=pl.DataFrame)
    omgjort: pl.DataFrame = field(default_factory=pl.DataFrame)
    medians: pl.DataFrame = field(default_factory=pl.DataFrame)


def render() -> None:
    ctx = context()
    page_header(ctx, ctx.tr("Overblik", "Overview"))
    st.write(
        ctx.tr(
            "Forsøgskommuner mod kontrolgruppe, før og under forsøget, for det valgte tema og "
            "den valgte periode. Intervaller er 95 %-konfidensintervaller.",
            "Trial municipalities against the control group, before and during the trial, for "
            "the chosen theme and period. Intervals are 95% confidence intervals.",
        )
    )
    with section(ctx, "Forsøg mod kontrol", "Trial against control"):
        overblik_tiles.render(ctx)
    with section(ctx, "Udvikling over tid", "Development over time"):
        overblik_tiles.render_chart(ctx)
    kolonner = {ind.kolonne for ind in vocabulary.indikatorer_for_tema(ctx.filters.tema)}
    tal: dict[str, pl.DataFrame] = {}
    if _egne_dokumenter(ctx.filters.tema):
        with section(ctx, "Lægeattester", "Certificates"):
            tal.update(_attester(ctx))
    with section(ctx, "Rehabiliteringsteam", "Rehabilitation team"):
        summer = ctx.get(queries.panel_summer, *_args(ctx))
        if "andel_rehab_fritaget" in kolonner:
            tal["fritaget"] = _share_frame(summer, "rehab_fritaget", "rehab_sager")
        tal["omgjort"] = _share_frame(summer, "omgjorte", "realitetsbehandlede")
    if "dage_til_foerste_opfoelgning" in kolonner:
        with section(ctx, "Sagsbehandlingstid", "Processing time"):
            f = ctx.filters
            tal["medians"] = ctx.get(km_summary, f.tema, f.kontrolgruppe, FOLLOW_UP, f.fra, f.til)[
                0
            ]
    frames = Tal(**tal)
    _fravalg(ctx, frames.fravalg)
    _besparelse(ctx, frames.besparelse)
    _median(ctx, frames.medians)
    _shares(ctx, frames)


def _om_tallet(ctx: PageContext, indikator: str) -> None:
    """The definition, when the figure is the chosen theme's indicator (the waiver share of
    another certificate than LÆ285 is not the LÆ285 indicator)."""
    if indikator in {i.indikator for i in vocabulary.indikatorer_for_tema(ctx.filters.tema)}:
        om_tallet(ctx.lang, indikator)


def _args(ctx: PageContext) -> tuple:
    f = ctx.filters
    return f.tema, f.kontrolgruppe, f.fra, f.til


def _attester(ctx: PageContext) -> dict[str, pl.DataFrame]:
    attest = ctx.get(queries.attest_summer, *_args(ctx))
    attest = (
        attest.filter(pl.col("dokumenttype").is_in(_egne_dokumenter(ctx.filters.tema)))
        .group_by("gruppe", "periode", maintain_order=True)
        .agg(
            pl.col(
                "attest_fravalgt", "sager_omfattet", "nettobesparelse_kr", "heraf_imputeret_kr"
            ).sum()
        )
    )
    besparelse = attest.filter(pl.col("periode") != "efter").select(
        "gruppe",
        "periode",
        "sager_omfattet",
        "attest_fravalgt",
        "nettobesparelse_kr",
        "heraf_imputeret_kr",
    )
    return {
        "fravalg": _share_frame(attest, "attest_fravalgt", "sager_omfattet"),
        "besparelse": besparelse,
    }


def _trial_value(ctx: PageContext, frame: pl.DataFrame, spec: TableSpec, column: str):
    return _value(ctx, frame, spec, column, "forsoeg") if column in frame.columns else None


def _fravalg(ctx: PageContext, fravalg: pl.DataFrame) -> None:
    if "andel" not in fravalg.columns:
        return
    st.subheader(ctx.tr("Attester fravalgt", "Certificates waived"))
    st.write(
        _share_reading(ctx, fravalg, "blev attesten fravalgt i", "the certificate was waived in")
    )
    shown = protect(fravalg, SHARE_SPEC, ctx.suppressed).data
    fig = charts.soejler(
        shown.with_columns(
            pl.col("periode").replace_strict(
                {"foer": ctx.tr("Før", "Before"), "under": ctx.tr("Under", "During")}
            )
        ),
        "periode",
        "andel",
        color="gruppe",
        title=ctx.tr(
            "Andel sager med attesten fravalgt", "Share of cases with the certificate waived"
        ),
        x_title=ctx.tr("Periode", "Period"),
        y_title="%",
        lang=ctx.lang,
        percent=True,
    )
    figure(
        ctx,
        fig,
        "Andel af de sager, der ville have krævet attesten, hvor den blev fravalgt.",
        "Share of the cases that would have required the certificate where it was waived.",
        "marts.mart_attestbesparelse",
    )
    _om_tallet(ctx, "andel_lae285_fravalgt")
    show_table(ctx, fravalg, "attester_fravalgt", SHARE_SPEC)


def _besparelse(ctx: PageContext, besparelse: pl.DataFrame) -> None:
    if "nettobesparelse_kr" not in besparelse.columns:
        return
    netto = _trial_value(ctx, besparelse, KR_SPEC, "nettobesparelse_kr")
    imputeret = _trial_value(ctx, besparelse, KR_SPEC, "heraf_imputeret_kr")
    st.subheader(vocabulary.indikator("nettobesparelse_kr").navn(ctx.lang))
    if _no_trial_quarters(besparelse):
        st.write(_no_trial_text(ctx))
    elif netto is None:
        st.write(
            ctx.tr("For få sager til at vise besparelsen.", "Too few cases to show the saving.")
        )
    else:
        share_imputed = (imputeret or 0) / netto if netto else 0
        st.write(
            ctx.tr(
                f"Under forsøget sparede forsøgskommunerne netto {fmt_kr(netto, 0, 'da')} på "
                "attester "
                f"(udgift uden forsøg minus faktisk og alternativ udgift). Usikkerhed: "
                f"{fmt_kr(imputeret, 0, 'da')} ({fmt_pct(share_imputed, 0, 'da')}) bygger på "
                "takster, "
                "fordi regningen mangler.",
                f"During the trial the trial municipalities saved a net {fmt_kr(netto, 0, 'en')} "
                "on "
                f"certificates. Uncertainty: {fmt_kr(imputeret, 0, 'en')} "
                f"({fmt_pct(share_imputed, 0, 'en')}) is based on fee tables because the invoice "
                "is missing.",
            )
        )
    om_tallet(ctx.lang, "nettobesparelse_kr")
    show_table(ctx, besparelse, "nettobesparelse", KR_SPEC)


def _median(ctx: PageContext, medians: pl.DataFrame) -> None:
    if "median_dage" not in medians.columns:
        return
    median = _trial_value(ctx, medians, MEDIAN_SPEC, "median_dage")
    st.subheader(ctx.tr("Dage til første opfølgning", "Days to first follow-up"))
    if _no_trial_quarters(medians):
        st.write(_no_trial_text(ctx))
    elif median is None:
        st.write(ctx.tr("For få sager til at vise medianen.", "Too few cases to show the median."))
    else:
        st.write(
            ctx.tr(
                f"Under forsøget gik der i forsøgskommunerne median {fmt_num(median, 0, 'da')} "
                "dage fra "
                "første fraværsdag til første opfølgningssamtale (Kaplan–Meier; åbne sager tæller "
                "med).",
                "During the trial the median time from first absence day to first follow-up in "
                "the "
                f"trial municipalities was {fmt_num(median, 0, 'en')} days (Kaplan–Meier).",
            )
        )
    _om_tallet(ctx, "dage_til_foerste_opfoelgning")
    show_table(ctx, medians, "dage_til_foerste_opfoelgning", MEDIAN_SPEC)


def _shares(ctx: PageContext, tal: Tal) -> None:
    if "andel" in tal.fritaget.columns:
        st.subheader(ctx.tr("Fritaget for rehabiliteringsmøde", "Exempted from the rehab meeting"))
        st.write(
            _share_reading(ctx, tal.fritaget, "var andelen fritaget", "the share exempted was")
        )
        _om_tallet(ctx, "andel_rehab_fritaget")
        show_table(ctx, tal.fritaget, "fritaget_rehabmoede", SHARE_SPEC)
    if "andel" in tal.omgjort.columns:
        st.subheader(
            ctx.tr("Omgørelsesprocent i Ankestyrelsen", "Reversal rate at the appeals board")
        )
        st.write(
            _share_reading(ctx, tal.omgjort, "var omgørelsesprocenten", "the reversal rate was")
        )
        _om_tallet(ctx, "omgoerelsesprocent")
        show_table(ctx, tal.omgjort, "omgoerelsesprocent", SHARE_SPEC)


render()
