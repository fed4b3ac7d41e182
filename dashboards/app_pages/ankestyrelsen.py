"""Ankestyrelsen: omgørelsesprocent over time with Wilson intervals, a funnel plot of all
municipalities, and — for appeals known case by case — the reversal rate of cases with and
without a waived certificate (the legal-certainty question)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from core.format import fmt_pct
from dashboards import charts, queries, queries_omgoerelser
from dashboards.i18n import KILDER, label
from dashboards.indicators import with_share
from dashboards.om_tallet import om_tallet
from dashboards.sections import figure, page_header, section
from dashboards.shared import shared_figure
from dashboards.state import PageContext, context
from dashboards.tables import TableSpec, protect, show_table
from evaluation.proportions import newcombe
from report.charts import funnel_figure as _funnel_figure

# The same figure for every session that asks for the same data (dashboards.shared).
funnel_figure = shared_figure(_funnel_figure)

# The page's indicator (seed indikatorer).
OMGOERELSESPROCENT = "omgoerelsesprocent"
SHARE_SPEC = TableSpec(
    counts=["realitetsbehandlede", "omgjorte"],
    rates={
        c: ("omgjorte", "realitetsbehandlede") for c in ("andel", "andel_ci_lav", "andel_ci_hoej")
    },
)
# The quarters: each group's decisions in all are the law-area table's, so no quarter may be
# hidden alone within its group.
SERIE_SPEC = TableSpec(counts=SHARE_SPEC.counts, rates=SHARE_SPEC.rates, totals_by=["gruppe"])


def render() -> None:
    ctx = context()
    page_header(ctx, ctx.tr("Ankestyrelsen", "Appeals board"))
    with section(ctx, "Omgørelsesprocent", "Reversal rate"):
        _tidsserie(ctx)
    with section(ctx, "Lovområde og afgørelsestype", "Law area and decision type"):
        _lovomraader(ctx)
    with section(ctx, "Tragtdiagram", "Funnel plot"):
        _tragt(ctx)
    with section(ctx, "Anker sag for sag", "Appeals case by case"):
        _anker_efter_fravalg(ctx)


def _kilde(ctx: PageContext) -> None:
    """Ankestyrelsen's figures are its own (ankestatistik): say so under them."""
    st.caption(label(KILDER, "ankestatistik", ctx.lang))


def _tidsserie(ctx: PageContext) -> None:
    f = ctx.filters
    st.subheader(ctx.tr("Omgørelsesprocent over tid", "Reversal rate over time"))
    serie = with_share(
        ctx.get(queries.omgoerelser_tidsserie, f.tema, f.kontrolgruppe, f.fra, f.til),
        "omgjorte",
        "realitetsbehandlede",
    )
    figure(
        ctx,
        charts.gruppe_linjer(
            protect(serie, SERIE_SPEC, ctx.suppressed).data,
            "andel",
            title=ctx.tr(
                "Omgørelsesprocent (ændret, ophævet eller hjemvist)",
                "Reversal rate (changed, annulled or remitted)",
            ),
            y_title="%",
            lang=ctx.lang,
            marker_x=ctx.forsoegsstart(),
            percent=True,
            band=("andel_ci_lav", "andel_ci_hoej"),
        ),
        "Omgjorte afgørelser i procent af de realitetsbehandlede pr. kvartal, alle lovområder, "
        "med Wilson 95 %-interval.",
        "Reversed decisions as a percentage of those decided on the merits per quarter, all "
        "law areas, with Wilson 95% interval.",
        "marts.mart_omgoerelser",
    )
    _kilde(ctx)
    om_tallet(ctx.lang, OMGOERELSESPROCENT)
    show_table(ctx, serie, "omgoerelsesprocent_kvartal", SERIE_SPEC)


LOVOMRAADE_SPEC = TableSpec(
    counts=[
        "realitetsbehandlede",
        "stadfaestet",
        "aendret_ophaevet",
        "hjemvist",
        "afvist_bortfaldet",
        "omgjorte",
    ],
    rates={"omgoerelsesprocent": ("omgjorte", "realitetsbehandlede")},
    relations=[
        ("realitetsbehandlede", ("stadfaestet", "aendret_ophaevet", "hjemvist")),
        ("omgjorte", ("aendret_ophaevet", "hjemvist")),
    ],
    # Each group's totals are the quarterly table's.
    totals_by=["gruppe"],
)


def _lovomraader(ctx: PageContext) -> None:
    """Decisions by law area and type, trial against control group, over the period."""
    f = ctx.filters
    st.subheader(ctx.tr("Afgørelser efter lovområde og type", "Decisions by law area and type"))
    tabel = ctx.get(
        queries_omgoerelser.afgoerelser_lovomraade, f.tema, f.kontrolgruppe, f.fra, f.til
    )
    figure(
        ctx,
        charts.soejler(
            protect(tabel, LOVOMRAADE_SPEC, ctx.suppressed).data,
            "lovomraade",
            "omgoerelsesprocent",
            title=ctx.tr("Omgørelsesprocent pr. lovområde", "Reversal rate by law area"),
            x_title=ctx.tr("Lovområde", "Law area"),
            y_title="%",
            color="gruppe",
            lang=ctx.lang,
        ),
        "Omgjorte (ændret, ophævet eller hjemvist) i procent af de realitetsbehandlede i "
        "perioden, forsøgskommuner mod kontrolgruppe.",
        "Reversed (changed, annulled or remitted) as a percentage of the decisions on the "
        "merits in the period, trial municipalities against the control group.",
        "marts.mart_omgoerelser",
    )
    with st.expander(ctx.tr("Om afgørelsestyperne", "About the decision types")):
        st.write(
            ctx.tr(
                "Realitetsbehandlede = stadfæstet + ændret/ophævet + hjemvist; afviste og "
                "bortfaldne klager er ikke realitetsbehandlet og tæller ikke med i "
                "omgørelsesprocenten, der er (ændret/ophævet + hjemvist) / realitetsbehandlede, "
                "som Ankestyrelsen opgør den.",
                "Decided on the merits = upheld + changed/annulled + remitted; dismissed and "
                "lapsed appeals are not decided on the merits and are left out of the "
                "reversal rate, which is (changed/annulled + remitted) / decided on the "
                "merits, as Ankestyrelsen computes it.",
            )
        )
    _kilde(ctx)
    show_table(ctx, tabel, "omgoerelser_lovomraade", LOVOMRAADE_SPEC)


