"""The shortcuts ingest takes for the common case give what the general path gives.

A file without a failing row skips planning the quarantine (``validate``, ``prepare``),
the context-free row rules are built once per source (``build_checks``), a column
without any CPR value is not sent to DuckDB to hash (``hmac_sha256_hex``), and a column
whose every value is spelt plainly is cast by one conversion (``normalise``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest

from ingest.filenames import parse_file_name
from ingest.load import load_reference
from ingest.normalise import (
    cast_date,
    cast_decimal,
    cast_int,
    clean_text,
    date_problem,
    decimal_problem,
    normalise,
    number_style,
    plain_columns,
    problem_column,
    text_column,
)
from ingest.prepare import MAX_FIELD_CHARS, FileRejected, prepare, validation_frame
from ingest.pseudonymise import hmac_sha256_hex
from ingest.read import read_csv_text
from ingest.schema import SOURCES
from ingest.validate import FileContext, build_checks, validate

NAME = parse_file_name("sygedagpengesager_0851_2022-12-31.csv")
HEADER = (
    "sags_id,cpr,kommunekode,foerste_fravaersdag,anmeldt_dato,visitationskategori,"
    "forventet_over_8_uger,har_arbejdsgiver,diagnosegruppe,tolk,lae285_fravalgt,"
    "fravalg_begrundelse,foerste_opfoelgning_dato,afsluttet_dato,afslutningsaarsag"
)
ROW_1 = "SD851-1,110372-0001,851,2021-11-29,2022-01-01,2,J,J,andet,N,N,,2022-01-17,,"
ROW_2 = "SD851-2,010290-2222,851,2021-12-01,2022-01-03,3,N,J,{diagnose},N,N,,,2022-03-01,raskmeldt"
KEY = b"test-key-not-secret"


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")


def test_a_clean_file_quarantines_nothing_with_the_columns_of_a_dirty_one():
    reference = load_reference()
    clean = prepare(_csv(ROW_1, ROW_2.format(diagnose="andet")), NAME, KEY, reference)
    dirty = prepare(_csv(ROW_1, ROW_2.format(diagnose="forkoelelse")), NAME, KEY, reference)
    assert (clean.raw.height, clean.quarantine.height) == (2, 0)
    assert (dirty.raw.height, dirty.quarantine.height) == (1, 1)
    assert dirty.quarantine["rules"].to_list() == [["invalid_enum"]]
    assert dirty.quarantine["source_row_number"].to_list() == [2]
    assert clean.quarantine.schema == dirty.quarantine.schema
    assert clean.raw.schema == dirty.raw.schema


def test_validate_keeps_every_row_of_a_clean_frame_and_types_its_empty_rejects():
    reference = load_reference()
    source, ctx = SOURCES["sygedagpengesager"], FileContext(851, dt.date(2022, 12, 31))
    clean, _ = validation_frame(_csv(ROW_1, ROW_2.format(diagnose="andet")), NAME, KEY, reference)
    dirty, _ = validation_frame(
        _csv(ROW_1, ROW_2.format(diagnose="forkoelelse")), NAME, KEY, reference
    )
    kept, failed = validate(clean, source, ctx), validate(dirty, source, ctx)
    assert kept.accepted.equals(clean)
    assert kept.rejected.height == 0
    assert kept.rejected.schema == failed.rejected.schema
    assert failed.rejected["reason"].to_list() == [
        "'diagnosegruppe' har en ukendt værdi 'forkoelelse' (tilladt: "
        + ", ".join(next(c for c in source.columns if c.name == "diagnosegruppe").enum)
        + ")"
    ]


def test_rules_built_once_per_source_still_follow_each_files_context():
    reference = load_reference()
    source = SOURCES["sygedagpengesager"]
    frame, _ = validation_frame(_csv(ROW_1, ROW_2.format(diagnose="andet")), NAME, KEY, reference)
    own = FileContext(851, dt.date(2022, 12, 31))
    other = FileContext(860, dt.date(2022, 1, 2))
    assert validate(frame, source, own).rejected.height == 0
    moved = validate(frame, source, other).rejected
    # Both rows belong to 851, not 860; row 2 was reported after 2 January 2022.
    assert moved["rules"].to_list() == [
        ["kommunekode_mismatch", "future_date"],
        ["kommunekode_mismatch", "future_date"],
    ]
    assert "filens kommunekode 860" in moved["reason"][0]
    assert "udtræksdatoen 2022-01-02" in moved["reason"][1]
    assert validate(frame, source, own).rejected.height == 0
    assert [c.check_id for c in build_checks(source, own)] == [
        c.check_id for c in build_checks(source, other)
    ]


def test_a_column_without_values_is_hashed_to_missing_without_a_query():
    nothing = pl.Series("cpr10", [None, None, None], dtype=pl.String)
    hashed = hmac_sha256_hex(nothing, KEY)
    assert hashed.dtype == pl.String
    assert hashed.to_list() == [None, None, None]
    assert hmac_sha256_hex(pl.Series("cpr10", [], dtype=pl.String), KEY).to_list() == []


HELB = SOURCES["helbredsdokumentation"]


def _general(texted: pl.DataFrame) -> pl.DataFrame:
    """The int, date and decimal columns of ``HELB`` cast by the general rules."""
    style = number_style(texted[text_column("honorar_kr")].drop_nulls())
    honorar = pl.col(text_column("honorar_kr"))
    return texted.select(
        cast_int(pl.col(text_column("kommunekode"))).alias("kommunekode"),
        cast_date(pl.col(text_column("modtaget_dato"))).alias("modtaget_dato"),
        date_problem(pl.col(text_column("modtaget_dato"))).alias(problem_column("modtaget_dato")),
        cast_decimal(honorar, style).alias("honorar_kr"),
        decimal_problem(honorar, style).alias(problem_column("honorar_kr")),
    )


def test_plainly_spelt_columns_cast_as_the_general_rules_cast_them():
    frame = pl.DataFrame(
        {
            "kommunekode": ["851", "+5", "-7", "000851", "999999999", None],
            "modtaget_dato": ["2022-02-30", "2024-02-29", "2023-02-29", "2019-12-31", None, None],
            "honorar_kr": ["0.00", "-12.50", "9999999999.99", "0012.30", "1140.00", None],
        }
    )
    out = normalise(frame, HELB)
    texted = out.select(pl.col("^.*__text$"))
    # rekvireret_dato is not in the file: missing throughout, which is plain too.
    assert plain_columns(texted, HELB) == {
        "kommunekode",
        "rekvireret_dato",
        "modtaget_dato",
        "honorar_kr",
    }
    general = _general(texted)
    assert out.select(general.columns).equals(general)
    assert out["kommunekode"].to_list() == [851, 5, -7, 851, 999999999, None]
    assert out["modtaget_dato"].to_list() == [
        None,
        dt.date(2024, 2, 29),
        None,
        dt.date(2019, 12, 31),
        None,
        None,
    ]
    assert out["honorar_kr"].to_list() == [
        Decimal("0.00"),
        Decimal("-12.50"),
        Decimal("9999999999.99"),
        Decimal("12.30"),
        Decimal("1140.00"),
        None,
    ]
    assert out[problem_column("honorar_kr")].null_count() == out.height


def test_one_value_spelt_otherwise_sends_its_column_through_the_general_rules():
    frame = pl.DataFrame(
        {
            "kommunekode": ["851", "1.234", "851.0"],
            "modtaget_dato": ["2022-01-31", "01-02-2019", "2019-03-04 25:00"],
            "honorar_kr": ["12.50", "1.140", "99999999999.00"],
        }
    )
    out = normalise(frame, HELB)
    texted = out.select(pl.col("^.*__text$"))
    assert plain_columns(texted, HELB) == {"rekvireret_dato"}
    assert out.select(_general(texted).columns).equals(_general(texted))
    assert out["kommunekode"].to_list() == [851, 1234, 851]
    assert out["modtaget_dato"].to_list() == [dt.date(2022, 1, 31), dt.date(2019, 2, 1), None]
    assert out[problem_column("modtaget_dato")][2] is not None
    # Decimal point decided by 12.50; 1.140 is ambiguous; eleven integer digits do not fit.
    assert out["honorar_kr"].to_list() == [Decimal("12.50"), None, None]
    assert out[problem_column("honorar_kr")][1] is not None


def test_field_length_counts_characters_not_bytes():
    """The limit is in characters: 10.000 'æ' (20.000 bytes) pass, one more is refused,
    naming the column and the row."""
    reference = load_reference()
    name = parse_file_name("helbredsdokumentation_0851_2022-12-31.csv")
    header = "dokument_id,sags_id,sagstype,kommunekode,dokumenttype,udsteder,rekvireret_dato,"
    header += "modtaget_dato,honorar_kr,tolk,bemaerkning"
    row = "D1,SD851-1,sygedagpenge,851,LAE285,egen_laege,2022-01-03,2022-01-10,1140.00,N,"

    def file(remark: str) -> bytes:
        return f"{header}\n{row}\n{row.replace('D1,', 'D2,')}{remark}\n".encode()

    assert MAX_FIELD_CHARS == 10_000
    kept = prepare(file("æ" * MAX_FIELD_CHARS), name, KEY, reference)
    assert kept.rows_read == 2
    with pytest.raises(FileRejected, match=r"feltet 'bemaerkning' i række 2 er for langt \(10001"):
        prepare(file("æ" * (MAX_FIELD_CHARS + 1)), name, KEY, reference)


def test_a_row_blank_only_in_its_first_field_is_a_row():
    table = read_csv_text(b"a;b\n;2\n1;2\n ; \n")
    assert (table.blank_rows, table.row_numbers.to_list()) == (1, [1, 2])
    assert table.frame["b"].to_list() == ["2", "2"]
    clean = read_csv_text(b"a;b\n1;2\n3;4\n")
    assert (clean.blank_rows, clean.row_numbers.to_list()) == (0, [1, 2])


def test_cleaning_keeps_inner_spaces_and_other_blanks_than_spaces_as_written():
    frame = pl.DataFrame({"v": ["  x y ", "", " \t ", None, "0", "\u00a0", "ja"]})
    cleaned = frame.select(clean_text(pl.col("v")).alias("v"))["v"].to_list()
    # strip_chars takes every whitespace character, the no-break space too.
    assert cleaned == ["x y", None, None, None, "0", None, "ja"]
