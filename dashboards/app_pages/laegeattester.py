"""Lægeattester (LÆ285/LÆ265): counterfactual vs actual vs alternative spend and the
cumulative saving, per municipality; waiver reasons; certificate turnaround times."""

from __future__ import annotations

import polars as pl
import streamlit as st

from core import vocabulary
from dashboards import charts, queries
from dashboards.om_tallet import om_tallet
from dashboards.sections import figure, page_header, section
from dashboards.state import PageContext, context
from dashboards.tables import TableSpec, protect, show_table

KR_COLUMNS = (
    "kontrafaktisk_udgift_kr",
    "faktisk_attest_udgift_kr",
    "alternativ_udgift_kr",
    "nettobesparelse_kr",
    "heraf_imputeret_kr",
)
KOMMUNE_SPEC = TableSpec(
    counts=["sager_omfattet", "attest_indhentet", "attest_fravalgt"],
    rates={"andel_fravalgt": ("attest_fravalgt", "sager_omfattet")},
    # The trial group's total is shown on Overblik: protect hidden cells against subtraction.
    totals_by=[],
    # omfattet = indhentet + fravalgt: a hidden part must not follow from the other two.
    relations=[("sager_omfattet", ("attest_indhentet", "attest_fravalgt"))],
    # Amounts are fee × cases: hidden with the counts they would reveal.
    follows={c: ("sager_omfattet", "attest_indhentet", "attest_fravalgt") for c in KR_COLUMNS},
)

# The reasons add up to the waived certificates of the municipality table above: a reason
# hidden alone would be that total minus the reasons shown.
BEGRUNDELSE_SPEC = TableSpec(counts=["antal"], totals_by=[])


# The certificate indicators of seed indikatorer this page shows (spend per case, waived share).
LAE285_INDIKATORER = ("andel_lae285_fravalgt", "attestudgift_pr_sag_kr")
LAE285_INDIKATOR_TEMA = vocabulary.indikator(LAE285_INDIKATORER[0]).tema


def _index(tema: str) -> int:
    """The certificate whose theme is chosen (a certificate type's theme has its code)."""
    codes = [d.lower() for d in queries.DOKUMENTTYPER]
    return codes.index(tema) if tema in codes else 0


def render() -> None:
    ctx = context()
    f = ctx.filters
    page_header(ctx, ctx.tr("Lægeattester (LÆ285/LÆ265)", "Medical certificates (LÆ285/LÆ265)"))
    dokumenttype = st.radio(
        ctx.tr("Attest", "Certificate"),
        list(queries.DOKUMENTTYPER),
        index=_index(f.tema),
        format_func=lambda d: d.replace("AE", "Æ"),
        horizontal=True,
    )
    # Groups and periods follow the chosen certificate's theme.
    ctx = ctx.with_tema(dokumenttype.lower())
    with section(ctx, "Udgifter", "Spend"):
        _udgifter(ctx, dokumenttype)
    if dokumenttype == "LAE285":
        with section(ctx, "Begrundelser", "Reasons"):
            _begrundelser(ctx)
    with section(ctx, "Svartider", "Turnaround"):
        _svartider(ctx)


def _udgifter(ctx: PageContext, dokumenttype: str) -> None:
    f = ctx.filters
    forsoeg = ctx.koder("forsoeg")
    st.subheader(ctx.tr("Udgift med og uden forsøget", "Spend with and without the trial"))
    kommuner = ctx.get(queries.attest_kommune, dokumenttype, forsoeg, f.fra, f.til)
    maaned = ctx.get(queries.attest_maaned, dokumenttype, forsoeg, f.fra, f.til)
    if ctx.suppressed and protect(kommuner, KOMMUNE_SPEC, True).mask["attest_fravalgt"].any():
        # A municipality's hidden count could be read off the pooled monthly curve. The
        # notice stands alone: an empty chart with axes from -1 to 4 beside it said nothing.
        st.info(
            ctx.tr(
                "Udgiftskurven vises ikke, fordi en kommune har for få sager.",
                "The spend curve is not shown because a municipality has too few cases.",
            )
        )
    else:
        _udgiftskurve(ctx, dokumenttype, maaned)
    if dokumenttype.lower() == LAE285_INDIKATOR_TEMA:
        om_tallet(ctx.lang, *LAE285_INDIKATORER)
    om_tallet(ctx.lang, "nettobesparelse_kr")
    st.subheader(ctx.tr("Pr. kommune", "Per municipality"))
    show_table(ctx, kommuner, f"attestbesparelse_{dokumenttype.lower()}", KOMMUNE_SPEC)


