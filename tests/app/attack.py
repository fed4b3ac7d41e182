"""An onlooker's attack on the manager's tables: can a hidden cell be worked out?

Independent of :mod:`evaluation.suppression` and of the pages' ``TableSpec``s. The form of
every table is learnt from the evaluator's (unsuppressed) download of the same table:

- *sums*: an integral column equal, on every row, to the sum of one to five other
  integral columns (``omfattet = indhentet + fravalgt``, ``timer_i_alt = …``);
- *ratios*: a column equal to ``a / b`` or ``100 · a / b`` of two integral columns on every
  row where ``b > 0`` (shares, percentages);
- *multiples*: a column equal to ``k · x`` for one constant ``k`` on every row (an amount
  that is a fixed fee times a count);
- *totals*: a column equal to the column total of another table on the page;
- *part totals*: a cell equal to a column's sum over the rows of another table that share
  its labels, or over a run of consecutive periods of them (a period over its quarters, a
  group over its municipalities), when the same part adds up for two cells;
- *same totals*: two columns of two tables with the same sum (20 or more), the same total
  broken down two ways (waived certificates by municipality and by reason).

The values come from the manager's download (which holds the same cells as the screen,
in full precision). Every hidden cell of an integral column is bounded by linear
programming over those relations with the shown cells fixed and every count ≥ 0; a cell
whose range is narrower than 1 can be recomputed (unless it is 0, which discloses no one).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
import polars as pl
from scipy.optimize import linprog

Cell = tuple[int, str, int]  # (table index, column, row)


@dataclass
class Knowledge:
    """Linear equations ``Σ coef · cell = constant`` and inequalities ``Σ coef · cell ≥
    constant`` over the cells of a page."""

    equations: list[tuple[dict[Cell, float], float, str]] = field(default_factory=list)
    inequalities: list[tuple[dict[Cell, float], float, str]] = field(default_factory=list)
    found: list[str] = field(default_factory=list)  # readable list of the relations used


def _integral(series: pl.Series) -> bool:
    if not series.dtype.is_numeric():
        return False
    values = series.drop_nulls().cast(pl.Float64)
    return values.len() > 0 and bool((values == values.round(0)).all())


def _numeric(frame: pl.DataFrame) -> list[str]:
    # Codes and years are not quantities.
    return [
        c
        for c in frame.columns
        if frame[c].dtype.is_numeric() and "kode" not in c.lower() and c not in ("År", "Year")
    ]


def _values(frame: pl.DataFrame, column: str) -> list[float | None]:
    return [None if v is None else float(v) for v in frame[column].cast(pl.Float64).to_list()]


def learn(tables: list[pl.DataFrame]) -> list[tuple[str, tuple]]:
    """The relations that hold in the evaluator's tables (see the module docstring)."""
    relations: list[tuple[str, tuple]] = []
    for t, frame in enumerate(tables):
        if frame.height == 0:
            continue
        numeric = _numeric(frame)
        integral = [c for c in numeric if _integral(frame[c])]
        vals = {c: _values(frame, c) for c in numeric}
        for total in integral:
            others = [c for c in integral if c != total]
            for size in (1, 2, 3, 4, 5):
                for parts in itertools.combinations(others, size):
                    rows = list(zip(vals[total], *(vals[p] for p in parts), strict=True))
                    complete = [r for r in rows if None not in r]
                    if not complete or len(complete) < len(rows):
                        continue
                    # Evidence, not coincidence: two rows where the parts are not all zero.
                    if sum(any(v > 0 for v in r[1:]) for r in complete) < 2:
                        continue
                    if all(r[0] == sum(r[1:]) for r in complete):
                        relations.append(("sum", (t, total, parts)))
                    elif size <= 2 and all(r[0] >= sum(r[1:]) for r in complete):
                        relations.append(("at_least", (t, total, parts)))
        for rate in numeric:
            named = any(w in rate.lower() for w in ("andel", "procent", "share"))
            if rate in integral and not named:
                continue  # a share has fractions
            for a, b in itertools.permutations(integral, 2):
                if rate in (a, b):
                    continue
                for scale in (1.0, 100.0):
                    with_rate = [
                        (r, x, y)
                        for r, x, y in zip(vals[rate], vals[a], vals[b], strict=True)
                        if r is not None
                    ]
                    # A share is only given where its denominator is known and positive.
                    rows = [(r, x, y) for r, x, y in with_rate if x is not None and y]
                    # Evidence: three rows with a positive numerator, or a share's name
                    # (andel, procent) over a numerator never above its denominator.
                    evidence = sum(x > 0 for _, x, _ in rows) >= 3 or (
                        named and any(x > 0 for _, x, _ in rows) and all(x <= y for _, x, y in rows)
                    )
                    if (
                        len(rows) == len(with_rate)
                        and evidence
                        and all(
                            math.isclose(r, scale * x / y, rel_tol=1e-9, abs_tol=1e-9)
                            for r, x, y in rows
                        )
                    ):
                        relations.append(("ratio", (t, rate, a, b, scale)))
        for y, x in itertools.permutations(numeric, 2):
            pairs = [(p, q) for p, q in zip(vals[y], vals[x], strict=True) if None not in (p, q)]
            nonzero = [(p, q) for p, q in pairs if q != 0]
            if len(nonzero) < 3 or len(pairs) < frame.height:
                continue
            k = nonzero[0][0] / nonzero[0][1]
            if k not in (0.0, 1.0) and all(
                math.isclose(p, k * q, rel_tol=1e-9, abs_tol=1e-9) for p, q in pairs
            ):
                relations.append(("multiple", (t, y, x, k)))
    # Column totals shown in another table of the page.
    for (ta, a), (tb, b) in itertools.permutations(enumerate(tables), 2):
        for column in _numeric(a):
            if not _integral(a[column]) or a.height < 2 or a[column].null_count():
                continue
            total = float(a[column].sum())
            if total <= 0 or column not in b.columns or not b[column].dtype.is_numeric():
                continue
            for row, value in enumerate(_values(b, column)):
                if value == total:
                    relations.append(("total", (ta, column, tb, row)))
    relations += _part_totals(tables)
    # The same total broken down two ways in two tables of the page (waived cases by
    # municipality and by reason): equal column sums, whatever the columns are called.
    sums = [
        (t, c, float(f[c].sum()))
        for t, f in enumerate(tables)
        for c in _numeric(f)
        if f.height >= 2 and _integral(f[c]) and not f[c].null_count()
    ]
    for (ta, a, x), (tb, b, y) in itertools.combinations(sums, 2):
        if ta != tb and x == y and x >= SAME_TOTAL_MIN:
            relations.append(("same_total", (ta, a, tb, b)))
    return relations


