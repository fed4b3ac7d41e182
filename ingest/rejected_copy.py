"""The copy of a rejected file kept under ``<home>/quarantine/files/``, never with a CPR.

A rejected file is kept so its supplier can be told what was wrong, but the rule "a CPR
number is never stored" holds for it too:

- a text file (CSV) is kept byte for byte except that every CPR token (``ingest.cpr``) is
  masked as ``******-****``: encoding, delimiter, line endings and every other value stay
  as they were, so the structural fault that rejected it can still be seen;
- a workbook or Parquet file is kept as a CSV rendering (``<name>.csv``: UTF-8, ``;``,
  first sheet, every cell as text) with columns named ``cpr`` masked in full and CPR
  tokens masked everywhere else: its binary form cannot be masked in place;
- a file that cannot be read at all (binary bytes in a CSV, a broken workbook or Parquet
  file, an unreadable path) is not kept: the load log holds its SHA-256, size and a
  reason saying no copy was kept.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from core.paths import Home
from ingest.cpr import mask_cpr_bytes, mask_cpr_text
from ingest.filenames import printable_name
from ingest.pseudonymise import masked_cpr
from ingest.read import FileUnreadable, detect_encoding, normalise_header, parquet_frame, xlsx_frame

NO_COPY = (
    "filen kan ikke læses og er derfor ikke gemt i karantænemappen "
    "(kun dens sha256 og størrelse er logget)"
)
COPY_FAILED = "en maskeret kopi kunne ikke gemmes i karantænemappen ({error})"


@dataclass(frozen=True)
class RejectedCopy:
    """What to keep of a rejected file: a file name and masked content, or nothing."""

    name: str | None
    content: bytes | None

    @property
    def kept(self) -> bool:
        return self.content is not None


NOTHING = RejectedCopy(None, None)


def masked_text_file(data: bytes) -> bytes | None:
    """A CSV's bytes with every CPR token masked; ``None`` if not text in a known encoding."""
    if b"\x00" in data:  # UTF-16 or binary: digits would not be single bytes
        return None
    try:
        detect_encoding(data)
    except FileUnreadable:
        return None
    return mask_cpr_bytes(data)


def masked_rendering(frame: pl.DataFrame) -> bytes:
    """A text frame as CSV (UTF-8, ``;``): ``cpr`` columns masked whole, CPR tokens elsewhere."""
    masked = frame.with_columns(
        masked_cpr(pl.col(name)).alias(name)
        for name in frame.columns
        if normalise_header(name) == "cpr"
    )
    buffer = io.BytesIO()
    masked.write_csv(buffer, separator=";")
    return mask_cpr_bytes(buffer.getvalue())


def rejected_copy(file_name: str, data: bytes | None) -> RejectedCopy:
    """The masked copy of a rejected file named ``file_name`` with bytes ``data``."""
    if data is None:
        return NOTHING
    name = mask_cpr_text(printable_name(file_name))
    extension = Path(file_name).suffix.lower().lstrip(".")
    if extension in ("xlsx", "parquet"):
        reader = xlsx_frame if extension == "xlsx" else parquet_frame
        try:
            return RejectedCopy(f"{name}.csv", masked_rendering(reader(data)))
        except Exception:  # unreadable (or unrenderable): keep nothing rather than stop
            return NOTHING
    content = masked_text_file(data)
    return NOTHING if content is None else RejectedCopy(name, content)


def write_rejected_copy(home: Home, load_id: str, copy: RejectedCopy) -> str | None:
    """Write ``copy`` as ``quarantine/files/<load_id>_<name>`` (owner-only).

    Returns a Danish note for the load log's reason when nothing was kept (``None`` when
    the copy was written): the file could not be read, or writing the copy failed (a
    full disk must not stop the batch).
    """
    if copy.content is None or copy.name is None:
        return NO_COPY
    folder = home.quarantine_dir / "files"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(home.quarantine_dir, 0o700)
        os.chmod(folder, 0o700)
        target = folder / f"{load_id}_{copy.name}"
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(copy.content)
        os.chmod(target, 0o600)
    except OSError as error:
        return COPY_FAILED.format(error=error.strerror or type(error).__name__)
    return None


def scrub_kept_copies(home: Home) -> int:
    """Mask CPR numbers in copies kept before copies were masked; how many were changed.

    Copies written by earlier versions are whole originals. Each is replaced by what
    ``rejected_copy`` keeps today (a masked CSV, or a masked CSV rendering of a workbook
    or Parquet file) or removed when nothing may be kept. Masked copies are left as
    they are (masking is idempotent), so running this on every ingest is cheap.
    """
    folder = home.quarantine_dir / "files"
    if not folder.is_dir():
        return 0
    changed = 0
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        load_id, _, name = path.name.partition("_")
        data = path.read_bytes()
        copy = rejected_copy(name, data)
        if copy.name == name and copy.content == data:
            continue
        path.unlink()
        if copy.content is not None:
            write_rejected_copy(home, load_id, copy)
        changed += 1
    return changed
