"""File names, reading (encoding, delimiter, structure) and the casting rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest

from ingest.filenames import FileNameError, parse_file_name
from ingest.normalise import (
    cast_bool,
    cast_date,
    cast_decimal,
    cast_enum,
    cast_int,
    clean_text,
    normalise,
)
from ingest.read import FileUnreadable, detect_delimiter, detect_encoding, read_csv_text
from ingest.reference import kommune_name_map, normalise_kommunenavn
from ingest.schema import SOURCES


def _apply(expr, values: list[str | None]) -> list:
    return (
        pl.DataFrame({"v": values}, schema={"v": pl.String}).select(expr.alias("v"))["v"].to_list()
    )


@pytest.mark.parametrize(
    ("name", "source", "kode", "date"),
    [
        ("sygedagpengesager_0851_2019-03-31.csv", "sygedagpengesager", 851, dt.date(2019, 3, 31)),
        (
            "helbredsdokumentation_851_2020-01-01.xlsx",
            "helbredsdokumentation",
            851,
            dt.date(2020, 1, 1),
        ),
        ("ankesager_0101_2021-06-30.PARQUET", "ankesager", 101, dt.date(2021, 6, 30)),
        ("ankestatistik_2023-01-15.csv", "ankestatistik", None, dt.date(2023, 1, 15)),
    ],
)
def test_file_names_give_source_municipality_and_extract_date(name, source, kode, date):
    parsed = parse_file_name(name)
    assert (parsed.source, parsed.kommunekode, parsed.extract_date) == (source, kode, date)


@pytest.mark.parametrize(
    "name",
    [
        "sygedagpengesager_0851_2019-02-30.csv",  # impossible date
        "sygedagpengesager_2019-03-31.csv",  # municipality missing
        "ankestatistik_0851_2019-03-31.csv",  # ankestatistik has no municipality
        "sygedagpengesager_1851_2019-03-31.csv",  # 4 digits must be zero padded
        "sygedagpengesager_0851_2019-03-31.txt",
        "sager_0851_2019-03-31.csv",
        "sygedagpengesager_0851_20190331.csv",
    ],
)
def test_bad_file_names_are_refused(name):
    with pytest.raises(FileNameError):
        parse_file_name(name)


def test_encoding_is_detected_from_the_bytes():
    assert detect_encoding("æøå".encode()) == "utf-8"
    assert detect_encoding(b"\xef\xbb\xbf" + "æøå".encode()) == "utf-8-sig"
    assert detect_encoding("æøå".encode("cp1252")) == "cp1252"


def test_delimiter_is_detected_from_the_header():
    assert detect_delimiter("a;b;c") == ";"
    assert detect_delimiter("a,b,c") == ","
    assert detect_delimiter("a\tb") == "\t"
    with pytest.raises(FileUnreadable):
        detect_delimiter("only_one_column")


def test_csv_is_read_as_text_with_clean_headers_and_windows_1252():
    data = " Sags_ID ;Beløb\r\n0042;1.140,50\r\nS2;\r\n".encode("cp1252")
    table = read_csv_text(data)
    assert (table.encoding, table.delimiter) == ("cp1252", ";")
    assert table.frame.columns == ["sags_id", "beløb"]
    assert table.frame.rows() == [("0042", "1.140,50"), ("S2", None)]


def test_quoted_delimiters_are_not_ragged():
    table = read_csv_text(b'a,b\n"1,5",x\n"2,0",y\n')
    assert table.frame.rows() == [("1,5", "x"), ("2,0", "y")]


def test_bom_and_old_mac_line_ends_are_read():
    table = read_csv_text(b"\xef\xbb\xbfa;B \r1;2\r\r3;4\r")
    assert (table.encoding, table.frame.columns) == ("utf-8-sig", ["a", "b"])
    # The blank line is skipped and counted; the rows keep their place in the file.
    assert table.frame.rows() == [("1", "2"), ("3", "4")]
    assert (table.blank_rows, table.row_numbers.to_list()) == (1, [1, 3])


def test_ragged_and_truncated_csv_is_unreadable():
    with pytest.raises(FileUnreadable, match="linje 3 har 1 felter"):
        read_csv_text(b"a;b\n1;2\n3")
    with pytest.raises(FileUnreadable, match="linje 2 har 3 felter"):
        read_csv_text(b"a;b\n1;2;3\n4\n5;6\n")  # one too many, one too few
    with pytest.raises(FileUnreadable, match="linje 4 har 1 felter"):
        read_csv_text(b"a;b\n1;2\n\n5\n")  # a blank line is no row error
    with pytest.raises(FileUnreadable, match="linje 3 har 3 felter"):
        read_csv_text(b'a;b\n"x;y";2\n1;2;3\n')  # quoted delimiter is no field
    with pytest.raises(FileUnreadable, match="linje 2 har 3 felter"):
        read_csv_text(b"a;b\n1;2;3\n")
    with pytest.raises(FileUnreadable, match="flere gange"):
        read_csv_text(b"a;A \n1;2\n")


def test_coded_columns_are_cleaned_and_cast_and_absent_ones_are_missing():
    source = SOURCES["helbredsdokumentation"]
    frame = pl.DataFrame(
        {
            "dokument_id": [" D1", "D2", "D3", "D4"],
            "honorar_kr": ["1.140,50", None, " 1.140,50 ", "abc"],
            "tolk": ["J", "j", None, " "],
            "dokumenttype": ["LAE285", "lae285", "x", "LAE285"],
        }
    )
    out = normalise(frame, source)
    assert out["source_row_number"].to_list() == [1, 2, 3, 4]
    assert out["dokument_id__text"].to_list() == ["D1", "D2", "D3", "D4"]
    assert out["honorar_kr__text"].to_list() == ["1.140,50", None, "1.140,50", "abc"]
    assert out["honorar_kr"].to_list() == [Decimal("1140.50"), None, Decimal("1140.50"), None]
    assert out["tolk"].to_list() == [True, True, None, None]
    assert out["tolk__text"].to_list() == ["J", "j", None, None]
    assert out["dokumenttype__text"].to_list() == ["lae285", "lae285", "x", "lae285"]
    assert out["dokumenttype"].to_list() == ["LAE285", "LAE285", None, "LAE285"]
    # Columns absent from the file are missing, typed as the schema says.
    assert out["modtaget_dato"].dtype == pl.Date
    assert out["modtaget_dato"].null_count() == 4
    assert out["sagstype__text"].to_list() == [None] * 4


def test_blank_is_missing_and_text_is_trimmed():
    assert _apply(clean_text(pl.col("v")), ["  x ", "", "   ", None]) == ["x", None, None, None]


def test_int_rules():
    values = ["0851", "851", "1.234", "12.0", "+7", "abc", "1,5", "12345678901", None]
    assert _apply(cast_int(pl.col("v")), values) == [851, 851, 1234, 12, 7, None, None, None, None]


def test_decimal_rules():
    danish = ["1.140,50", "1290,5", "12", "abc", None]
    assert _apply(cast_decimal(pl.col("v"), decimal_comma=True), danish) == [
        Decimal("1140.50"),
        Decimal("1290.50"),
        Decimal("12.00"),
        None,
        None,
    ]
    assert _apply(cast_decimal(pl.col("v"), decimal_comma=False), ["1140.5", "1e3"]) == [
        Decimal("1140.50"),
        None,
    ]


def test_three_date_formats_and_impossible_dates():
    values = [
        "31-12-2019",
        "31.12.2019",
        "2019-12-31",
        "2019-12-31 00:00:00",
        "1-2-2019",
        "31-02-2019",
        "2019/12/31",
        "12-31-2019",
    ]
    assert _apply(cast_date(pl.col("v")), values) == [
        dt.date(2019, 12, 31),
        dt.date(2019, 12, 31),
        dt.date(2019, 12, 31),
        dt.date(2019, 12, 31),
        dt.date(2019, 2, 1),
        None,
        None,
        None,
    ]


def test_boolean_words():
    values = ["J", "n", "Ja", "NEJ", "1", "0", "true", "måske"]
    assert _apply(cast_bool(pl.col("v")), values) == [
        True,
        False,
        True,
        False,
        True,
        False,
        True,
        None,
    ]


def test_enum_matches_case_insensitively_to_the_canonical_spelling():
    expr = cast_enum(pl.col("v").str.to_lowercase(), ("LAE285", "andet"))
    assert _apply(expr, ["lae285", "LAE285", "Andet", "LAE999"]) == [
        "LAE285",
        "LAE285",
        "andet",
        None,
    ]


def test_kommune_names_normalise_and_map_through_aliases():
    assert _apply(
        normalise_kommunenavn(pl.col("v")), [" Aalborg Kommune ", "Bornholms Regionskommune"]
    ) == [
        "aalborg",
        "bornholms",
    ]
    names = dict(kommune_name_map().rows())
    assert names["aalborg"] == 851
    assert names["københavns"] == 101
    assert names["københavn"] == 101
    assert names["vesthimmerland"] == 820
    assert len(set(names.values())) == 98
