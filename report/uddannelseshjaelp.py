"""The synthetic-control comparison of the uddannelsespålæg theme (ansøgning 4): the theme's
municipality (Aalborg) against a weighted average of the donor pool (similar large
municipalities, control group of dbt var ``uddannelseshjaelp_donorgruppe``) on the share of
young people on uddannelseshjælp in education or self-supporting 26 weeks later
(``marts.mart_uddannelseshjaelp_udfald``; indicator of seed ``indikatorer``).

Used by the report (``trialwh report --tema`` with the theme of ansøgning 4) and the
"Øvrige forsøg" page; the estimator is :func:`evaluation.synth.synthetic_control` with
placebo-in-space inference, whose p-value can only be a multiple of ``1/(J + 1)``.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from core import vocabulary
from core.format import fmt_int, fmt_num
from evaluation import synth
from evaluation.suppression import suppress

MART = "mart_uddannelseshjaelp_udfald"
# Placebos whose pre-period RMSPE exceeds 5 × Aalborg's are not ranked (Abadie et al. 2010,
# §2.4). Measured (bench/bench_synth_uddannelseshjaelp.py, 150 draws of the generator's
# process under no effect, 26 donors of store_provinskommuner): ranking every placebo
# rejected at p ≤ 0.05 in 10.0 % of draws (nominal 1/27 = 3.7 %: Aalborg's series is less
# noisy than most donors', so its RMSPE ratio ranks high by itself); leaving out the poorly
# fitted placebos rejected in 2.7 %.
PLACEBO_MAX_PRE_RMSPE = 5.0
INDIKATOR = "andel_uddannelse_eller_selvforsoergende_uge_26"

SQL = f"""
select kommunekode, kvartal, periode_index, unge_paa_uddannelseshjaelp, unge_med_kendt_udfald,
    heraf_uddannelse_eller_selvforsoergende_uge_26, {INDIKATOR}, is_forsoegskommune,
    is_i_forsoeg, is_donor
from marts.{MART}
where is_donor or is_forsoegskommune
order by kommunekode, kvartal
"""


def load(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The mart's rows of the theme's municipalities and the donor pool."""
    return pl.from_arrow(con.sql(SQL).to_arrow_table())


def outcome_column() -> str:
    """The mart column of the indicator (seed indikatorer)."""
    return vocabulary.indikator(INDIKATOR).kolonne


def estimate(frame: pl.DataFrame) -> synth.SynthResult | None:
    """Synthetic control for the theme's municipality with the most young people (the only
    one: Aalborg), from its first quarter in the theme; quarters without a known outcome for
    it (week 26 after the register's end) and after its last trial quarter are left out.
    None when there is no treated municipality, no trial quarter or fewer than two donors."""
    column = outcome_column()
    treated = (
        frame.filter("is_forsoegskommune")
        .group_by("kommunekode")
        .agg(
            pl.col("unge_paa_uddannelseshjaelp").sum().alias("unge"),
            pl.col("periode_index").filter(pl.col("is_i_forsoeg")).min().alias("start"),
            pl.col("periode_index").filter(pl.col("is_i_forsoeg")).max().alias("slut"),
        )
        .drop_nulls("start")
        .sort("unge", "kommunekode", descending=[True, False])
    )
    if treated.height == 0:
        return None
    unit, start, slut = treated.row(0)[0], int(treated["start"][0]), int(treated["slut"][0])
    kendte = frame.filter(
        (pl.col("kommunekode") == unit)
        & pl.col(column).is_not_null()
        & (pl.col("periode_index") <= slut)
    )["periode_index"]
    panel = frame.filter(pl.col("periode_index").is_in(kendte.implode()))
    donors = panel.filter("is_donor")["kommunekode"].unique().sort().to_list()
    if len(donors) < 2:
        return None
    try:
        return synth.synthetic_control(
            panel,
            column,
            "kommunekode",
            "periode_index",
            unit,
            start,
            donors=donors,
            max_pre_rmspe_ratio=PLACEBO_MAX_PRE_RMSPE,
        )
    except ValueError:
        return None