# Column sums below this are not taken as the same total shown twice (small sums agree by
# chance too often).
SAME_TOTAL_MIN = 20


def _labels(frame: pl.DataFrame) -> list[str]:
    """Columns that label rows (names, groups, periods, dates, years), not quantities."""
    return [c for c in frame.columns if not frame[c].dtype.is_numeric() or c in ("År", "Year")]


def _part_totals(tables: list[pl.DataFrame]) -> list[tuple[str, tuple]]:
    """Cells equal to a column's sum over part of another table of the page: the rows that
    share the cell's labels (a group's total over its municipalities), or a run of
    consecutive periods of them (a period's total over its quarters). The two tables must
    have a label column in common (else the whole column: "total"). Evidence, not
    coincidence: the same part (same labels beyond the shared ones, same run of dates) adds
    up for two cells (two rows or two columns)."""
    found: dict[tuple, list[tuple[int, str, tuple[int, ...], int, str]]] = {}
    for (ta, a), (tb, b) in itertools.permutations(enumerate(tables), 2):
        if a.height < 2 or b.height == 0:
            continue
        shared = [k for k in _labels(a) if k in b.columns]
        if not shared:  # nothing ties a row of b to a part of a (whole columns: "total")
            continue
        own_b = [k for k in _labels(b) if k not in a.columns]
        dates = [
            k
            for k in _labels(a)
            if k not in b.columns and a[k].dtype in (pl.Date, pl.Datetime) and not a[k].null_count()
        ]
        columns = [
            c for c in _numeric(a) if _integral(a[c]) and c in b.columns and b[c].dtype.is_numeric()
        ]
        if not columns:
            continue
        a_rows = a.with_row_index("__row")
        for row in range(b.height):
            match = a_rows
            for k in shared:
                match = match.filter(pl.col(k).eq_missing(b[k][row]))
            if match.height < 2:
                continue
            label = tuple(b[k][row] for k in own_b)
            runs: list[tuple[object, object, list[int]]] = [(None, None, match["__row"].to_list())]
            for d in dates:
                ordered = match.sort(d)
                members, days = ordered["__row"].to_list(), ordered[d].to_list()
                runs += [
                    (days[i], days[j], members[i : j + 1])
                    for i in range(len(members))
                    for j in range(i + 1, len(members))
                    if (i, j) != (0, len(members) - 1)
                ]
            for column in columns:
                value = b[column][row]
                if value is None or value <= 0:
                    continue
                cells = _values(a, column)
                for start, end, members in runs:
                    part = [cells[r] for r in members]
                    if None not in part and sum(part) == float(value):
                        key = (ta, tb, tuple(shared), label, start, end)
                        found.setdefault(key, []).append((ta, column, tuple(members), row, tb))
    relations = []
    for items in found.values():
        if len(items) >= 2:
            relations += [("part_total", (ta, c, m, tb, r)) for ta, c, m, r, tb in items]
    return relations


