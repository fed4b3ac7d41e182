"""Rehabiliteringsteam: exemptions by target group and reason, meetings held despite acute
absence, the health-advice source, and the time from start to decision."""

from __future__ import annotations

import polars as pl
import streamlit as st

from core import vocabulary
from dashboards import charts, queries
from dashboards.i18n import TEMAER, label
from dashboards.om_tallet import om_tallet
from dashboards.sections import figure, page_header, section
from dashboards.state import PageContext, context
from dashboards.tables import TableSpec, protect, show_table

FRITAGELSE_SPEC = TableSpec(
    counts=["sager", "fritaget"],
    rates={"andel_fritaget": ("fritaget", "sager")},
    # Its cases and exemptions in all are shown again as the reasons' total and the cases of
    # the time-to-decision table.
    totals_by=[],
)
# The reasons add up to the exemptions above: none may be hidden alone.
BEGRUNDELSE_SPEC = TableSpec(counts=["antal"], totals_by=[])
AKUT_SPEC = TableSpec(
    counts=["moeder", "moeder_akut_fravaer"],
    rates={"andel_akut_fravaer": ("moeder_akut_fravaer", "moeder")},
)
ANTAL_SPEC = TableSpec(counts=["antal"])
SYGEDAGPENGE = "sygedagpenge"  # law area (seed temaer, lovomraader)
# The exemptions shown: those of the theme this indicator measures (seed indikatorer).
FRITAGELSE_INDIKATOR = "andel_rehab_fritaget"


def _rehab_temaer() -> list[str]:
    """The themes about the rehabilitation team: those outside the sickness-benefit law area
    (seed temaer, lovomraader)."""
    return [t.tema for t in vocabulary.temaer() if SYGEDAGPENGE not in t.lovomraader]


def render() -> None:
    ctx = context()
    rehab_temaer = _rehab_temaer()
    if ctx.filters.tema not in rehab_temaer:
        # The page is about the rehabilitation themes: sickness-benefit periods and groups do
        # not apply.
        ctx = ctx.with_tema(rehab_temaer[0])
    f = ctx.filters
    page_header(ctx, ctx.tr("Rehabiliteringsteam", "Rehabilitation team"))
    st.caption(
        ctx.tr("Grupper og perioder efter temaet: ", "Groups and periods by the theme: ")
        + label(TEMAER, f.tema, ctx.lang)
    )
    with section(ctx, "Fritagelser", "Exemptions"):
        _fritagelser(ctx)
    with section(ctx, "Begrundelser", "Reasons"):
        _begrundelser(ctx)
    with section(ctx, "Akut fravær", "Acute absence"):
        _akut_fravaer(ctx)
    with section(ctx, "Sundhedsfaglig rådgivning", "Health advice"):
        _raadgivning(ctx)
    with section(ctx, "Tid til afgørelse", "Time to decision"):
        _tid_til_afgoerelse(ctx)


def _fritagelser(ctx: PageContext) -> None:
    f = ctx.filters
    st.subheader(ctx.tr("Fritagelse for rehabiliteringsmødet", "Exemption from the team meeting"))
    fritagelser = ctx.get(
        queries.fritagelser,
        f.tema,
        f.kontrolgruppe,
        f.fra,
        f.til,
        vocabulary.indikator(FRITAGELSE_INDIKATOR).tema,
    )
    shown = protect(fritagelser, FRITAGELSE_SPEC, ctx.suppressed).data
    figure(
        ctx,
        charts.soejler(
            shown.filter(pl.col("periode") == "under"),
            "maalgruppe",
            "andel_fritaget",
            color="gruppe",
            title=ctx.tr(
                "Andel fritaget under forsøget, efter målgruppe",
                "Share exempted during the trial, by target group",
            ),
            x_title=ctx.tr("Målgruppe", "Target group"),
            y_title="%",
            lang=ctx.lang,
            percent=True,
        ),
        "Andel af sagerne til rehabiliteringsteamet, der blev fritaget for mødet, i "
        "forsøgsperioden.",
        "Share of rehabilitation-team cases exempted from the meeting during the trial period.",
        "marts.mart_fritagelser",
    )
    om_tallet(ctx.lang, FRITAGELSE_INDIKATOR)
    show_table(ctx, fritagelser, "fritagelser", FRITAGELSE_SPEC)


