"""Ansøgning 1 og 3's evalueringsplaner: omgørelsesprocent på temaets egne lovområder mod
landstallet, sparet fagpersontid med forudsætningerne, rehabiliteringsindikatorerne
(frister, værn, møder trods akut fravær), spørgeskemaer og sagsgennemgang."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from core import vocabulary
from dashboards import i18n, rehab_queries
from dashboards.om_tallet import om_tallet
from dashboards.sections import figure, page_header, section
from dashboards.state import context
from dashboards.tables import TableSpec, protect, show_table
from evaluation.proportions import wilson

# Column labels of this page's tables (Danish, English), added to the shared vocabulary.
LABELS: dict[str, tuple[str, str]] = {
    "omgoerelsesprocent_forsoeg": ("Omgørelsesprocent, forsøgskommuner", "Reversal rate, trial"),
    "omgoerelsesprocent_landet": ("Omgørelsesprocent, hele landet", "Reversal rate, national"),
    "realitetsbehandlede_landet": ("Realitetsbehandlede, hele landet", "Decisions, national"),
    "omgjorte_landet": ("Omgjorte, hele landet", "Reversed, national"),
    "moeder_sparet": ("Møder sparet", "Meetings saved"),
    "attester_sparet": ("Attester sparet", "Certificates saved"),
    "timer_rehabiliteringsteam": ("Timer, rehabiliteringsteam", "Hours, rehab team"),
    "timer_sagsbehandler": ("Timer, sagsbehandler", "Hours, caseworker"),
    "timer_laege": ("Timer, læge", "Hours, doctor"),
    "timer_i_alt": ("Timer i alt", "Hours in total"),
    "besparelse_kr": ("Sparet fagpersontid, kr.", "Staff time saved, DKK"),
    "honorarbesparelse_kr": ("Sparede attesthonorarer, kr.", "Certificate fees saved, DKK"),
    "andel_jobafklaring_moede_inden_frist": (
        "Andel jobafklaringssager behandlet inden 4 uger",
        "Share of jobafklaring cases treated within 4 weeks",
    ),
    "andel_seniorfoertidspension_inden_frist": (
        "Andel seniorførtidspension afgjort inden 6 måneder",
        "Share of senior disability pension decided within 6 months",
    ),
    "fritaget_fleksjob_med_timer": ("Fritagne fleksjobsager med timetal", "Exempted flexi-jobs"),
    "fritaget_fleksjob_0_10_timer": ("Heraf 0–10 timer", "Of which 0–10 hours"),
    "fritaget_jobafklaring": ("Fritagne jobafklaringssager", "Exempted jobafklaring cases"),
    "fritaget_gentaget_jobafklaring": ("Heraf gentagne forløb", "Of which repeat courses"),
    "rehab_moeder": ("Rehabiliteringsmøder", "Rehab meetings"),
    "rehab_moeder_akut_fravaer": ("Møder trods akut fravær", "Meetings despite acute absence"),
    "lae265_svar_frist_kendt": (
        "LÆ265 med kendt svarfrist",
        "LÆ265 with known answer deadline",
    ),
    "lae265_svar_inden_frist": ("Heraf besvaret inden 30 dage", "Of which answered in 30 days"),
    "andel_lae265_svar_inden_frist": (
        "Andel LÆ265 besvaret inden 30 dage",
        "Share of LÆ265 answered within 30 days",
    ),
    "boelge": ("Runde", "Wave"),
    "respondenttype": ("Respondent", "Respondent"),
    "spoergsmaal": ("Spørgsmål", "Question"),
    "n_svar": ("Svar", "Answers"),
    "n_positiv": ("Svar 4–5", "Answers 4–5"),
    "andel_positiv": ("Vægtet andel 4–5", "Weighted share 4–5"),
    "ci_lav": ("95 %-KI, nedre", "95% CI, lower"),
    "ci_hoej": ("95 %-KI, øvre", "95% CI, upper"),
    "n_effektiv": ("Effektiv stikprøve", "Effective sample size"),
    "n_vurderet": ("Vurderede sager", "Cases reviewed"),
    "n_kan_ikke_vurderes": ("Kan ikke vurderes", "Cannot be assessed"),
    "n_korrekt": ("Korrekt", "Correct"),
    "n_delvist_korrekt": ("Delvist korrekt", "Partly correct"),
    "n_forkert": ("Forkert", "Wrong"),
    "andel_korrekt": ("Vægtet andel korrekt", "Weighted share correct"),
    "andel_forkert": ("Vægtet andel forkert", "Weighted share wrong"),
    "realitetsbehandlede_fritaget": ("Realitetsbehandlede, fritaget", "Decided, exempted"),
    "omgjorte_fritaget": ("Omgjorte, fritaget", "Reversed, exempted"),
    "andel_fritaget": ("Andel omgjort, fritaget", "Share reversed, exempted"),
    "realitetsbehandlede_ikke_fritaget": ("Realitetsbehandlede, øvrige", "Decided, others"),
    "omgjorte_ikke_fritaget": ("Omgjorte, øvrige", "Reversed, others"),
    "andel_ikke_fritaget": ("Andel omgjort, øvrige", "Share reversed, others"),
    "forskel": ("Forskel (andel)", "Difference (share)"),
    "forskel_ci_lav": ("Newcombe 95 %, nedre", "Newcombe 95%, lower"),
    "forskel_ci_hoej": ("Newcombe 95 %, øvre", "Newcombe 95%, upper"),
    "n_sager": ("Sager", "Cases"),
    "n_frist_kendt": ("Sager med kendt frist", "Cases with known deadline"),
    "n_inden_frist": ("Inden frist", "Within deadline"),
    "andel_inden_frist": ("Andel inden frist", "Share within deadline"),
    "parameter": ("Parameter", "Parameter"),
    "vaerdi": ("Værdi", "Value"),
    "enhed": ("Enhed", "Unit"),
    "beskrivelse_da": ("Beskrivelse", "Description"),
    "kilde": ("Kilde", "Source"),
}
for _column, _pair in LABELS.items():
    i18n.COLUMNS.setdefault(_column, _pair)

OMGOERELSE_SPEC = TableSpec(
    counts=["realitetsbehandlede", "omgjorte"],
    rates={"omgoerelsesprocent_forsoeg": ("omgjorte", "realitetsbehandlede")},
    totals_by=[],
)
_TID = (
    "timer_rehabiliteringsteam",
    "timer_sagsbehandler",
    "timer_laege",
    "timer_i_alt",
    "besparelse_kr",
    "honorarbesparelse_kr",
)
RESSOURCE_SPEC = TableSpec(
    counts=["sager", "moeder_sparet", "attester_sparet"],
    totals_by=[],
    # Certificates themes: each case saves a meeting or a certificate (a rehab theme's
    # cases and meetings need not add up; the relation then only hides more).
    relations=[("sager", ("moeder_sparet", "attester_sparet"))],
    # Hours and kroner are the counts times the parameters shown below the table.
    follows={c: ("sager", "moeder_sparet", "attester_sparet") for c in _TID},
)
REHAB_SPEC = TableSpec(
    counts=[
        "fritaget_fleksjob_med_timer",
        "fritaget_fleksjob_0_10_timer",
        "fritaget_jobafklaring",
        "fritaget_gentaget_jobafklaring",
        "rehab_moeder",
        "rehab_moeder_akut_fravaer",
        "lae265_svar_frist_kendt",
        "lae265_svar_inden_frist",
    ],
    rates={"andel_lae265_svar_inden_frist": ("lae265_svar_inden_frist", "lae265_svar_frist_kendt")},
    totals_by=[],
)
ANKE_SPEC = TableSpec(
    counts=[
        "realitetsbehandlede_fritaget",
        "omgjorte_fritaget",
        "realitetsbehandlede_ikke_fritaget",
        "omgjorte_ikke_fritaget",
    ],
    rates={
        "andel_fritaget": ("omgjorte_fritaget", "realitetsbehandlede_fritaget"),
        "andel_ikke_fritaget": ("omgjorte_ikke_fritaget", "realitetsbehandlede_ikke_fritaget"),
    },
    totals_by=[],
    # The difference and its interval reveal either share: hidden with any of the counts.
    follows={
        c: (
            "realitetsbehandlede_fritaget",
            "omgjorte_fritaget",
            "realitetsbehandlede_ikke_fritaget",
            "omgjorte_ikke_fritaget",
        )
        for c in ("forskel", "forskel_ci_lav", "forskel_ci_hoej")
    },
)
FRIST_SPEC = TableSpec(
    counts=["n_frist_kendt", "n_inden_frist"],
    rates={"andel_inden_frist": ("n_inden_frist", "n_frist_kendt")},
    totals_by=[],
)
SURVEY_SPEC = TableSpec(
    counts=["n_svar", "n_positiv"],
    rates={c: ("n_positiv", "n_svar") for c in ("andel_positiv", "ci_lav", "ci_hoej")},
    totals_by=[],
)
_VURDERINGER = ("n_kan_ikke_vurderes", "n_korrekt", "n_delvist_korrekt", "n_forkert")
SAGSGENNEMGANG_SPEC = TableSpec(
    counts=["n_vurderet", *_VURDERINGER],
    rates={
        **{c: ("n_korrekt", "n_vurderet") for c in ("andel_korrekt", "andel_korrekt_ci_lav")},
        "andel_korrekt_ci_hoej": ("n_korrekt", "n_vurderet"),
        **{c: ("n_forkert", "n_vurderet") for c in ("andel_forkert", "andel_forkert_ci_lav")},
        "andel_forkert_ci_hoej": ("n_forkert", "n_vurderet"),
    },
    totals_by=[],
    # Every reviewed case has one verdict.
    relations=[("n_vurderet", _VURDERINGER)],
)


# The indicators (seed indikatorer) behind the table of deadlines, guardrails and meetings.
REHAB_INDIKATORER = (
    "andel_jobafklaring_moede_inden_frist",
    "andel_seniorfoertidspension_inden_frist",
    "andel_fritaget_fleksjob_0_10_timer",
    "andel_fritaget_gentaget_jobafklaring",
    "andel_moeder_akut_fravaer",
)


def _indikatorer(*koder: str) -> list[vocabulary.Indikator]:
    """The seed's indicators among ``koder`` (a theme may have no reversal-rate indicator)."""
    kendte = {i.indikator: i for i in vocabulary.indikatorer()}
    return [kendte[k] for k in koder if k in kendte]