def equations(relations: list[tuple[str, tuple]], tables: list[pl.DataFrame]) -> Knowledge:
    """The relations as equations over the cells of ``tables`` (the manager's view)."""
    known = Knowledge()
    for kind, args in relations:
        if kind == "sum":
            t, total, parts = args
            for row in range(tables[t].height):
                known.equations.append(
                    ({(t, total, row): 1.0, **{(t, p, row): -1.0 for p in parts}}, 0.0, kind)
                )
            known.found.append(f"table {t}: {total} = {' + '.join(parts)}")
        elif kind == "at_least":  # total − parts ≥ 0
            t, total, parts = args
            for row in range(tables[t].height):
                known.inequalities.append(
                    ({(t, total, row): 1.0, **{(t, p, row): -1.0 for p in parts}}, 0.0, kind)
                )
            known.found.append(f"table {t}: {total} ≥ {' + '.join(parts)}")
        elif kind == "ratio":
            t, rate, a, b, scale = args
            for row, r in enumerate(_values(tables[t], rate)):
                if r is not None:  # a shown rate: a = r/scale · b
                    known.equations.append(
                        ({(t, a, row): 1.0, (t, b, row): -r / scale}, 0.0, f"{kind} {args}")
                    )
            known.found.append(f"table {t}: {rate} = {scale:g}·{a}/{b}")
        elif kind == "multiple":
            t, y, x, k = args
            for row in range(tables[t].height):
                known.equations.append(({(t, y, row): 1.0, (t, x, row): -k}, 0.0, kind))
            known.found.append(f"table {t}: {y} = {k:g}·{x}")
        elif kind == "same_total":
            ta, a, tb, b = args
            cells = {(ta, a, r): 1.0 for r in range(tables[ta].height)}
            cells.update({(tb, b, r): -1.0 for r in range(tables[tb].height)})
            known.equations.append((cells, 0.0, f"{kind} {args}"))
            known.found.append(f"sum of table {ta} {a} = sum of table {tb} {b}")
        elif kind == "part_total":
            ta, column, members, tb, row = args
            cells = {(ta, column, r): 1.0 for r in members}
            cells[(tb, column, row)] = -1.0
            known.equations.append((cells, 0.0, f"{kind} {args}"))
            known.found.append(f"table {tb} row {row}: {column} = sum of table {ta} rows {members}")
        elif kind == "total":
            ta, column, tb, row = args
            cells = {(ta, column, r): 1.0 for r in range(tables[ta].height)}
            cells[(tb, column, row)] = -1.0
            known.equations.append((cells, 0.0, f"{kind} {args}"))
            known.found.append(f"table {tb} row {row}: {column} = total of table {ta}")
    return known


