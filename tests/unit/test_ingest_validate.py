"""The Great Expectations suites: committed JSON is current, and GX agrees with polars."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.filenames import parse_file_name
from ingest.load import load_reference
from ingest.prepare import validation_frame
from ingest.schema import RULES, SOURCES
from ingest.validate import (
    EXPECTATIONS_DIR,
    FileContext,
    polars_failures,
    run_gx_suite,
    suite_as_dict,
)

FILES = Path(__file__).resolve().parent.parent / "data" / "bad_files" / "files"
LOADABLE = [
    "sygedagpengesager_0851_2022-12-31.csv",
    "helbredsdokumentation_0851_2022-12-31.csv",
    "rehabiliteringssager_851_2022-12-31.csv",
    "ankestatistik_2023-01-15.csv",
    "ankesager_0851_2019-12-31.csv",
    "ankesager_0851_2018-12-31.csv",
    "ankesager_0851_2022-12-31.xlsx",
    "rehabiliteringssager_0851_2020-12-31.parquet",
]


@pytest.mark.parametrize("source", list(SOURCES))
def test_committed_suite_matches_the_schema(source):
    committed = json.loads((EXPECTATIONS_DIR / f"{source}.json").read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(suite_as_dict(SOURCES[source])))


def test_suites_only_use_the_shared_rule_codes():
    for source in SOURCES.values():
        rules = {e["meta"]["rule"] for e in suite_as_dict(source)["expectations"]}
        assert rules <= set(RULES)
    syg = {
        e["meta"]["check_id"] for e in suite_as_dict(SOURCES["sygedagpengesager"])["expectations"]
    }
    assert {
        "required_missing:sags_id",
        "invalid_cpr:cpr",
        "invalid_date:anmeldt_dato",
        "out_of_range:visitationskategori",
        "invalid_enum:diagnosegruppe",
        "date_order:anmeldt_dato",
        "required_when:fravalg_begrundelse",
        "duplicate_key",
        "kommunekode_mismatch",
        "future_date:afsluttet_dato",
    } <= syg


@pytest.mark.parametrize("file_name", LOADABLE)
def test_great_expectations_and_polars_masks_agree(file_name):
    name = parse_file_name(file_name)
    frame, _ = validation_frame((FILES / file_name).read_bytes(), name, b"k", load_reference())
    ctx = FileContext(name.kommunekode, name.extract_date)
    source = SOURCES[name.source]
    by_gx = run_gx_suite(frame, source, ctx)
    by_polars = polars_failures(frame, source, ctx)
    assert by_gx == by_polars
    assert any(by_gx.values())  # every corpus file here has at least one failing row
