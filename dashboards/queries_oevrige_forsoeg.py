"""Queries of the "Øvrige forsøg" page (themes of applications 2 and 4): small SQL over
their marts, returning polars frames (cached on the snapshot's build id like
:mod:`dashboards.queries`)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboards.snapshot import Snapshot
from report import uddannelseshjaelp


def psykologbehandling(snap: Snapshot, fra: dt.date, til: dt.date) -> pl.DataFrame:
    """Courses per municipality in the chosen period (marts.mart_psykologbehandling)."""
    return snap.query(
        """
        select mart.kommunekode, dim_kommune.kommunenavn, mart.kvartal,
            mart.forloeb as psykolog_forloeb,
            mart.gns_sessioner, mart.udgift_kr, mart.udgift_pr_forloeb_kr, mart.n_med_screening,
            mart.gns_scoreaendring, mart.gns_scoreaendring_ci_lav, mart.gns_scoreaendring_ci_hoej,
            mart.n_klinisk_relevant_fald, mart.andel_klinisk_relevant_fald
        from marts.mart_psykologbehandling as mart
        left join marts.dim_kommune as dim_kommune on mart.kommunekode = dim_kommune.kommunekode
        where mart.kvartal between $fra and $til
        order by dim_kommune.kommunenavn, mart.kvartal
        """,
        {"fra": fra, "til": til},
    )


def psykolog_instrument(snap: Snapshot, fra: dt.date, til: dt.date) -> pl.DataFrame:
    """Paired score change per instrument and municipality (named from marts.dim_kommune)
    (marts.mart_psykologbehandling_instrument)."""
    return snap.query(
        """
        select mart.kommunekode, dim_kommune.kommunenavn, mart.kvartal,
            mart.screening_instrument, mart.n_parret, mart.gns_scoreaendring,
            mart.gns_scoreaendring_ci_lav, mart.gns_scoreaendring_ci_hoej,
            mart.klinisk_relevant_fald, mart.n_klinisk_relevant_fald,
            mart.andel_klinisk_relevant_fald
        from marts.mart_psykologbehandling_instrument as mart
        left join marts.dim_kommune as dim_kommune on mart.kommunekode = dim_kommune.kommunekode
        where mart.kvartal between $fra and $til
        order by mart.screening_instrument, dim_kommune.kommunenavn, mart.kvartal
        """,
        {"fra": fra, "til": til},
    )


def uddannelsespaalaeg(snap: Snapshot, fra: dt.date, til: dt.date) -> pl.DataFrame:
    """Exemptions per municipality and quarter (marts.mart_uddannelsespaalaeg). The most
    common benefit group at the trial's end is left out: for a cell of one young person it
    would name that person's group (the counts per place are shown instead)."""
    return snap.query(
        """
        select
            mart.* exclude (andel_paabegyndt_uddannelse, ydelsesgruppe_ved_forsoegets_slut),
            dim_kommune.kommunenavn,
            mart.andel_paabegyndt_uddannelse
        from marts.mart_uddannelsespaalaeg as mart
        left join marts.dim_kommune as dim_kommune on mart.kommunekode = dim_kommune.kommunekode
        where mart.kvartal between $fra and $til
        order by mart.kommunekode, mart.kvartal
        """,
        {"fra": fra, "til": til},
    )


def pr_kvartal(snap: Snapshot, mart: str, kolonne: str, fra: dt.date, til: dt.date) -> pl.DataFrame:
    """``kolonne`` summed over the municipalities per quarter of ``mart`` (one of this page's
    marts)."""
    if (mart, kolonne) not in {
        ("mart_psykologbehandling", "forloeb"),
        ("mart_uddannelsespaalaeg", "fritaget"),
    }:
        raise ValueError(f"unknown series {mart}.{kolonne}")
    return snap.query(
        f"select kvartal, sum({kolonne}) as antal from marts.{mart}"
        " where kvartal between $fra and $til group by kvartal order by kvartal",
        {"fra": fra, "til": til},
    )


def uddannelseshjaelp_udfald(snap: Snapshot) -> pl.DataFrame:
    """The synthetic control's rows (marts.mart_uddannelseshjaelp_udfald): the theme's
    municipality and the donor pool, every quarter (the estimate needs the whole period)."""
    return snap.query(uddannelseshjaelp.SQL)


def kommunenavne(snap: Snapshot) -> dict[int, str]:
    """kommunekode → name (marts.dim_kommune)."""
    frame = snap.query("select kommunekode, kommunenavn from marts.dim_kommune")
    return dict(zip(frame["kommunekode"].to_list(), frame["kommunenavn"].to_list(), strict=True))
