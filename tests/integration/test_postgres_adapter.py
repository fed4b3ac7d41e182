"""The dbt project on a second adapter: dbt-postgres against a PostgreSQL server this test
starts (Debian's ``postgresql`` package, a throw-away cluster in a temporary folder).

What it shows (README "Flere evaluatorer på ét warehouse"):

* every seed loads on PostgreSQL (the seeds' column types are portable);
* the whole project compiles for postgres, including the models whose theme columns are
  read from ``reference.temaer`` at compile time (``forsoeg_temaer``, a query run on the
  server);
* the staging layer builds on postgres over the raw tables declared in ``ingest/schema.py``
  and turns a raw row into the staged one (checked on two hand-written rows).

The intermediate and mart layers still use DuckDB-only SQL (listed in the README), so they
are compiled here, not built.

Skipped, with the reason, only when no PostgreSQL server can be started on this machine
(``.ci/run`` installs the package as it does chromium).
"""

from __future__ import annotations

import csv
import datetime as dt
import glob
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")
psycopg2 = pytest.importorskip(
    "psycopg2", reason="dbt-postgres is not installed (make install installs it)"
)


def _pg_bindir() -> Path | None:
    """The newest Debian PostgreSQL server binaries (``/usr/lib/postgresql/<v>/bin``)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name),
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run as the ``postgres`` system user then."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@pytest.fixture(scope="module")
def postgres() -> Iterator[dict[str, object]]:
    bindir = _pg_bindir()
    if bindir is None:
        pytest.skip(
            "PostgreSQL server binaries not found (apt-get install -y postgresql): "
            "the postgres adapter test needs a server it can start"
        )
    # Not under pytest's own (owner-only) temp folder: the server user must reach it.
    root = Path(tempfile.mkdtemp(prefix="trialwh-postgres-"))
    if os.geteuid() == 0:
        try:
            server_user = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(root)
            pytest.skip("running as root and no 'postgres' system user to run the server as")
        os.chown(root, server_user.pw_uid, server_user.pw_gid)
    data, log = root / "data", root / "server.log"
    subprocess.run(
        _as_server_user(
            [str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "trialwh", "--no-sync"]
        ),
        check=True,
        capture_output=True,
        cwd=root,
    )
    # A port found free can be taken by another process before the server binds it (other
    # test runs share the machine): then try another one.
    for _attempt in range(5):
        port = _free_port()
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        started = subprocess.run(
            _as_server_user(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    options,
                    "-l",
                    str(log),
                    "-w",
                    "-t",
                    "600",
                    "start",
                ]
            ),
            capture_output=True,
            text=True,
            cwd=root,
        )
        server_log = log.read_text() if log.exists() else ""
        if started.returncode == 0 or "could not bind" not in server_log:
            break
        log.unlink()
    if started.returncode != 0:
        pytest.fail(f"PostgreSQL did not start: {started.stderr}\n{server_log}")
    try:
        admin = psycopg2.connect(host="127.0.0.1", port=port, user="trialwh", dbname="postgres")
        admin.autocommit = True
        admin.cursor().execute("create database trialwh")
        admin.close()
        yield {"port": port, "root": root}
    finally:
        subprocess.run(
            _as_server_user(
                [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
            ),
            capture_output=True,
            cwd=root,
        )
        shutil.rmtree(root, ignore_errors=True)


def _connect(port: int):
    con = psycopg2.connect(host="127.0.0.1", port=port, user="trialwh", dbname="trialwh")
    con.autocommit = True
    return con


def _dbt(args: list[str], profiles: Path, work: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRIALWH_HOME": str(work / "home"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "0"}
    done = subprocess.run(
        [
            str(DBT),
            *args,
            "--profiles-dir",
            str(profiles),
            "--target-path",
            str(work / "target"),
            "--log-path",
            str(work / "logs"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, f"dbt {args[0]} on postgres failed:\n{done.stdout[-6000:]}"
    return done


@pytest.fixture(scope="module")
def project(postgres: dict[str, object], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeds loaded, raw tables created, the project compiled; returns the work folder."""
    work = tmp_path_factory.mktemp("dbt_postgres")
    profiles = work / "profiles"
    profiles.mkdir()
    (profiles / "profiles.yml").write_text(
        "trialwh:\n"
        "  target: postgres\n"
        "  outputs:\n"
        "    postgres:\n"
        "      type: postgres\n"
        "      host: 127.0.0.1\n"
        f"      port: {postgres['port']}\n"
        "      user: trialwh\n"
        '      password: ""\n'
        "      dbname: trialwh\n"
        "      schema: main\n"
        "      threads: 2\n",
        encoding="utf-8",
    )
    from ingest.schema import SOURCES, WIDE_SOURCES, raw_table_ddl

    con = _connect(postgres["port"])
    cur = con.cursor()
    cur.execute("create schema raw")
    for source in SOURCES:
        cur.execute(raw_table_ddl(source))
    for wide in WIDE_SOURCES.values():
        cols = ", ".join(f"{name} {typ}" for name, typ in wide.raw_columns())
        cur.execute(f"create table raw.{wide.name} ({cols})")
    cur.execute(
        "insert into raw.ankestatistik (aar, kvartal, kommune, lovomraade, afgoerelsestype,"
        " antal, kommunekode, extract_date) values"
        " (2019, 3, 'Aalborg', 'sygedagpenge', 'stadfaestet', 7, 851, date '2020-02-01'),"
        " (2020, 1, 'Hjørring', 'fleksjob', 'aendret', 2, 860, date '2020-05-01')"
    )
    con.close()
    _dbt(["seed"], profiles, work)
    _dbt(["compile"], profiles, work)
    _dbt(["run", "--select", "staging"], profiles, work)
    return work


