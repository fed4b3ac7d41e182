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
3. **Additive relations and the closure check.** ``relations`` lists the columns that add
   up within a row (``("sager_omfattet", ("attest_indhentet", "attest_fravalgt"))``: the
   first is the sum of the others), and every shown margin total adds up over its group.
   Together they are a system of linear equations in the hidden cells; after the
   group-by-group complements, every hidden cell is checked against the whole system (a
   null-space test), and while any hidden cell is still determined by it (e.g. omfattet
   93 − indhentet 82 = fravalgt 11), the smallest shown cell of an equation holding it is
   hidden too. This repeats until no hidden cell can be recomputed.
4. **Rates.** A rate (e.g. ``andel_fritaget`` = fritaget / sager) is hidden when its
   denominator is 1 to ``threshold - 1``, its numerator is 1 to ``threshold - 1`` (a share of
   zero cases is shown: 0 % of 498 discloses no one), or when its numerator or denominator
   cell is itself hidden (otherwise ``numerator = rate × denominator`` would recover it).
   Numerator and denominator columns should also be listed in ``counts`` when they are
   displayed.
5. **Amounts and durations** (``follows``: kroner, days) are never hidden for their own
   size; they are hidden exactly when one of the count cells they are computed from is
   (a fee × a hidden count would give the count back).

``totals_by`` describes the margins that are shown: each entry is a column name (or a tuple
of column names) and the cells that share a value of it add up to one shown total; the
empty list ``[]`` means a single grand total per count column over all rows. A group with
a single row cannot be protected by a complement: do not show totals over one cell.

Hidden cells are null in :attr:`Suppressed.data` and ``True`` in :attr:`Suppressed.mask`;
:func:`display` renders them as ``"·"`` (``HIDDEN``; the table's footnote,
``FOOTNOTE_DA``/``FOOTNOTE_EN``, explains it), optionally another marker for complementary
cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from core.format import Lang, fmt_date, fmt_int, fmt_kr, fmt_kvartal, fmt_num, fmt_pct

_ROW = "__suppression_row"
HIDDEN = "·"
FOOTNOTE_DA = (
    "· = skjult for at beskytte personer: antal 1–4, andele af færre end 5 sager, og tal "
    "der ellers kunne regnes ud fra de viste tal og totaler."
)
FOOTNOTE_EN = (
    "· = hidden to protect individuals: counts 1–4, shares of fewer than 5 cases, and "
    "figures that could otherwise be worked out from the numbers and totals shown."
)
Relation = tuple[str, tuple[str, ...]]


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


Cell = tuple[str, int]  # (count column, row index)


def _equations(
    values: pl.DataFrame,
    counts: list[str],
    margins: list[list[str]],
    relations: list[Relation],
) -> list[list[tuple[Cell, float]]]:
    """Every linear equation an onlooker has: each shown margin total (sum of its group's
    cells, per count column) and each row's additive relations (total − parts = 0)."""
    equations: list[list[tuple[Cell, float]]] = []
    rows = values[_ROW].to_list()
    for margin in margins:
        if margin:
            groups = values.group_by(margin, maintain_order=True).agg(pl.col(_ROW))[_ROW]
            members = [list(g) for g in groups.to_list()]
        else:
            members = [rows]
        for column in counts:
            equations.extend([((column, r), 1.0) for r in group] for group in members)
    for total, parts in relations:
        for r in rows:
            equations.append([((total, r), 1.0), *[((p, r), -1.0) for p in parts]])
    return equations


def _determined(hidden_cells: list[Cell], equations: list[list[tuple[Cell, float]]]) -> set[Cell]:
    """Hidden cells whose value follows from the equations (the shown cells being known):
    cell *i* is determined exactly when every solution of the homogeneous system on the
    hidden cells has component *i* = 0, i.e. row *i* of a null-space basis is zero."""
    index = {cell: i for i, cell in enumerate(hidden_cells)}
    rows = [
        [(index[cell], coef) for cell, coef in eq if cell in index]
        for eq in equations
        if any(cell in index for cell, _ in eq)
    ]
    if not rows:
        return set()
    matrix = np.zeros((len(rows), len(hidden_cells)))
    for i, row in enumerate(rows):
        for j, coef in row:
            matrix[i, j] += coef
    _, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > 1e-9 * max(1.0, singular.max(initial=0.0))).sum())
    null = vt[rank:].T  # columns span the null space
    if null.shape[1] == 0:
        return set(hidden_cells)
    norms = np.linalg.norm(null, axis=1)
    return {cell for cell, norm in zip(hidden_cells, norms, strict=True) if norm < 1e-9}


