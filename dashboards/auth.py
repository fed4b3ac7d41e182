"""Roles and passwords for the dashboard, from ``$TRIALWH_HOME/users.toml``.

Two roles: ``manager`` (sees small-cell-suppressed figures only, no SQL page) and
``evaluator`` (unsuppressed figures and the SQL page). The file looks like::

    [users.mette]
    role = "manager"
    password_hash = "scrypt$16384$8$1$<salt b64>$<hash b64>"

    [users.evaluator]
    role = "evaluator"
    password_hash = "pbkdf2_sha256$600000$<salt b64>$<hash b64>"

Hashes are made with :func:`hash_password` (``python -m dashboards.auth``). The file must
be readable by its owner only (mode 0600). Without the file there is no login only in the
local demo, which ``trialwh serve`` binds to 127.0.0.1 (``LOOPBACK``); the app refuses to
run without login on any other address. A file that exists but cannot be read, is not
valid TOML, names no users or is readable by others is an error, never "no users".

Failed logins slow the next attempt down per user name and per client
(:class:`LoginGuard`), and every attempt is written to ``logs/login.log``.
"""

from __future__ import annotations

import base64
import datetime as dt
import getpass
import hashlib
import hmac
import os
import stat
import sys
import threading
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ingest.cpr import mask_cpr_text

Role = Literal["manager", "evaluator"]
ROLES: tuple[Role, ...] = ("manager", "evaluator")
USERS_FILE = "users.toml"
LOGIN_LOG = "login.log"
# Addresses the no-login demo may listen on (the machine itself only).
LOOPBACK: tuple[str, ...] = ("127.0.0.1", "localhost", "::1")


class UsersFileError(ValueError):
    """``users.toml`` is malformed."""


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    password_hash: str


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def hash_password(password: str, method: str = "scrypt", *, salt: bytes | None = None) -> str:
    """A self-describing salted hash: ``scrypt$n$r$p$salt$hash`` or
    ``pbkdf2_sha256$iterations$salt$hash``."""
    salt = salt if salt is not None else os.urandom(16)
    if method == "scrypt":
        n, r, p = 2**14, 8, 1
        digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=32)
        return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"
    if method == "pbkdf2_sha256":
        iterations = 600_000
        digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
        return f"pbkdf2_sha256${iterations}${_b64(salt)}${_b64(digest)}"
    raise ValueError(f"unknown hash method {method!r}")


def verify_password(password: str, stored: str) -> bool:
    """True if ``password`` matches ``stored`` (constant-time compare); False if malformed."""
    parts = stored.split("$")
    try:
        if parts[0] == "scrypt" and len(parts) == 6:
            n, r, p = (int(x) for x in parts[1:4])
            salt, expected = base64.b64decode(parts[4]), base64.b64decode(parts[5])
            digest = hashlib.scrypt(
                password.encode(), salt=salt, n=n, r=r, p=p, dklen=len(expected)
            )
        elif parts[0] == "pbkdf2_sha256" and len(parts) == 4:
            iterations = int(parts[1])
            salt, expected = base64.b64decode(parts[2]), base64.b64decode(parts[3])
            digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
        else:
            return False
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, expected)


def load_users(path: Path) -> dict[str, User] | None:
    """The users in ``path``; None only when no file (or link) is there at all.

    ``UsersFileError`` (Danish message) when the path exists but is not a readable regular
    file, is readable or writable by others than its owner, is not valid TOML, or names
    no users: a broken users file must never mean "no login".
    """
    if not path.exists() and not path.is_symlink():
        return None
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise UsersFileError(f"{path} er ikke en almindelig fil")
        if info.st_mode & 0o077:
            raise UsersFileError(
                f"{path} kan læses eller ændres af andre end ejeren "
                f"(rettigheder {stat.filemode(info.st_mode)}); kør chmod 600 {path}"
            )
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise UsersFileError(
            f"{path} kan ikke læses ({error.strerror or type(error).__name__})"
        ) from error
    except UnicodeDecodeError as error:
        raise UsersFileError(f"{path} er ikke UTF-8-tekst") from error
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UsersFileError(f"{path}: {error}") from error
    table = document.get("users")
    if not isinstance(table, dict) or not table:
        raise UsersFileError(f"{path} har ingen brugere (en [users.<navn>]-tabel pr. bruger)")
    users: dict[str, User] = {}
    for name, entry in table.items():
        role = entry.get("role") if isinstance(entry, dict) else None
        password_hash = entry.get("password_hash") if isinstance(entry, dict) else None
        if role not in ROLES or not isinstance(password_hash, str):
            raise UsersFileError(f"{path}: user {name!r} needs role in {ROLES} and password_hash")
        users[name] = User(name=name, role=role, password_hash=password_hash)
    return users


