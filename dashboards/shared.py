"""Results every session shares, keyed on the *content* of their inputs: figures and
prepared tables.

Query results are cached on the snapshot's build id (:func:`dashboards.state.fetch`), but the
pages derive frames from them and build plotly figures and display tables anew on every
run of every session: about 50 ms of CPU per figure, most of a page's server time. The
functions wrapped here are pure (same inputs, same result), so their results are kept in
one bounded, thread-safe LRU per server process, keyed on the function and a digest of the
arguments (a polars frame by its schema, height and the hash of every row, in order).
A republished snapshot with other data gives other frames and so other keys: it can never
show an old figure; the same data gives the same figure, as it would have been built.
Arguments that have no content key (an unknown object) bypass the cache.

A cached figure is handed out as a new ``go.Figure`` made from its JSON-ready dict (without
plotly's validation, which the first build did; plotly makes new objects from the dict), so
a caller that stamps or changes it never changes what the next session gets.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from decimal import Decimal
from enum import Enum
from typing import Any, ParamSpec, TypeVar

import numpy as np
import plotly.graph_objects as go
import polars as pl

P = ParamSpec("P")
T = TypeVar("T")

MAX_ENTRIES = 512


class Unkeyable(TypeError):
    """An argument whose content cannot be keyed (the call is not cached)."""


def _digest(frame: pl.DataFrame) -> str:
    if frame.height == 0 or frame.width == 0:
        return ""
    try:
        hashes = frame.hash_rows()
    except (pl.exceptions.PolarsError, TypeError) as error:
        raise Unkeyable(str(error)) from None
    return hashlib.blake2b(hashes.to_numpy().tobytes(), digest_size=16).hexdigest()


def content_key(value: Any) -> Hashable:
    """A hashable key that is equal for equal content (type included: ``1`` ≠ ``1.0`` ≠
    ``True``); raises :class:`Unkeyable` for values it does not know."""
    if value is None or isinstance(value, str | bytes | bool | int | float | Decimal):
        return (type(value).__name__, value)
    if isinstance(value, dt.date | dt.datetime | dt.time | dt.timedelta):
        return (type(value).__name__, value.isoformat() if hasattr(value, "isoformat") else value)
    if isinstance(value, Enum):
        return ("enum", type(value).__qualname__, value.name)
    if isinstance(value, pl.DataFrame):
        schema = tuple((name, str(dtype)) for name, dtype in value.schema.items())
        return ("pl.DataFrame", schema, value.height, _digest(value))
    if isinstance(value, pl.Series):
        return ("pl.Series", value.name, str(value.dtype), len(value), _digest(value.to_frame()))
    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            return ("np.ndarray", tuple(content_key(item) for item in value.tolist()))
        digest = hashlib.blake2b(np.ascontiguousarray(value).tobytes(), digest_size=16)
        return ("np.ndarray", str(value.dtype), value.shape, digest.hexdigest())
    if isinstance(value, np.generic):
        return content_key(value.item())
    if isinstance(value, tuple | list):
        return (type(value).__name__, tuple(content_key(item) for item in value))
    if isinstance(value, set | frozenset):
        return ("set", frozenset(content_key(item) for item in value))
    if isinstance(value, dict):
        return ("dict", tuple((content_key(k), content_key(v)) for k, v in value.items()))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = tuple(
            (field.name, content_key(getattr(value, field.name)))
            for field in dataclasses.fields(value)
        )
        return ("dataclass", type(value).__module__, type(value).__qualname__, fields)
    raise Unkeyable(type(value).__name__)


class _Lru:
    """A bounded mapping, least recently used out first; safe across session threads."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            self.misses += 1
            return None

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The value under ``key``, computed once even when several sessions ask at the
        same time (the others wait for the first)."""
        found = self.get(key)
        if found is not None:
            return found[0]
        with self._lock:
            key_lock = self._computing.setdefault(key, threading.Lock())
        with key_lock:
            found = self.get(key)
            if found is None:
                found = (compute(),)
                self.put(key, found)
        with self._lock:
            self._computing.pop(key, None)
        return found[0]

    def drop(self, keep: Callable[[Hashable], bool]) -> None:
        """Forget every entry whose key ``keep`` rejects."""
        with self._lock:
            for key in [key for key in self._items if not keep(key)]:
                del self._items[key]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._items)


CACHE = _Lru(MAX_ENTRIES)

# One page run at a time in the server process (dashboards/app.py holds it for the whole
# run). Page runs of concurrent sessions sharing polars frames could deadlock the whole
# process: polars' worker threads waited for the interpreter lock held by another session's
# thread that waited for those workers (seen in 3 of 16 bursts of 20 sessions on a freshly
# started server, national snapshot). The interpreter lock already lets only one thread run
# Python at a time; what the lock costs is the overlap of one run's DuckDB query with another
# run's Python. The SQL page's queries are interrupted after 10 s, so no run holds it long.
RUN_LOCK = threading.Lock()


def _key(function: Callable[..., Any], args: tuple, kwargs: dict) -> Hashable:
    code = getattr(function, "__code__", None)
    return (
        function.__module__,
        function.__qualname__,
        # A page script runs as ``__main__``: its file tells two pages' functions apart.
        (code.co_filename, code.co_firstlineno) if code is not None else None,
        content_key(args),
        content_key(tuple(sorted(kwargs.items()))),
    )


def shared_figure(build: Callable[P, go.Figure]) -> Callable[P, go.Figure]:
    """``build`` (a pure function returning a plotly figure), its figure kept for every
    session; each call gets its own copy."""

    @functools.wraps(build)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> go.Figure:
        try:
            key = _key(build, args, kwargs)
        except Unkeyable:
            return build(*args, **kwargs)
        spec = CACHE.get(key)
        if spec is None:
            spec = build(*args, **kwargs).to_dict()
            CACHE.put(key, spec)
        # plotly builds new objects from the dict (nothing of it is changed in place).
        return go.Figure(spec, _validate=False)

    return wrapper


def shared(compute: Callable[P, T]) -> Callable[P, T]:
    """``compute`` (a pure function whose result nobody changes in place, e.g. polars
    frames), its result kept for every session."""

    @functools.wraps(compute)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            key = _key(compute, args, kwargs)
        except Unkeyable:
            return compute(*args, **kwargs)
        found = CACHE.get(key)
        if found is None:
            found = (compute(*args, **kwargs),)
            CACHE.put(key, found)
        return found[0]

    return wrapper
