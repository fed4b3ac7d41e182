"""Ingest never guesses: the exactness corpus (tests/data/exact) and number round trips.

Every expected outcome is written by hand in the corpus's CSV files: the value stored,
or the row quarantined with its rule and (part of) its reason.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from ingest.filenames import parse_file_name
from ingest.load import load_reference
from ingest.normalise import cast_decimal, number_style
from ingest.prepare import validation_frame
from ingest.read import FileUnreadable, read_csv_text, read_text_table, read_xlsx_text
from ingest.rejected_copy import rejected_copy
from ingest.schema import SOURCES
from ingest.validate import FileContext, polars_failures, run_gx_suite
from tests.unit.corpus_support import expected_files_match, ingest_corpus, query

CORPUS = Path(__file__).resolve().parent.parent / "data" / "exact"
FILES = CORPUS / "files"
KEY = "exact-test-key"
ID_COLUMN = {"helbredsdokumentation": "dokument_id", "rehabiliteringssager": "sags_id"}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    yield from ingest_corpus(tmp_path_factory.mktemp("exact_home"), FILES, KEY)


def test_every_corpus_file_has_an_expected_outcome():
    expected_files_match(CORPUS, FILES)


def test_file_outcomes_and_blank_lines_match_the_expected_table(loaded):
    results, con = loaded
    by_file = {r.source_file: r for r in results}
    log = query(con, "select * from audit.load_log")
    expected = pl.read_csv(CORPUS / "expected_files.csv", infer_schema=False)
    assert log.height == expected.height
    for row in expected.iter_rows(named=True):
        result = by_file[row["file"]]
        logged = log.filter(pl.col("source_file") == row["file"]).row(0, named=True)
        assert (result.status, logged["status"]) == (row["status"], row["status"]), row["file"]
        if row["status"] == "loaded":
            counts = (logged["rows_read"], logged["rows_loaded"], logged["rows_quarantined"])
            assert counts == (
                int(row["rows_read"]),
                int(row["rows_loaded"]),
                int(row["rows_quarantined"]),
            ), row["file"]
            assert logged["blank_lines_skipped"] == int(row["blank_lines_skipped"]), row["file"]
            # Row accounting: loaded + quarantined = read (non-blank) rows.
            assert counts[1] + counts[2] == counts[0]
        else:
            assert row["reason_contains"] in logged["reason"], (row["file"], logged["reason"])


def test_quarantined_rows_rules_and_reasons_match_the_expected_table(loaded):
    _, con = loaded
    expected = pl.read_csv(CORPUS / "expected_rows.csv")
    got = {
        (r["source_file"], r["source_row_number"]): (set(r["rules"]), r["reason"])
        for r in query(con, "select * from audit.quarantine").iter_rows(named=True)
    }
    assert set(got) == {(r["file"], r["source_row_number"]) for r in expected.iter_rows(named=True)}
    for row in expected.iter_rows(named=True):
        rules, reason = got[(row["file"], row["source_row_number"])]
        assert rules == set(row["rules"].split("|")), row
        assert row["reason_contains"] in reason, (row, reason)


def test_stored_values_match_the_expected_table(loaded):
    _, con = loaded
    expected = pl.read_csv(CORPUS / "expected_values.csv", infer_schema=False)
    for row in expected.iter_rows(named=True):
        source = parse_file_name(row["file"]).source
        id_column = ID_COLUMN[source]
        got = con.execute(
            f"select {row['column']}::varchar from raw.{source}"
            f" where source_file = ? and {id_column} = ?",
            [row["file"], row["id"]],
        ).fetchall()
        assert got == [(row["value"],)], row


def test_no_quarantined_row_is_empty(loaded):
    _, con = loaded
    # Blank lines are skipped, not quarantined: every quarantined row has an id.
    rows = query(con, "select masked_row from audit.quarantine")["masked_row"]
    assert rows.len() == 16
    assert all('"dokument_id":null' not in r and '"sags_id":null' not in r for r in rows)


@pytest.mark.parametrize(
    "file_name",
    [
        "helbredsdokumentation_0851_2023-03-31.csv",
        "helbredsdokumentation_0851_2023-06-30.csv",
        "rehabiliteringssager_0851_2023-03-31.csv",
    ],
)
def test_great_expectations_and_polars_masks_agree_on_the_new_rules(file_name):
    name = parse_file_name(file_name)
    frame, _ = validation_frame((FILES / file_name).read_bytes(), name, b"k", load_reference())
    ctx = FileContext(name.kommunekode, name.extract_date)
    source = SOURCES[name.source]
    by_gx = run_gx_suite(frame, source, ctx)
    assert by_gx == polars_failures(frame, source, ctx)
    assert any(by_gx.values())


# --- reader rules, one by one -------------------------------------------------------


def test_exact_duplicate_header_is_refused_in_csv_and_xlsx():
    with pytest.raises(FileUnreadable, match="kolonnen/kolonnerne a forekommer flere gange"):
        read_csv_text(b"a;b;a\n1;2;3\n")
    with pytest.raises(FileUnreadable, match="kolonnen/kolonnerne a forekommer flere gange"):
        read_csv_text(b'"a",b,"A "\n1,2,3\n')
    openpyxl = pytest.importorskip("openpyxl")
    import io

    book = openpyxl.Workbook()
    book.active.append(["x", "y", "x"])
    book.active.append([1, 2, 3])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(FileUnreadable, match="kolonnen/kolonnerne x forekommer flere gange"):
        read_xlsx_text(buffer.getvalue())


def test_blank_lines_are_skipped_counted_and_rows_keep_their_place():
    # Empty, only delimiters, only spaces, and an empty last line: four blank lines.
    table = read_csv_text(b"a;b\n1;2\n\n;\n  \n3;4\n\n")
    assert table.frame.rows() == [("1", "2"), ("3", "4")]
    assert table.blank_rows == 4
    assert table.row_numbers.to_list() == [1, 5]


def test_xlsx_formula_without_a_stored_result_is_missing_not_zero():
    data = (FILES / "helbredsdokumentation_0851_2023-09-30.xlsx").read_bytes()
    assert b"<f>I2*2</f>" in _sheet_xml(data)  # the formula is there, with no result
    table = read_text_table(data, "xlsx")
    assert table.frame["honorar_kr"].to_list() == ["1140.5", None, "1290"]
    assert (table.blank_rows, table.row_numbers.to_list()) == (1, [1, 2, 4])


def _sheet_xml(data: bytes) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return book.read("xl/worksheets/sheet1.xml")


def test_nested_parquet_column_is_refused_naming_it():
    data = (FILES / "rehabiliteringssager_0851_2023-06-30.parquet").read_bytes()
    with pytest.raises(FileUnreadable) as error:
        read_text_table(data, "parquet")
    assert "'fleksjob_timer' er en liste" in str(error.value)
    assert "InvalidOperationError" not in str(error.value)
    # The rejected file is still kept (masked), the list shown as JSON text.
    copy = rejected_copy("rehabiliteringssager_0851_2023-06-30.parquet", data)
    assert copy.content is not None
    assert (
        copy.content.splitlines()[1]
        == b"R1;******-****;851;fleksjob;2023-01-02;;;;fleksjob;[12.5,15.0]"
    )


# --- numbers: every supported style round-trips exactly -------------------------------


def _grouped(digits: str) -> str:
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return ".".join(groups)


def _styles(value: Decimal) -> dict[str, str]:
    """``value`` written in each supported style (independent of the reader's code)."""
    sign = "-" if value < 0 else ""
    whole, _, cents = f"{abs(value):.2f}".partition(".")
    return {
        "danish_grouped": f"{sign}{_grouped(whole)},{cents}",
        "danish_plain": f"{sign}{whole},{cents}",
        "point": f"{sign}{whole}.{cents}",
    }


def test_generated_numbers_round_trip_exactly_through_every_style():
    rng = random.Random(20261129)
    values = [Decimal(rng.randint(-(10**11) + 1, 10**11 - 1)) / 100 for _ in range(2000)]
    values += [Decimal("0.00"), Decimal("1234567.89"), Decimal("-0.05"), Decimal("999.99")]
    for style in ("danish_grouped", "danish_plain", "point"):
        texts = pl.Series("v", [_styles(v)[style] for v in values])
        decided = number_style(texts)
        assert decided is (style != "point"), style
        stored = pl.select(cast_decimal(pl.lit(texts), decided).alias("v"))["v"]
        assert stored.to_list() == values, style


def test_style_is_decided_from_all_values_and_misfits_are_not_guessed():
    texts = pl.Series("v", ["1.140,50", "1140,5", "1290", "1.140", "1140.50", "1,140"])
    assert number_style(texts) is True
    stored = pl.DataFrame({"v": texts}).select(cast_decimal(pl.col("v"), True).alias("v"))["v"]
    assert stored.to_list() == [
        Decimal("1140.50"),
        Decimal("1140.50"),
        Decimal("1290.00"),
        Decimal("1140.00"),
        None,
        None,
    ]
    # Only values like 1.140 / 1,140 (both readings possible): no style, not read.
    undecided = pl.Series("v", ["1.140", "1,140", "12"])
    assert number_style(undecided) is None
    stored = pl.DataFrame({"v": undecided}).select(cast_decimal(pl.col("v"), None).alias("v"))["v"]
    assert stored.to_list() == [None, None, Decimal("12.00")]
