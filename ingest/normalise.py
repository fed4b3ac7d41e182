"""Cast the text frame by the project's own rules (contract §1).

For every schema column ``c`` the normalised frame holds ``c__text`` (trimmed text, blank
= missing; enums lower-cased) and ``c`` (the typed value, missing where the text cannot be
cast); decimal and date columns also ``c__problem``, a Danish explanation where a value
cannot be read exactly (a number that fits the column's number style ambiguously, a time
part that is no time). Nothing is guessed: such a value is missing typed. A value
that is present as text but missing typed is a row error found by ``ingest.validate``.
Columns not in the schema are dropped (``ignored_columns`` names them for the load log);
optional columns absent from the file are added as missing.
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


def problem_column(name: str) -> str:
    """Name of the column explaining (in Danish) why a present value of ``name`` could not
    be read exactly (decimal and date columns; missing where there is no such problem)."""
    return f"{name}__problem"


def clean_text(expr: pl.Expr) -> pl.Expr:
    """Trim surrounding spaces; blank (or only spaces) = missing."""
    # ``replace`` costs about half of an equivalent ``when``/``then`` here.
    return expr.str.strip_chars().replace("", None)


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


# Number styles of a decimal column (contract §1): Danish ``1.234.567,89`` / ``1234567,89``
# (decimal comma, optional thousands points) or ``1234567.89`` (decimal point, no grouping).
COMMA_STYLE = r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$"
POINT_STYLE = r"^[+-]?\d+(\.\d+)?$"
# One separator followed by exactly three digits: ``1.140`` and ``1,140`` read differently
# in the two styles (1140 or 1,14), so such values never decide a column's style. Only a
# thousands point in a decimal-comma column (``1.140`` = 1140) is read; otherwise both
# readings are possible and the value is not guessed.
EITHER_STYLE = r"^[+-]?\d{1,3}[.,]\d{3}$"
MAX_DECIMALS = 2


def number_style(text: pl.Series) -> bool | None:
    """A decimal column's style from all its values: ``True`` decimal comma, ``False``
    decimal point, ``None`` undecided.

    Values that fit only one style are that style's evidence; the style with more
    evidence wins. A tie (including no evidence at all) leaves the style undecided.
    """
    comma = text.str.contains(COMMA_STYLE)
    point = text.str.contains(POINT_STYLE)
    either = text.str.contains(EITHER_STYLE)
    n_comma = int((comma & ~point & ~either).sum())
    n_point = int((point & ~comma & ~either).sum())
    if n_comma == n_point:
        return None
    return n_comma > n_point


def _comma_plain(text: pl.Expr) -> pl.Expr:
    return text.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True)


def _point_plain(text: pl.Expr) -> pl.Expr:
    return text.str.replace_all(",", "", literal=True)


def _decimals(plain: pl.Expr) -> pl.Expr:
    """Significant decimals of a plain ``-1234.500`` number (trailing zeros do not count)."""
    fraction = plain.str.extract(r"\.(\d*?)0*$")
    return fraction.str.len_chars().fill_null(0)


def decimal_plain(text: pl.Expr, decimal_comma: bool | None) -> pl.Expr:
    """The value as a plain ``-1234.50`` string when it reads one way only, else missing.

    ``decimal_comma``: the column's style (``number_style``); ``None`` = undecided, then a
    value is read only when both styles agree or just one of them can read it.
    """
    comma = text.str.contains(COMMA_STYLE)
    point = text.str.contains(POINT_STYLE)
    either = text.str.contains(EITHER_STYLE)
    if decimal_comma is True:
        thousands_point = either & text.str.contains(".", literal=True)
        return pl.when(comma & (thousands_point | ~either)).then(_comma_plain(text))
    if decimal_comma is False:
        return pl.when(point & ~either).then(text)
    return pl.when(either).then(None).when(comma).then(_comma_plain(text)).when(point).then(text)


def _reading(plain: pl.Expr) -> pl.Expr:
    """A plain ``-1234.50`` reading written the Danish way (``-1234,50``), or ``ikke et tal``."""
    shown = (
        plain.str.replace(r"^\+", "")
        .str.replace(r"^(-?)0+(\d)", "${1}${2}")
        .str.replace(".", ",", literal=True)
    )
    return (
        pl.when(plain.str.contains(r"^[+-]?\d+(\.\d+)?$"))
        .then(shown)
        .otherwise(pl.lit("ikke et tal"))
    )


def decimal_problem(text: pl.Expr, decimal_comma: bool | None) -> pl.Expr:
    """Why a present value cannot be read exactly (Danish), or missing when it can.

    A value that the column's style cannot read unambiguously names both readings;
    a value with more decimals than øre is not rounded.
    """
    style = {True: "decimalkomma", False: "decimalpunktum", None: "uafklaret"}[decimal_comma]
    plain = decimal_plain(text, decimal_comma)
    readable = text.str.contains(COMMA_STYLE) | text.str.contains(POINT_STYLE)
    both = (
        pl.lit(f"passer ikke entydigt til kolonnens talformat ({style}): ")
        + _quoted_text(text)
        + pl.lit(" kan læses som ")
        + _reading(_comma_plain(text))
        + pl.lit(" (med decimalkomma) eller ")
        + _reading(_point_plain(text))
        + pl.lit(" (med decimalpunktum); værdien gættes ikke")
    )
    return (
        pl.when(plain.is_null() & readable)
        .then(both)
        .when(plain.is_not_null() & (_decimals(plain) > MAX_DECIMALS))
        .then(
            _quoted_text(text)
            + pl.lit(f" har flere end {MAX_DECIMALS} decimaler; værdien afrundes ikke")
        )
        .otherwise(None)
    )


def _quoted_text(text: pl.Expr) -> pl.Expr:
    return pl.lit("'") + text + pl.lit("'")


def cast_decimal(text: pl.Expr, decimal_comma: bool | None) -> pl.Expr:
    """Decimal numbers stored exactly (no float on the way); ``1.140,50`` reads as 1140.50
    with ``decimal_comma``. More than two decimals (after trailing zeros) is missing."""
    plain = decimal_plain(text, decimal_comma)
    return (
        pl.when(plain.str.contains(r"^[+-]?\d{1,10}(\.\d+)?$") & (_decimals(plain) <= MAX_DECIMALS))
        .then(plain.str.replace(r"^\+", ""))
        .otherwise(None)
        .cast(pl.Decimal(12, 2), strict=False)
    )


ISO_WITH_TIME = r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})(:(\d{2})(\.\d+)?)?$"
TIME_PARTS: tuple[tuple[int, str, int], ...] = (
    (2, "timetallet", 23),
    (3, "minuttallet", 59),
    (5, "sekundtallet", 59),
)


def _time_part(text: pl.Expr, group: int) -> pl.Expr:
    return text.str.extract(ISO_WITH_TIME, group).cast(pl.Int32, strict=False)


def valid_time(text: pl.Expr) -> pl.Expr:
    """True where an ISO date-time's time part is a real time (hour ≤ 23, minutes and
    seconds ≤ 59; seconds may be absent)."""
    return pl.all_horizontal(
        _time_part(text, group).fill_null(0) <= highest for group, _, highest in TIME_PARTS
    )


def date_problem(text: pl.Expr) -> pl.Expr:
    """For a date with an impossible time part: which part, in Danish; else missing."""
    has_time = text.str.contains(ISO_WITH_TIME)
    reason = pl.lit(None, pl.String)
    for group, word, highest in reversed(TIME_PARTS):
        part = _time_part(text, group)
        reason = (
            pl.when(has_time & (part > highest))
            .then(
                pl.lit("klokkeslættet i ")
                + _quoted_text(text)
                + pl.lit(f" er ugyldigt: {word} ")
                + text.str.extract(ISO_WITH_TIME, group)
                + pl.lit(f" skal være 00–{highest}")
            )
            .otherwise(reason)
        )
    return reason


def cast_date(text: pl.Expr) -> pl.Expr:
    """``dd-mm-yyyy``, ``dd.mm.yyyy`` or ISO ``yyyy-mm-dd``; an ISO date may carry a time
    (``2019-01-07 07:30[:00]``, also with ``T``), which must be a valid time (then the date
    is kept), else the value is missing."""
    return (
        pl.when(text.str.contains(r"^\d{4}-\d{2}-\d{2}$"))
        .then(text.str.to_date("%Y-%m-%d", strict=False))
        .when(text.str.contains(ISO_WITH_TIME) & valid_time(text))
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


def _typed(column: Column, text: pl.Expr, decimal_comma: bool | None) -> pl.Expr:
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


def normalise(
    frame: pl.DataFrame, source: Source, row_numbers: pl.Series | None = None
) -> pl.DataFrame:
    """Text frame (headers already normalised) → ``source_row_number``, ``c__text`` and ``c``.

    ``row_numbers``: each row's position in the file (blank lines skipped by the reader
    keep their numbers); by default 1, 2, … .
    """
    texts: list[pl.Expr] = []
    for column in source.columns:
        raw = pl.col(column.name) if column.name in frame.columns else pl.lit(None, pl.String)
        text = clean_text(raw)
        if column.dtype == "enum":
            text = text.str.to_lowercase()
        texts.append(text.alias(text_column(column.name)))
    numbers = (
        pl.int_range(1, pl.len() + 1, dtype=pl.Int32)
        if row_numbers is None
        else pl.lit(row_numbers.cast(pl.Int32))
    )
    texted = frame.select(numbers.alias(ROW), *texts)
    plain = plain_columns(texted, source)
    decimal_comma = {
        c.name: number_style(texted[text_column(c.name)].drop_nulls())
        for c in source.columns
        if c.dtype == "decimal" and c.name not in plain
    }
    problems = [
        (
            pl.lit(None, pl.String)
            if c.name in plain
            else decimal_problem(pl.col(text_column(c.name)), decimal_comma[c.name])
            if c.dtype == "decimal"
            else date_problem(pl.col(text_column(c.name)))
        ).alias(problem_column(c.name))
        for c in source.columns
        if c.dtype in ("decimal", "date")
    ]
    return texted.with_columns(
        *(
            (
                plain_typed(c, pl.col(text_column(c.name)))
                if c.name in plain
                else _typed(c, pl.col(text_column(c.name)), decimal_comma.get(c.name))
            ).alias(c.name)
            for c in source.columns
        ),
        *problems,
    )


# The plain spelling of each type: a column whose every value is spelt so (nearly every
# column of every extract) is cast by one conversion instead of the general rules above,
# with the same result (ASCII digits only: ``\d`` in the rules also matches other
# scripts' digits, which take the general path). A plain integer is what ``cast_int``
# casts unchanged; a plain date is the ISO date ``cast_date`` reads first, without a time
# (so no ``date_problem``); a plain decimal has a decimal point and two decimals: never
# decimal-comma style nor ambiguous (``EITHER_STYLE`` needs three decimals), so
# ``number_style`` says decimal point and ``decimal_plain`` keeps it as it is, within
# ``cast_decimal``'s ten integer digits and two decimals (no ``decimal_problem``).
PLAIN: dict[str, str] = {
    "int": r"^[+-]?[0-9]{1,9}$",
    "date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "decimal": r"^-?[0-9]{1,10}\.[0-9]{2}$",
}


def plain_columns(texted: pl.DataFrame, source: Source) -> set[str]:
    """The int, date and decimal columns whose every value is spelt plainly (``PLAIN``)."""
    candidates = [c for c in source.columns if c.dtype in PLAIN]
    if not candidates:
        return set()
    verdict = texted.select(
        pl.col(text_column(c.name)).str.contains(PLAIN[c.dtype]).all().alias(c.name)
        for c in candidates
    )
    return {name for name in verdict.columns if verdict[name][0]}


def plain_typed(column: Column, text: pl.Expr) -> pl.Expr:
    """The typed value of a plainly spelt column (``PLAIN``): what ``_typed`` gives."""
    if column.dtype == "int":
        return text.cast(pl.Int64, strict=False).cast(pl.Int32)
    if column.dtype == "date":
        return text.str.to_date("%Y-%m-%d", strict=False)
    return text.cast(pl.Decimal(12, 2), strict=False)
