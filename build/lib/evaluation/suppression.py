"""Statistical disclosure control for every table managers see (dashboard pages and exports).

The rules (one function, :func:`suppress`, used everywhere):

1. **Primary suppression of counts.** A count between 1 and ``threshold - 1`` (1–4 with the
   default threshold 5) is hidden. Zero is shown: an empty cell discloses nothing about a
   person.
2. **Secondary (complementary) suppression.** When totals are shown next to the table
   (``totals_by``), a single hidden cell in a group could be recovered by subtracting the
   shown cells from the shown total. So, per count column and per group: if exactly one cell
   of the group is hidden, the next-smallest shown cell of that group is hidden too
   (the smallest positive count first; a zero only if no positive count is left). This is
   repeated over all margins until no group has exactly one hidden cell, because hiding a
   cell in one margin can leave another margin with a single hidden cell.
3. **Rates.** A rate (e.g. ``andel_fritaget`` = fritaget / sager) is hidden when its numerator
   or its denominator is below ``threshold`` (including a numerator of 0: a rate is only
   shown when both parts are at least ``threshold``), or when its numerator or denominator
   cell is itself hidden (otherwise ``numerator = rate × denominator`` would recover it).
   Numerator and denominator columns should also be listed in ``counts`` when they are
   displayed.

``totals_by`` describes the margins that are shown: each entry is a column name (or a tuple
of column names) and the cells that share a value of it add up to one shown total; the
empty list ``[]`` means a single grand total per count column over all rows. A group with
a single row cannot be protected by a complement: do not show totals over one cell.

Hidden cells are null in :attr:`Suppressed.data` and ``True`` in :attr:`Suppressed.mask`;
:func:`display` renders them as ``"<5"`` (optionally another marker for
complementary cells).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl

from core.format import Lang, fmt_date, fmt_int, fmt_kr, fmt_kvartal, fmt_num, fmt_pct

_ROW = "__suppression_row"


@dataclass(frozen=True)
class Suppressed:
    """A suppressed table: ``data`` with hidden cells set to null and ``mask`` (True = hidden,
    same columns as ``data``)."""

    data: pl.DataFrame
    mask: pl.DataFrame
    threshold: int = 5
    counts: tuple[str, ...] = ()
    rates: dict[str, tuple[str, str]] = field(default_factory=dict)
    primary: pl.DataFrame | None = None  # True where hidden by the small-number rules

    @property
    def n_hidden(self) -> int:
        """Number of hidden cells."""
        return int(self.mask.select(pl.sum_horizontal(pl.all().cast(pl.Int64)).sum()).item())


def _margins(totals_by: Sequence[str | tuple[str, ...]] | None) -> list[list[str]]:
    if totals_by is None:
        return []
    if len(totals_by) == 0:
        return [[]]
    return [[entry] if isinstance(entry, str) else list(entry) for entry in totals_by]


def _complement_once(
    values: pl.DataFrame, hidden: pl.DataFrame, column: str, margin: list[str]
) -> tuple[pl.Series, bool]:
    """Hide the next-smallest cell in every group of ``margin`` with exactly one hidden cell."""
    frame = values.select([_ROW, *margin, column]).with_columns(hidden[column].alias("__hidden"))
    value = pl.col(column).cast(pl.Float64)
    # Candidates: shown, non-null cells; positive counts before zeros, smallest first.
    score = (
        pl.when(pl.col("__hidden") | value.is_null())
        .then(float("inf"))
        .when(value > 0)
        .then(value)
        .otherwise(1e300)
    )
    over = margin if margin else None
    n_hidden = pl.col("__hidden").cast(pl.Int64).sum()
    chosen_row = pl.col(_ROW).sort_by([score, pl.col(_ROW)]).first()
    best_score = score.min()
    if over is not None:
        n_hidden, chosen_row, best_score = (
            n_hidden.over(over),
            chosen_row.over(over),
            best_score.over(over),
        )
    marked = frame.with_columns(
        (
            (n_hidden == 1)
            & (pl.col(_ROW) == chosen_row)
            & best_score.is_finite()
            & ~pl.col("__hidden")
        ).alias("__extra")
    )
    extra = marked["__extra"]
    return hidden[column] | extra, bool(extra.any())


def suppress(
    df: pl.DataFrame,
    counts: list[str],
    rates: dict[str, tuple[str, str]] | None = None,
    totals_by: Sequence[str | tuple[str, ...]] | None = None,
    threshold: int = 5,
) -> Suppressed:
    """Hide small counts and the rates built on them; add complementary suppression.

    Args:
        df: the table as it would be shown.
        counts: count columns (non-negative integers).
        rates: ``{rate_column: (numerator_column, denominator_column)}``.
        totals_by: the shown margins (see the module docstring); ``None`` = no totals shown.
        threshold: smallest count that may be shown (counts ``1 .. threshold-1`` are hidden).

    Returns:
        :class:`Suppressed` with ``data`` (hidden cells null) and ``mask`` (True = hidden).
    """
    rates = dict(rates or {})
    missing = [c for c in [*counts, *rates] if c not in df.columns]
    missing += [c for pair in rates.values() for c in pair if c not in df.columns]
    if missing:
        raise ValueError(f"columns not in the table: {sorted(set(missing))}")

    values = df.with_row_index(_ROW)
    hidden = pl.DataFrame(
        {
            c: values.select(
                (pl.col(c).is_between(1, threshold - 1, closed="both")).fill_null(False)
            ).to_series()
            for c in counts
        }
    )
    primary_counts = hidden.clone()
    margins = _margins(totals_by)
    changed = True
    while changed and margins:
        changed = False
        for column in counts:
            for margin in margins:
                updated, did_change = _complement_once(values, hidden, column, margin)
                if did_change:
                    hidden = hidden.with_columns(updated.alias(column))
                    changed = True

    masks: dict[str, pl.Series] = {}
    primaries: dict[str, pl.Series] = {}
    for column in df.columns:
        if column in counts:
            masks[column] = hidden[column]
            primaries[column] = primary_counts[column]
        elif column in rates:
            numerator, denominator = rates[column]
            small = values.select(
                ((pl.col(numerator) < threshold) | (pl.col(denominator) < threshold)).fill_null(
                    False
                )
            ).to_series()
            primaries[column] = small
            for part in (numerator, denominator):
                if part in counts:
                    small = small | hidden[part]
            masks[column] = small
        else:
            masks[column] = pl.Series(column, [False] * df.height, dtype=pl.Boolean)
            primaries[column] = masks[column]
    mask = pl.DataFrame([masks[c].alias(c) for c in df.columns])
    primary = pl.DataFrame([primaries[c].alias(c) for c in df.columns])
    data = df.with_columns(
        [
            pl.when(mask[c]).then(None).otherwise(pl.col(c)).alias(c)
            for c in df.columns
            if c in counts or c in rates
        ]
    )
    return Suppressed(
        data=data,
        mask=mask,
        threshold=threshold,
        counts=tuple(counts),
        rates=rates,
        primary=primary,
    )


def _format_value(column: str, value: object, dtype: pl.DataType, s: Suppressed, lang: Lang):
    if value is None:
        return ""
    if column in s.counts:
        return fmt_int(value, lang)
    if column.startswith("andel"):
        return fmt_pct(value, 1, lang)
    if column.endswith("procent"):
        return fmt_pct(value, 1, lang, fraction=False)
    if column.endswith("_kr"):
        return fmt_kr(value, 0, lang)
    if dtype == pl.Date and "kvartal" in column:
        return fmt_kvartal(value, lang)
    if dtype in (pl.Date, pl.Datetime):
        return fmt_date(value, lang)
    if dtype.is_float():
        return fmt_num(value, 1, lang)
    return str(value)


def display(
    suppressed: Suppressed, lang: Lang = "da", secondary_marker: str | None = None
) -> pl.DataFrame:
    """The table as strings for users: hidden cells read ``"<5"`` (``"<threshold"``), numbers
    in Danish notation (counts ``1.234``, ``andel_*`` as ``25,5 %``, ``*procent`` as
    ``18,6 %``, ``*_kr`` as ``1.140 kr.``, other decimals with one decimal, ``kvartal`` dates
    as ``2019K1``, other dates ``dd.mm.yyyy``); missing values are empty strings; other
    columns (codes, names, years) are shown as they are.

    ``secondary_marker`` (e.g. ``"x"``): shown instead of ``"<5"`` in cells hidden only to
    protect another cell (complementary suppression), whose true value may well be 5 or more;
    the report uses it with a legend. By default every hidden cell reads ``"<5"``."""
    hidden_text = f"<{suppressed.threshold}"
    primary = suppressed.primary if suppressed.primary is not None else suppressed.mask
    columns: dict[str, list[str]] = {}
    for column in suppressed.data.columns:
        series = suppressed.data[column]
        hidden = suppressed.mask[column].to_list()
        is_primary = primary[column].to_list()
        cells = []
        for value, is_hidden, small in zip(series.to_list(), hidden, is_primary, strict=True):
            if not is_hidden:
                cells.append(_format_value(column, value, series.dtype, suppressed, lang))
            elif small or secondary_marker is None:
                cells.append(hidden_text)
            else:
                cells.append(secondary_marker)
        columns[column] = cells
    return pl.DataFrame(columns, schema={c: pl.String for c in columns})
