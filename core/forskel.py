"""A difference between the trial and the control group in an indicator's own unit
(percentage points, kroner, days), its 95 % interval and one plain verdict sentence — the
same words on the dashboard's Overblik and in the evaluation report.

Names, units and directions come from the vocabulary (seed ``indikatorer``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from core.format import fmt_num
from core.vocabulary import Indikator, Lang


def tr(lang: Lang, da: str, en: str) -> str:
    return en if lang == "en" else da


# Every unit of the vocabulary (seed ``indikatorer``, column ``enhed``) is declared here
# once: unit → (scale applied to an estimate, decimals, Danish, English unit of a
# difference). Shares are fractions 0–1 in the marts, reversal rates percent 0–100
# (contract §4); a count's difference has no unit word.
ENHEDER: dict[str, tuple[float, int, str, str]] = {
    "andel": (100.0, 1, "procentpoint", "percentage points"),
    "procent": (1.0, 1, "procentpoint", "percentage points"),
    "kr": (1.0, 0, "kr.", "DKK"),
    "dage": (1.0, 1, "dage", "days"),
    "uger": (1.0, 1, "uger", "weeks"),
    "antal": (1.0, 1, "", ""),
}

# unit → (Danish, English) title of a chart's value axis.
AKSE_TITLER: dict[str, tuple[str, str]] = {
    "andel": ("%", "%"),
    "procent": ("%", "%"),
    "kr": ("kr.", "DKK"),
    "dage": ("Dage", "Days"),
    "uger": ("Uger", "Weeks"),
    "antal": ("Antal", "Number"),
}


def med_enhed(tal: str, enhed: str, lang: Lang) -> str:
    """``tal`` followed by the unit of a difference in ``enhed`` (``4,2 procentpoint``;
    a count alone: ``3,0``)."""
    _, _, da, en = ENHEDER[enhed]
    word = tr(lang, da, en)
    return f"{tal} {word}" if word else tal


def forskel_tekst(value: float, enhed: str, lang: Lang, *, unit: bool = True) -> str:
    """An estimate (a fraction for a share, as in the marts) in ``enhed``'s display unit
    and decimals (``33,3 procentpoint``; without ``unit`` only the number)."""
    scale, decimals, _, _ = ENHEDER[enhed]
    text = fmt_num(value * scale, decimals, lang)
    return med_enhed(text, enhed, lang) if unit else text


@dataclass(frozen=True, kw_only=True)
class Forskel:
    """Trial minus control (difference-in-differences) in the indicator's display unit."""

    indikator: Indikator
    estimat: float
    lav: float
    hoej: float

    @classmethod
    def from_result(cls, indikator: Indikator, result: Any) -> Forskel | None:
        """From an :class:`evaluation.did.DidResult`; None if the estimate is not finite. An
        interval end may be infinite: with few trial municipalities the randomisation
        interval can be unbounded."""
        if result is None or not math.isfinite(result.att):
            return None
        scale = ENHEDER[indikator.enhed][0]
        return cls(
            indikator=indikator,
            estimat=result.att * scale,
            lav=result.ci_low * scale,
            hoej=result.ci_high * scale,
        )

    def _num(self, value: float, lang: Lang, signed: bool = False) -> str:
        if math.isinf(value):
            return "∞" if value > 0 else "−∞"
        decimals = ENHEDER[self.indikator.enhed][1]
        text = fmt_num(value, decimals, lang)
        return f"+{text}" if signed and round(value, decimals) > 0 else text

    def value(self, lang: Lang) -> str:
        """``+4,2 procentpoint``."""
        return med_enhed(self._num(self.estimat, lang, signed=True), self.indikator.enhed, lang)

    def interval(self, lang: Lang) -> str:
        """``95 %-interval: 1,0 til 7,4 procentpoint``."""
        if not self.has_interval:
            return tr(lang, "95 %-interval: kan ikke beregnes", "95% interval: cannot be computed")
        low, high = self._num(self.lav, lang, True), self._num(self.hoej, lang, True)
        return tr(
            lang,
            f"95 %-interval: {low} til {med_enhed(high, self.indikator.enhed, lang)}",
            f"95% interval: {low} to {med_enhed(high, self.indikator.enhed, lang)}",
        )

    @property
    def has_interval(self) -> bool:
        """False when an end of the interval is not a number (it could not be computed)."""
        return not (math.isnan(self.lav) or math.isnan(self.hoej))

    @property
    def is_bounded(self) -> bool:
        """False when an end of the interval is infinite (too few municipalities)."""
        return math.isfinite(self.lav) and math.isfinite(self.hoej)

    @property
    def is_sure(self) -> bool:
        """True when the 95 % interval excludes zero."""
        return self.lav > 0 or self.hoej < 0

    def verdict(self, lang: Lang) -> str:
        """One plain sentence: how far above or below the control group, and whether that is
        a clear improvement, a clear worsening, or could be chance."""
        size = med_enhed(self._num(abs(self.estimat), lang), self.indikator.enhed, lang)
        above = self.estimat > 0
        side = (
            tr(lang, f"{size} over", f"{size} above")
            if above
            else tr(lang, f"{size} under", f"{size} below")
        )
        if round(self.estimat, ENHEDER[self.indikator.enhed][1]) == 0:
            side = tr(lang, "på niveau med", "level with")
        lead = tr(
            lang,
            f"Forsøgskommunerne ligger {side} kontrolgruppen (udviklingen fra før til "
            "under forsøget).",
            f"The trial municipalities are {side} the control group (the change from "
            "before to during the trial).",
        )
        if not self.has_interval:
            return (
                lead
                + " "
                + tr(
                    lang,
                    "Intervallet kan ikke beregnes med disse tal, så det kan ikke afgøres, om "
                    "forskellen er mere end tilfældigheder.",
                    "The interval cannot be computed from these figures, so it cannot be told "
                    "whether the difference is more than chance.",
                )
            )
        if not self.is_bounded:
            return (
                lead
                + " "
                + tr(
                    lang,
                    "Intervallet er ubegrænset: der er for få kommuner til at afgøre, om "
                    "forskellen er mere end tilfældigheder.",
                    "The interval is unbounded: there are too few municipalities to tell "
                    "whether the difference is more than chance.",
                )
            )
        if not self.is_sure:
            return (
                lead
                + " "
                + tr(
                    lang,
                    "Forskellen kan skyldes tilfældigheder: intervallet rummer 0.",
                    "The difference may be chance: the interval includes 0.",
                )
            )
        better = self.indikator.hoejere_er_bedre
        if better is None:
            return (
                lead
                + " "
                + tr(
                    lang,
                    "Forskellen er sikker (intervallet rummer ikke 0); her er ingen retning bedre.",
                    "The difference is clear (the interval excludes 0); neither direction is "
                    "better here.",
                )
            )
        good = above == better
        return (
            lead
            + " "
            + tr(
                lang,
                f"Det er en sikker {'forbedring' if good else 'forværring'} "
                "(intervallet rummer ikke 0).",
                f"That is a clear {'improvement' if good else 'worsening'} (the interval "
                "excludes 0).",
            )
        )
