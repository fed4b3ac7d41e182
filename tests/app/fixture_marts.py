"""The marts that assign groups and periods (``mart_gruppe_kvartal``) and hold every
case-level duration (``fct_forloeb``), written into a hand-made snapshot from the tables it
already has.

These follow the definitions the marts are built to (written out independently here):

* ``forsoeg``: municipalities ever in the theme (``i_forsoeg_<tema>`` true in some quarter);
  ``kontrol``: the control group's municipalities for the theme minus any trial municipality.
* ``forsoeg_start_kvartal`` / ``forsoeg_slut_kvartal``: first / last quarter in which any
  municipality is in the theme; ``periode`` ``foer`` before the start, ``under`` up to and
  including the last quarter, ``efter`` after it (all ``foer`` when nobody is in the theme).
* a spell without its event is censored at the extra censoring date (the case closed without
  it) or else at the censoring date given (the data's as-of date); spells of negative length
  are left out.
"""

from __future__ import annotations

import duckdb

PANEL = "marts.mart_panel_kommune_kvartal"

# Case-level spells: forloeb -> (fact table, start, event date, extra censoring date).
SPELLS: dict[str, tuple[str, str, str, str | None]] = {
    "fravaer_til_foerste_opfoelgning": (
        "fct_sygedagpengesager",
        "foerste_fravaersdag",
        "foerste_opfoelgning_dato",
        "afsluttet_dato",
    ),
    "anmeldelse_til_foerste_opfoelgning": (
        "fct_sygedagpengesager",
        "anmeldt_dato",
        "foerste_opfoelgning_dato",
        "afsluttet_dato",
    ),
    "sygedagpengeforloeb": ("fct_sygedagpengesager", "foerste_fravaersdag", "afsluttet_dato", None),
    "rehab_start_til_afgoerelse": (
        "fct_rehabiliteringssager",
        "startdato",
        "afgoerelse_dato",
        None,
    ),
}
FRIST_DAGE = {"fravaer_til_foerste_opfoelgning": 56}


def add_gruppe_kvartal(con: duckdb.DuckDBPyConnection, temaer: tuple[str, ...]) -> None:
    """``marts.mart_gruppe_kvartal`` from the panel and ``marts.dim_kontrolgruppe`` for the
    themes the panel has a flag for."""
    columns = {
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns"
            " where table_schema = 'marts' and table_name = 'mart_panel_kommune_kvartal'"
        ).fetchall()
    }
    parts = []
    for tema in (t for t in temaer if f"i_forsoeg_{t}" in columns):
        parts.append(
            f"""
            select '{tema}' as tema, p.kommunekode, p.kommunenavn, p.kvartal,
                p.i_forsoeg_{tema} as is_i_forsoeg,
                bool_or(p.i_forsoeg_{tema}) over (partition by p.kommunekode) as ever,
                min(p.kvartal) filter (where p.i_forsoeg_{tema}) over () as start,
                max(p.kvartal) filter (where p.i_forsoeg_{tema}) over () as slut
            from {PANEL} as p
            """
        )
    con.execute(
        f"""
        create table marts.mart_gruppe_kvartal as
        with base as ({" union all ".join(parts)}),
        grupper as (select distinct kontrolgruppe from marts.dim_kontrolgruppe),
        tildelt as (
            select g.kontrolgruppe, b.*,
                case
                    when b.ever then 'forsoeg'
                    when exists (
                        select 1 from marts.dim_kontrolgruppe as d
                        where d.kontrolgruppe = g.kontrolgruppe and d.tema = b.tema
                            and d.kommunekode = b.kommunekode
                    ) then 'kontrol'
                end as gruppe
            from base as b cross join grupper as g
        )
        select tema, kontrolgruppe, kommunekode, kommunenavn, kvartal, gruppe,
            case
                when start is null or kvartal < start then 'foer'
                when kvartal <= slut then 'under'
                else 'efter'
            end as periode,
            is_i_forsoeg, start as forsoeg_start_kvartal, slut as forsoeg_slut_kvartal
        from tildelt
        where gruppe is not null
        """
    )


def add_forloeb(
    con: duckdb.DuckDBPyConnection, censur_dato: str, omfattet: str | None = None
) -> None:
    """``marts.fct_forloeb`` from the case facts present; ``censur_dato`` is the SQL for the
    date a spell without its event is censored at (when the case has no end date either);
    ``omfattet`` the SQL for ``is_omfattet_lae285`` on sickness-benefit cases."""
    tables = {
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
    }
    parts = []
    for forloeb, (table, start, event, censor) in SPELLS.items():
        if table not in tables:
            continue
        columns = {
            row[0]
            for row in con.execute(
                "select column_name from information_schema.columns"
                " where table_schema = 'marts' and table_name = ?",
                [table],
            ).fetchall()
        }
        censur = f"coalesce({censor}, {censur_dato})" if censor else censur_dato
        is_omfattet = (omfattet or "is_omfattet_lae285") if table.startswith("fct_syge") else None
        maalgruppe = "maalgruppe" if "maalgruppe" in columns else "null"
        frist = FRIST_DAGE.get(forloeb)
        parts.append(
            f"""
            select
                kommunekode::varchar || ':{forloeb}:' || row_number() over () as forloeb_id,
                '{forloeb}' as forloeb, kommunekode,
                date_trunc('quarter', {start})::date as start_kvartal,
                {start} as start_dato, {event} as slut_dato,
                case when {event} is null then {censur} end as censur_dato,
                date_diff('day', {start}, coalesce({event}, {censur})) as varighed_dage,
                {event} is not null as is_afsluttet,
                {frist if frist else "null"}::integer as frist_dage,
                {
                f"{event} is not null and date_diff('day', {start}, {event}) <= {frist}"
                if frist
                else "null"
            }::boolean as is_inden_frist,
                {is_omfattet if is_omfattet else "null"}::boolean as is_omfattet_lae285,
                {maalgruppe}::varchar as maalgruppe
            from marts.{table}
            where {start} is not null
            """
        )
    con.execute(
        f"create table marts.fct_forloeb as select * from ({' union all '.join(parts)})"
        " where varighed_dage >= 0"
    )
