"""Datakvalitet: loads, rejected files and quarantined rows per source and municipality,
freshness ("data as of") and the build's validation results."""

from __future__ import annotations

import polars as pl
import streamlit as st

from core.format import fmt_date, fmt_int
from dashboards import charts, queries
from dashboards.sections import figure, page_header, section
from dashboards.state import PageContext, context
from dashboards.tables import show_table


def render() -> None:
    ctx = context()
    page_header(ctx, ctx.tr("Datakvalitet", "Data quality"))
    build = ctx.snap.build
    cols = st.columns(3)
    cols[0].metric(ctx.tr("Data pr.", "Data as of"), fmt_date(build.data_as_of, ctx.lang) or "–")
    cols[1].metric(
        ctx.tr("Bygget", "Built"), fmt_date(build.built_at, ctx.lang) if build.built_at else "–"
    )
    cols[2].metric(
        ctx.tr("Test bestået", "Tests passed"),
        fmt_int(build.n_tests_passed, ctx.lang) if build.n_tests_passed is not None else "–",
    )
    # Audit tables hold no person-level counts: shown unsuppressed to every role.
    with section(ctx, "Indlæsninger", "Loads"):
        _indlaesninger(ctx)
    if ctx.suppressed:
        # Managers never see quarantine content: not the rejected files' reasons nor the
        # quarantined rows' rules (the counts per source and municipality are above).
        st.info(
            ctx.tr(
                "Afviste filer og rækker i karantæne (årsager og regler) vises kun for "
                "evaluatorer.",
                "Rejected files and quarantined rows (reasons and rules) are shown to "
                "evaluators only.",
            )
        )
    else:
        with section(ctx, "Afviste filer", "Rejected files"):
            _afviste_filer(ctx)
        with section(ctx, "Karantæne", "Quarantine"):
            _karantaene(ctx)
    with section(ctx, "Validering", "Validation"):
        _validering(ctx)


def _indlaesninger(ctx: PageContext) -> None:
    st.subheader(ctx.tr("Indlæsninger pr. kilde og kommune", "Loads per source and municipality"))
    oversigt = ctx.get(queries.load_oversigt)
    pr_kilde = oversigt.group_by("source", maintain_order=True).agg(
        pl.col("raekker_indlaest", "raekker_karantaene").sum()
    )
    long = pr_kilde.unpivot(index="source", variable_name="maal", value_name="raekker")
    fig = charts.soejler(
        long.rename({"maal": "periode"}).with_columns(
            pl.col("periode").replace_strict(
                {
                    "raekker_indlaest": ctx.tr("Indlæst", "Loaded"),
                    "raekker_karantaene": ctx.tr("Karantæne", "Quarantined"),
                }
            )
        ),
        "source",
        "raekker",
        color="periode",
        title=ctx.tr("Rækker pr. kilde", "Rows per source"),
        x_title=ctx.tr("Kilde", "Source"),
        y_title=ctx.tr("Rækker", "Rows"),
        lang=ctx.lang,
    )
    fig.update_yaxes(type="log")
    figure(
        ctx,
        fig,
        "Indlæste rækker og rækker i karantæne pr. kilde (logaritmisk akse).",
        "Rows loaded and quarantined per source (log axis).",
        "audit.load_log",
    )
    show_table(ctx, oversigt, "indlaesninger")


def _afviste_filer(ctx: PageContext) -> None:
    st.subheader(ctx.tr("Afviste filer", "Rejected files"))
    afviste = ctx.get(queries.afviste_filer)
    if afviste.height == 0:
        st.success(ctx.tr("Ingen filer er afvist.", "No files were rejected."))
    show_table(ctx, afviste, "afviste_filer")


def _karantaene(ctx: PageContext) -> None:
    st.subheader(ctx.tr("Rækker i karantæne pr. regel", "Quarantined rows per rule"))
    show_table(ctx, ctx.get(queries.karantaene_regler), "karantaene_regler")


def _validering(ctx: PageContext) -> None:
    st.subheader(ctx.tr("Validering (dbt-test ved bygning)", "Validation (dbt tests at build)"))
    show_table(ctx, ctx.get(queries.valideringer), "build_info")


render()
