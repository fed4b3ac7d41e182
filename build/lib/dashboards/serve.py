"""``trialwh serve``: run the Streamlit app headless on the published snapshot."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from core.paths import Home

APP = Path(__file__).resolve().parent / "app.py"


def command(port: int) -> list[str]:
    """The ``streamlit run`` command line: headless, no usage statistics, no file watcher."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.headless=true",
        f"--server.port={port}",
        "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
        "--server.runOnSave=false",
        "--client.toolbarMode=viewer",
        "--theme.base=light",
    ]


def environment(home: Home) -> dict[str, str]:
    env = dict(os.environ)
    env["TRIALWH_HOME"] = str(home.root)
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    # The app imports the project's packages: make sure the project root is importable.
    project = str(APP.parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (project, env.get("PYTHONPATH")) if p)
    return env


def run(home: Home, port: int) -> None:
    """Replace this process by the Streamlit server (so stopping ``trialwh serve`` stops the
    dashboard too, with no orphaned child). Does not return."""
    print(f"Dashboard: http://localhost:{port}  (snapshot {home.published})", flush=True)
    os.chdir(APP.parent.parent)
    os.execve(sys.executable, command(port), environment(home))
