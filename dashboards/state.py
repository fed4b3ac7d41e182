"""Streamlit glue: the cached snapshot, cached query results and the per-run page context.

* The snapshot is a ``st.cache_resource`` keyed on the published file's identity (inode,
  mtime, size), so a newly published file is picked up on the next rerun; the previous one
  is dropped from the cache and closed once no running page holds it.
* Query results are cached (one shared object per result, no copy per rerun) keyed on the
  snapshot file's identity and ``build_id`` plus the query and its arguments: a new build
  never serves stale results.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from core.format import fmt_kvartal
from core.paths import Home
from dashboards import queries
from dashboards.auth import Role
from dashboards.i18n import Lang, tr
from dashboards.kilder import note_query
from dashboards.shared import _Lru
from dashboards.snapshot import Snapshot, SnapshotKey, snapshot_key

CONTEXT_KEY = "_trialwh_context"


def home() -> Home:
    """The warehouse home from ``TRIALWH_HOME`` (set by ``trialwh serve``)."""
    return Home.resolve(os.environ.get("TRIALWH_HOME"))


@st.cache_resource(max_entries=1, show_spinner=False)
def _open_snapshot(path: str, inode: int, mtime_ns: int, size: int) -> Snapshot:
    return Snapshot(Path(path))


def current_snapshot(path: Path) -> Snapshot:
    """The snapshot at ``path`` (raises SnapshotMissing when nothing is published)."""
    key = snapshot_key(path)
    return _open_snapshot(key.path, key.inode, key.mtime_ns, key.size)


# A resource cache, not a data cache: every rerun of every session would otherwise unpickle
# a copy of each result (polars frames are never changed in place; the pages derive new ones).
@st.cache_resource(max_entries=2048, show_spinner=False)
def _cached(build_id: str, module: str, name: str, args: tuple[Any, ...], _snap: Snapshot) -> Any:
    return getattr(importlib.import_module(module), name)(_snap, *args)


# The same results without Streamlit's hashing of the arguments on every call (2 ms a
# call, 15–40 calls a page): keyed on the snapshot file's identity, its build id, the query
# and its (hashable) arguments, computed once however many sessions ask at the same time.
# The store itself is a Streamlit resource, so that clearing Streamlit's caches clears it.
@st.cache_resource(show_spinner=False)
def _results() -> tuple[_Lru, list[SnapshotKey]]:
    return _Lru(2048), []


def fetch(snap: Snapshot, query: Callable[..., Any], *args: Any) -> Any:
    """``query(snap, *args)`` (a module-level function of ``dashboards``), cached on the
    snapshot (its file and build id) and the arguments."""
    note_query(query)
    key = (snap.key, snap.build.build_id, query, tuple(args))
    try:
        hash(key)
    except TypeError:  # an unhashable argument: Streamlit's cache hashes its content
        return _cached(snap.build.build_id, query.__module__, query.__name__, tuple(args), snap)
    results, latest = _results()
    if not latest or latest[0] != snap.key:
        # A new snapshot: the previous one's results are not needed any more.
        latest[:] = [snap.key]
        results.drop(lambda kept: kept[0] == snap.key)
    return results.get_or_compute(key, lambda: query(snap, *args))


@dataclass(frozen=True, kw_only=True)
class Filters:
    """The sidebar's choices (mirrored in the URL)."""

    tema: str
    kontrolgruppe: str
    fra: dt.date
    til: dt.date
    kommune: int


@dataclass(frozen=True, kw_only=True)
class PageContext:
    """What every page needs: data, filters, who is looking and in which language."""

    snap: Snapshot
    filters: Filters
    role: Role
    lang: Lang
    user: str | None

    @property
    def suppressed(self) -> bool:
        """Managers see small-cell-suppressed figures; evaluators the raw ones."""
        return self.role == "manager"

    def tr(self, da: str, en: str) -> str:
        return tr(self.lang, da, en)

    def get(self, query: Callable[..., Any], *args: Any) -> Any:
        return fetch(self.snap, query, *args)

    def grupper(self) -> pl.DataFrame:
        f = self.filters
        return self.get(queries.grupper, f.tema, f.kontrolgruppe)

    def koder(self, gruppe: str) -> list[int]:
        frame = self.grupper()
        return frame.filter(pl.col("gruppe") == gruppe)["kommunekode"].to_list()

    def with_tema(self, tema: str) -> PageContext:
        """The same context for another theme (pages whose subject fixes the theme)."""
        return replace(self, filters=replace(self.filters, tema=tema))

    def forsoegsstart(self) -> str | None:
        """The theme's first trial quarter as an axis label (``2018K1``), if any."""
        start, _ = self.get(queries.forsoegsvindue, self.filters.tema)
        if start is None or not (self.filters.fra <= start <= self.filters.til):
            return None
        return fmt_kvartal(start, self.lang)


def set_context(context: PageContext) -> None:
    st.session_state[CONTEXT_KEY] = context


def context() -> PageContext:
    """The context ``app.py`` set up for this run."""
    return st.session_state[CONTEXT_KEY]
