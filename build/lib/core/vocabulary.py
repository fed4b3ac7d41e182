"""The vocabulary: themes, indicators and legal deadlines, read from the seeds.

The seeds in ``seeds/`` (``temaer``, ``indikatorer``, ``frister``) are the one place a theme,
an indicator or a deadline is declared; dbt publishes them to ``reference.*``. Python code
that needs them before a warehouse exists (the generator, the command line's choices, tests)
reads the CSV files through this module; code that runs on a published snapshot may read
``reference.*`` instead: both hold the same rows.

Adding a theme or an indicator is a data change: a row in the seed, nothing here.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from core.paths import SEEDS_DIR

Lang = Literal["da", "en"]
Enhed = Literal["andel", "procent", "kr", "dage", "uger", "antal"]


@dataclass(frozen=True, kw_only=True)
class Tema:
    """A trial theme (seed ``temaer``)."""

    tema: str
    sortering: int
    navn_da: str
    navn_en: str
    kortnavn_da: str
    kortnavn_en: str
    ansoegning: int
    lovomraader: tuple[str, ...]
    hovedindikator: str | None
    beskrivelse_da: str
    beskrivelse_en: str
    kilde: str

    def navn(self, lang: Lang = "da") -> str:
        return self.navn_en if lang == "en" else self.navn_da

    def kortnavn(self, lang: Lang = "da") -> str:
        return self.kortnavn_en if lang == "en" else self.kortnavn_da

    def beskrivelse(self, lang: Lang = "da") -> str:
        return self.beskrivelse_en if lang == "en" else self.beskrivelse_da


@dataclass(frozen=True, kw_only=True)
class Indikator:
    """A headline indicator (seed ``indikatorer``): where it lives and how to read it."""

    indikator: str
    sortering: int
    tema: str | None  # None: every theme (e.g. omgoerelsesprocent)
    navn_da: str
    navn_en: str
    enhed: Enhed
    mart: str
    kolonne: str
    taeller: str | None
    naevner: str | None
    hoejere_er_bedre: bool | None  # None: neither direction is better (uptake)
    er_hovedindikator: bool
    definition_da: str
    definition_en: str
    kilde: str

    def navn(self, lang: Lang = "da") -> str:
        return self.navn_en if lang == "en" else self.navn_da

    def definition(self, lang: Lang = "da") -> str:
        return self.definition_en if lang == "en" else self.definition_da


@dataclass(frozen=True, kw_only=True)
class Frist:
    """A legal deadline (seed ``frister``), in days from the start of ``forloeb``."""

    frist: str
    forloeb: str
    navn_da: str
    navn_en: str
    antal: int
    enhed: str
    dage: int
    maalgruppe: str | None
    kilde: str

    def navn(self, lang: Lang = "da") -> str:
        return self.navn_en if lang == "en" else self.navn_da


def _rows(name: str, seeds_dir: Path) -> list[dict[str, str]]:
    with (seeds_dir / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _blank_none(value: str) -> str | None:
    return value.strip() or None


def _bool(value: str) -> bool | None:
    text = value.strip().lower()
    if not text:
        return None
    if text in ("true", "false"):
        return text == "true"
    raise ValueError(f"expected true/false or blank, got {value!r}")


@cache
def temaer(seeds_dir: Path = SEEDS_DIR) -> tuple[Tema, ...]:
    """Every theme, in the seed's ``sortering`` order."""
    rows = [
        Tema(
            tema=row["tema"],
            sortering=int(row["sortering"]),
            navn_da=row["navn_da"],
            navn_en=row["navn_en"],
            kortnavn_da=row["kortnavn_da"],
            kortnavn_en=row["kortnavn_en"],
            ansoegning=int(row["ansoegning"]),
            lovomraader=tuple(part for part in row["lovomraader"].split("|") if part),
            hovedindikator=_blank_none(row["hovedindikator"]),
            beskrivelse_da=row["beskrivelse_da"],
            beskrivelse_en=row["beskrivelse_en"],
            kilde=row["kilde"],
        )
        for row in _rows("temaer", seeds_dir)
    ]
    return tuple(sorted(rows, key=lambda tema: tema.sortering))


def tema_koder(seeds_dir: Path = SEEDS_DIR) -> tuple[str, ...]:
    """The theme codes, in order."""
    return tuple(tema.tema for tema in temaer(seeds_dir))


def tema(kode: str, seeds_dir: Path = SEEDS_DIR) -> Tema:
    """One theme by code; a clear error naming the known codes otherwise."""
    for candidate in temaer(seeds_dir):
        if candidate.tema == kode:
            return candidate
    raise KeyError(f"ukendt tema {kode!r}; kendte temaer: {', '.join(tema_koder(seeds_dir))}")


@cache
def indikatorer(seeds_dir: Path = SEEDS_DIR) -> tuple[Indikator, ...]:
    """Every indicator, in the seed's ``sortering`` order."""
    rows = [
        Indikator(
            indikator=row["indikator"],
            sortering=int(row["sortering"]),
            tema=_blank_none(row["tema"]),
            navn_da=row["navn_da"],
            navn_en=row["navn_en"],
            enhed=row["enhed"],  # type: ignore[arg-type]  # checked by the seed's dbt tests
            mart=row["mart"],
            kolonne=row["kolonne"],
            taeller=_blank_none(row["taeller"]),
            naevner=_blank_none(row["naevner"]),
            hoejere_er_bedre=_bool(row["hoejere_er_bedre"]),
            er_hovedindikator=bool(_bool(row["er_hovedindikator"])),
            definition_da=row["definition_da"],
            definition_en=row["definition_en"],
            kilde=row["kilde"],
        )
        for row in _rows("indikatorer", seeds_dir)
    ]
    return tuple(sorted(rows, key=lambda indikator: indikator.sortering))


def indikator(kode: str, seeds_dir: Path = SEEDS_DIR) -> Indikator:
    """One indicator by code."""
    for candidate in indikatorer(seeds_dir):
        if candidate.indikator == kode:
            return candidate
    raise KeyError(f"ukendt indikator {kode!r}")


def indikatorer_for_tema(tema_kode: str, seeds_dir: Path = SEEDS_DIR) -> tuple[Indikator, ...]:
    """The theme's own indicators first, then those that concern every theme."""
    alle = indikatorer(seeds_dir)
    return tuple(i for i in alle if i.tema == tema_kode) + tuple(i for i in alle if i.tema is None)


@cache
def frister(seeds_dir: Path = SEEDS_DIR) -> tuple[Frist, ...]:
    """Every legal deadline."""
    return tuple(
        Frist(
            frist=row["frist"],
            forloeb=row["forloeb"],
            navn_da=row["navn_da"],
            navn_en=row["navn_en"],
            antal=int(row["antal"]),
            enhed=row["enhed"],
            dage=int(row["dage"]),
            maalgruppe=_blank_none(row["maalgruppe"]),
            kilde=row["kilde"],
        )
        for row in _rows("frister", seeds_dir)
    )


def frist(kode: str, seeds_dir: Path = SEEDS_DIR) -> Frist:
    """One deadline by code."""
    for candidate in frister(seeds_dir):
        if candidate.frist == kode:
            return candidate
    raise KeyError(f"ukendt frist {kode!r}")
