"""Øvrige forsøg: the psychologist-treatment trial (ansøgning 2) and the exemption from the
education order (ansøgning 4), one theme at a time (switch at the top, kept in the URL)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from core import vocabulary
from core.format import fmt_kvartal, fmt_num
from dashboards import charts, queries_oevrige_forsoeg
from dashboards.i18n import INTET_INTERVAL
from dashboards.om_tallet import om_tallet
from dashboards.sections import figure, page_header, section
from dashboards.state import context
from dashboards.tables import TableSpec, protect, show_table
from evaluation import synth
from report import uddannelseshjaelp

# The themes this page shows: those of applications 2 and 4 in the seed temaer.
ANSOEGNINGER = (2, 4)
PARAM = "forsoeg"

_SCORE = ("gns_scoreaendring", "gns_scoreaendring_ci_lav", "gns_scoreaendring_ci_hoej")
PSYKOLOG_SPEC = TableSpec(
    counts=["psykolog_forloeb", "n_med_screening", "n_klinisk_relevant_fald"],
    rates={"andel_klinisk_relevant_fald": ("n_klinisk_relevant_fald", "n_med_screening")},
    # Spend ÷ spend per course gives the courses; a mean over few scores gives the scores.
    follows={
        "udgift_kr": ("psykolog_forloeb",),
        "udgift_pr_forloeb_kr": ("psykolog_forloeb",),
        "gns_sessioner": ("psykolog_forloeb",),
        **{c: ("n_med_screening",) for c in _SCORE},
    },
)
INSTRUMENT_SPEC = TableSpec(
    counts=["n_parret", "n_klinisk_relevant_fald"],
    rates={"andel_klinisk_relevant_fald": ("n_klinisk_relevant_fald", "n_parret")},
    follows={c: ("n_parret",) for c in _SCORE},
)
# Why the exemptions ended (mart_uddannelsespaalaeg): the parts of ``ophoert``.
_OPHOER = (
    "ophoert_paabegyndt_uddannelse",
    "ophoert_beskaeftigelse",
    "ophoert_anden_ydelse",
    "ophoert_fraflyttet",
    "ophoert_andet",
)
# Where the young people were at the trial's end (DREAM): the parts of ``fritaget``.
_VED_SLUT = (
    "ved_forsoegets_slut_selvforsoergende",
    "ved_forsoegets_slut_paa_ydelse",
    "ved_forsoegets_slut_ukendt",
)
UDDANNELSE_SPEC = TableSpec(
    counts=[
        "fritaget",
        "ophoert",
        "stadig_fritaget",
        "heraf_paabegyndt_uddannelse",
        "heraf_paabegyndt_uddannelse_su",
        *_OPHOER,
        *_VED_SLUT,
    ],
    rates={"andel_paabegyndt_uddannelse": ("heraf_paabegyndt_uddannelse", "fritaget")},
    # fritaget = ophørt + stadig fritaget = the three places at the trial's end; ophørt =
    # the sum of its reasons.
    relations=[
        ("fritaget", ("ophoert", "stadig_fritaget")),
        ("ophoert", _OPHOER),
        ("fritaget", _VED_SLUT),
    ],
)


def _score_table(ctx, frame: pl.DataFrame, name: str, spec: TableSpec) -> None:
    """A table of score changes, with a footnote when an interval is empty (fewer than two
    paired scores). Not for managers: their rows of so few courses are hidden (·) and
    explained by the suppression footnote."""
    show_table(ctx, frame, name, spec)
    empty = frame.select(pl.any_horizontal(pl.col(_SCORE[1:]).is_null()).any()).item()
    if empty and not ctx.suppressed:
        st.caption(ctx.tr(*INTET_INTERVAL))


def _kvartal_figure(ctx, mart: str, kolonne: str, da: str, en: str) -> None:
    f = ctx.filters
    frame = ctx.get(queries_oevrige_forsoeg.pr_kvartal, mart, kolonne, f.fra, f.til)
    shown = charts.kvartal_labels(
        protect(frame, TableSpec(counts=["antal"]), ctx.suppressed).data, ctx.lang
    )
    figure(
        ctx,
        charts.soejler(
            shown,
            "kvartal_label",
            "antal",
            title=ctx.tr(da, en),
            x_title=ctx.tr("Kvartal", "Quarter"),
            y_title=ctx.tr("Antal", "Number"),
            lang=ctx.lang,
        ),
        da + " pr. kvartal, alle forsøgskommuner.",
        en + " per quarter, all trial municipalities.",
        f"marts.{mart}",
    )


# The synthetic control's path: the trial municipality's counts and share.
SYNTH_SPEC = TableSpec(
    counts=["unge_med_kendt_udfald", "heraf_uddannelse_eller_selvforsoergende_uge_26"],
    rates={
        "andel_forsoegskommune": (
            "heraf_uddannelse_eller_selvforsoergende_uge_26",
            "unge_med_kendt_udfald",
        )
    },
)


def _syntetisk_kontrol(ctx) -> None:
    """Aalborg against a weighted average of similar large municipalities on the share of
    young people on uddannelseshjælp in education or self-supporting 26 weeks later."""
    indikator = vocabulary.indikator(uddannelseshjaelp.INDIKATOR)
    st.subheader(indikator.navn(ctx.lang))
    om_tallet(ctx.lang, uddannelseshjaelp.INDIKATOR)
    frame = ctx.get(queries_oevrige_forsoeg.uddannelseshjaelp_udfald)
    result = uddannelseshjaelp.estimate(frame)
    if result is None:
        st.info(
            ctx.tr(
                "Den syntetiske kontrol kan ikke beregnes: der mangler en forsøgskommune med "
                "kvartaler i forsøget eller mindst to donorkommuner i DREAM.",
                "The synthetic control cannot be computed: a trial municipality with quarters "
                "in the trial or at least two donor municipalities in DREAM is missing.",
            )
        )
        return
    navne = ctx.get(queries_oevrige_forsoeg.kommunenavne)
    kommune = navne.get(int(result.treated_unit), str(result.treated_unit))
    path = uddannelseshjaelp.path_table(result, frame)
    shown = protect(path, SYNTH_SPEC, ctx.suppressed).data
    start = path.filter("er_i_forsoeg")["kvartal"].min()
    figure(
        ctx,
        charts.syntetisk_kontrol(
            shown,
            title=indikator.navn(ctx.lang),
            y_title=charts.unit_title(indikator.enhed, ctx.lang),
            navne=(kommune, ctx.tr("Syntetisk kontrol", "Synthetic control")),
            lang=ctx.lang,
            start=fmt_kvartal(start, ctx.lang) if start else None,
        ),
        f"{kommune} og en vægtet sum af donorkommunerne (vægte nedenfor) pr. kvartal.",
        f"{kommune} and a weighted sum of the donor municipalities (weights below) per quarter.",
        f"marts.{uddannelseshjaelp.MART}",
    )
    cols = st.columns(4)
    cols[0].metric(
        ctx.tr("RMSPE før forsøget", "Pre-trial RMSPE"),
        fmt_num(100 * result.pre_rmspe, 1, ctx.lang) + ctx.tr(" pct.-point", " pp"),
    )
    cols[1].metric(
        ctx.tr("Gns. forskel under forsøget", "Mean gap during the trial"),
        fmt_num(100 * result.att, 1, ctx.lang) + ctx.tr(" pct.-point", " pp"),
    )
    cols[2].metric(ctx.tr("Placebo-p", "Placebo p"), fmt_num(result.p_value, 3, ctx.lang))
    cols[3].metric(
        ctx.tr("Mindste mulige p = 1/(J + 1)", "Smallest possible p = 1/(J + 1)"),
        fmt_num(result.p_granularity, 3, ctx.lang),
    )
    st.caption(synth.evidence_da(result, lang=ctx.lang))
    show_table(ctx, path, "syntetisk_kontrol", SYNTH_SPEC)
    show_table(ctx, uddannelseshjaelp.weights_table(result, navne), "syntetisk_kontrol_vaegte")


def render() -> None:
    ctx = context()
    f = ctx.filters
    temaer = [t for t in vocabulary.temaer() if t.ansoegning in ANSOEGNINGER]
    koder = [t.tema for t in temaer]
    valgt = st.query_params.get(PARAM, koder[0])
    valgt = valgt if valgt in koder else koder[0]
    page_header(ctx, ctx.tr("Øvrige forsøg", "Other trials"))
    valgt = (
        st.segmented_control(
            ctx.tr("Forsøg", "Trial"),
            koder,
            default=valgt,
            format_func=lambda kode: vocabulary.tema(kode).kortnavn(ctx.lang),
            key="oevrige_forsoeg_tema",
        )
        or koder[0]
    )
    st.query_params[PARAM] = valgt
    tema = vocabulary.tema(valgt)
    st.caption(tema.beskrivelse(ctx.lang))

    if tema.ansoegning == 2:
        with section(ctx, "Psykologforløb", "Psychologist courses"):
            st.subheader(ctx.tr("Forløb, udgift og scoreændring", "Courses, cost and score change"))
            _kvartal_figure(
                ctx, "mart_psykologbehandling", "forloeb", "Psykologforløb", "Psychologist courses"
            )
            om_tallet(ctx.lang, "psykolog_forloeb", "gns_scoreaendring")
            _score_table(
                ctx,
                ctx.get(queries_oevrige_forsoeg.psykologbehandling, f.fra, f.til),
                "psykologforloeb",
                PSYKOLOG_SPEC,
            )
        with section(ctx, "Screeningsinstrumenter", "Screening instruments"):
            st.subheader(ctx.tr("Ændring pr. instrument", "Change per instrument"))
            om_tallet(ctx.lang, "andel_klinisk_relevant_fald")
            _score_table(
                ctx,
                ctx.get(queries_oevrige_forsoeg.psykolog_instrument, f.fra, f.til),
                "psykolog_instrument",
                INSTRUMENT_SPEC,
            )
        return
    with section(ctx, "Fritagelser", "Exemptions"):
        st.subheader(
            ctx.tr(
                "Fritaget, ophørt og påbegyndt uddannelse", "Exempted, ended and started education"
            )
        )
        _kvartal_figure(
            ctx,
            "mart_uddannelsespaalaeg",
            "fritaget",
            "Unge fritaget for uddannelsespålæg",
            "Young people exempted from the education order",
        )
        om_tallet(ctx.lang, "uddannelsespaalaeg_fritaget", "andel_fritaget_paabegyndt_uddannelse")
        show_table(
            ctx,
            ctx.get(queries_oevrige_forsoeg.uddannelsespaalaeg, f.fra, f.til),
            "uddannelsespaalaeg",
            UDDANNELSE_SPEC,
        )
    with section(ctx, "Syntetisk kontrol", "Synthetic control"):
        _syntetisk_kontrol(ctx)


render()
