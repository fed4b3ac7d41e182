"""Read an extract file into a polars frame with every column as text.

Encoding and delimiter are detected from the bytes, not guessed from the extension.
Any structural problem (unreadable, empty, ragged or truncated rows, duplicate
headers, nested Parquet columns) raises ``FileUnreadable`` with a Danish reason; the file
is then rejected whole. Blank lines (every field empty or spaces; in a workbook, empty
rows) are skipped and counted; the rows kept keep their position in the file as
``row_numbers`` (1 = first line after the header).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from dataclasses import dataclass

import polars as pl

from ingest.cpr import mask_cpr_text

DELIMITERS: tuple[str, ...] = (";", ",", "\t", "|")


class FileUnreadable(ValueError):
    """The file cannot be read as a table; the message is a Danish reason."""


@dataclass(frozen=True)
class TextTable:
    """A file's rows as text, with how it was read."""

    frame: pl.DataFrame
    encoding: str | None
    delimiter: str | None
    row_numbers: pl.Series | None = None  # position in the file of each row kept
    blank_rows: int = 0  # blank lines (empty rows) skipped


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
    # polars renames a repeated name (``a_duplicated_0``): check the names as written.
    _check_duplicate_headers(next(csv.reader([header], delimiter=delimiter)))
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
    return _without_blank_rows(_normalise_columns(frame), encoding, delimiter)


def _without_blank_rows(frame: pl.DataFrame, encoding: str | None, delimiter: str | None):
    """The table without its blank rows (every field missing or spaces), counted."""
    if frame.width == 0:
        return TextTable(frame, encoding, delimiter)
    numbers = pl.int_range(1, frame.height + 1, dtype=pl.Int32, eager=True).alias("row")
    # A blank row is blank in its first field too: only when some first field is blank
    # are all fields looked at (nearly every file has no blank row).
    first = frame.select(pl.first().str.strip_chars().fill_null("") == "").to_series()
    if not first.any():
        return TextTable(frame, encoding, delimiter, numbers, 0)
    blank = frame.select(
        pl.all_horizontal(pl.all().str.strip_chars().fill_null("") == "").alias("blank")
    )["blank"]
    n_blank = int(blank.sum())
    if n_blank == 0:
        return TextTable(frame, encoding, delimiter, numbers, 0)
    return TextTable(frame.filter(~blank), encoding, delimiter, numbers.filter(~blank), n_blank)


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


def _xlsx_rows(data: bytes) -> tuple[list[str], pl.DataFrame]:
    """First sheet: the header row's names as written and the rows below as text.

    Read without a header so that a repeated name is seen as written (the reader would
    rename it) and empty rows are kept (to be counted). A formula cell without a stored
    result has no value: it is read as missing, never as 0.
    """
    try:
        sheet = pl.read_excel(
            io.BytesIO(data),
            sheet_id=1,
            engine="calamine",
            has_header=False,
            infer_schema_length=0,
            drop_empty_rows=False,
            raise_if_empty=False,
        )
    except Exception as error:  # any reader error means the file is unreadable
        raise FileUnreadable(f"regnearket kan ikke læses ({type(error).__name__})") from None
    sheet = sheet.select(pl.all().cast(pl.String))
    if sheet.height == 0:
        return [], pl.DataFrame()
    header = sheet.row(0)
    names = [
        str(v) if v is not None and str(v).strip() else f"__UNNAMED__{i}"
        for i, v in enumerate(header)
    ]
    body = sheet.slice(1)
    return names, body


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        count = seen.get(name, 0)
        seen[name] = count + 1
        unique.append(name if count == 0 else f"{name}_{count}")
    return unique


def xlsx_frame(data: bytes) -> pl.DataFrame:
    """First sheet of a workbook, header in the first row as written, every cell as text.

    A repeated name gets a ``_1`` suffix here (a frame's names are unique); use
    ``read_xlsx_text`` to refuse such a file.
    """
    names, body = _xlsx_rows(data)
    return body.rename(dict(zip(body.columns, _unique_names(names), strict=True)))


NESTED_WORDS: dict[type[pl.DataType], str] = {
    pl.List: "en liste",
    pl.Array: "en liste",
    pl.Struct: "en struktur (struct)",
}


def _nested_columns(frame: pl.DataFrame) -> list[tuple[str, str]]:
    """(name, Danish word for the kind) of the columns that hold more than one value a cell."""
    return [
        (name, NESTED_WORDS[dtype.base_type()])
        for name, dtype in frame.schema.items()
        if dtype.base_type() in NESTED_WORDS
    ]


def _parquet_read(data: bytes) -> pl.DataFrame:
    try:
        return pl.read_parquet(io.BytesIO(data))
    except Exception as error:  # any reader error means the file is unreadable
        raise FileUnreadable(f"parquet-filen kan ikke læses ({type(error).__name__})") from None


def parquet_frame(data: bytes) -> pl.DataFrame:
    """A Parquet file with every column cast to text, names as written (a nested column
    rendered as JSON text, so a rejected file can still be shown)."""
    frame = _parquet_read(data)
    nested = {name for name, _ in _nested_columns(frame)}
    return frame.select(
        (
            pl.struct(pl.col(name))
            .struct.json_encode()
            .str.slice(len(json.dumps(name)) + 2)
            .str.strip_suffix("}")
            .alias(name)
            if name in nested
            else pl.col(name).cast(pl.String)
        )
        for name in frame.columns
    )


def read_xlsx_text(data: bytes) -> TextTable:
    """First sheet of a workbook, header in the first row, every cell as text."""
    names, body = _xlsx_rows(data)
    _check_duplicate_headers(names)
    frame = body.rename(dict(zip(body.columns, names, strict=True)))
    return _without_blank_rows(_normalise_columns(frame), None, None)


def read_parquet_text(data: bytes) -> TextTable:
    """A Parquet file with every column cast to text; a nested (list/struct) column
    makes the file unreadable, naming the column."""
    frame = _parquet_read(data)
    nested = _nested_columns(frame)
    if nested:
        named = ", ".join(f"'{mask_cpr_text(name)}' er {word}" for name, word in nested)
        raise FileUnreadable(
            f"parquet-filen har indlejrede kolonner ({named}); hver celle skal rumme én "
            "enkelt værdi (tekst, tal eller dato)"
        )
    try:
        text = frame.select(pl.all().cast(pl.String))
    except pl.exceptions.PolarsError:
        kinds = ", ".join(f"'{mask_cpr_text(n)}' ({t})" for n, t in frame.schema.items())
        raise FileUnreadable(
            f"parquet-filen har kolonner, der ikke kan læses som tekst: {kinds}"
        ) from None
    return _without_blank_rows(_normalise_columns(text), None, None)


def _check_duplicate_headers(names: list[str]) -> None:
    """Refuse a header naming a column twice (also after case and space cleanup)."""
    normalised = [normalise_header(n) for n in names]
    duplicated = sorted({n for n in normalised if normalised.count(n) > 1})
    if duplicated:
        shown = ", ".join(mask_cpr_text(n) for n in duplicated)
        raise FileUnreadable(
            f"kolonnen/kolonnerne {shown} forekommer flere gange i overskriften; "
            "filen afvises, da det ikke kan afgøres, hvilken der gælder"
        )


def _normalise_columns(frame: pl.DataFrame) -> pl.DataFrame:
    names = [normalise_header(c) for c in frame.columns]
    _check_duplicate_headers(frame.columns)
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
