"""`trialwh build` leaves nothing behind: stale temp snapshots, dbt children, quoted paths."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from core.paths import Home
from trialwh.build import _ensure_raw_tables, publish
from trialwh.cli import app
from trialwh.dbt import _run_child


def test_publish_works_from_a_home_whose_path_holds_a_quote(tmp_path: Path):
    home = Home(tmp_path / "kommune's data")
    home.root.mkdir()
    _ensure_raw_tables(home.warehouse)
    publish(home, build_id="b1", n_tests_passed=0)
    with duckdb.connect(str(home.published), read_only=True) as con:
        assert con.execute("select build_id from meta.build_info").fetchone() == ("b1",)


def test_publish_removes_half_written_snapshots_of_a_killed_build(tmp_path: Path):
    home = Home(tmp_path)
    _ensure_raw_tables(home.warehouse)
    home.published_dir.mkdir()
    stale = [
        home.published_dir / ".current-20250101T000000Z-dead.duckdb",
        home.published_dir / ".current-20250101T000000Z-dead.duckdb.wal",
    ]
    for path in stale:
        path.write_bytes(b"half")
    publish(home, build_id="b2", n_tests_passed=0)
    assert sorted(p.name for p in home.published_dir.iterdir()) == ["current.duckdb"]


def test_build_on_a_warehouse_in_use_says_so(tmp_path: Path):
    home = Home(tmp_path)
    _ensure_raw_tables(home.warehouse)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; con = duckdb.connect({str(home.warehouse)!r}); "
            "print('held', flush=True); time.sleep(3600)",  # until killed below
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        result = CliRunner().invoke(app, ["--home", str(home.root), "build"])
        assert result.exit_code == 1
        assert "Build ikke startet" in result.output and "i brug" in result.output
        assert "Traceback" not in result.output
    finally:
        holder.kill()
        holder.wait(timeout=30)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        return handle.read().split()[2] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process groups, /proc")
def test_an_interrupted_build_kills_the_dbt_child_and_its_children(tmp_path: Path):
    pid_file = tmp_path / "grandchild.pid"
    script = (
        "import subprocess, time, pathlib; "
        "p = subprocess.Popen(['sleep', '300']); "
        f"pathlib.Path({str(pid_file)!r}).write_text(str(p.pid)); time.sleep(300)"
    )

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.alarm(2)
    try:
        with pytest.raises(KeyboardInterrupt):
            _run_child([sys.executable, "-c", script], dict(os.environ), capture=True)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    grandchild = int(pid_file.read_text())
    for _ in range(50):
        if not _alive(grandchild):
            break
        time.sleep(0.1)
    assert not _alive(grandchild)


def test_the_commands_write_owner_only_files(tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    extract = (
        Path(__file__).resolve().parent.parent
        / "data"
        / "bad_files"
        / "files"
        / "helbredsdokumentation_0851_2022-12-31.csv"
    )
    env = dict(os.environ, TRIALWH_PSEUDONYM_KEY="k", TRIALWH_HOME=str(home))
    run = subprocess.run(
        [sys.executable, "-m", "trialwh.cli", "ingest", str(extract)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr
    modes = {
        p.relative_to(home).as_posix(): p.stat().st_mode & 0o777 for p in [home, *home.rglob("*")]
    }
    assert modes["."] == 0o700
    assert modes["warehouse.duckdb"] == 0o600
    assert all(mode & 0o077 == 0 for mode in modes.values()), modes