def hash_cost(stored: str) -> tuple[str, int]:
    """(method, work) of a stored hash: scrypt n·r·p or PBKDF2 iterations (0 if malformed)."""
    parts = stored.split("$")
    try:
        if parts[0] == "scrypt" and len(parts) == 6:
            return "scrypt", int(parts[1]) * int(parts[2]) * int(parts[3])
        if parts[0] == "pbkdf2_sha256" and len(parts) == 4:
            return "pbkdf2_sha256", int(parts[1])
    except ValueError:
        pass
    return parts[0], 0


def authenticate(users: dict[str, User], name: str, password: str) -> User | None:
    """The user if name and password match, else None.

    An unknown name costs the same work as the most expensive known one: the password is
    checked against that user's hash and the answer thrown away, so names cannot be
    probed by timing.
    """
    user = users.get(name.strip())
    if user is None:
        if users:
            slowest = max(users.values(), key=lambda u: hash_cost(u.password_hash)[1])
            verify_password(password, slowest.password_hash)
        return None
    return user if verify_password(password, user.password_hash) else None


# Failed attempts allowed before waiting, and the longest wait (seconds).
FREE_ATTEMPTS = 3
MAX_WAIT_SECONDS = 900.0


@dataclass
class LoginGuard:
    """Backoff after failed logins, per user name and per client (e.g. IP address).

    After ``FREE_ATTEMPTS`` failures in a row the next attempt for that name or from that
    client must wait 2, 4, 8, … seconds (at most ``MAX_WAIT_SECONDS``) after the last
    failure; a success clears the name's and the client's count. Attempts made while
    waiting are refused without checking the password. Thread-safe (one per server).
    """

    failures: dict[str, tuple[int, float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @staticmethod
    def _keys(name: str, client: str) -> tuple[str, str]:
        return f"user:{name.strip().lower()}", f"client:{client}"

    def wait_seconds(self, name: str, client: str, now: float) -> float:
        """Seconds still to wait before an attempt for ``name`` from ``client`` (0: go)."""
        with self.lock:
            waits = [0.0]
            for key in self._keys(name, client):
                count, last = self.failures.get(key, (0, 0.0))
                if count >= FREE_ATTEMPTS:
                    delay = min(MAX_WAIT_SECONDS, 2.0 ** (count - FREE_ATTEMPTS + 1))
                    waits.append(last + delay - now)
            return max(waits)

    def record(self, name: str, client: str, success: bool, now: float) -> None:
        with self.lock:
            for key in self._keys(name, client):
                if success:
                    self.failures.pop(key, None)
                else:
                    count, _ = self.failures.get(key, (0, 0.0))
                    self.failures[key] = (count + 1, now)


def log_login(log_dir: Path, name: str, client: str, outcome: str) -> None:
    """Append one line (UTC time, outcome, user name, client) to ``log_dir/login.log``
    (folder 0700, file 0600). The name is shown escaped and cut to 64 characters."""
    log_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(log_dir, 0o700)
    shown = mask_cpr_text(name.strip()[:64]).encode("unicode_escape").decode("ascii")
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    fd = os.open(log_dir / LOGIN_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(f"{when}\t{outcome}\tuser={shown}\tclient={client}\n")


def main() -> None:  # pragma: no cover - interactive helper
    """Print a hash line for users.toml: ``python -m dashboards.auth [scrypt|pbkdf2_sha256]``."""
    method = sys.argv[1] if len(sys.argv) > 1 else "scrypt"
    print(hash_password(getpass.getpass("Adgangskode: "), method))


if __name__ == "__main__":  # pragma: no cover
    main()
