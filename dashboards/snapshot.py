"""Read-only access to the published snapshot (``published/current.duckdb``).

The builder publishes a new snapshot by writing a new file and ``os.replace``-ing it over
``current.duckdb``. To pick that up without a restart and without ever blocking the builder:

* the file is attached ``READ_ONLY`` into a private in-memory DuckDB instance (not
  ``duckdb.connect(path)``, whose per-process instance cache would hand back the old file's
  database after a replace);
* a :class:`Snapshot` is identified by the file's inode and mtime; callers re-check
  :func:`snapshot_key` and open a new :class:`Snapshot` when it changes. An old snapshot keeps
  reading its (unlinked) file until the last page using it lets go of it;
* external access (files, network, ``ATTACH``) is switched off and the configuration locked,
  so even an analyst's query cannot read or write anything else;
* every query runs on a fresh cursor, so sessions on different threads never share one;
* the instance is capped (``MEMORY_LIMIT``, ``threads``, and spilling to a private
  owner-only temp folder of at most ``MAX_TEMP_SIZE``), so one analyst's query cannot take
  the server's memory or disk; ``query_limited`` returns at its time limit whether or not
  DuckDB has noticed the interrupt yet.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import threading
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import polars as pl

CATALOG = "snap"
# Limits of the serving connection (the dashboard's queries and the SQL page).
MEMORY_LIMIT = "1GB"
MAX_TEMP_SIZE = "2GB"
# How long an interrupted query is given to stop before the caller is answered anyway.
_STOP_GRACE_S = 2.0

T = TypeVar("T")


class SnapshotMissing(RuntimeError):
    """No snapshot has been published yet (run ``trialwh build``)."""


class QueryTimeout(RuntimeError):
    """A query ran longer than its time limit and was interrupted."""


@dataclass(frozen=True)
class SnapshotKey:
    """Identity of the file currently at the published path."""

    path: str
    inode: int
    mtime_ns: int
    size: int


@dataclass(frozen=True)
class BuildInfo:
    """``meta.build_info`` of a snapshot."""

    build_id: str
    built_at: dt.datetime | None
    data_as_of: dt.date | None
    dbt_version: str | None
    n_tests_passed: int | None


def snapshot_key(path: Path) -> SnapshotKey:
    """The identity of the file at ``path``; raises :class:`SnapshotMissing` if absent."""
    try:
        stat = os.stat(path)
    except FileNotFoundError as missing:
        raise SnapshotMissing(str(path)) from missing
    return SnapshotKey(str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)


class Snapshot:
    """One published snapshot, attached read-only. Thread-safe: a fresh cursor per query."""

    def __init__(self, path: Path, *, threads: int = 2) -> None:
        self.key = snapshot_key(path)
        self._temp = tempfile.mkdtemp(prefix="trialwh-snapshot-")  # mode 0700
        weakref.finalize(self, shutil.rmtree, self._temp, True)
        self._con = duckdb.connect(
            ":memory:",
            config={
                "threads": threads,
                "memory_limit": MEMORY_LIMIT,
                "temp_directory": self._temp,
                "max_temp_directory_size": MAX_TEMP_SIZE,
            },
        )
        escaped = str(path).replace("'", "''")
        self._con.execute(f"attach '{escaped}' as {CATALOG} (read_only)")
        self._con.execute(f"use {CATALOG}")
        self._con.execute("set enable_external_access = false")
        self._con.execute("set lock_configuration = true")
        self._memo: dict[Hashable, Any] = {}
        self._memo_lock = threading.Lock()
        self.build = self._read_build_info()

    def _read_build_info(self) -> BuildInfo:
        try:
            row = self.query(
                "select build_id, built_at, data_as_of, dbt_version, n_tests_passed"
                " from meta.build_info order by built_at desc limit 1"
            ).row(0, named=True)
        except (duckdb.Error, pl.exceptions.OutOfBoundsError):
            # A snapshot without build info still gets a stable cache key.
            return BuildInfo(f"{self.key.inode}-{self.key.mtime_ns}", None, None, None, None)
        return BuildInfo(
            build_id=str(row["build_id"]),
            built_at=row["built_at"],
            data_as_of=row["data_as_of"],
            dbt_version=row["dbt_version"],
            n_tests_passed=row["n_tests_passed"],
        )

    def cursor(self) -> duckdb.DuckDBPyConnection:
        cur = self._con.cursor()
        cur.execute(f"use {CATALOG}")
        return cur

    def query(self, sql: str, params: list[Any] | dict[str, Any] | None = None) -> pl.DataFrame:
        """Run one read query on a fresh cursor and return the result as a polars frame."""
        cur = self.cursor()
        try:
            return _plain_numbers(cur.sql(sql, params=params).pl())
        finally:
            cur.close()

    def query_limited(
        self, sql: str, *, max_rows: int, timeout_s: float
    ) -> tuple[pl.DataFrame, bool]:
        """Run an (already vetted) SELECT, returning at most ``max_rows`` rows and whether more
        existed; interrupts the query after ``timeout_s`` seconds (raises :class:`QueryTimeout`)."""
        cur = self.cursor()
        outcome: dict[str, Any] = {}

        def work() -> None:
            try:
                limited = f"select * from (\n{sql}\n) limit {int(max_rows) + 1}"
                cur.execute(limited)
                outcome["frame"] = _plain_numbers(pl.from_arrow(cur.to_arrow_table()))
            except BaseException as error:  # handed to the caller below
                outcome["error"] = error
            finally:
                cur.close()

        worker = threading.Thread(target=work, name="trialwh-sql", daemon=True)
        worker.start()
        worker.join(timeout_s)
        if worker.is_alive():
            # Interrupted at the stated time; the caller is answered now even if DuckDB
            # needs a moment to stop (the worker closes its own cursor when it does).
            cur.interrupt()
            worker.join(_STOP_GRACE_S)  # normally stops within milliseconds
            raise QueryTimeout(f"interrupted after {timeout_s:g} s")
        if "error" in outcome:
            raise outcome["error"]
        frame = outcome["frame"]
        return frame.head(max_rows), frame.height > max_rows

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, computed once per snapshot and kept while the snapshot is open (its
        data never changes). For inputs that several cached results share, e.g. the whole
        panel every effect estimate starts from: without it each estimate re-read the
        70-column panel from DuckDB."""
        with self._memo_lock:
            if key in self._memo:
                return self._memo[key]
        value = compute()
        with self._memo_lock:
            return self._memo.setdefault(key, value)

    def has_table(self, schema: str, table: str) -> bool:
        found = self.query(
            "select count(*) as n from information_schema.tables"
            " where table_catalog = ? and table_schema = ? and table_name = ?",
            [CATALOG, schema, table],
        )
        return bool(found["n"][0])

    def columns(self, schema: str, table: str) -> list[str]:
        found = self.query(
            "select column_name from information_schema.columns"
            " where table_catalog = ? and table_schema = ? and table_name = ?"
            " order by ordinal_position",
            [CATALOG, schema, table],
        )
        return found["column_name"].to_list()

    def close(self) -> None:
        self._con.close()
        shutil.rmtree(self._temp, ignore_errors=True)


def _plain_numbers(frame: pl.DataFrame) -> pl.DataFrame:
    """SUMs come back as DECIMAL(38, s): whole numbers to Int64, others to Float64, so that
    charts and formatting get ordinary numbers."""
    casts = {}
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.Decimal):
            casts[name] = pl.Int64 if dtype.scale == 0 else pl.Float64
    return frame.cast(casts) if casts else frame
