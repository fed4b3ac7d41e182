"""Run dbt on the project against a warehouse home.

dbt runs in a child process: dbt-duckdb keeps its DuckDB connection open for the life
of the process, and the caller (tests, `trialwh build`) must be free to open the
warehouse afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass

from core.paths import PROJECT_DIR, Home

PASSING = {"success", "pass", "skipped", "no op"}


@dataclass(frozen=True)
class DbtOutcome:
    success: bool
    failures: list[str]  # "<node>: <status> <message>" for every node that did not pass
    output: str  # dbt's console output


def run_dbt(home: Home, args: list[str], *, echo: bool = False) -> DbtOutcome:
    """Run ``dbt <args>`` with the project's profile pointed at ``home``.

    dbt's target and log folders live in the home, so several homes (tests, the demo)
    never share or race on dbt's working files.
    """
    env = {
        **os.environ,
        "TRIALWH_HOME": str(home.root),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [
        sys.executable,
        "-c",
        "from dbt.cli.main import cli; cli()",
        *args,
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(home.dbt_target_dir),
        "--log-path",
        str(home.dbt_log_dir),
    ]
    run_results = home.dbt_target_dir / "run_results.json"
    run_results.unlink(missing_ok=True)
    proc = subprocess.run(command, env=env, capture_output=not echo, text=True, check=False)
    output = (proc.stdout or "") + (proc.stderr or "")
    failures: list[str] = []
    if run_results.exists():
        for node in json.loads(run_results.read_text(encoding="utf-8"))["results"]:
            if str(node.get("status", "")).lower() not in PASSING:
                failures.append(
                    f"{node['unique_id']}: {node['status']} {node.get('message') or ''}"
                )
    if proc.returncode != 0 and not failures:
        failures.append(f"dbt exited with {proc.returncode}: {output[-2000:]}")
    return DbtOutcome(success=proc.returncode == 0, failures=failures, output=output)
