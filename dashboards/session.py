"""A login that survives a reload: a signed session cookie.

Streamlit starts a new session (empty ``st.session_state``) on every reload, so without
help a reload logs the user out. After a successful login the browser is given a cookie
``trialwh_session`` = ``<user, base64url>.<expiry, unix seconds>.<HMAC-SHA256>``, signed
with a server secret, and a new session that presents a valid, unexpired cookie is logged
in as that user without the form.

* The secret is ``TRIALWH_SESSION_KEY`` or the file ``session.key`` in the warehouse home
  (32 random bytes, created mode 0600 on first use); it is never sent to the browser.
* The MAC also covers the user's password hash from ``users.toml``: changing a password,
  or removing the user, ends every session of that user.
* The cookie expires after :data:`TTL_SECONDS` (8 hours, a working day), in the browser
  (``max-age``) and on the server (the signed expiry); ``SameSite=Strict``, ``Secure`` on
  https. "Log ud" deletes it in the browser and revokes the token on the server; the
  revocation is kept in ``<home>/session_revoked.json`` (:class:`Revoked`), so it holds
  across a server restart.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from dashboards.auth import User

COOKIE = "trialwh_session"
TTL_SECONDS = 8 * 3600
SECRET_FILE = "session.key"
SECRET_ENV = "TRIALWH_SESSION_KEY"


def session_secret(root: Path) -> bytes:
    """The server's signing secret: ``$TRIALWH_SESSION_KEY`` or ``<home>/session.key``
    (made on first use, readable by its owner only)."""
    from_env = os.environ.get(SECRET_ENV)
    if from_env:
        return from_env.encode("utf-8")
    path = root / SECRET_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def _unb64(text: str) -> str:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("utf-8")


def _mac(secret: bytes, payload: str, user: User) -> str:
    message = f"{payload}.{user.role}.{user.password_hash}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def sign(user: User, secret: bytes, now: float, ttl: int = TTL_SECONDS) -> str:
    """A session token for ``user`` valid until ``now + ttl``."""
    payload = f"{_b64(user.name)}.{int(now) + ttl}"
    return f"{payload}.{_mac(secret, payload, user)}"


def verify(token: str | None, users: dict[str, User], secret: bytes, now: float) -> User | None:
    """The user the token was signed for, if the signature matches that user's current
    password hash and role and the token has not expired; otherwise None."""
    if not token:
        return None
    parts = token.split(".")
    if len(parts) != 3:
        return None
    name_b64, expiry, mac = parts
    try:
        name = _unb64(name_b64)
        expires = int(expiry)
    except ValueError:
        return None
    user = users.get(name)
    if user is None or expires <= now:
        return None
    if not hmac.compare_digest(mac, _mac(secret, f"{name_b64}.{expiry}", user)):
        return None
    return user


REVOKED_FILE = "session_revoked.json"


def _digest(token: str) -> str:
    """What is kept of a revoked token: its SHA-256 (the token itself is a credential)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass
class Revoked:
    """Tokens logged out before they expired (one per server, thread-safe).

    With ``path`` (``<home>/session_revoked.json``) the list is kept on disk, so a logout
    holds across a server restart: each logout rewrites the file atomically (a temporary
    file in the same folder, mode 0600, then ``os.replace``), and a change made by another
    server process on the same home is read before each check. Only the SHA-256 of a token
    and its expiry are stored. A file that cannot be read fails closed: every session
    cookie counts as revoked (users log in with the form) until the file is fixed or
    removed, and it is never overwritten, so no earlier logout is forgotten.
    """

    path: Path | None = None
    tokens: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    unreadable: bool = False
    _seen: int | None = None

    def __post_init__(self) -> None:
        with self.lock:
            self._reload()

    def _reload(self) -> None:
        """Read the file if it changed since it was last read (caller holds the lock)."""
        if self.path is None:
            return
        try:
            changed = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            self.unreadable = False
            return
        if changed == self._seen and not self.unreadable:
            return
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
            loaded = {str(digest): int(expires) for digest, expires in stored.items()}
        except (OSError, ValueError, AttributeError, TypeError):
            self.unreadable = True
            return
        self.tokens.update(loaded)
        self.unreadable = False
        self._seen = changed

    def _save(self) -> None:
        """Write the list atomically (caller holds the lock)."""
        if self.path is None or self.unreadable:
            return
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(self.tokens, handle, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)
        self._seen = self.path.stat().st_mtime_ns

    def add(self, token: str) -> None:
        try:
            expires = int(token.split(".")[1])
        except (IndexError, ValueError):
            return
        with self.lock:
            self._reload()
            self.tokens[_digest(token)] = expires
            self._save()

    def __contains__(self, token: object) -> bool:
        if not isinstance(token, str):
            return False
        with self.lock:
            self._reload()
            return self.unreadable or _digest(token) in self.tokens

    def forget_expired(self, now: float) -> None:
        with self.lock:
            self._reload()
            expired = [t for t, expires in self.tokens.items() if expires <= now]
            for digest in expired:
                del self.tokens[digest]
            if expired:
                self._save()


def set_cookie_script(token: str, ttl: int = TTL_SECONDS) -> str:
    """JavaScript that stores the token in the browser (the page is served by Streamlit,
    which offers no server-side Set-Cookie to an app)."""
    value = json.dumps(f"{COOKIE}={token}; path=/; max-age={ttl}; SameSite=Strict")
    return (
        f"<script>document.cookie = {value} + "
        "(window.location.protocol === 'https:' ? '; Secure' : '');</script>"
    )


def clear_cookie_script() -> str:
    value = json.dumps(f"{COOKIE}=; path=/; max-age=0; SameSite=Strict")
    return f"<script>document.cookie = {value};</script>"


def read_cookie() -> str | None:
    """The session cookie the browser sent when this session connected (None if none)."""
    try:
        return st.context.cookies.get(COOKIE)
    except (AttributeError, RuntimeError):
        return None
