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
# A number written with a decimal point and five or more decimals (a float in a JSON file,
# 1795993160.6750488 as dbt's manifest stamps each node): only its whole part is scanned.
# Folding the point away would join the whole part and the decimals into runs that match
# some CPR by chance; a CPR written with a point between its groups has at most four
# digits after the last one (160675.0488, 16.06.75.0488).
_FLOAT = re.compile(r"(?<![\d.])(\d+)\.\d{5,}(?![\d.])")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = "".join(
        str(unicodedata.digit(ch)) if unicodedata.digit(ch, None) is not None else ch for ch in text
    )
    return _SEPARATORS.sub("", _FLOAT.sub(r"\1 ", text))


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


def _database_texts(path: Path) -> list[tuple[str, str]]:
    """Every value of every table as (where, text), `where` naming the table and column."""
    texts: list[tuple[str, str]] = []
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
            names = [f"{path.name}:{schema}.{table}.{c}" for c, _ in columns]
            for row in con.execute(f'select {select} from "{schema}"."{table}"').fetchall():
                texts.extend((n, v) for n, v in zip(names, row, strict=True) if v is not None)
    return texts


def test_no_cpr_of_the_extracts_anywhere_after_the_pipeline(small_pipeline):
    cprs = _extract_cprs(small_pipeline.extracts)
    assert len(cprs) > 100  # the scan has something to look for
    texts = [(f"output of {step}", o.output) for step, o in small_pipeline.outputs.items()]
    home = small_pipeline.home
    texts += _database_texts(home / "warehouse.duckdb")
    texts += _database_texts(small_pipeline.published)
    for path in home.rglob("*"):
        if path.is_file() and path.suffix not in (".duckdb", ".wal"):
            texts.append((f"name of {path}", path.name))
            texts.append((str(path), path.read_bytes().decode("utf-8", errors="replace")))
    found = []
    for where, text in texts:
        folded = fold(str(text))
        for m in _TEN.finditer(folded):
            if m.group(1) in cprs:
                start = max(m.start() - 40, 0)
                found.append((where, folded[start : m.start() + 50]))
    assert found == []


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
        for _, text in _database_texts(path)
        for m in _TEN.finditer(fold(str(text)))
        if m.group(1) == "0411971115"
    ]
    assert found == ["0411971115", "0411971115"]  # the number and the text, not the float


def test_the_text_scan_folds_separators_but_not_a_floats_decimal_point():
    """A CPR spelled with points, dashes, spaces or other digits is found; a float whose
    whole part and decimals together hold a CPR's digits (a manifest's time stamp) is not."""
    cpr = "1606750488"
    spelled = [
        "160675-0488",
        "160675.0488",
        "16.06.75.0488",
        "16 06 75 0488",
        "１６０６７５‐０４８８",
    ]
    for text in spelled:
        assert [m.group(1) for m in _TEN.finditer(fold(text))] == [cpr], text
    stamp = '"created_at": 1795993160.6750488,'
    assert cpr not in {m.group(1) for m in _TEN.finditer(fold(stamp))}
    assert "1795993160" in {m.group(1) for m in _TEN.finditer(fold(stamp))}


def test_no_cpr_of_the_extracts_in_a_report_or_its_workbook(small_pipeline, tmp_path):
    """The report's HTML and every part of its Excel workbook (the xlsx is a zip of XML),
    written from the pipeline's snapshot, hold no CPR of the extracts in any form."""
    import zipfile

    from core.paths import Home
    from report.writer import write_report

    cprs = _extract_cprs(small_pipeline.extracts)
    html_path, xlsx_path = write_report(
        Home(small_pipeline.home), "lae285", "alle_oevrige", tmp_path, wcr_draws=9, ri_draws=9
    )
    texts = [(str(html_path), html_path.read_text(encoding="utf-8"))]
    with zipfile.ZipFile(xlsx_path) as workbook:
        texts += [
            (f"{xlsx_path.name}:{part}", workbook.read(part).decode("utf-8", errors="replace"))
            for part in workbook.namelist()
        ]
    assert len(texts) > 5  # the HTML and the workbook's parts were read
    found = [
        (where, m.group(1))
        for where, text in texts
        for m in _TEN.finditer(fold(text))
        if m.group(1) in cprs
    ]
    assert found == []
