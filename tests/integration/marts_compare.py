"""Compare every mart of two published snapshots built from the same extracts.

Used to show that a refactoring of the models changes no published figure:

    .venv/bin/python -m tests.integration.marts_compare BEFORE.duckdb AFTER.duckdb

Every table of schema ``marts`` in BEFORE is compared row for row (as a multiset, all of its
columns, under the renames below) with the same table in AFTER; tables and columns only in
AFTER are listed as new. ``mart_gruppe_kvartal`` (new in AFTER) is also checked against the
group and period assignment the dashboard computed from BEFORE's dim_kommune,
dim_kontrolgruppe and panel (dashboards/queries.py ``_groups_sql``/``_periode_sql``).
Prints one line per table and exits 1 if anything differs.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

import duckdb

# Columns renamed on purpose (old name pattern -> new name), per table.
RENAMES: dict[str, tuple[tuple[str, str], ...]] = {
    "dim_kommune": ((r"^i_forsoeg_(.+)$", r"is_forsoegskommune_\1"),),
    "fct_sygedagpengesager": ((r"^i_forsoeg_(.+)$", r"is_i_forsoeg_paa_sagsdato_\1"),),
    "fct_rehabiliteringssager": ((r"^i_forsoeg_(.+)$", r"is_i_forsoeg_paa_sagsdato_\1"),),
}


@dataclass(frozen=True)
class TableResult:
    table: str
    rows_before: int
    rows_after: int
    only_before: int
    only_after: int
    new_columns: tuple[str, ...]
    missing_columns: tuple[str, ...]

    @property
    def same(self) -> bool:
        return self.only_before == 0 and self.only_after == 0 and not self.missing_columns


def _columns(con: duckdb.DuckDBPyConnection, db: str, table: str) -> list[str]:
    rows = con.execute(
        "select column_name from duckdb_columns() where database_name = ? and schema_name = "
        "'marts' and table_name = ? order by column_index",
        [db, table],
    ).fetchall()
    return [row[0] for row in rows]


def _renamed(table: str, column: str) -> str:
    for pattern, replacement in RENAMES.get(table, ()):
        if re.match(pattern, column):
            return re.sub(pattern, replacement, column)
    return column


def compare_table(con: duckdb.DuckDBPyConnection, table: str) -> TableResult:
    before = _columns(con, "before", table)
    after = _columns(con, "after", table)
    pairs = [(column, _renamed(table, column)) for column in before]
    missing = tuple(new for _, new in pairs if new not in after)
    new_columns = tuple(column for column in after if column not in {n for _, n in pairs})
    present = [(old, new) for old, new in pairs if new in after]
    select_before = ", ".join(f'"{old}" as "{new}"' for old, new in present)
    select_after = ", ".join(f'"{new}"' for _, new in present)
    query_before = f'select {select_before} from before.marts."{table}"'
    query_after = f'select {select_after} from after.marts."{table}"'
    only_before = con.execute(
        f"select count(*) from ({query_before} except all {query_after})"
    ).fetchone()[0]
    only_after = con.execute(
        f"select count(*) from ({query_after} except all {query_before})"
    ).fetchone()[0]
    n_before = con.execute(f'select count(*) from before.marts."{table}"').fetchone()[0]
    n_after = con.execute(f'select count(*) from after.marts."{table}"').fetchone()[0]
    return TableResult(table, n_before, n_after, only_before, only_after, new_columns, missing)


def _tables(con: duckdb.DuckDBPyConnection, db: str) -> list[str]:
    rows = con.execute(
        "select table_name from duckdb_tables() where database_name = ? and schema_name = "
        "'marts' order by table_name",
        [db],
    ).fetchall()
    return [row[0] for row in rows]


def dashboard_groups_before(con: duckdb.DuckDBPyConnection) -> str:
    """SQL: tema, kontrolgruppe, kommunekode, kvartal, gruppe, periode as the dashboard
    computed them from BEFORE's snapshot (queries._groups_sql and queries._periode_sql)."""
    temaer = [row[0] for row in con.execute("select tema from before.reference.temaer").fetchall()]
    parts = []
    for tema in temaer:
        parts.append(
            f"""
            select '{tema}' as tema, kg.kontrolgruppe, grp.kommunekode, kv.kvartal, grp.gruppe,
                case
                    when kv.kvartal < coalesce(w.start, date '9999-01-01') then 'foer'
                    when kv.kvartal < coalesce(w.slut, date '9999-01-01') + interval 3 month
                        then 'under'
                    else 'efter'
                end as periode
            from (select distinct kontrolgruppe from before.marts.dim_kontrolgruppe) as kg
            cross join lateral (
                select kommunekode, 'forsoeg' as gruppe from before.marts.dim_kommune
                where i_forsoeg_{tema}
                union all
                select kommunekode, 'kontrol' as gruppe from before.marts.dim_kontrolgruppe as d
                where d.kontrolgruppe = kg.kontrolgruppe and d.tema = '{tema}'
                    and kommunekode not in (
                        select kommunekode from before.marts.dim_kommune where i_forsoeg_{tema}
                    )
            ) as grp
            cross join (select distinct kvartal from before.marts.mart_panel_kommune_kvartal) as kv
            cross join (
                select min(kvartal) as start, max(kvartal) as slut
                from before.marts.mart_panel_kommune_kvartal where i_forsoeg_{tema}
            ) as w
            """
        )
    return " union all ".join(parts)


def compare_groups(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int]:
    """(rows, only in the dashboard's assignment, only in mart_gruppe_kvartal)."""
    expected = dashboard_groups_before(con)
    actual = (
        "select tema, kontrolgruppe, kommunekode, kvartal, gruppe, periode "
        "from after.marts.mart_gruppe_kvartal"
    )
    n = con.execute(f"select count(*) from ({actual})").fetchone()[0]
    expected = f"select * from ({expected})"
    actual = f"select * from ({actual})"
    only_expected = con.execute(
        f"select count(*) from ({expected} except all {actual})"
    ).fetchone()[0]
    only_actual = con.execute(f"select count(*) from ({actual} except all {expected})").fetchone()[
        0
    ]
    return n, only_expected, only_actual


def main(before: str, after: str) -> int:
    con = duckdb.connect()
    con.execute(f"attach '{before}' as before (read_only)")
    con.execute(f"attach '{after}' as after (read_only)")
    ok = True
    after_tables = set(_tables(con, "after"))
    for table in _tables(con, "before"):
        if table not in after_tables:
            print(f"{table}: MISSING after")
            ok = False
            continue
        result = compare_table(con, table)
        ok &= result.same
        status = "same" if result.same else "DIFFERENT"
        print(
            f"{table}: {status} ({result.rows_before} rows before, {result.rows_after} after; "
            f"only before {result.only_before}, only after {result.only_after}"
            + (f"; new columns {', '.join(result.new_columns)}" if result.new_columns else "")
            + (
                f"; missing columns {', '.join(result.missing_columns)}"
                if result.missing_columns
                else ""
            )
            + ")"
        )
    for table in sorted(after_tables - set(_tables(con, "before"))):
        print(f"{table}: new")
    if "mart_gruppe_kvartal" in after_tables:
        n, only_expected, only_actual = compare_groups(con)
        same = only_expected == 0 and only_actual == 0
        ok &= same
        print(
            f"mart_gruppe_kvartal vs the dashboard's assignment on the old snapshot: "
            f"{'same' if same else 'DIFFERENT'} ({n} rows; only dashboard {only_expected}, "
            f"only mart {only_actual})"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