def _not_pinned_at_zero(
    hidden: set[Cell],
    equations: list[list[tuple[Cell, float]]],
    cell_value: dict[Cell, float | None],
) -> set[Cell]:
    """The hidden cells an onlooker cannot pin at zero by sign alone.

    Counts are never negative, so when the hidden cells of an equation all have the same
    sign and the shown cells already make up its total, every one of them is 0 (and then
    known for the other equations). Such cells disclose nothing but protect nothing
    either; the rest of the closure treats them as shown.
    """
    free = set(hidden)
    changed = True
    while changed:
        changed = False
        for eq in equations:
            terms = [(cell, coef) for cell, coef in eq if cell in free]
            if not terms or len({coef > 0 for _, coef in terms}) != 1:
                continue
            residual = sum(coef * (cell_value.get(cell) or 0.0) for cell, coef in terms)
            if residual == 0:
                free -= {cell for cell, _ in terms}
                changed = True
    return free


def _close(
    values: pl.DataFrame,
    hidden: pl.DataFrame,
    counts: list[str],
    equations: list[list[tuple[Cell, float]]],
) -> list[Cell]:
    """Cells to hide next so that fewer hidden cells are determined (empty: none is).

    For each determined cell (in table order) the smallest shown cell (positive before
    zero) among the equations holding it is chosen, one per equation per round.
    """
    hidden_cells = [(c, r) for c in counts for r in hidden[c].arg_true().to_list()]
    hidden_set = set(hidden_cells)
    cell_value = {
        (c, r): v for c in counts for r, v in enumerate(values[c].cast(pl.Float64).to_list())
    }
    free = _not_pinned_at_zero(hidden_set, equations, cell_value)
    determined = _determined([c for c in hidden_cells if c in free], equations)
    if not determined:
        return []
    chosen: list[Cell] = []
    free_cells = [c for c in hidden_cells if c in free]
    for cell in sorted(determined, key=lambda x: (x[1], counts.index(x[0]))):
        candidates = {
            other
            for eq in equations
            if any(member == cell for member, _ in eq)
            for other, _ in eq
            if other not in hidden_set and cell_value.get(other) is not None
        }
        if not candidates or candidates & set(chosen):
            continue
        ranked = sorted(
            candidates,
            key=lambda x: (cell_value[x] <= 0, cell_value[x], x[1], counts.index(x[0])),
        )
        # The smallest candidate that actually frees the cell; else the smallest one in an
        # equation where the cell is the only hidden cell (the equation that gives it
        # away; a later round adds what else is needed), else the smallest.
        sole = {
            other
            for eq in equations
            if any(member == cell for member, _ in eq)
            and sum(member in free for member, _ in eq) == 1
            for other, _ in eq
            if other in candidates
        }
        best = next(
            (
                other
                for other in ranked[:_TRIED]
                if cell not in _determined([*free_cells, other], equations)
            ),
            next((other for other in ranked if other in sole), ranked[0]),
        )
        chosen.append(best)
    return chosen


# Candidates tried per determined cell before taking the smallest one.
_TRIED = 8


