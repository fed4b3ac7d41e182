"""`trialwh demo --no-serve` runs the product end to end, and running it again is safe."""

from __future__ import annotations

import json

import duckdb
import pytest
from typer.testing import CliRunner

from trialwh.cli import app

pytestmark = pytest.mark.slow


def test_demo_runs_end_to_end_and_a_second_run_changes_nothing(home):
    runner = CliRunner()
    first = runner.invoke(app, ["--home", str(home), "demo", "--no-serve"])
    assert first.exit_code == 0, first.output
    published = home / "published" / "current.duckdb"
    assert published.exists()
    with duckdb.connect(str(published), read_only=True) as con:
        build_1 = con.execute("select build_id from meta.build_info").fetchone()[0]
        loaded_1 = con.execute("select count(*) from audit.load_log").fetchone()[0]
        cases_1 = con.execute("select count(*) from marts.fct_sygedagpengesager").fetchone()[0]
    truth = json.loads((home / "extracts" / "truth.json").read_text(encoding="utf-8"))
    n_files = len(truth["files"]) + len(truth.get("dream", {}).get("files", []))
    assert loaded_1 == n_files

    second = runner.invoke(app, ["--home", str(home), "demo", "--no-serve"])
    assert second.exit_code == 0, second.output
    with duckdb.connect(str(published), read_only=True) as con:
        build_2 = con.execute("select build_id from meta.build_info").fetchone()[0]
        statuses = dict(
            con.execute("select status, count(*) from audit.load_log group by 1").fetchall()
        )
        cases_2 = con.execute("select count(*) from marts.fct_sygedagpengesager").fetchone()[0]
    # Same deterministic files: every file is skipped the second time, nothing is loaded twice.
    assert statuses == {"loaded": n_files, "skipped_duplicate": n_files}
    assert cases_2 == cases_1
    assert build_2 != build_1  # republished from the same data