def _udgiftskurve(ctx: PageContext, dokumenttype: str, maaned: pl.DataFrame) -> None:
    figure(
        ctx,
        charts.attest_udgifter(
            maaned,
            title=ctx.tr(
                f"{dokumenttype.replace('AE', 'Æ')}: udgift pr. måned i forsøgskommunerne",
                f"{dokumenttype.replace('AE', 'Æ')}: monthly spend in the trial municipalities",
            ),
            lang=ctx.lang,
        ),
        "Udgift uden forsøget (alle omfattede sager × takst), faktisk attestudgift, udgift til "
        "alternativ dokumentation og den kumulerede nettobesparelse (højre akse).",
        "Counterfactual spend (all eligible cases × fee), actual certificate spend, "
        "alternative "
        "documentation and cumulative net saving (right axis).",
        "marts.mart_attestbesparelse",
    )


def _begrundelser(ctx: PageContext) -> None:
    f = ctx.filters
    forsoeg = ctx.koder("forsoeg")
    st.subheader(ctx.tr("Begrundelser for fravalg af LÆ285", "Reasons for waiving LÆ285"))
    begrundelser = ctx.get(queries.fravalgsbegrundelser, forsoeg, f.fra, f.til)
    spec = BEGRUNDELSE_SPEC
    shown = protect(begrundelser, spec, ctx.suppressed).data
    figure(
        ctx,
        charts.soejler(
            shown,
            "begrundelse",
            "antal",
            title=ctx.tr("Fravalg efter begrundelse", "Waivers by reason"),
            x_title=ctx.tr("Begrundelse", "Reason"),
            y_title=ctx.tr("Sager", "Cases"),
            lang=ctx.lang,
        ),
        "Antal sygedagpengesager i forsøgskommunerne, hvor LÆ285 blev fravalgt, efter begrundelse.",
        "Sickness-benefit cases in the trial municipalities where LÆ285 was waived, by reason.",
        "marts.fct_sygedagpengesager",
    )
    show_table(ctx, begrundelser, "fravalgsbegrundelser", spec)


def _svartider(ctx: PageContext) -> None:
    f = ctx.filters
    st.subheader(ctx.tr("Svartid på attester", "Certificate turnaround"))
    svartid = ctx.get(
        queries.sagsbehandlingstid_kvartal,
        f.tema,
        f.kontrolgruppe,
        "attest_rekvireret_til_modtaget",
        f.fra,
        f.til,
    )
    spec = TableSpec(
        counts=["n_sager", "inden_frist"],
        rates={
            "median_dage": ("n_sager", "n_sager"),
            "andel_inden_frist": ("inden_frist", "n_sager"),
        },
    )
    shown = protect(svartid, spec, ctx.suppressed).data
    figure(
        ctx,
        charts.gruppe_linjer(
            shown,
            "median_dage",
            title=vocabulary.indikator("dage_attest_svartid").navn(ctx.lang),
            y_title=ctx.tr("Dage (median)", "Days (median)"),
            lang=ctx.lang,
            marker_x=ctx.forsoegsstart(),
        ),
        "Kommunernes mediane svartid pr. kvartal, vægtet med antal attester, forsøg mod kontrol.",
        "Municipal median turnaround per quarter, weighted by certificates, trial vs control.",
        "marts.mart_sagsbehandlingstid",
    )
    om_tallet(ctx.lang, "dage_attest_svartid", "andel_attest_inden_frist")
    show_table(ctx, svartid, "attest_svartid", spec)


render()
