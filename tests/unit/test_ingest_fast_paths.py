"""The shortcuts ingest takes for the common case give what the general path gives.

A file without a failing row skips planning the quarantine (``validate``, ``prepare``),
the context-free row rules are built once per source (``build_checks``), and a column
without any CPR value is not sent to DuckDB to hash (``hmac_sha256_hex``).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from ingest.filenames import parse_file_name
from ingest.load import load_reference
from ingest.prepare import prepare, validation_frame
from ingest.pseudonymise import hmac_sha256_hex
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
