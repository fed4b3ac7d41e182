"""Roles and passwords for the dashboard, from ``$TRIALWH_HOME/users.toml``.

Two roles: ``manager`` (sees small-cell-suppressed figures only, no SQL page) and
``evaluator`` (unsuppressed figures and the SQL page). The file looks like::

    [users.mette]
    role = "manager"
    password_hash = "scrypt$16384$8$1$<salt b64>$<hash b64>"

    [users.evaluator]
    role = "evaluator"
    password_hash = "pbkdf2_sha256$600000$<salt b64>$<hash b64>"

Hashes are made with :func:`hash_password` (``python -m dashboards.auth``). Without the file
there is no login: the local demo runs as evaluator, and the page says so.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Role = Literal["manager", "evaluator"]
ROLES: tuple[Role, ...] = ("manager", "evaluator")
USERS_FILE = "users.toml"


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
    """The users in ``path``, or None when the file does not exist (demo without login)."""
    if not path.is_file():
        return None
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise UsersFileError(f"{path}: {error}") from error
    users: dict[str, User] = {}
    for name, entry in document.get("users", {}).items():
        role = entry.get("role")
        password_hash = entry.get("password_hash")
        if role not in ROLES or not isinstance(password_hash, str):
            raise UsersFileError(f"{path}: user {name!r} needs role in {ROLES} and password_hash")
        users[name] = User(name=name, role=role, password_hash=password_hash)
    return users


def authenticate(users: dict[str, User], name: str, password: str) -> User | None:
    """The user if name and password match, else None."""
    user = users.get(name.strip())
    if user is None:
        # Spend the same time as a real check so names cannot be probed by timing.
        verify_password(password, hash_password("x"))
        return None
    return user if verify_password(password, user.password_hash) else None


def main() -> None:  # pragma: no cover - interactive helper
    """Print a hash line for users.toml: ``python -m dashboards.auth [scrypt|pbkdf2_sha256]``."""
    method = sys.argv[1] if len(sys.argv) > 1 else "scrypt"
    print(hash_password(getpass.getpass("Adgangskode: "), method))


if __name__ == "__main__":  # pragma: no cover
    main()
