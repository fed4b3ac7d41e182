"""Which marts a table comes from: every cached query (:func:`dashboards.state.fetch`) notes
the ``marts.*`` tables its SQL names, and a table's download takes those read since the
previous table (:func:`take_sources`), so its "Om udtrækket" can name its source.

Kept apart from :mod:`dashboards.downloads` so that :mod:`dashboards.state` can import it.
"""

from __future__ import annotations

import contextlib
import inspect
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

import streamlit as st

SOURCES_KEY = "_trialwh_sources"
LAST_KEY = "_trialwh_sources_last"
QUIET_KEY = "_trialwh_sources_quiet"
# Tables of the published snapshot a dashboard query may name (schema.table).
_MART = re.compile(r"\b((?:marts|audit|meta)\.[a-z_][a-z0-9_]*)")


@cache
def marts_of(query: Callable[..., Any]) -> tuple[str, ...]:
    """The ``marts.*`` (and ``audit.*``, ``meta.*``) tables a query function names in its
    SQL, directly, through module-level constants (``GRUPPE_KVARTAL =
    "marts.mart_gruppe_kvartal"``) or through functions of its own module that it calls."""
    found: list[str] = []
    _collect(query, found, set())
    return tuple(found)


def _collect(function: Callable[..., Any], found: list[str], seen: set[int]) -> None:
    if id(function) in seen:
        return
    seen.add(id(function))
    texts: list[str] = []
    with contextlib.suppress(OSError, TypeError):  # a built-in or a lambda: no source
        texts.append(inspect.getsource(function))
    code = getattr(function, "__code__", None)
    module_globals = getattr(function, "__globals__", {})
    for name in code.co_names if code is not None else ():
        value = module_globals.get(name)
        if isinstance(value, str):
            texts.append(value)
        elif inspect.isfunction(value) and value.__module__ == function.__module__:
            _collect(value, found, seen)
    for text in texts:
        for mart in _MART.findall(text):
            if mart not in found:
                found.append(mart)


def start_run() -> None:
    """Forget the marts of the previous run (called before a page runs)."""
    st.session_state[SOURCES_KEY] = []
    st.session_state[LAST_KEY] = ()


def note_query(query: Callable[..., Any]) -> None:
    """Remember the marts ``query`` reads, for the next table's download."""
    if st.session_state.get(QUIET_KEY):
        return
    seen = st.session_state.setdefault(SOURCES_KEY, [])
    for mart in marts_of(query):
        if mart not in seen:
            seen.append(mart)


def take_sources() -> tuple[str, ...]:
    """The marts read since the previous table (a table drawn from the same, already read
    data as the one before it gets that table's marts); starts the next table's list."""
    window = tuple(st.session_state.get(SOURCES_KEY, []))
    if not window:
        window = tuple(st.session_state.get(LAST_KEY, ()))
    st.session_state[SOURCES_KEY] = []
    st.session_state[LAST_KEY] = window
    return window


@contextmanager
def quiet() -> Iterator[None]:
    """Queries run inside are not a table's source (e.g. the names for "Om udtrækket")."""
    st.session_state[QUIET_KEY] = True
    try:
        yield
    finally:
        st.session_state[QUIET_KEY] = False
