"""The ``audit`` schema: one row per file tried (load_log), one per quarantined row."""

from __future__ import annotations

import datetime as dt

import duckdb

from ingest.schema import create_raw_tables

LOAD_LOG_COLUMNS: list[tuple[str, str]] = [
    ("load_id", "VARCHAR"),
    ("source_file", "VARCHAR"),
    ("file_path", "VARCHAR"),
    ("file_sha256", "VARCHAR"),
    ("source", "VARCHAR"),
    ("kommunekode", "INTEGER"),
    ("extract_date", "DATE"),
    ("status", "VARCHAR"),
    ("reason", "VARCHAR"),
    ("rows_read", "INTEGER"),
    ("rows_loaded", "INTEGER"),
    ("rows_quarantined", "INTEGER"),
    ("started_at", "TIMESTAMP"),
    ("finished_at", "TIMESTAMP"),
    # Added after the first release; ``create_audit_tables`` adds them to older tables.
    ("file_size_bytes", "BIGINT"),
    ("ignored_columns", "VARCHAR[]"),  # columns in the file, not in the schema: not loaded
]

QUARANTINE_COLUMNS: list[tuple[str, str]] = [
    ("load_id", "VARCHAR"),
    ("source_file", "VARCHAR"),
    ("source", "VARCHAR"),
    ("kommunekode", "INTEGER"),
    ("source_row_number", "INTEGER"),
    ("rules", "VARCHAR[]"),
    ("reason", "VARCHAR"),
    ("masked_row", "VARCHAR"),
    ("quarantined_at", "TIMESTAMP"),
]

STATUSES: tuple[str, ...] = ("loaded", "rejected", "skipped_duplicate")

BUSY_MESSAGE = (
    "lageret {path} er i brug af en anden proces (fx en igangværende indlæsning eller "
    "build); prøv igen, når den er færdig"
)


class WarehouseBusy(RuntimeError):
    """The warehouse file is locked by another process (DuckDB allows one writer)."""


def open_warehouse(path: str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Connect to the warehouse; ``WarehouseBusy`` (Danish message) if another process holds it."""
    try:
        return duckdb.connect(path, read_only=read_only)
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            raise WarehouseBusy(BUSY_MESSAGE.format(path=path)) from None
        raise


def _ddl(table: str, columns: list[tuple[str, str]]) -> str:
    body = ",\n    ".join(f"{name} {typ}" for name, typ in columns)
    return f"create table if not exists audit.{table} (\n    {body}\n)"


def create_audit_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the ``audit`` schema with load_log and quarantine (idempotent)."""
    con.execute("create schema if not exists audit")
    con.execute(_ddl("load_log", LOAD_LOG_COLUMNS))
    for name, typ in LOAD_LOG_COLUMNS:
        con.execute(f"alter table audit.load_log add column if not exists {name} {typ}")
    con.execute(_ddl("quarantine", QUARANTINE_COLUMNS))


def create_ingest_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Every table ingest writes: ``raw.<source>`` and ``audit.*``."""
    create_raw_tables(con)
    create_audit_tables(con)


LoadIdentity = tuple[str, str, int | None, "dt.date"]


def load_identity(entry: dict[str, object]) -> LoadIdentity:
    """What makes two loads the same: content hash, source, municipality, extract date.

    Identical bytes under a name with another municipality or extract date say something
    else (e.g. a header-only snapshot of another month), so they are not duplicates.
    """
    return (
        str(entry["file_sha256"]),
        str(entry["source"]),
        entry.get("kommunekode"),  # type: ignore[return-value]
        entry["extract_date"],  # type: ignore[return-value]
    )


def loaded_identities(con: duckdb.DuckDBPyConnection) -> frozenset[LoadIdentity]:
    """The load identities of every successful load so far."""
    rows = con.execute(
        "select distinct file_sha256, source, kommunekode, extract_date"
        " from audit.load_log where status = 'loaded'"
    ).fetchall()
    return frozenset((r[0], r[1], r[2], r[3]) for r in rows)


def loaded_before(con: duckdb.DuckDBPyConnection, key: LoadIdentity) -> tuple[str, str] | None:
    """(load_id, source_file) of an earlier successful load with the same identity, if any."""
    rows = con.execute(
        "select load_id, source_file from audit.load_log"
        " where status = 'loaded' and file_sha256 = ? and source = ?"
        " and kommunekode is not distinct from ? and extract_date = ?"
        " order by finished_at limit 1",
        list(key),
    ).fetchall()
    return (rows[0][0], rows[0][1]) if rows else None


def insert_load_log(con: duckdb.DuckDBPyConnection, entry: dict[str, object]) -> None:
    """Append one load_log row (``entry`` keyed by column name; missing keys are NULL)."""
    names = [name for name, _ in LOAD_LOG_COLUMNS]
    placeholders = ", ".join("?" for _ in names)
    con.execute(
        f"insert into audit.load_log ({', '.join(names)}) values ({placeholders})",
        [entry.get(name) for name in names],
    )
