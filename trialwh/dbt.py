"""Run dbt on the project against a warehouse home.

dbt runs in a child process: dbt-duckdb keeps its DuckDB connection open for the life
of the process, and the caller (tests, `trialwh build`) must be free to open the
warehouse afterwards.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

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

    dbt runs in the home with the warehouse path relative to it (``TRIALWH_HOME=.``): the
    parsed project (``partial_parse.msgpack``) then does not depend on where the home is,
    and a home without one starts from the last one parsed on this machine (see
    ``_PARSE_CACHE``) instead of parsing the whole project again. dbt checks the copy
    (project files, profile, variables, its own version) and parses what changed.
    """
    env = {
        **os.environ,
        "TRIALWH_HOME": ".",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [
        sys.executable,
        "-c",
        "from trialwh.dbt import child_main; child_main()",
        *args,
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(home.dbt_target_dir.resolve()),
        "--log-path",
        str(home.dbt_log_dir.resolve()),
    ]
    run_results = home.dbt_target_dir / "run_results.json"
    run_results.unlink(missing_ok=True)
    _restore_parse(home)
    home.root.mkdir(parents=True, exist_ok=True)
    proc = _run_child(command, env, capture=not echo, cwd=home.root.resolve())
    _keep_parse(home)
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


# dbt's option that leaves out manifest.json and run_results.json (their writing is about a
# third of dbt's own CPU time in a build; bench/bench_build.py).
NO_WRITE_JSON = "--no-write-json"


def child_main() -> None:  # pragma: no cover - runs in the dbt child process
    """``dbt <args>`` in the child process, as dbt's own command line runs it (same output,
    exit code 0 on success, 1 when a node failed, 2 when dbt itself failed).

    With ``--no-write-json`` dbt writes neither manifest.json nor run_results.json; the node
    results are then written here to run_results.json (unique_id, status, message,
    execution_time: what ``run_dbt`` and ``count_passed_tests`` read), and manifest.json is
    left as the previous build wrote it."""
    from dbt.cli.main import dbtRunner

    args = sys.argv[1:]
    outcome = dbtRunner().invoke(args)
    results = getattr(outcome.result, "results", None)
    if NO_WRITE_JSON in args and "--target-path" in args and results is not None:
        target = Path(args[args.index("--target-path") + 1])
        nodes = [
            {
                "unique_id": r.node.unique_id,
                "status": str(getattr(r.status, "value", r.status)),
                "message": r.message,
                "execution_time": r.execution_time,
            }
            for r in results
        ]
        written = {"elapsed_time": getattr(outcome.result, "elapsed_time", None), "results": nodes}
        tmp = target / f".run_results.json.{os.getpid()}"
        tmp.write_text(json.dumps(written), encoding="utf-8")
        os.replace(tmp, target / "run_results.json")
    if outcome.exception is not None:
        print(f"dbt: {outcome.exception}", file=sys.stderr)
        raise SystemExit(2)
    raise SystemExit(0 if outcome.success else 1)


def _parse_cache() -> Path:
    """Where the last parsed project is kept between homes: ``$TRIALWH_DBT_PARSE_CACHE``,
    else the user's cache folder, one file per project folder (dbt does not check where
    the parsed files were, and a seed is read from the path it was parsed at)."""
    explicit = os.environ.get("TRIALWH_DBT_PARSE_CACHE")
    if explicit:
        return Path(explicit)
    cache_root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    project = hashlib.sha256(str(PROJECT_DIR.resolve()).encode()).hexdigest()[:16]
    return cache_root / "trialwh" / "dbt-parse" / project / _PARSE_FILE


_PARSE_FILE = "partial_parse.msgpack"


def _restore_parse(home: Home) -> None:
    target = home.dbt_target_dir / _PARSE_FILE
    cache = _parse_cache()
    if target.exists() or not cache.is_file():
        return
    with contextlib.suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{_PARSE_FILE}.{os.getpid()}")
        shutil.copyfile(cache, tmp)
        os.replace(tmp, target)


def _keep_parse(home: Home) -> None:
    parsed = home.dbt_target_dir / _PARSE_FILE
    if not parsed.is_file():
        return
    cache = _parse_cache()
    with contextlib.suppress(OSError):
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(f".{_PARSE_FILE}.{os.getpid()}")
        shutil.copyfile(parsed, tmp)
        os.replace(tmp, cache)


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the child is killed when the parent dies, even by ``kill -9``."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _run_child(
    command: list[str], env: dict[str, str], *, capture: bool, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run dbt in its own process group; on an interrupt (Ctrl-C) or any error the whole
    group is killed, and the child dies with its parent, so no dbt process is left
    holding the warehouse lock."""
    pipe = subprocess.PIPE if capture else None
    proc = subprocess.Popen(
        command,
        env=env,
        stdout=pipe,
        stderr=pipe,
        text=True,
        cwd=cwd,
        start_new_session=True,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )
    try:
        stdout, stderr = proc.communicate()
    except BaseException:
        kill_group(proc)
        raise
    return subprocess.CompletedProcess(command, proc.returncode, stdout, stderr)


def kill_group(proc: subprocess.Popen[str]) -> None:
    """Kill ``proc``'s process group (dbt and anything it started) and reap it."""
    import signal

    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
