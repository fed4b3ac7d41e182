"""Read an extract file into a polars frame with every column as text.

Encoding and delimiter are detected from the bytes, not guessed from the extension.
Any structural problem (unreadable, empty, ragged or truncated rows, duplicate
headers) raises ``FileUnreadable`` with a Danish reason; the file is then rejected whole.
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass

import polars as pl

DELIMITERS: tuple[str, ...] = (";", ",", "\t", "|")


class FileUnreadable(ValueError):
    """The file cannot be read as a table; the message is a Danish reason."""


@dataclass(frozen=True)
class TextTable:
    """A file's rows as text, with how it was read."""

    frame: pl.DataFrame
    encoding: str | None
    delimiter: str | None


def detect_encoding(data: bytes) -> str:
    """``utf-8-sig`` (BOM), ``utf-8`` if the bytes decode as such, else ``cp1252``."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        raise FileUnreadable(
            "filens tegnsæt kan ikke genkendes (hverken UTF-8 eller Windows-1252)"
        ) from None
    return "cp1252"


def detect_delimiter(header: str) -> str:
    """The candidate delimiter occurring most often in the header line."""
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    if counts[best] == 0:
        raise FileUnreadable(
            "filens kolonneadskiller kan ikke genkendes (kun én kolonne i linje 1)"
        )
    return best


def normalise_header(name: str) -> str:
    """Header cleanup: BOM and surrounding spaces removed, lower case, inner spaces as ``_``."""
    return re.sub(r"\s+", "_", name.replace("\ufeff", "").strip().lower())


def _check_field_counts(lines: pl.Series, delimiter: str, n_fields: int, quoted: bool) -> None:
    """Reject ragged or truncated files: every non-blank line must have the header's fields."""
    unquoted = lines.str.replace_all(r'"[^"]*"', "") if quoted else lines
    counts = unquoted.str.count_matches(delimiter, literal=True) + 1
    bad = (counts != n_fields) & (lines.str.strip_chars() != "")
    if bad.any():
        line_no = int(bad.arg_true()[0]) + 2
        found = int(counts.filter(bad)[0])
        raise FileUnreadable(
            f"filen er afkortet eller ujævn: linje {line_no} har {found} felter, "
            f"overskriften har {n_fields}"
        )


def read_csv_text(data: bytes) -> TextTable:
    """CSV bytes → text frame (header normalised, values untouched).

    polars parses the bytes (UTF-8 as they are, BOM cut off; Windows-1252 decoded and
    re-encoded once; CR line ends made LF). A line with more fields than the header
    makes polars fail; one with fewer is padded silently, so the delimiters are counted:
    in a file without quotes, header and rows with exactly the header's fields hold
    (fields − 1) × (rows + 1) delimiters in total. Only when that count does not add up
    (or quotes may hide delimiters, or polars fails) is every line checked one by one to
    name the first bad line.
    """
    if b"\x00" in data:
        raise FileUnreadable("filen er ikke en tekstfil (indeholder binære data)")
    encoding = detect_encoding(data)
    text = data.decode(encoding)
    if text.strip() == "":
        raise FileUnreadable("filen er tom")
    if encoding == "utf-8":
        utf8 = data
    elif encoding == "utf-8-sig":
        utf8 = data[len(codecs.BOM_UTF8) :]
    else:
        utf8 = text.encode("utf-8")
    del text
    if b"\r" in utf8:
        utf8 = utf8.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    header = utf8.split(b"\n", 1)[0].decode("utf-8")
    delimiter = detect_delimiter(header)
    n_fields = header.count(delimiter) + 1
    try:
        frame = pl.read_csv(
            io.BytesIO(utf8),
            separator=delimiter,
            infer_schema=False,
            has_header=True,
            truncate_ragged_lines=False,
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError as error:
        _check_lines(utf8, delimiter, n_fields)  # names the ragged line, if that is it
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise FileUnreadable(f"filen kan ikke læses som CSV ({first})") from None
    balanced = b'"' not in utf8 and utf8.count(delimiter.encode("ascii")) == (n_fields - 1) * (
        frame.height + 1
    )
    if not balanced:
        _check_lines(utf8, delimiter, n_fields)
    return TextTable(_normalise_columns(frame), encoding, delimiter)


def _check_lines(utf8: bytes, delimiter: str, n_fields: int) -> None:
    """Field count of every line after the header (``FileUnreadable`` on the first bad one)."""
    body = utf8.split(b"\n", 1)[1].decode("utf-8") if b"\n" in utf8 else ""
    if not body.strip():
        return
    lines = pl.Series("line", [body.rstrip("\n")]).str.split("\n").explode()
    quoted = '"' in body
    # A quoted field spanning lines makes line counts meaningless; polars checks those.
    if not quoted or not (lines.str.count_matches('"', literal=True) % 2 == 1).any():
        _check_field_counts(lines, delimiter, n_fields, quoted)


def xlsx_frame(data: bytes) -> pl.DataFrame:
    """First sheet of a workbook, header in the first row as written, every cell as text."""
    try:
        frame = pl.read_excel(
            io.BytesIO(data),
            sheet_id=1,
            engine="calamine",
            infer_schema_length=0,
            raise_if_empty=False,
        )
    except Exception as error:  # any reader error means the file is unreadable
        raise FileUnreadable(f"regnearket kan ikke læses ({type(error).__name__})") from None
    return frame.select(pl.all().cast(pl.String))


def parquet_frame(data: bytes) -> pl.DataFrame:
    """A Parquet file with every column cast to text, names as written."""
    try:
        frame = pl.read_parquet(io.BytesIO(data))
    except Exception as error:  # any reader error means the file is unreadable
        raise FileUnreadable(f"parquet-filen kan ikke læses ({type(error).__name__})") from None
    return frame.select(pl.all().cast(pl.String))


def read_xlsx_text(data: bytes) -> TextTable:
    """First sheet of a workbook, header in the first row, every cell as text."""
    return TextTable(_normalise_columns(xlsx_frame(data)), None, None)


def read_parquet_text(data: bytes) -> TextTable:
    """A Parquet file with every column cast to text."""
    return TextTable(_normalise_columns(parquet_frame(data)), None, None)


def _normalise_columns(frame: pl.DataFrame) -> pl.DataFrame:
    names = [normalise_header(c) for c in frame.columns]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise FileUnreadable(f"kolonnen/kolonnerne {', '.join(duplicated)} forekommer flere gange")
    return frame.rename(dict(zip(frame.columns, names, strict=True)))


def read_text_table(data: bytes, extension: str) -> TextTable:
    """Read a file's bytes by its format; every column as text."""
    if not data:
        raise FileUnreadable("filen er tom")
    if extension == "csv":
        table = read_csv_text(data)
    elif extension == "xlsx":
        table = read_xlsx_text(data)
    elif extension == "parquet":
        table = read_parquet_text(data)
    else:
        raise FileUnreadable(f"filtypen '.{extension}' understøttes ikke")
    if table.frame.width == 0:
        raise FileUnreadable("filen har ingen kolonneoverskrifter")
    return table
