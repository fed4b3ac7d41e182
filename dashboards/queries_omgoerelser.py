"""Ankestyrelsen's decisions by law area and decision type for the trial and control
group (``marts.mart_omgoerelser``, Ankestyrelsen's own figures only)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboards.queries import GRUPPE_KVARTAL, temaer
from dashboards.snapshot import Snapshot


def afgoerelser_lovomraade(
    snap: Snapshot, tema: str, kontrolgruppe: str, fra: dt.date, til: dt.date
) -> pl.DataFrame:
    """gruppe, lovomraade, realitetsbehandlede, stadfaestet, aendret_ophaevet, hjemvist,
    afvist_bortfaldet, omgjorte and omgoerelsesprocent (0–100) summed over the group's
    municipalities and the period's quarters."""
    if tema not in temaer():
        raise ValueError(f"unknown tema {tema!r}; expected one of {temaer()}")
    return snap.query(
        f"""
        with grp as (
            select kommunekode, kvartal, gruppe
            from {GRUPPE_KVARTAL}
            where tema = $tema and kontrolgruppe = $kontrolgruppe
        )
        select grp.gruppe, o.lovomraade,
            sum(o.realitetsbehandlede) as realitetsbehandlede,
            sum(o.stadfaestet) as stadfaestet,
            sum(o.aendret_ophaevet) as aendret_ophaevet,
            sum(o.hjemvist) as hjemvist,
            sum(o.afvist_bortfaldet) as afvist_bortfaldet,
            sum(o.aendret_ophaevet + o.hjemvist) as omgjorte,
            100.0 * sum(o.aendret_ophaevet + o.hjemvist)
                / nullif(sum(o.realitetsbehandlede), 0) as omgoerelsesprocent
        from marts.mart_omgoerelser as o
        inner join grp on o.kommunekode = grp.kommunekode and o.kvartal = grp.kvartal
        where o.kilde = 'ankestatistik' and o.kvartal between $fra and $til
        group by all
        order by grp.gruppe desc, o.lovomraade
        """,
        {"tema": tema, "kontrolgruppe": kontrolgruppe, "fra": fra, "til": til},
    )