def path_table(result: synth.SynthResult, frame: pl.DataFrame) -> pl.DataFrame:
    """Per quarter: the treated municipality's counts and share, the synthetic share and the
    gap (percentage points), and whether the quarter is in the trial."""
    own = frame.filter(pl.col("kommunekode") == result.treated_unit).select(
        "periode_index",
        "kvartal",
        "unge_med_kendt_udfald",
        "heraf_uddannelse_eller_selvforsoergende_uge_26",
    )
    return (
        result.path.rename({"time": "periode_index"})
        .with_columns(pl.col("periode_index").cast(own["periode_index"].dtype))
        .join(own, on="periode_index", how="left")
        .select(
            "kvartal",
            "unge_med_kendt_udfald",
            "heraf_uddannelse_eller_selvforsoergende_uge_26",
            pl.col("treated").alias("andel_forsoegskommune"),
            pl.col("synthetic").alias("andel_syntetisk_kontrol"),
            (100 * pl.col("gap")).alias("forskel_procentpoint"),
            (pl.col("periode_index") >= result.treatment_time).alias("er_i_forsoeg"),
        )
        .sort("kvartal")
    )


def summary_table(result: synth.SynthResult) -> pl.DataFrame:
    """One row per measure (Danish), values in Danish number format: the pre-period fit
    (RMSPE), the mean post-period gap, the placebo p-value, its granularity 1/(J + 1), J and
    the treated municipality's rank."""
    pre = result.path.filter(pl.col("time") < result.treatment_time).height
    post = result.path.height - pre
    rows = [
        ("Forsøgskommune (kommunekode)", str(result.treated_unit)),
        ("Kvartaler før forsøget", fmt_int(pre)),
        ("Kvartaler under forsøget (med kendt udfald)", fmt_int(post)),
        ("RMSPE før forsøget (procentpoint)", fmt_num(100 * result.pre_rmspe, 2)),
        ("RMSPE under forsøget (procentpoint)", fmt_num(100 * result.post_rmspe, 2)),
        ("Gennemsnitlig forskel under forsøget (procentpoint)", fmt_num(100 * result.att, 2)),
        ("Donorkommuner", fmt_int(result.n_donors)),
        ("Placebo-kommuner i rangeringen (J)", fmt_int(result.n_placebos)),
        ("Forsøgskommunens rang blandt J + 1", fmt_int(result.rank)),
        ("Placebo-p (rang / (J + 1))", fmt_num(result.p_value, 3)),
        ("Mindste mulige p = 1/(J + 1)", fmt_num(result.p_granularity, 3)),
        ("Hvad testen kan vise", synth.evidence_da(result)),
    ]
    return pl.DataFrame(
        {"maal": [r[0] for r in rows], "vaerdi": [r[1] for r in rows]},
        schema={"maal": pl.String, "vaerdi": pl.String},
    )


def weights_table(result: synth.SynthResult, navne: dict[int, str]) -> pl.DataFrame:
    """Donors with a weight above 0.001, with their names."""
    return (
        result.weights.filter(pl.col("weight") > 0.001)
        .with_columns(pl.col("unit").cast(pl.Int64).alias("kommunekode"))
        .with_columns(
            pl.col("kommunekode")
            .replace_strict(navne, default=None, return_dtype=pl.String)
            .alias("kommunenavn")
        )
        .select("kommunekode", "kommunenavn", pl.col("weight").alias("vaegt"))
    )


def report_tables(published: Path) -> tuple[synth.SynthResult | None, dict[str, pl.DataFrame]]:
    """For ``trialwh report``: the result and its tables keyed by Excel-safe sheet names
    (empty when the mart is missing or the comparison cannot be made)."""
    con = duckdb.connect(str(published), read_only=True)
    try:
        exists = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'marts' and table_name = ?",
            [MART],
        ).fetchall()
        if not exists[0][0]:
            return None, {}
        frame = load(con)
        navne = dict(
            con.execute("select kommunekode, kommunenavn from marts.dim_kommune").fetchall()
        )
    finally:
        con.close()
    result = estimate(frame)
    if result is None:
        return None, {}
    counts = ["unge_med_kendt_udfald", "heraf_uddannelse_eller_selvforsoergende_uge_26"]
    return result, {
        "Synt_kontrol_uddhjaelp": summary_table(result),
        # Small counts hidden (null) with the share computed from them; the report formats.
        "Synt_kontrol_forloeb": suppress(
            path_table(result, frame),
            counts,
            {"andel_forsoegskommune": (counts[1], counts[0])},
        ).data,
        "Synt_kontrol_donorvaegte": weights_table(result, navne),
    }
