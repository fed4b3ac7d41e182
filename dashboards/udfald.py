"""Queries for the page "Beskæftigelse og forsørgelse": DREAM outcomes by group and period.

Every rule (weeks, censoring, who is eligible) lives in the marts
(``fct_sygedagpengeudfald``, ``mart_selvforsoergelse_uger``); these functions only select
and sum their counts for the chosen theme, control group and quarters.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboards.queries import _group_params, _groups_cte
from dashboards.snapshot import Snapshot

UGER = "marts.mart_selvforsoergelse_uger"
UDFALD = "marts.fct_sygedagpengeudfald"


def selvforsoergelse_uger(
    snap: Snapshot, tema: str, kontrolgruppe: str, fra: dt.date, til: dt.date
) -> pl.DataFrame:
    """Per gruppe × periode × uge: cases observed and self-supporting, KM risk set and events."""
    return snap.query(
        f"""
        with grp as ({_groups_cte()})
        select
            grp.gruppe,
            grp.periode,
            u.uge,
            sum(u.n_observeret)::bigint as n_observeret,
            sum(u.n_selvforsoergende)::bigint as n_selvforsoergende,
            sum(u.n_selvforsoergende) / nullif(sum(u.n_observeret), 0) as andel_selvforsoergende,
            sum(u.n_i_risiko)::bigint as n_i_risiko,
            sum(u.n_selvforsoerget)::bigint as n_selvforsoerget
        from {UGER} as u
        inner join grp on u.kommunekode = grp.kommunekode and u.kvartal = grp.kvartal
        where u.kvartal between $fra and $til and grp.periode in ('foer', 'under')
        group by all
        order by gruppe desc, periode, uge
        """,
        {**_group_params(tema, kontrolgruppe), "fra": fra, "til": til},
    )


def kaplan_meier(frame: pl.DataFrame) -> pl.DataFrame:
    """Share that has reached sustained self-support by week, per gruppe × periode:
    1 − Π(1 − events / at risk) over the summed counts of ``selvforsoergelse_uger``."""
    return frame.sort("gruppe", "periode", "uge").with_columns(
        (
            1
            - (1 - pl.col("n_selvforsoerget") / pl.col("n_i_risiko"))
            .fill_nan(1.0)
            .fill_null(1.0)
            .cum_prod()
            .over("gruppe", "periode")
        ).alias("andel_varigt_selvforsoergende")
    )


def ydelsesgruppe_uge_52(
    snap: Snapshot, tema: str, kontrolgruppe: str, fra: dt.date, til: dt.date, lang: str
) -> pl.DataFrame:
    """Cases by benefit group in week 52 (named from the seed ydelsesgrupper)."""
    navn = "navn_en" if lang == "en" else "navn_da"
    return snap.query(
        f"""
        with grp as ({_groups_cte()}),
        sager as (
            select
                grp.gruppe,
                grp.periode,
                u.ydelsesgruppe_uge_52
            from {UDFALD} as u
            inner join marts.fct_sygedagpengesager as s
                on u.sygedagpengesag_id = s.sygedagpengesag_id
            inner join grp
                on u.kommunekode = grp.kommunekode
                and date_trunc('quarter', u.foerste_fravaersdag) = grp.kvartal
            where s.is_omfattet_lae285 and u.ydelsesgruppe_uge_52 is not null
                and date_trunc('quarter', u.foerste_fravaersdag) between $fra and $til
        )
        select
            sager.gruppe,
            sager.periode,
            y.{navn} as ydelsesgruppe,
            count(*)::bigint as n_sager,
            sum(count(*)) over (partition by sager.gruppe, sager.periode)::bigint as n_i_alt,
            count(*) / sum(count(*)) over (partition by sager.gruppe, sager.periode) as andel
        from sager
        inner join reference.ydelsesgrupper as y on sager.ydelsesgruppe_uge_52 = y.ydelsesgruppe
        where sager.periode in ('foer', 'under')
        group by sager.gruppe, sager.periode, y.{navn}, y.sortering
        order by sager.gruppe desc, sager.periode, y.sortering
        """,
        {**_group_params(tema, kontrolgruppe), "fra": fra, "til": til},
    )


def udfald_kvartal(
    snap: Snapshot, tema: str, kontrolgruppe: str, fra: dt.date, til: dt.date
) -> pl.DataFrame:
    """The panel's DREAM indicators per gruppe × kvartal, averaged over municipalities."""
    return snap.query(
        f"""
        with grp as ({_groups_cte()})
        select
            grp.gruppe,
            p.kvartal,
            count(p.andel_selvforsoergende_uge_26)::bigint as n_kommuner,
            avg(p.andel_selvforsoergende_uge_26) as andel_selvforsoergende_uge_26,
            avg(p.andel_selvforsoergende_uge_52) as andel_selvforsoergende_uge_52,
            avg(p.andel_gensygemeldt_6_mdr) as andel_gensygemeldt_6_mdr,
            avg(p.gns_ydelsesuger_52) as gns_ydelsesuger_52
        from marts.mart_panel_kommune_kvartal as p
        inner join grp on p.kommunekode = grp.kommunekode and p.kvartal = grp.kvartal
        where p.kvartal between $fra and $til
        group by all
        order by gruppe desc, kvartal
        """,
        {**_group_params(tema, kontrolgruppe), "fra": fra, "til": til},
    )
