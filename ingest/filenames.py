"""Parse an extract file name: ``<source>_<kommunekode>_<YYYY-MM-DD>.<ext>`` (contract §1)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ingest.schema import SOURCES, WIDE_SOURCES, source_spec

EXTENSIONS: tuple[str, ...] = ("csv", "xlsx", "parquet")

_NAME = re.compile(
    r"^(?P<source>[a-z]+)(?:_(?P<kode>\d{3,4}))?_(?P<date>\d{4}-\d{2}-\d{2})\.(?P<ext>[A-Za-z]+)$",
    re.ASCII,
)


def printable_name(name: str) -> str:
    """``name`` safe to print and log: control and format characters (escape codes, a
    newline, a right-to-left override) shown as ``\\xNN``/``\\uNNNN`` escapes."""
    return "".join(
        ch.encode("unicode_escape").decode("ascii")
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")
        else ch
        for ch in name
    )


class FileNameError(ValueError):
    """The file name does not follow the contract; the message is a Danish reason."""


@dataclass(frozen=True)
class ExtractName:
    """What a file's name says about it."""

    source: str
    kommunekode: int | None
    extract_date: dt.date
    extension: str


def parse_file_name(path: Path | str) -> ExtractName:
    """Source, municipality and extract date from the base name, or ``FileNameError``."""
    name = Path(path).name
    match = _NAME.fullmatch(name)
    if match is None or printable_name(name) != name:
        name = printable_name(name)
        raise FileNameError(
            f"filnavnet '{name}' følger ikke formen "
            "<kilde>_<kommunekode>_<ÅÅÅÅ-MM-DD>.<csv|xlsx|parquet>"
        )
    source = match["source"]
    if source not in SOURCES and source not in WIDE_SOURCES:
        raise FileNameError(f"ukendt kilde '{source}' i filnavnet '{name}'")
    extension = match["ext"].lower()
    if extension not in EXTENSIONS:
        raise FileNameError(f"filtypen '.{match['ext']}' understøttes ikke ('{name}')")
    try:
        extract_date = dt.date.fromisoformat(match["date"])
    except ValueError:
        raise FileNameError(f"udtræksdatoen i filnavnet '{name}' er ikke en gyldig dato") from None
    kode_text = match["kode"]
    per_municipality = source_spec(source).per_municipality
    if per_municipality and kode_text is None:
        raise FileNameError(f"filnavnet '{name}' mangler kommunekoden")
    if not per_municipality and kode_text is not None:
        raise FileNameError(f"kilden '{source}' har ikke en kommunekode i filnavnet ('{name}')")
    kommunekode: int | None = None
    if kode_text is not None:
        if len(kode_text) == 4 and not kode_text.startswith("0"):
            raise FileNameError(f"kommunekoden '{kode_text}' i filnavnet '{name}' er ugyldig")
        kommunekode = int(kode_text)
    return ExtractName(source, kommunekode, extract_date, extension)
