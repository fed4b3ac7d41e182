"""Cast the text frame by the project's own rules (contract §1).

For every schema column ``c`` the normalised frame holds ``c__text`` (trimmed text, blank
= missing; enums lower-cased) and ``c`` (the typed value, missing where the text cannot be
cast). A value that is present as text but missing typed is a row error found by
``ingest.validate``. Columns not in the schema are dropped (``ignored_columns`` names
them for the load log); optional columns absent from the file are added as missing.
"""

from __future__ import annotations

import polars as pl

from ingest.cpr import mask_cpr_text
from ingest.schema import Column, Source

ROW = "source_row_number"
TRUE_WORDS: tuple[str, ...] = ("j", "ja", "1", "1.0", "true", "sand", "y", "yes")
FALSE_WORDS: tuple[str, ...] = ("n", "nej", "0", "0.0", "false", "falsk", "no")
POLARS_TYPES: dict[str, pl.DataType] = {
    "text": pl.String(),
    "enum": pl.String(),
    "int": pl.Int32(),
    "date": pl.Date(),
    "bool": pl.Boolean(),
    "decimal": pl.Decimal(12, 2),
}


def text_column(name: str) -> str:
    """Name of the normalised-text companion of column ``name``."""
    return f"{name}__text"


def clean_text(expr: pl.Expr) -> pl.Expr:
    """Trim surrounding spaces; blank (or only spaces) = missing."""
    stripped = expr.str.strip_chars()
    return pl.when(stripped == "").then(None).otherwise(stripped)


def cast_int(text: pl.Expr) -> pl.Expr:
    """Whole numbers; ``1.234`` thousands separators and a spreadsheet's ``851.0`` accepted."""
    plain = (
        pl.when(text.str.contains(r"^[+-]?\d{1,3}(\.\d{3})+$"))
        .then(text.str.replace_all(".", "", literal=True))
        .when(text.str.contains(r"^[+-]?\d+\.0$"))
        .then(text.str.replace(r"\.0$", ""))
        .otherwise(text)
    )
    return (
        pl.when(plain.str.contains(r"^[+-]?\d{1,9}$"))
        .then(plain.cast(pl.Int64, strict=False))
        .otherwise(None)
        .cast(pl.Int32)
    )


def cast_decimal(text: pl.Expr, decimal_comma: bool) -> pl.Expr:
    """Decimal numbers, rounded to øre. With ``decimal_comma`` ``1.140,50`` reads as 1140.50."""
    plain = (
        text.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True)
        if decimal_comma
        else text
    )
    return (
        pl.when(plain.str.contains(r"^[+-]?\d{1,10}(\.\d+)?$"))
        .then(plain.cast(pl.Float64, strict=False).round(2))
        .otherwise(None)
        .cast(pl.Decimal(12, 2))
    )


def cast_date(text: pl.Expr) -> pl.Expr:
    """``dd-mm-yyyy``, ``dd.mm.yyyy`` or ISO ``yyyy-mm-dd`` (a time part after ISO ignored)."""
    return (
        pl.when(text.str.contains(r"^\d{4}-\d{2}-\d{2}$"))
        .then(text.str.to_date("%Y-%m-%d", strict=False))
        .when(text.str.contains(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"))
        .then(text.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False))
        .when(text.str.contains(r"^\d{1,2}-\d{1,2}-\d{4}$"))
        .then(text.str.to_date("%d-%m-%Y", strict=False))
        .when(text.str.contains(r"^\d{1,2}\.\d{1,2}\.\d{4}$"))
        .then(text.str.to_date("%d.%m.%Y", strict=False))
        .otherwise(None)
    )


BOOL_WORDS: dict[str, bool] = {w: True for w in TRUE_WORDS} | {w: False for w in FALSE_WORDS}


def cast_bool(text: pl.Expr) -> pl.Expr:
    """``J``/``N``, ``Ja``/``Nej``, ``1``/``0`` (and true/false), any case (one lookup a row)."""
    return text.str.to_lowercase().replace_strict(BOOL_WORDS, default=None, return_dtype=pl.Boolean)


def cast_enum(text_lower: pl.Expr, values: tuple[str, ...]) -> pl.Expr:
    """The canonical spelling of a case-insensitively matching value, else missing."""
    mapping = {v.lower(): v for v in values}
    return text_lower.replace_strict(mapping, default=None, return_dtype=pl.String)


def _typed(column: Column, text: pl.Expr, decimal_comma: bool) -> pl.Expr:
    if column.dtype == "int":
        return cast_int(text)
    if column.dtype == "decimal":
        return cast_decimal(text, decimal_comma)
    if column.dtype == "date":
        return cast_date(text)
    if column.dtype == "bool":
        return cast_bool(text)
    if column.dtype == "enum":
        return cast_enum(text, column.enum or ())
    return text


def ignored_columns(frame: pl.DataFrame, source: Source) -> list[str]:
    """Columns of the file that are not in the schema (dropped), in file order.

    Names are logged and shown, so a CPR-shaped part of a name is masked.
    """
    known = set(source.column_names)
    return [mask_cpr_text(c) for c in frame.columns if c not in known]


def missing_columns(frame: pl.DataFrame, source: Source) -> list[str]:
    """Columns the file must have (``Column.in_file``) but does not."""
    return [c.name for c in source.columns if c.in_file and c.name not in frame.columns]


def normalise(frame: pl.DataFrame, source: Source) -> pl.DataFrame:
    """Text frame (headers already normalised) → ``source_row_number``, ``c__text`` and ``c``."""
    texts: list[pl.Expr] = []
    for column in source.columns:
        raw = pl.col(column.name) if column.name in frame.columns else pl.lit(None, pl.String)
        text = clean_text(raw)
        if column.dtype == "enum":
            text = text.str.to_lowercase()
        texts.append(text.alias(text_column(column.name)))
    texted = frame.select(pl.int_range(1, pl.len() + 1, dtype=pl.Int32).alias(ROW), *texts)
    decimal_comma = {
        c.name: bool(texted[text_column(c.name)].str.contains(",", literal=True).any())
        for c in source.columns
        if c.dtype == "decimal"
    }
    return texted.with_columns(
        _typed(c, pl.col(text_column(c.name)), decimal_comma.get(c.name, False)).alias(c.name)
        for c in source.columns
    )
