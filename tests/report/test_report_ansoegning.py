"""The report's sections for ansøgning 1 and 3 (report.ansoegning) on the real marts of the
pipeline: the LÆ265 answer share pooled from its counts, the fee saving beside the working
time, and every small count hidden with what could reveal it."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from core.paths import Home
from report.ansoegning import ansoegning_tables

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tables(small_pipeline) -> dict[str, pl.DataFrame]:
    return ansoegning_tables(Home(small_pipeline.home).published, "lae265")


@pytest.fixture(scope="module")
def marts(small_pipeline) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(Home(small_pipeline.home).published), read_only=True)
    yield con
    con.close()


def test_lae265_answer_share_is_pooled_from_the_marts_counts(tables, marts):
    shown = tables["Rehab_indikatorer"]
    totals = marts.sql(
        "select sum(lae265_svar_frist_kendt), sum(lae265_svar_inden_frist)"
        " from marts.mart_rehab_kvartal"
    ).fetchall()[0]
    assert totals[0] > 0
    visible = shown.filter(pl.col("lae265_svar_frist_kendt").is_not_null())
    for row in visible.iter_rows(named=True):
        assert row["andel_lae265_svar_inden_frist"] == pytest.approx(
            int(row["lae265_svar_inden_frist"]) / int(row["lae265_svar_frist_kendt"])
        )
    # Every group-year adds up to the mart's totals when nothing is hidden.
    if visible.height == shown.height:
        assert visible["lae265_svar_frist_kendt"].sum() == totals[0]
        assert visible["lae265_svar_inden_frist"].sum() == totals[1]


def test_fee_saving_beside_the_working_time(tables, marts):
    shown = tables["Ressourcebesparelse"]
    expected = marts.sql(
        "select year(kvartal) as aar, sum(honorarbesparelse_kr)::double as kr"
        " from marts.mart_ressourcebesparelse where tema = 'lae265' group by 1 order by 1"
    ).pl()
    joined = shown.join(expected, on="aar")
    assert joined.height == expected.height > 0
    for row in joined.filter(pl.col("sager").is_not_null()).iter_rows(named=True):
        assert float(row["honorarbesparelse_kr"]) == pytest.approx(row["kr"])


def test_small_counts_and_what_reveals_them_are_hidden(tables):
    for name, frame in tables.items():
        for column in ("sager", "attester_sparet", "omgjorte_fritaget", "lae265_svar_inden_frist"):
            if column in frame.columns:
                assert not frame[column].is_between(1, 4).any(), (name, column)
    appeals = tables["Anker_efter_fritagelse"]
    small = appeals.filter(
        pl.col("realitetsbehandlede_fritaget").is_null()
        | pl.col("realitetsbehandlede_ikke_fritaget").is_null()
        | pl.col("omgjorte_fritaget").is_null()
        | pl.col("omgjorte_ikke_fritaget").is_null()
    )
    assert small.height  # seed 42: 2 of the 6 appeals of waived LÆ265 cases were reversed
    assert small["forskel"].is_null().all()
    assert small["forskel_ci_lav"].is_null().all()
