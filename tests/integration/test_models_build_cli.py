"""`trialwh build` end to end with real dbt: publish on success, keep the old snapshot
and exit non-zero, naming the failed test, when a data test fails."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
from typer.testing import CliRunner

from core.paths import Home
from tests.integration.raw_fixtures import insert_raw, load_hand_made_raw
from trialwh.cli import app

pytestmark = pytest.mark.slow  # two dbt builds


def _build_id(home: Home) -> str:
    con = duckdb.connect(str(home.published), read_only=True)
    try:
        return con.sql("select build_id from meta.build_info").fetchall()[0][0]
    finally:
        con.close()


def test_failing_data_test_keeps_previous_snapshot(home):
    h = Home(home)
    load_hand_made_raw(h.warehouse)
    runner = CliRunner()
    ok = runner.invoke(app, ["--home", str(home), "build"])
    assert ok.exit_code == 0, ok.output
    first_id = _build_id(h)
    assert first_id in ok.output
    before = h.published.read_bytes()

    # A diagnosis group outside the enum reaches raw (as if ingest had let it through).
    bad = {
        "sags_id": "X1",
        "person_id": "p-x1",
        "kommunekode": 851,
        "foerste_fravaersdag": date(2019, 5, 1),
        "anmeldt_dato": date(2019, 5, 2),
        "visitationskategori": 1,
        "diagnosegruppe": "forkert",
        "source_file": "sygedagpengesager_0851_2019-12-31.csv",
        "extract_date": date(2019, 12, 31),
        "source_row_number": 99,
    }
    insert_raw(h.warehouse, "sygedagpengesager", [bad])
    failed = runner.invoke(app, ["--home", str(home), "build"])
    assert failed.exit_code == 1
    assert "accepted_values_stg_sygedagpengesager__sager_diagnosegruppe" in failed.output
    assert h.published.read_bytes() == before
    assert _build_id(h) == first_id
