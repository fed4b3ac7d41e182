"""SQL: a read-only query box over the marts and facts for analysts (evaluator role only).

Only one SELECT is accepted (parsed by DuckDB), on the read-only snapshot without external
access; at most :data:`~dashboards.sql_guard.MAX_ROWS` rows, interrupted after
:data:`~dashboards.sql_guard.TIMEOUT_S` seconds.
"""

from __future__ import annotations

import duckdb
import streamlit as st

from core.format import fmt_int
from dashboards.sections import page_header
from dashboards.snapshot import QueryTimeout
from dashboards.sql_guard import MAX_ROWS, TIMEOUT_S, RejectedQuery, run_select
from dashboards.state import context
from dashboards.tables import show_table

EXAMPLE = """select kommunenavn, aar, sum(lae285_fravalgt) as fravalgt
from marts.mart_panel_kommune_kvartal
group by all
order by kommunenavn, aar"""


def render() -> None:
    ctx = context()
    page_header(ctx, "SQL")
    if ctx.role != "evaluator":
        st.error(
            ctx.tr("SQL-siden er kun for evaluatorer.", "The SQL page is for evaluators only.")
        )
        return
    rows = fmt_int(MAX_ROWS, ctx.lang)
    st.write(
        ctx.tr(
            "Skrivebeskyttet forespørgsel på det publicerede snapshot (skemaerne `marts`, "
            f"`reference`, `audit`, `meta`). Kun én SELECT; højst {rows} rækker; afbrydes efter "
            f"{TIMEOUT_S:g} s.",
            "Read-only query on the published snapshot (schemas `marts`, `reference`, `audit`, "
            f"`meta`). One SELECT only; at most {rows} rows; interrupted after {TIMEOUT_S:g} s.",
        )
    )
    with st.form("sql"):
        sql = st.text_area("SQL", value=EXAMPLE, height=180, key="sql_text")
        submitted = st.form_submit_button(ctx.tr("Kør", "Run"))
    if not submitted:
        return
    try:
        result = run_select(ctx.snap, sql)
    except RejectedQuery as error:
        st.error(
            ctx.tr(
                f"Afvist: kun én SELECT er tilladt ({error}).",
                f"Rejected: only one SELECT is allowed ({error}).",
            )
        )
        return
    except QueryTimeout:
        st.error(
            ctx.tr(
                f"Forespørgslen tog mere end {TIMEOUT_S:g} s og blev afbrudt.",
                f"The query took more than {TIMEOUT_S:g} s and was interrupted.",
            )
        )
        return
    except duckdb.Error as error:
        st.error(str(error).splitlines()[0])
        return
    if result.truncated:
        st.warning(
            ctx.tr(
                f"Kun de første {MAX_ROWS} rækker vises.",
                f"Only the first {MAX_ROWS} rows are shown.",
            )
        )
    show_table(ctx, result.data, "sql_resultat")


render()
