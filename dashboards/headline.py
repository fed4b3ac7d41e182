"""Overblik's headline: for each main indicator of the chosen theme, trial vs control as the
difference-in-differences estimate (``evaluation.did`` through :func:`dashboards.effects.
did_headline`, the same estimate the Effekt page shows) with its 95 % interval, in the
indicator's own unit (percentage points, kroner or days), and one plain verdict sentence
(:class:`core.forskel.Forskel`, shared with the report).

Which indicators, their names, units, directions and definitions come from the vocabulary
(seed ``indikatorer``; the theme's ``hovedindikator`` from seed ``temaer`` first).
"""

from __future__ import annotations

from core import vocabulary
from core.forskel import ENHEDER, Forskel
from core.vocabulary import Indikator
from dashboards import queries
from dashboards.effects import OUTCOMES

__all__ = ["ENHEDER", "MAX_TILES", "Forskel", "tile_indicators"]

MAX_TILES = 4


def tile_indicators(tema: str, kolonner: list[str]) -> list[Indikator]:
    """The theme's main indicators that the panel holds in ``kolonner`` (the theme's
    headline indicator first, then the vocabulary's order), at most :data:`MAX_TILES`."""
    panel = queries.PANEL.removeprefix("marts.")
    candidates = [
        ind
        for ind in vocabulary.indikatorer_for_tema(tema)
        if ind.er_hovedindikator
        and ind.mart == panel
        and ind.kolonne in OUTCOMES
        and ind.kolonne in kolonner
    ]
    hoved = vocabulary.tema(tema).hovedindikator
    candidates.sort(key=lambda ind: ind.indikator != hoved)
    return candidates[:MAX_TILES]
