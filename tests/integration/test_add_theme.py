"""Adding a theme is a data change: a copy of the project with one more row in seed
``temaer`` and its rows in ``forsoeg_deltagelse`` builds, and the new theme is in the panel,
in mart_gruppe_kvartal, in dim_kommune and among the command line's ``--tema`` choices,
without touching a model, a macro or a Python module.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from core.paths import PROJECT_DIR, Home
from tests.integration.raw_fixtures import load_hand_made_raw

pytestmark = pytest.mark.slow  # one dbt build

NYT_TEMA = "test_tema"
# Aalborg from 1.7.2019 to 30.6.2020, Brønderslev from 1.10.2019, still running.
DELTAGELSE = [(851, "2019-07-01", "2020-06-30"), (810, "2019-10-01", "")]
PROJECT_FILES = ("dbt_project.yml", "profiles.yml")
PROJECT_DIRS = ("models", "seeds", "macros", "tests/dbt", "expectations")


def _append_rows(csv_file: Path, rows: list[str]) -> None:
    """Append rows with the file's own line ending (some seeds use CRLF)."""
    text = csv_file.read_bytes().decode("utf-8")
    newline = "\r\n" if "\r\n" in text else "\n"
    if not text.endswith(newline):
        text += newline
    csv_file.write_bytes((text + "".join(row + newline for row in rows)).encode("utf-8"))


def _copy_project(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in PROJECT_FILES:
        shutil.copy2(PROJECT_DIR / name, target / name)
    for name in PROJECT_DIRS:
        shutil.copytree(PROJECT_DIR / name, target / name)
    _append_rows(
        target / "seeds" / "temaer.csv",
        [
            f"{NYT_TEMA},99,Testtema,Test theme,Test,Test,2,sygedagpenge,,"
            "Et tema tilføjet som data,A theme added as data,TEST"
        ],
    )
    _append_rows(
        target / "seeds" / "forsoeg_deltagelse.csv",
        [f"{kode},{NYT_TEMA},{start},{slut},TEST," for kode, start, slut in DELTAGELSE],
    )
    return target


def _trialwh(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "TRIALWH_PROJECT_DIR": str(project),
        "TRIALWH_PSEUDONYM_KEY": "test-key-not-secret",
        "COLUMNS": "300",  # help text on one line per option
    }
    return subprocess.run(
        [sys.executable, "-c", "from trialwh.cli import app; app()", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=project.parent,
    )


@pytest.fixture(scope="module")
def added(tmp_path_factory) -> tuple[Path, Home]:
    root = tmp_path_factory.mktemp("add_theme")
    project = _copy_project(root / "project")
    home = Home(root / "home")
    home.root.mkdir()
    load_hand_made_raw(home.warehouse)
    result = _trialwh(project, "--home", str(home.root), "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return project, home


def test_the_source_project_is_untouched(added):
    project, _ = added
    assert NYT_TEMA not in (PROJECT_DIR / "seeds" / "temaer.csv").read_text(encoding="utf-8")
    assert NYT_TEMA in (project / "seeds" / "temaer.csv").read_text(encoding="utf-8")


def test_new_theme_in_the_panel(added):
    _, home = added
    con = duckdb.connect(str(home.published), read_only=True)
    try:
        rows = dict(
            con.execute(
                f"select kvartal, i_forsoeg_{NYT_TEMA} from marts.mart_panel_kommune_kvartal "
                "where kommunekode = 851"
            ).fetchall()
        )
        start_index = con.execute(
            f"select distinct forsoeg_start_index_{NYT_TEMA} from marts.mart_panel_kommune_kvartal "
            "where kommunekode = 851"
        ).fetchall()
        dim = con.execute(
            f"select kommunekode from marts.dim_kommune where is_forsoegskommune_{NYT_TEMA} "
            "order by kommunekode"
        ).fetchall()
    finally:
        con.close()
    # 1.7.2019-30.6.2020: quarters 2019Q3 to 2020Q2.
    assert [k for k, inde in sorted(rows.items()) if inde] == [
        date(2019, 7, 1),
        date(2019, 10, 1),
        date(2020, 1, 1),
        date(2020, 4, 1),
    ]
    assert start_index == [(19,)]  # 2019Q3 = quarter 19 counted from 2015Q1
    assert dim == [(810,), (851,)]


def test_new_theme_in_gruppe_kvartal(added):
    _, home = added
    con = duckdb.connect(str(home.published), read_only=True)
    try:
        rows = con.execute(
            """
            select kommunekode, gruppe, kvartal, periode, is_i_forsoeg,
                forsoeg_start_kvartal, forsoeg_slut_kvartal
            from marts.mart_gruppe_kvartal
            where tema = ? and kontrolgruppe = 'alle_oevrige'
            """,
            [NYT_TEMA],
        ).fetchall()
    finally:
        con.close()
    groups = {(kode, gruppe) for kode, gruppe, *_ in rows}
    # Data hold Aalborg (851) and København (101): 810 is in the theme but has no data.
    assert groups == {(851, "forsoeg"), (810, "forsoeg"), (101, "kontrol")}
    # The window is Aalborg's (the only participant in the panel's data): 2019Q3-2020Q2.
    assert {(r[5], r[6]) for r in rows} == {(date(2019, 7, 1), date(2020, 4, 1))}
    periode = {r[2]: r[3] for r in rows if r[0] == 101}
    assert periode[date(2019, 4, 1)] == "foer"
    assert periode[date(2019, 7, 1)] == "under"
    assert periode[date(2020, 4, 1)] == "under"
    assert periode[date(2020, 7, 1)] == "efter"


def test_new_theme_is_a_cli_choice(added):
    project, _ = added
    result = _trialwh(project, "report", "--help")
    assert result.returncode == 0, result.stderr
    assert NYT_TEMA in result.stdout


def test_report_runs_for_the_new_theme(added, tmp_path):
    project, home = added
    result = _trialwh(
        project, "--home", str(home.root), "report", "--tema", NYT_TEMA, "--out", str(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert any(tmp_path.iterdir())


# Runs in a fresh interpreter whose project (TRIALWH_PROJECT_DIR) is the copy with the new
# theme: the dashboard reads its themes from that project's seed. Prints the options of the
# sidebar's theme filter and the theme the filter holds when the URL asks for the new theme.
_DASHBOARD_PROBE = """
import json, sys
from streamlit import config
from streamlit.testing.v1 import AppTest
config.set_option("server.address", "127.0.0.1")
at = AppTest.from_file(sys.argv[1], default_timeout=600)
at.query_params["tema"] = sys.argv[2]
at.run()
box = at.sidebar.selectbox(key="f_tema")
print(json.dumps({"options": list(box.options), "value": box.value,
                  "errors": [e.value for e in at.exception]}))
"""


def test_new_theme_in_the_dashboard_theme_filter(added):
    project, home = added
    env = {
        **os.environ,
        "TRIALWH_PROJECT_DIR": str(project),
        "TRIALWH_HOME": str(home.root),
        "TRIALWH_PSEUDONYM_KEY": "test-key-not-secret",
    }
    app = PROJECT_DIR / "dashboards" / "app.py"
    result = subprocess.run(
        [sys.executable, "-c", _DASHBOARD_PROBE, str(app), NYT_TEMA],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=PROJECT_DIR,
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown["errors"] == []
    # The filter offers every theme of the copied seed, the new one last (sortering 99), with
    # its Danish short name from the seed, and the URL's ?tema= selects it; the page runs
    # without an error although the new theme cannot be estimated on the hand-made data.
    assert shown["options"][-1] == "Test"
    assert shown["value"] == NYT_TEMA