def _begrundelser(ctx: PageContext) -> None:
    f = ctx.filters
    forsoeg = ctx.koder("forsoeg")
    st.subheader(
        ctx.tr(
            "Begrundelser for fritagelse (forsøgskommuner)",
            "Reasons for exemption (trial municipalities)",
        )
    )
    begrundelser = ctx.get(queries.rehab_fordeling, "fritagelse_begrundelse", forsoeg, f.fra, f.til)
    show_table(ctx, begrundelser, "fritagelse_begrundelser", BEGRUNDELSE_SPEC)


def _akut_fravaer(ctx: PageContext) -> None:
    f = ctx.filters
    st.subheader(ctx.tr("Møder holdt trods akut fravær", "Meetings held despite acute absence"))
    akut = ctx.get(queries.akut_fravaer, f.tema, f.kontrolgruppe, f.fra, f.til)
    shown = protect(akut, AKUT_SPEC, ctx.suppressed).data
    figure(
        ctx,
        charts.gruppe_linjer(
            shown,
            "andel_akut_fravaer",
            title=ctx.tr(
                "Andel møder holdt trods akut fravær", "Share of meetings despite acute absence"
            ),
            y_title="%",
            lang=ctx.lang,
            marker_x=ctx.forsoegsstart(),
            percent=True,
        ),
        "Andel af rehabiliteringsteamets møder, der blev holdt, selv om et medlem var akut "
        "fraværende.",
        "Share of team meetings held although a member was acutely absent.",
        "marts.mart_fritagelser",
    )
    om_tallet(ctx.lang, "andel_moeder_akut_fravaer")
    show_table(ctx, akut, "moeder_akut_fravaer", AKUT_SPEC)


def _raadgivning(ctx: PageContext) -> None:
    f = ctx.filters
    forsoeg = ctx.koder("forsoeg")
    kontrol = ctx.koder("kontrol")
    st.subheader(ctx.tr("Hvem gav den sundhedsfaglige rådgivning", "Source of health advice"))
    left, right = st.columns(2)
    with left:
        st.caption(ctx.tr("Forsøgskommuner", "Trial municipalities"))
        show_table(
            ctx,
            ctx.get(queries.rehab_fordeling, "sundhedsfaglig_raadgiver", forsoeg, f.fra, f.til),
            "raadgiver_forsoeg",
            ANTAL_SPEC,
        )
    with right:
        st.caption(ctx.tr("Kontrolgruppe", "Control group"))
        show_table(
            ctx,
            ctx.get(queries.rehab_fordeling, "sundhedsfaglig_raadgiver", kontrol, f.fra, f.til),
            "raadgiver_kontrol",
            ANTAL_SPEC,
        )


def _tid_til_afgoerelse(ctx: PageContext) -> None:
    f = ctx.filters
    st.subheader(ctx.tr("Tid fra start til afgørelse", "Time from start to decision"))
    tid = ctx.get(
        queries.sagsbehandlingstid_kvartal,
        f.tema,
        f.kontrolgruppe,
        "rehab_start_til_afgoerelse",
        f.fra,
        f.til,
    )
    spec = TableSpec(
        counts=["n_sager"],
        rates={"median_dage": ("n_sager", "n_sager")},
        totals_by=[],  # its cases in all are the exemption table's
    )
    tid = tid.select("gruppe", "kvartal", "n_sager", "median_dage")
    figure(
        ctx,
        charts.gruppe_linjer(
            protect(tid, spec, ctx.suppressed).data,
            "median_dage",
            title=vocabulary.indikator("dage_rehab_afgoerelse").navn(ctx.lang),
            y_title=ctx.tr("Dage (median)", "Days (median)"),
            lang=ctx.lang,
            marker_x=ctx.forsoegsstart(),
        ),
        "Kommunernes mediane tid fra sagens start til kommunens afgørelse, vægtet med antal sager.",
        "Municipal median time from case start to decision, weighted by cases.",
        "marts.mart_sagsbehandlingstid",
    )
    om_tallet(ctx.lang, "dage_rehab_afgoerelse")
    show_table(ctx, tid, "rehab_tid_til_afgoerelse", spec)


render()
