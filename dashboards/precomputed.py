"""Effect estimates computed when a snapshot is published, so the first visitor does not
wait for them.

``trialwh build`` publishes the snapshot with the estimates the default view shows (the
dashboard's first theme, the default control group, the whole period): the Overblik tiles
(:func:`dashboards.effects.did_headline` for the theme's headline indicators) and the
Effekt page's first indicator (:func:`dashboards.effects.did_estimate`, with the HonestDiD
table). They are computed by those same functions on the new snapshot and stored in it
(``meta.effekt_estimater``); :func:`dashboards.effects.did_estimate` returns a stored
estimate instead of computing it again. Each row carries the version of the code that
computed it (a hash of ``evaluation/`` and ``dashboards/effects.py``): with other code the
rows are ignored and the estimate is computed as before.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import pickle
from pathlib import Path
from typing import Any

import duckdb

from dashboards import queries
from dashboards.snapshot import Snapshot

SCHEMA, TABLE = "meta", "effekt_estimater"
# The control group of the default view (dashboards/filters.py reads it from here).
DEFAULT_KONTROL = "alle_oevrige"
MISSING = object()  # no stored estimate (``None`` is a stored answer: nothing to estimate)

# (tema, kontrolgruppe, indikator, fra, til, with the sensitivity analysis)
Key = tuple[str, str, str, dt.date, dt.date, bool]


@functools.cache
def code_version() -> str:
    """A hash of the code an estimate depends on: ``evaluation/`` and the Effekt page's
    estimation (``dashboards/effects.py``)."""
    import evaluation
    from dashboards import effects

    digest = hashlib.sha256()
    root = Path(evaluation.__file__).parent
    for path in [*sorted(root.rglob("*.py")), Path(effects.__file__)]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _key_text(key: Key) -> str:
    tema, kontrol, indikator, fra, til, sensitivity = key
    return json.dumps([tema, kontrol, indikator, fra.isoformat(), til.isoformat(), sensitivity])


def default_keys(snap: Snapshot) -> list[Key]:
    """The estimates of the default view: the Overblik tiles, then the Effekt page's first
    indicator."""
    from dashboards.effects import OUTCOMES
    from dashboards.headline import tile_indicators

    tema = queries.temaer()[0]
    grupper = queries.kontrolgrupper(snap)
    kontrol = DEFAULT_KONTROL if DEFAULT_KONTROL in grupper else grupper[0]
    kvartaler = queries.kvartaler(snap)
    fra, til = kvartaler[0], kvartaler[-1]
    tiles = tile_indicators(tema, queries.panel_kolonner(snap))
    keys: list[Key] = [(tema, kontrol, ind.kolonne, fra, til, False) for ind in tiles]
    keys.append((tema, kontrol, next(iter(OUTCOMES)), fra, til, True))
    return keys


def compute(snap: Snapshot) -> dict[Key, Any]:
    """Every default estimate of ``snap``, computed by the page's own functions."""
    from dashboards.effects import did_estimate

    return {key: did_estimate(snap, *key[:5], sensitivity=key[5]) for key in default_keys(snap)}


def store(con: duckdb.DuckDBPyConnection, estimates: dict[Key, Any]) -> None:
    """Write ``estimates`` into the snapshot open (read-write) on ``con``."""
    con.execute(f"create schema if not exists {SCHEMA}")
    con.execute(
        f"create or replace table {SCHEMA}.{TABLE} "
        "(kodeversion varchar, noegle varchar, resultat blob)"
    )
    version = code_version()
    con.executemany(
        f"insert into {SCHEMA}.{TABLE} values (?, ?, ?)",
        [(version, _key_text(k), pickle.dumps(v)) for k, v in estimates.items()],
    )
    con.execute(
        f"comment on table {SCHEMA}.{TABLE} is 'Effektestimater for standardvisningen, "
        "beregnet ved udgivelsen (dashboardets første tema, standardkontrolgruppen, hele "
        "perioden), så den første besøgende ikke venter på dem.'"
    )


def _stored(snap: Snapshot) -> dict[str, bytes]:
    def read() -> dict[str, bytes]:
        if not snap.has_table(SCHEMA, TABLE):
            return {}
        rows = snap.query(
            f"select noegle, resultat from {SCHEMA}.{TABLE} where kodeversion = ?",
            [code_version()],
        )
        return dict(zip(rows["noegle"].to_list(), rows["resultat"].to_list(), strict=True))

    return snap.memo("precomputed.effekt_estimater", read)


def lookup(snap: Snapshot, key: Key) -> Any:
    """The stored estimate for ``key``, or :data:`MISSING`. The snapshot was written by
    ``trialwh build`` (a read-only file beside the warehouse), so its stored results are
    trusted like the code that wrote them."""
    blob = _stored(snap).get(_key_text(key))
    if blob is None:
        return MISSING
    try:
        return pickle.loads(blob)  # written by trialwh build, see above
    except Exception:  # any unreadable row: compute the estimate instead
        return MISSING
