"""After generate → ingest → build: no CPR number of the extracts, in any form, is in any
table of the warehouse or the published snapshot, any file of the home (logs, kept copies,
dbt's files) or any command output. The scan folds text on its own (NFKC, every Unicode
digit as ASCII, separators removed) and looks for every CPR of the extract files."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import duckdb

from ingest.filenames import parse_file_name
from ingest.read import read_text_table
from ingest.schema import source_spec

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d/.\u2044\u2215]")
_TEN = re.compile(r"(?=(\d{10}))")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = "".join(
        str(unicodedata.digit(ch)) if unicodedata.digit(ch, None) is not None else ch for ch in text
    )
    return _SEPARATORS.sub("", text)


def _extract_cprs(extracts: Path) -> set[str]:
    cprs: set[str] = set()
    for path in sorted(extracts.rglob("*")):
        try:
            name = parse_file_name(path)
        except ValueError:
            continue
        if not source_spec(name.source).cpr_columns:
            continue
        try:
            table = read_text_table(path.read_bytes(), name.extension)
        except ValueError:
            continue
        for column in source_spec(name.source).cpr_columns:
            if column in table.frame.columns:
                for value in table.frame[column].drop_nulls().to_list():
                    digits = re.sub(r"\D", "", fold(value))
                    if len(digits) == 10:
                        cprs.add(digits)
    return cprs


_INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT",
                  "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT")  # fmt: skip
_FRACTION_TYPES = ("DOUBLE", "FLOAT", "REAL", "DECIMAL")


def _column_sql(column: str, data_type: str) -> str:
    """The column as text to scan. Text as it is. A whole number also zero-padded to ten
    digits (a CPR stored as a number loses its leading zero). A fractional number only by
    its whole part: its decimals are a float's digits, and folding away the decimal point
    would join them into runs that match some CPR by chance (16.516041197111512 holds
    0411971115)."""
    quoted = f'"{column}"'
    if data_type.startswith(_INTEGER_TYPES):
        return f"lpad({quoted}::varchar, 10, '0')"
    if data_type.startswith(_FRACTION_TYPES):
        return f"trunc({quoted})::hugeint::varchar"
    return f"{quoted}::varchar"


def _database_texts(path: Path) -> list[str]:
    texts: list[str] = []
    with duckdb.connect(str(path), read_only=True) as con:
        for schema, table in con.execute(
            "select schema_name, table_name from duckdb_tables()"
        ).fetchall():
            columns = con.execute(
                "select column_name, data_type from duckdb_columns()"
                " where schema_name = ? and table_name = ? and column_name <> 'person_id'",
                [schema, table],
            ).fetchall()
            if not columns:
                continue
            select = ", ".join(_column_sql(c, t) for c, t in columns)
            for row in con.execute(f'select {select} from "{schema}"."{table}"').fetchall():
                texts.extend(v for v in row if v is not None)
    return texts


def test_no_cpr_of_the_extracts_anywhere_after_the_pipeline(small_pipeline):
    cprs = _extract_cprs(small_pipeline.extracts)
    assert len(cprs) > 100  # the scan has something to look for
    texts = [o.output for o in small_pipeline.outputs.values()]
    home = small_pipeline.home
    texts += _database_texts(home / "warehouse.duckdb")
    texts += _database_texts(small_pipeline.published)
    for path in home.rglob("*"):
        if path.is_file() and path.suffix not in (".duckdb", ".wal"):
            texts.append(path.name)
            texts.append(path.read_bytes().decode("utf-8", errors="replace"))
    found = set()
    for text in texts:
        found |= {m.group(1) for m in _TEN.finditer(fold(str(text)))} & cprs
    assert found == set()


def test_the_database_scan_finds_a_cpr_stored_as_a_number_and_not_in_float_digits(tmp_path):
    """A CPR kept as a whole number (leading zero lost) is found; the decimals of a float
    that happen to contain a CPR's digits are not text and are not reported."""
    path = tmp_path / "scan.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table t (n bigint, x double, s varchar)")
        con.execute("insert into t values (411971115, 16.516041197111512, 'sag 0411971115')")
        con.execute("insert into t values (12, 0.5, 'ingen')")
    found = [
        m.group(1)
        for text in _database_texts(path)
        for m in _TEN.finditer(fold(str(text)))
        if m.group(1) == "0411971115"
    ]
    assert found == ["0411971115", "0411971115"]  # the number and the text, not the float
