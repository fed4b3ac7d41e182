"""The analysts' SQL box: only a single SELECT (or WITH … SELECT) is let through.

Defence in depth: the statement is parsed by DuckDB's own parser and must be exactly one
SELECT; the snapshot is attached read-only with external access switched off
(:mod:`dashboards.snapshot`); results are capped at a row limit and the query is interrupted
after a timeout.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from dashboards.snapshot import Snapshot

MAX_ROWS = 5_000
TIMEOUT_S = 10.0


class RejectedQuery(ValueError):
    """The text is not a single read-only SELECT."""


@dataclass(frozen=True)
class QueryResult:
    data: pl.DataFrame
    truncated: bool


def vet_select(sql: str) -> str:
    """The statement, stripped of a trailing semicolon, if it is exactly one SELECT.

    Raises :class:`RejectedQuery` for anything else (DDL, DML, COPY, ATTACH, PRAGMA, SET,
    several statements, unparseable text).
    """
    text = sql.strip().rstrip(";").strip()
    if not text:
        raise RejectedQuery("empty")
    parser = duckdb.connect(":memory:")
    try:
        statements = parser.extract_statements(text)
    except duckdb.Error as error:
        raise RejectedQuery(f"cannot parse: {error}") from error
    finally:
        parser.close()
    if len(statements) != 1:
        raise RejectedQuery(f"exactly one statement allowed, got {len(statements)}")
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        raise RejectedQuery(f"only SELECT is allowed, got {kind.name}")
    return text


def run_select(
    snapshot: Snapshot, sql: str, *, max_rows: int = MAX_ROWS, timeout_s: float = TIMEOUT_S
) -> QueryResult:
    """Vet and run ``sql`` on the snapshot; at most ``max_rows`` rows, at most ``timeout_s``."""
    vetted = vet_select(sql)
    data, truncated = snapshot.query_limited(vetted, max_rows=max_rows, timeout_s=timeout_s)
    return QueryResult(data=data, truncated=truncated)