@dataclass(frozen=True)
class Recomputed:
    cell: Cell
    low: float
    high: float
    true_value: float


def attack(
    manager: list[pl.DataFrame], evaluator: list[pl.DataFrame], known: Knowledge
) -> tuple[list[Recomputed], int]:
    """Hidden integral cells whose value follows from the shown ones; and how many hidden
    integral cells there were."""
    hidden: list[Cell] = []
    for t, (shown, full) in enumerate(zip(manager, evaluator, strict=True)):
        for column in _numeric(full):
            if not _integral(full[column]) or column not in shown.columns:
                continue
            for row, (s, f) in enumerate(zip(shown[column], full[column], strict=True)):
                if s is None and f is not None:
                    hidden.append((t, column, row))
    if not hidden:
        return [], 0
    index = {cell: i for i, cell in enumerate(hidden)}
    a_eq, b_eq, labels = _system(known.equations, index, manager, evaluator)
    a_ge, b_ge, _ = _system(known.inequalities, index, manager, evaluator)
    if a_eq is None and a_ge is None:
        return [], len(hidden)
    truth = np.array([float(evaluator[t][c][r]) for t, c, r in hidden])
    if a_eq is not None:  # the onlooker's knowledge is true of the hidden values
        wrong = np.abs(a_eq @ truth - b_eq) > 1e-6 * (1 + np.abs(b_eq))
        assert not wrong.any(), [labels[i] for i in np.flatnonzero(wrong)]
    # linprog wants A_ub · x ≤ b_ub: a ≥ row is negated.
    a_ub, b_ub = (None, None) if a_ge is None else (-a_ge, -b_ge)
    recomputed = []
    for cell, i in index.items():
        bounds = []
        for sign in (1.0, -1.0):
            objective = np.zeros(len(hidden))
            objective[i] = sign
            result = linprog(
                objective,
                A_ub=a_ub,
                b_ub=b_ub,
                A_eq=a_eq,
                b_eq=b_eq,
                bounds=(0, None),
                method="highs",
            )
            assert result.status in (0, 3), result.message  # 0 optimal, 3 unbounded
            bounds.append(sign * result.fun if result.status == 0 else -sign * math.inf)
        low, high = bounds
        t, column, row = cell
        true_value = float(evaluator[t][column][row])
        if high - low < 1 - 1e-6 and true_value != 0:
            recomputed.append(Recomputed(cell, low, high, true_value))
    return recomputed, len(hidden)


def _system(
    relations: list[tuple[dict[Cell, float], float, str]],
    index: dict[Cell, int],
    manager: list[pl.DataFrame],
    evaluator: list[pl.DataFrame],
) -> tuple[np.ndarray | None, np.ndarray | None, list[str]]:
    """The relations as ``A · hidden (=, ≥) b`` with the shown cells moved to ``b``."""
    rows, rhs, labels = [], [], []
    for cells, constant, label in relations:
        coef = np.zeros(len(index))
        value = constant
        usable = True
        for cell, c in cells.items():
            if cell in index:
                coef[index[cell]] += c
                continue
            t, column, row = cell
            shown = manager[t][column][row] if column in manager[t].columns else None
            if shown is None:
                # Empty in both views (the relation says nothing on this row), or hidden
                # but not a count (an amount): no equation.
                usable = False
                break
            value -= c * float(shown)
        if usable and np.any(coef != 0):
            rows.append(coef)
            rhs.append(value)
            labels.append(label)
    if not rows:
        return None, None, []
    return np.array(rows), np.array(rhs), labels