def render() -> None:
    ctx = context()
    f = ctx.filters
    page_header(ctx, ctx.tr("Retssikkerhed og ressourcer", "Legal certainty and resources"))

    with section(ctx, "Omgørelsesprocent pr. tema", "Reversal rate per theme"):
        st.subheader(
            ctx.tr(
                "Omgørelsesprocent på temaets lovområder mod hele landet",
                "Reversal rate on the theme's law areas against the national rate",
            )
        )
        serie = ctx.get(rehab_queries.omgoerelser_tema_tidsserie, f.tema, f.fra, f.til)
        serie = serie.with_columns(
            (100.0 * pl.col("omgjorte") / pl.col("realitetsbehandlede")).alias(
                "omgoerelsesprocent_forsoeg"
            )
        )
        shown = protect(serie, OMGOERELSE_SPEC, ctx.suppressed).data
        k = shown["omgjorte"].cast(pl.Float64).fill_null(float("nan")).to_numpy()
        n = shown["realitetsbehandlede"].cast(pl.Float64).fill_null(0.0).to_numpy()
        low, high = wilson(k, n)
        rate = shown["omgoerelsesprocent_forsoeg"].cast(pl.Float64).to_numpy()
        fig = go.Figure()
        fig.add_scatter(
            x=shown["kvartal"],
            y=rate,
            name=ctx.tr("Forsøgskommuner", "Trial municipalities"),
            error_y={
                "type": "data",
                "symmetric": False,
                "array": 100 * high - rate,
                "arrayminus": rate - 100 * low,
            },
        )
        fig.add_scatter(
            x=shown["kvartal"],
            y=shown["omgoerelsesprocent_landet"],
            name=ctx.tr("Hele landet", "National"),
            line={"dash": "dash"},
        )
        fig.update_layout(yaxis_title="%")
        figure(
            ctx,
            fig,
            "Omgjorte afgørelser i procent af de realitetsbehandlede, kun temaets lovområder "
            "(seed temaer), Ankestyrelsens statistik, med Wilson 95 %-interval.",
            "Reversed decisions as a percentage of decisions on the merits, the theme's law "
            "areas only (seed temaer), Ankestyrelsen's statistics, with Wilson 95% interval.",
            "marts.mart_omgoerelser_tema",
        )
        om_tallet(ctx.lang, *_indikatorer(f"omgoerelsesprocent_{f.tema}"))
        show_table(ctx, serie, "omgoerelser_tema", OMGOERELSE_SPEC)

    with section(ctx, "Anker sag for sag", "Appeals case by case"):
        st.subheader(
            ctx.tr(
                "Omgørelse af sager med og uden fritagelse (Newcombe-interval)",
                "Reversal of cases with and without the exemption (Newcombe interval)",
            )
        )
        show_table(ctx, ctx.get(rehab_queries.anker_efter_fritagelse, f.tema), "anker", ANKE_SPEC)

    with section(ctx, "Sparet fagpersontid", "Working time saved"):
        st.subheader(ctx.tr("Sparet fagpersontid", "Working time saved"))
        show_table(
            ctx,
            ctx.get(rehab_queries.ressourcebesparelse, f.tema, f.fra, f.til),
            "ressourcebesparelse",
            RESSOURCE_SPEC,
        )
        st.caption(
            ctx.tr(
                "Forudsætninger (hver med kilde eller ANTAGELSE). Lægens tid er betalt via "
                "honoraret og står under attestbesparelsen, ikke i kronebeløbet her.",
                "Assumptions (each with a source or ANTAGELSE = assumption). The doctor's time "
                "is paid through the fee and shown under the certificate saving, not here.",
            )
        )
        show_table(ctx, ctx.get(rehab_queries.ressource_parametre, f.tema), "ressource_parametre")

    with section(ctx, "Rehabilitering", "Rehabilitation"):
        st.subheader(
            ctx.tr(
                "Frister, værn og møder trods akut fravær",
                "Deadlines, guardrails and meetings despite acute absence",
            )
        )
        om_tallet(ctx.lang, *_indikatorer(*REHAB_INDIKATORER))
        show_table(
            ctx,
            ctx.get(rehab_queries.rehab_indikatorer, f.tema, f.fra, f.til),
            "rehab_indikatorer",
            REHAB_SPEC,
        )
        show_table(
            ctx,
            ctx.get(rehab_queries.rehab_frister, f.tema, f.fra, f.til),
            "rehab_frister",
            FRIST_SPEC,
        )

    with section(ctx, "Spørgeskemaer", "Surveys"):
        st.subheader(ctx.tr("Spørgeskemaer: andel svar 4–5", "Surveys: share answering 4–5"))
        show_table(ctx, ctx.get(rehab_queries.survey_andele, f.tema), "survey_andele", SURVEY_SPEC)

    with section(ctx, "Sagsgennemgang", "Case review"):
        st.subheader(ctx.tr("Sagsgennemgang", "Case review"))
        show_table(
            ctx,
            ctx.get(rehab_queries.sagsgennemgang, f.tema),
            "sagsgennemgang",
            SAGSGENNEMGANG_SPEC,
        )


render()
