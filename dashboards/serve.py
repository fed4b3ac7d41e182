"""``trialwh serve``: run the Streamlit app headless on the published snapshot.

Fails closed: without a users file (``users.toml``) the dashboard is the no-login demo and
listens on 127.0.0.1 only; serving on any other address needs a users file, and a users
file that cannot be used stops the command with its reason.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from core.paths import Home
from dashboards.auth import LOOPBACK, USERS_FILE, UsersFileError, load_users

APP = Path(__file__).resolve().parent / "app.py"


DEMO_ADDRESS = "127.0.0.1"


class ServeRefused(RuntimeError):
    """The dashboard may not be served as asked; the message is a Danish reason."""


def bind_address(home: Home, address: str | None) -> str:
    """The address to listen on, or ``ServeRefused``.

    No users file: the demo without login, 127.0.0.1 only (another address is refused).
    A users file: ``address`` (default 127.0.0.1) once the file loads without error.
    """
    path = home.root / USERS_FILE
    try:
        users = load_users(path)
    except UsersFileError as error:
        raise ServeRefused(f"Brugerfilen kan ikke bruges: {error}") from None
    if users is None:
        if address is not None and address not in LOOPBACK:
            raise ServeRefused(
                f"Uden brugerfil ({path}) kan dashboardet kun vises på denne maskine "
                f"(127.0.0.1), ikke på {address}. Opret brugerfilen (se dashboards/auth.py) "
                "for at servere på andre adresser."
            )
        return DEMO_ADDRESS
    return address or DEMO_ADDRESS


def command(port: int, address: str = DEMO_ADDRESS, app: Path = APP) -> list[str]:
    """The ``streamlit run`` command line of ``app`` (the dashboard), through
    :mod:`dashboards.server` (the pages' libraries imported before it listens): headless, no
    usage statistics, no file watcher, no magic, listening on ``address`` only."""
    return [
        sys.executable,
        "-m",
        "dashboards.server",
        "run",
        str(app),
        "--server.headless=true",
        f"--server.port={port}",
        f"--server.address={address}",
        "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
        "--server.runOnSave=false",
        # The pages write nothing by "magic" (bare expressions); without it Streamlit does
        # not rewrite each page's syntax tree on every run (55 ms a page load).
        "--runner.magicEnabled=false",
        # Streamlit forces a full garbage collection after every script run: two thirds of
        # the server's CPU per page load here (0.31 s with, 0.11 s without, national
        # snapshot). Python's own collector still runs as objects are allocated.
        "--runner.postScriptGC=false",
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


def run(home: Home, port: int, address: str | None = None) -> None:
    """Replace this process by the Streamlit server (so stopping ``trialwh serve`` stops the
    dashboard too, with no orphaned child). Does not return; ``ServeRefused`` when the
    address is not allowed (see ``bind_address``)."""
    chosen = bind_address(home, address)
    host = f"[{chosen}]" if ":" in chosen else chosen
    print(f"Dashboard: http://{host}:{port}  (snapshot {home.published})", flush=True)
    if not (home.root / USERS_FILE).exists():
        print(
            f"Demo uden login: lytter kun på {DEMO_ADDRESS} (denne maskine). Opret "
            f"{home.root / USERS_FILE} for at kræve login og servere på andre adresser.",
            flush=True,
        )
    os.chdir(APP.parent.parent)
    os.execve(sys.executable, command(port, chosen), environment(home))