KOMMUNE_SPEC = TableSpec(
    counts=["realitetsbehandlede", "omgjorte"],
    rates={"omgoerelsesprocent": ("omgjorte", "realitetsbehandlede")},
    # The quarterly table above shows each group's total (trial, control): a hidden
    # municipality must not be that total minus the group's shown municipalities. The
    # table's own total is shown nowhere; the municipalities in neither group are one
    # more margin (their sum is not shown either, so this only errs on the safe side).
    totals_by=["gruppe"],
)


def _tragt(ctx: PageContext) -> None:
    f = ctx.filters
    st.subheader(ctx.tr("Alle kommuner: tragtdiagram", "All municipalities: funnel plot"))
    kommuner = ctx.get(queries.omgoerelser_kommune, f.tema, f.kontrolgruppe, f.fra, f.til)
    spec = KOMMUNE_SPEC
    shown = protect(kommuner, spec, ctx.suppressed).data.drop_nulls(
        ["omgjorte", "realitetsbehandlede"]
    )
    if shown.height and 0 < shown["omgjorte"].sum() < shown["realitetsbehandlede"].sum():
        fig = funnel_figure(
            shown,
            "omgjorte",
            "realitetsbehandlede",
            "kommunenavn",
            title=ctx.tr(
                "Omgørelsesprocent mod antal realitetsbehandlede",
                "Reversal rate against decisions",
            ),
            y_title=ctx.tr("Omgørelsesprocent", "Reversal rate (%)"),
            highlight=shown.filter(pl.col("i_forsoeg"))["kommunenavn"].to_list(),
        )
        if ctx.lang == "en":
            english = {
                "Øvrige kommuner": "Other municipalities",
                "Forsøgskommuner": "Trial municipalities",
                "95 %-grænse": "95% limit",
                "99,8 %-grænse": "99.8% limit",
                "Samlet niveau": "Overall rate",
            }
            fig.for_each_trace(lambda trace: trace.update(name=english.get(trace.name, trace.name)))
            fig.update_layout(xaxis_title="Decisions (n)")
        figure(
            ctx,
            fig,
            "Hver prik er en kommune i perioden; stiplede linjer er 95 %- og 99,8 %-grænser om "
            "landsniveauet. Forsøgskommuner i rødt.",
            "Each dot is a municipality over the period; dashed lines are 95% and 99.8% limits "
            "around the overall rate. Trial municipalities in red.",
            "marts.mart_omgoerelser",
        )
    _kilde(ctx)
    om_tallet(ctx.lang, OMGOERELSESPROCENT)
    show_table(ctx, kommuner.drop("i_forsoeg"), "omgoerelser_kommuner", spec)


def _anker_efter_fravalg(ctx: PageContext) -> None:
    f = ctx.filters
    st.subheader(
        ctx.tr(
            "Omgørelse efter fravalgt LÆ285 (retssikkerhed)",
            "Reversal after a waived LÆ285 (legal certainty)",
        )
    )
    anker = with_share(
        ctx.get(queries.anker_efter_fravalg, ctx.koder("forsoeg"), f.fra, f.til),
        "omgjorte",
        "realitetsbehandlede",
    )
    shown = protect(anker, SHARE_SPEC, ctx.suppressed).data
    med = shown.filter(pl.col("lae285_fravalgt_sag"))
    uden = shown.filter(~pl.col("lae285_fravalgt_sag"))
    needed = ("omgjorte", "realitetsbehandlede", "andel")
    if (
        med.height
        and uden.height
        and None not in [frame[c][0] for frame in (med, uden) for c in needed]
    ):
        low, high = newcombe(
            med["omgjorte"][0],
            med["realitetsbehandlede"][0],
            uden["omgjorte"][0],
            uden["realitetsbehandlede"][0],
        )
        diff = med["andel"][0] - uden["andel"][0]
        st.write(
            ctx.tr(
                "Sygedagpengesager, hvor LÆ285 var fravalgt, blev omgjort i "
                f"{fmt_pct(med['andel'][0], 1, 'da')} "
                f"af ankerne mod {fmt_pct(uden['andel'][0], 1, 'da')} i sager med attest: "
                "forskel "
                f"{fmt_pct(diff, 1, 'da')}-point (95 %-KI {fmt_pct(low, 1, 'da')} til "
                f"{fmt_pct(high, 1, 'da')}, Newcombe).",
                "Cases with LÆ285 waived were reversed in "
                f"{fmt_pct(med['andel'][0], 1, 'en')} of appeals against "
                f"{fmt_pct(uden['andel'][0], 1, 'en')} with a certificate: difference "
                f"{fmt_pct(diff, 1, 'en')} points "
                f"(95% CI {fmt_pct(low, 1, 'en')} to {fmt_pct(high, 1, 'en')}, Newcombe).",
            )
        )
    else:
        st.write(ctx.tr("For få ankesager til at sammenligne.", "Too few appeals to compare."))
    show_table(ctx, anker, "anker_efter_fravalg", SHARE_SPEC)


render()