def _seed_rows(name: str) -> list[dict[str, str]]:
    with (ROOT / "seeds" / f"{name}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("seed", ["temaer", "kommuner", "attest_takster", "ressource_parametre"])
def test_seeds_load_on_postgres(postgres: dict[str, object], project: Path, seed: str) -> None:
    con = _connect(postgres["port"])
    cur = con.cursor()
    cur.execute(f"select count(*) from reference.{seed}")
    assert cur.fetchone()[0] == len(_seed_rows(seed))
    con.close()


def test_every_node_compiles_for_postgres(project: Path) -> None:
    results = json.loads((project / "target" / "run_results.json").read_text())
    # run_results.json is the last command's (the staging run); the manifest has them all.
    manifest = json.loads((project / "target" / "manifest.json").read_text())
    assert manifest["metadata"]["adapter_type"] == "postgres"
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    assert len(models) > 40
    compiled = project / "target" / "compiled" / "trialwh"
    missing = [
        m["original_file_path"] for m in models if not (compiled / m["original_file_path"]).exists()
    ]
    assert missing == []
    assert results["args"]["which"] == "run"


def test_theme_columns_come_from_the_seed_on_postgres(project: Path) -> None:
    """forsoeg_temaer() queries reference.temaer on the server while compiling."""
    panel = (
        project
        / "target"
        / "compiled"
        / "trialwh"
        / "models"
        / "marts"
        / "mart_panel_kommune_kvartal.sql"
    ).read_text(encoding="utf-8")
    for row in _seed_rows("temaer"):
        assert f"as i_forsoeg_{row['tema']}" in panel


def test_staging_builds_on_postgres(postgres: dict[str, object], project: Path) -> None:
    results = json.loads((project / "target" / "run_results.json").read_text())
    statuses = {r["unique_id"]: r["status"] for r in results["results"]}
    staging = [uid for uid in statuses if ".staging." in uid or "stg_" in uid]
    assert len(staging) >= 10
    assert {statuses[uid] for uid in staging} == {"success"}
    con = _connect(postgres["port"])
    cur = con.cursor()
    cur.execute(
        "select kommunekode, kvartal_nr, kvartal, antal"
        " from staging.stg_ankestatistik__afgoerelser order by kvartal"
    )
    # kvartal is the quarter's first day: Q3 2019 starts 1 July, Q1 2020 on 1 January.
    assert cur.fetchall() == [
        (851, 3, dt.date(2019, 7, 1), 7),
        (860, 1, dt.date(2020, 1, 1), 2),
    ]
    con.close()
