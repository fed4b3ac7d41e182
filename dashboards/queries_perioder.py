"""An indicator of the panel (a rate of seed ``indikatorer``) per month, quarter, calendar
year or as a rolling 12 months, for several municipalities: numerator and denominator summed
over the period, then divided.

Months come from ``marts.mart_kommune_maaned`` (the indicators with a case date; whether an
indicator is there is read from the snapshot's columns), the rest from the panel. The rolling
12 months are the twelve calendar months up to and including each month where the indicator
has months (jobindsats' «løbende 12 måneder»), else the four quarters up to and including
each quarter."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import polars as pl

from core import vocabulary
from dashboards.queries import PANEL
from dashboards.snapshot import Snapshot

MAANED = "marts.mart_kommune_maaned"
Opdeling = Literal["maaned", "kvartal", "aar", "loebende_12_mdr"]
OPDELINGER: dict[Opdeling, tuple[str, str]] = {
    "maaned": ("Måned", "Month"),
    "kvartal": ("Kvartal", "Quarter"),
    "aar": ("År", "Year"),
    "loebende_12_mdr": ("Løbende 12 mdr.", "Rolling 12 months"),
}


def _rate(indikator: str) -> tuple[vocabulary.Indikator, str]:
    ind = vocabulary.indikator(indikator)
    if ind.mart != PANEL.removeprefix("marts.") or not (ind.taeller and ind.naevner):
        raise ValueError(f"{indikator!r} is not a rate of {PANEL}")
    scale = "100.0 * " if ind.enhed == "procent" else ""
    return ind, scale


def har_maaned(snap: Snapshot, indikator: str) -> bool:
    """True when the monthly mart holds the indicator's numerator and denominator."""
    ind, _ = _rate(indikator)
    schema, table = MAANED.split(".")
    return {ind.taeller, ind.naevner} <= set(snap.columns(schema, table))


def kommuner_perioder(
    snap: Snapshot,
    indikator: str,
    kommuner: tuple[int, ...],
    fra: dt.date,
    til: dt.date,
    opdeling: Opdeling,
) -> pl.DataFrame:
    """kommunekode, kommunenavn, periode (first day of the month, quarter or year; for the
    rolling view the last month, or quarter, of the window), n_kvartaler (rolling by month:
    n_maaneder), taeller, naevner, vaerdi.

    Years are cut to the chosen period (``n_kvartaler`` says how many quarters a year
    holds); a rolling window reaches back before ``fra`` and is shown only when it is whole
    (twelve months or four quarters)."""
    ind, scale = _rate(indikator)
    if opdeling not in OPDELINGER:
        raise ValueError(f"unknown opdeling {opdeling!r}; expected one of {list(OPDELINGER)}")
    params = {"fra": fra, "til": til, "kommuner": list(kommuner)}
    if opdeling == "maaned":
        # ``til`` is the first day of the last quarter: its three months are in the period.
        sql = f"""
            select m.kommunekode, m.kommunenavn, m.maaned as periode,
                1 as n_kvartaler,
                m.{ind.taeller} as taeller, m.{ind.naevner} as naevner,
                {scale}m.{ind.taeller} / nullif(m.{ind.naevner}, 0) as vaerdi
            from {MAANED} as m
            where m.kvartal between $fra and $til and list_contains($kommuner, m.kommunekode)
            order by m.kommunekode, periode
        """
    elif opdeling == "loebende_12_mdr" and har_maaned(snap, indikator):
        # Twelve months up to and including each month of the chosen quarters; the window
        # reaches back before ``fra`` and is shown only when it holds twelve months.
        sql = f"""
            with rullende as (
                select m.kommunekode, m.kommunenavn, m.maaned as periode, m.kvartal,
                    count(*) over vindue as n_maaneder,
                    sum(m.{ind.taeller}) over vindue as taeller,
                    sum(m.{ind.naevner}) over vindue as naevner
                from {MAANED} as m
                where m.kvartal <= $til and list_contains($kommuner, m.kommunekode)
                window vindue as (
                    partition by m.kommunekode order by m.maaned
                    range between interval 11 month preceding and current row
                )
            )
            select kommunekode, kommunenavn, periode, n_maaneder, taeller, naevner,
                {scale}taeller / nullif(naevner, 0) as vaerdi
            from rullende
            where kvartal between $fra and $til and n_maaneder = 12
            order by kommunekode, periode
        """
    elif opdeling == "loebende_12_mdr":
        sql = f"""
            with per_kvartal as (
                select p.kommunekode, any_value(p.kommunenavn) as kommunenavn, p.kvartal,
                    sum(p.{ind.taeller}) as taeller, sum(p.{ind.naevner}) as naevner
                from {PANEL} as p
                where p.kvartal <= $til and list_contains($kommuner, p.kommunekode)
                group by p.kommunekode, p.kvartal
            ),
            rullende as (
                select kommunekode, kommunenavn, kvartal as periode,
                    count(*) over vindue as n_kvartaler,
                    sum(taeller) over vindue as taeller,
                    sum(naevner) over vindue as naevner
                from per_kvartal
                window vindue as (
                    partition by kommunekode order by kvartal
                    range between interval 9 month preceding and current row
                )
            )
            select *, {scale}taeller / nullif(naevner, 0) as vaerdi
            from rullende
            where periode between $fra and $til and n_kvartaler = 4
            order by kommunekode, periode
        """
    else:
        unit = "quarter" if opdeling == "kvartal" else "year"
        sql = f"""
            select p.kommunekode, any_value(p.kommunenavn) as kommunenavn,
                date_trunc('{unit}', p.kvartal)::date as periode,
                count(distinct p.kvartal) as n_kvartaler,
                sum(p.{ind.taeller}) as taeller, sum(p.{ind.naevner}) as naevner,
                {scale}sum(p.{ind.taeller}) / nullif(sum(p.{ind.naevner}), 0) as vaerdi
            from {PANEL} as p
            where p.kvartal between $fra and $til and list_contains($kommuner, p.kommunekode)
            group by all
            order by kommunekode, periode
        """
    return snap.query(sql, params)
