"""What the file-corpus tests share: ingest a corpus folder once, and query the result."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl
import pytest

from core.paths import Home
from ingest.load import ingest_paths


def ingest_corpus(
    home_dir: Path, files: Path, key: str
) -> Iterator[tuple[list, duckdb.DuckDBPyConnection]]:
    """Ingest every file of `files` into a new home with pseudonym key `key`.

    Yields the per-file results and a read-only connection to the warehouse (closed after).
    """
    home = Home(home_dir)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRIALWH_PSEUDONYM_KEY", key)
        results = ingest_paths(home, [files])
    con = duckdb.connect(str(home.warehouse), read_only=True)
    yield results, con
    con.close()


def query(con: duckdb.DuckDBPyConnection, sql: str) -> pl.DataFrame:
    return pl.from_arrow(con.sql(sql).to_arrow_table())


def expected_files_match(corpus: Path, files: Path) -> None:
    """Every file in the corpus has a row in its hand-written expected_files.csv, and back."""
    expected = pl.read_csv(corpus / "expected_files.csv")["file"].to_list()
    assert sorted(expected) == sorted(p.name for p in files.iterdir())