def suppress(
    df: pl.DataFrame,
    counts: list[str],
    rates: dict[str, tuple[str, str]] | None = None,
    totals_by: Sequence[str | tuple[str, ...]] | None = None,
    threshold: int = 5,
    relations: Sequence[Relation] = (),
    follows: dict[str, tuple[str, ...]] | None = None,
) -> Suppressed:
    """Hide small counts and the rates built on them; add complementary suppression.

    Args:
        df: the table as it would be shown.
        counts: count columns (non-negative integers).
        rates: ``{rate_column: (numerator_column, denominator_column)}``.
        totals_by: the shown margins (see the module docstring); ``None`` = no totals shown.
        threshold: smallest count that may be shown (counts ``1 .. threshold-1`` are hidden).
        relations: ``(total, (part, ...))`` count columns adding up within each row.
        follows: ``{column: (count, ...)}`` amounts/durations hidden with those counts.

    Returns:
        :class:`Suppressed` with ``data`` (hidden cells null) and ``mask`` (True = hidden).
    """
    rates = dict(rates or {})
    follows = dict(follows or {})
    relations = [(t, tuple(p)) for t, p in relations if t in counts and set(p) <= set(counts)]
    missing = [c for c in [*counts, *rates, *follows] if c not in df.columns]
    missing += [c for pair in rates.values() for c in pair if c not in df.columns]
    missing += [c for parts in follows.values() for c in parts if c not in counts]
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
    equations = _equations(values, counts, margins, relations)
    while True:
        changed = True
        while changed and margins:
            changed = False
            for column in counts:
                for margin in margins:
                    updated, did_change = _complement_once(values, hidden, column, margin)
                    if did_change:
                        hidden = hidden.with_columns(updated.alias(column))
                        changed = True
        extra = _close(values, hidden, counts, equations)
        if not extra:
            break
        for column, row in extra:
            hidden = hidden.with_columns(hidden[column].clone().scatter(row, True))

    masks: dict[str, pl.Series] = {}
    primaries: dict[str, pl.Series] = {}
    for column in df.columns:
        if column in counts:
            masks[column] = hidden[column]
            primaries[column] = primary_counts[column]
        elif column in rates:
            numerator, denominator = rates[column]
            small = values.select(
                (
                    pl.col(numerator).is_between(1, threshold - 1, closed="both")
                    | (pl.col(denominator) < threshold)
                ).fill_null(False)
            ).to_series()
            primaries[column] = small
            for part in (numerator, denominator):
                if part in counts:
                    small = small | hidden[part]
            masks[column] = small
        elif column in follows:
            linked = pl.Series(column, [False] * df.height, dtype=pl.Boolean)
            for part in follows[column]:
                linked = linked | hidden[part]
            masks[column] = linked
            primaries[column] = pl.Series(column, [False] * df.height, dtype=pl.Boolean)
        else:
            masks[column] = pl.Series(column, [False] * df.height, dtype=pl.Boolean)
            primaries[column] = masks[column]
    mask = pl.DataFrame([masks[c].alias(c) for c in df.columns])
    primary = pl.DataFrame([primaries[c].alias(c) for c in df.columns])
    data = df.with_columns(
        [
            pl.when(mask[c]).then(None).otherwise(pl.col(c)).alias(c)
            for c in df.columns
            if c in counts or c in rates or c in follows
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
    if column.startswith("p_") and dtype.is_float():
        return fmt_num(value, 3, lang)
    if dtype.is_float():
        return fmt_num(value, 1, lang)
    return str(value)


def display(
    suppressed: Suppressed, lang: Lang = "da", secondary_marker: str | None = None
) -> pl.DataFrame:
    """The table as strings for users: hidden cells read ``"·"`` (``HIDDEN``), numbers
    in Danish notation (counts ``1.234``, ``andel_*`` as ``25,5 %``, ``*procent`` as
    ``18,6 %``, ``*_kr`` as ``1.140 kr.``, p-values ``p_*`` with three decimals, other
    decimals with one decimal, ``kvartal`` dates as ``2019K1``, other dates
    ``dd.mm.yyyy``); missing values are empty strings; other columns (codes, names, years)
    are shown as they are.

    ``secondary_marker`` (e.g. ``"x"``): shown instead of ``"·"`` in cells hidden only to
    protect another cell (complementary suppression), whose true value may well be 5 or more;
    the report uses it with a legend. By default every hidden cell reads ``"·"`` whatever
    its column (a hidden amount is not "under 5 kr.")."""
    hidden_text = HIDDEN
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
