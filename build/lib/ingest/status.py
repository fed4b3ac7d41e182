"""``trialwh status``: loads, rejected files, quarantined rows by rule, freshness."""

from __future__ import annotations

import io
from dataclasses import dataclass

import polars as pl
from rich.console import Console
from rich.table import Table

from core.paths import Home
from ingest.audit import open_warehouse

_LOADS = """
select status, count(*)::integer as filer, max(finished_at) as seneste
from audit.load_log group by status order by status
"""
_REJECTED = """
select source_file, reason, finished_at
from audit.load_log where status = 'rejected'
order by finished_at desc, source_file
"""
_QUARANTINE = """
select source, rule, count(*)::integer as raekker
from (select source, unnest(rules) as rule from audit.quarantine)
group by source, rule order by source, rule
"""
_FRESHNESS = """
select source, kommunekode, max(extract_date) as seneste_udtraek,
       count(*)::integer as indlaeste_filer,
       sum(rows_loaded)::bigint as raekker_indlaest,
       sum(rows_quarantined)::bigint as raekker_karantaene
from audit.load_log where status = 'loaded'
group by source, kommunekode order by source, kommunekode nulls first
"""


@dataclass
class StatusReport:
    """What is in the warehouse's audit schema, as polars frames."""

    loads: pl.DataFrame  # status, filer, seneste
    rejected_files: pl.DataFrame  # source_file, reason, finished_at
    quarantine_by_rule: pl.DataFrame  # source, rule, raekker
    freshness: pl.DataFrame  # source, kommunekode, seneste_udtraek, ...

    @property
    def is_empty(self) -> bool:
        return self.loads.height == 0

    def render(self, width: int = 120) -> str:
        """The report as text for the terminal."""
        buffer = io.StringIO()
        console = Console(file=buffer, width=width, force_terminal=False, color_system=None)
        if self.is_empty:
            console.print("Ingen filer er indlæst endnu.")
            return buffer.getvalue()
        for title, frame in (
            ("Indlæsninger pr. status", self.loads),
            ("Afviste filer", self.rejected_files),
            ("Rækker i karantæne pr. regel", self.quarantine_by_rule),
            ("Aktualitet pr. kilde og kommune", self.freshness),
        ):
            console.print(_table(title, frame))
        return buffer.getvalue()


def _table(title: str, frame: pl.DataFrame) -> Table:
    table = Table(title=title, title_justify="left")
    for name in frame.columns:
        table.add_column(name)
    for row in frame.iter_rows():
        table.add_row(*("" if v is None else str(v) for v in row))
    if frame.height == 0:
        table.add_row(*(["(ingen)"] + [""] * (len(frame.columns) - 1)))
    return table


def _empty() -> StatusReport:
    return StatusReport(
        loads=pl.DataFrame(schema={"status": pl.String, "filer": pl.Int32, "seneste": pl.Datetime}),
        rejected_files=pl.DataFrame(
            schema={"source_file": pl.String, "reason": pl.String, "finished_at": pl.Datetime}
        ),
        quarantine_by_rule=pl.DataFrame(
            schema={"source": pl.String, "rule": pl.String, "raekker": pl.Int32}
        ),
        freshness=pl.DataFrame(
            schema={
                "source": pl.String,
                "kommunekode": pl.Int32,
                "seneste_udtraek": pl.Date,
                "indlaeste_filer": pl.Int32,
                "raekker_indlaest": pl.Int64,
                "raekker_karantaene": pl.Int64,
            }
        ),
    )


def status_report(home: Home) -> StatusReport:
    """Read the audit tables of ``home``'s warehouse (read-only, short-lived connection)."""
    if not home.warehouse.exists():
        return _empty()
    with open_warehouse(str(home.warehouse), read_only=True) as con:
        has_audit = con.execute(
            "select count(*) from information_schema.tables"
            " where table_schema = 'audit' and table_name = 'load_log'"
        ).fetchall()[0][0]
        if not has_audit:
            return _empty()

        def frame(sql: str) -> pl.DataFrame:
            return pl.from_arrow(con.sql(sql).to_arrow_table())

        return StatusReport(
            loads=frame(_LOADS),
            rejected_files=frame(_REJECTED),
            quarantine_by_rule=frame(_QUARANTINE),
            freshness=frame(_FRESHNESS),
        )
