"""Disclosure control: primary, complementary and rate suppression."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import polars as pl
import pytest

from evaluation.suppression import display, suppress


def _table() -> pl.DataFrame:
    # Two quarters x four municipalities; totals per quarter are shown.
    return pl.DataFrame(
        {
            "kvartal": [dt.date(2019, 1, 1)] * 4 + [dt.date(2019, 4, 1)] * 4,
            "kommunekode": [851, 810, 813, 860] * 2,
            "sager": [120, 3, 40, 7, 0, 55, 2, 9],
            "fritaget": [30, 1, 0, 6, 0, 20, 2, 4],
        }
    ).with_columns((pl.col("fritaget") / pl.col("sager")).alias("andel_fritaget"))


def test_primary_suppression_hides_one_to_four_and_shows_zero():
    s = suppress(_table(), counts=["sager", "fritaget"])
    assert s.mask["sager"].to_list() == [False, True, False, False, False, False, True, False]
    assert s.data["sager"].to_list() == [120, None, 40, 7, 0, 55, None, 9]
    # fritaget: 1, 2 and 4 hidden; the zeros shown.
    assert s.data["fritaget"].to_list() == [30, None, 0, 6, 0, 20, None, None]
    assert s.mask["kommunekode"].to_list() == [False] * 8
    assert s.data["kommunekode"].equals(_table()["kommunekode"])


def test_rate_hidden_when_numerator_1_to_4_or_denominator_below_five():
    s = suppress(
        _table(), counts=["sager", "fritaget"], rates={"andel_fritaget": ("fritaget", "sager")}
    )
    # Rows: 30/120 shown; 1/3 hidden; 0/40 shown (a share of no one discloses no one);
    # 6/7 shown; 0/0 hidden; 20/55 shown; 2/2 hidden; 4/9 hidden.
    assert s.mask["andel_fritaget"].to_list() == [
        False,
        True,
        False,
        False,
        True,
        False,
        True,
        True,
    ]
    assert s.data["andel_fritaget"][0] == 0.25


def test_rate_hidden_when_its_denominator_cell_is_secondarily_hidden():
    df = pl.DataFrame({"g": [1, 1, 1], "sager": [3, 6, 50], "fritaget": [0, 5, 10]}).with_columns(
        (pl.col("fritaget") / pl.col("sager")).alias("andel")
    )
    s = suppress(df, counts=["sager"], rates={"andel": ("fritaget", "sager")}, totals_by=["g"])
    # 3 is hidden, 6 is its complement; then the 5/6 rate must go too (5 = rate x 6).
    assert s.mask["sager"].to_list() == [True, True, False]
    assert s.mask["andel"].to_list() == [True, True, False]


def test_complementary_suppression_hides_the_next_smallest_cell():
    s = suppress(_table(), counts=["sager"], totals_by=["kvartal"])
    # Quarter 1: 3 is hidden alone -> the next-smallest, 7, is hidden too.
    # Quarter 2: 2 is hidden alone -> next-smallest positive, 9, is hidden (the zero is not).
    assert s.data["sager"].to_list() == [120, None, 40, None, 0, 55, None, None]


def test_no_complement_without_totals():
    s = suppress(_table(), counts=["sager"])
    assert s.data["sager"].null_count() == 2


def _recoverable(values: list[int], hidden: list[bool], total: int) -> set[int]:
    """Every value the first hidden cell can take given the shown cells and the total,
    each hidden cell being any non-negative count (brute force)."""
    shown = sum(v for v, h in zip(values, hidden, strict=True) if not h)
    n_hidden = sum(hidden)
    rest = total - shown
    return {
        combo[0]
        for combo in itertools.product(range(rest + 1), repeat=n_hidden)
        if sum(combo) == rest
    }


def test_hidden_cell_cannot_be_recovered_by_subtraction():
    df = _table()
    s = suppress(df, counts=["sager"], totals_by=["kvartal"])
    for quarter in df["kvartal"].unique().to_list():
        rows = df.with_columns(s.mask["sager"].alias("hidden")).filter(pl.col("kvartal") == quarter)
        values, hidden = rows["sager"].to_list(), rows["hidden"].to_list()
        assert sum(hidden) != 1
        possible = _recoverable(values, hidden, total=sum(values))
        assert len(possible) > 1  # the attacker cannot pin down the hidden value


def test_without_complement_the_cell_would_be_recoverable():
    # Control for the test above: with only primary suppression, subtraction recovers 3.
    df = _table().filter(pl.col("kvartal") == dt.date(2019, 1, 1))
    s = suppress(df, counts=["sager"])
    assert _recoverable(df["sager"].to_list(), s.mask["sager"].to_list(), 170) == {3}


def test_two_margins_iterate_until_stable():
    # Row and column totals of a 3x3 table.
    df = pl.DataFrame(
        {
            "r": [1, 1, 1, 2, 2, 2, 3, 3, 3],
            "c": [1, 2, 3, 1, 2, 3, 1, 2, 3],
            "n": [2, 50, 60, 70, 80, 90, 100, 110, 120],
        }
    )
    s = suppress(df, counts=["n"], totals_by=["r", "c"])
    hidden = df.with_columns(s.mask["n"].alias("h")).filter(pl.col("h"))
    for margin in ("r", "c"):
        per_group = df.with_columns(s.mask["n"].alias("h")).group_by(margin).agg(pl.col("h").sum())
        assert set(per_group["h"].to_list()) <= {0, 2, 3}
    # 2 at (1,1); complement in row 1 is 50 (1,2) and in column 1 is 70 (2,1); then
    # row 2 and column 2 each have one hidden cell -> 80 at (2,2) closes the rectangle.
    assert sorted(hidden["n"].to_list()) == [2, 50, 70, 80]


def test_grand_total_margin():
    df = pl.DataFrame({"kommune": ["a", "b", "c"], "n": [4, 10, 12]})
    s = suppress(df, counts=["n"], totals_by=[])
    assert s.data["n"].to_list() == [None, None, 12]


def test_display_in_danish():
    df = pl.DataFrame(
        {
            "kvartal": [dt.date(2019, 1, 1), dt.date(2019, 4, 1)],
            "aar": [2019, 2019],
            "sager": [1234, 3],
            "andel_fritaget": [0.255, 0.5],
            "omgoerelsesprocent": [18.6047, None],
            "udgift_kr": [1140.4, 2280.0],
        }
    )
    s = suppress(df, counts=["sager"], rates={"andel_fritaget": ("sager", "sager")})
    out = display(s)
    assert out.row(0) == ("2019K1", "2019", "1.234", "25,5 %", "18,6 %", "1.140 kr.")
    assert out.row(1) == ("2019K2", "2019", "·", "·", "", "2.280 kr.")
    assert all(dtype == pl.String for dtype in out.dtypes)


def test_display_marks_complementary_cells_on_request():
    s = suppress(_table(), counts=["sager"], totals_by=["kvartal"])
    default = display(s)["sager"].to_list()
    assert default == ["120", "·", "40", "·", "0", "55", "·", "·"]
    marked = display(s, secondary_marker="x")["sager"].to_list()
    # 7 and 9 are hidden only to protect 3 and 2: they are not below 5.
    assert marked == ["120", "·", "40", "x", "0", "55", "·", "x"]


# --- additive relations, the closure check, and what is not hidden -------------------------

RELATION = [("sager_omfattet", ("attest_indhentet", "attest_fravalgt"))]
COUNTS = ["sager_omfattet", "attest_indhentet", "attest_fravalgt"]


def _bounds(
    df: pl.DataFrame,
    hidden: pl.DataFrame,
    counts: list[str],
    margins: list[list[str]],
    relations,
) -> dict[tuple[str, int], tuple[float, float]]:
    """For each hidden cell, the smallest and largest value it can take given every shown
    cell, every shown margin total and the row relations (a linear programme per cell,
    each hidden cell any non-negative number): an onlooker's best bounds."""
    from scipy.optimize import linprog

    cells = [(c, r) for c in counts for r in range(df.height) if hidden[c][r]]
    index = {cell: i for i, cell in enumerate(cells)}
    a_eq, b_eq = [], []

    def equation(terms, total: float) -> None:
        """sum(coefficient × cell) = total; shown cells move to the right-hand side."""
        row, rhs = [0.0] * len(cells), total
        for cell, coef in terms:
            if cell in index:
                row[index[cell]] += coef
            else:
                rhs -= coef * float(df[cell[0]][cell[1]])
        if any(row):
            a_eq.append(row)
            b_eq.append(rhs)

    for margin in margins:
        keys = df.select(margin).rows() if margin else [()] * df.height
        for column in counts:
            for key in dict.fromkeys(keys):  # first-seen order: the same every run
                members = [r for r in range(df.height) if keys[r] == key]
                total = float(sum(df[column][r] for r in members))
                equation([((column, r), 1.0) for r in members], total)
    for total_column, parts in relations:
        for r in range(df.height):
            equation([((total_column, r), 1.0), *[((p, r), -1.0) for p in parts]], 0.0)
    out = {}
    for cell, i in index.items():
        objective = [0.0] * len(cells)
        objective[i] = 1.0
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None))
        objective[i] = -1.0
        high = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None))
        upper = float("inf") if high.status == 3 else -high.fun
        out[cell] = (low.fun, upper)
    return out


def _vesthimmerland_and_laesoe() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "kommune": ["Vesthimmerland", "Læsø", "Aalborg"],
            "sager_omfattet": [93, 10, 200],
            "attest_indhentet": [82, 9, 150],
            "attest_fravalgt": [11, 1, 50],
        }
    )


def test_subtraction_within_a_row_recovers_nothing():
    df = _vesthimmerland_and_laesoe()
    s = suppress(df, COUNTS, totals_by=[], relations=RELATION)
    assert s.mask["attest_fravalgt"][1]  # Læsø's 1
    bounds = _bounds(df, s.mask, COUNTS, [[]], RELATION)
    assert bounds and all(low < high - 0.5 for low, high in bounds.values()), bounds


def test_without_the_relation_subtraction_recovers_the_hidden_cells():
    # Control for the test above: the old rule (column total only) leaves 93 − 82 = 11
    # and 10 − 9 = 1 to be worked out.
    df = _vesthimmerland_and_laesoe()
    s = suppress(df, COUNTS, totals_by=[])
    bounds = _bounds(df, s.mask, COUNTS, [[]], RELATION)
    assert bounds[("attest_fravalgt", 1)] == pytest.approx((1.0, 1.0))
    assert bounds[("attest_fravalgt", 0)] == pytest.approx((11.0, 11.0))


@pytest.mark.parametrize("seed", range(60))
def test_no_hidden_cell_can_be_recomputed_in_random_tables(seed):
    rng = random.Random(seed)
    n_kommuner, n_kvartaler = rng.randint(2, 4), rng.randint(1, 3)
    rows = []
    for k, q in itertools.product(range(n_kommuner), range(n_kvartaler)):
        indhentet = rng.choice([0, 1, 2, 3, 4, 5, 8, 20, 60])
        fravalgt = rng.choice([0, 1, 2, 3, 4, 6, 11, 30])
        rows.append((k, q, indhentet + fravalgt, indhentet, fravalgt))
    df = pl.DataFrame(rows, schema=["kommune", "kvartal", *COUNTS], orient="row")
    margins = rng.choice([[[]], [["kvartal"]], [["kommune"], ["kvartal"]]])
    totals_by = [m[0] if m else None for m in margins]
    s = suppress(df, COUNTS, totals_by=[] if margins == [[]] else totals_by, relations=RELATION)
    bounds = _bounds(df, s.mask, COUNTS, margins, RELATION)
    # A hidden cell pinned at its value discloses it, unless the value is 0 (a zero hidden
    # as a complement and pinned by a zero total discloses no one) or nothing is left to
    # hide (every count of the table hidden).
    pinned = {
        cell: b for cell, b in bounds.items() if b[1] - b[0] < 0.5 and df[cell[0]][cell[1]] > 0
    }
    if pinned:
        shown_left = sum(not s.mask[c][r] for c in COUNTS for r in range(df.height))
        assert shown_left == 0, (df, s.mask, pinned)


def test_zero_share_of_many_is_shown_and_amounts_never_read_under_five():
    df = pl.DataFrame(
        {
            "gruppe": ["forsoeg", "kontrol"],
            "sager_omfattet": [498, 3],
            "attest_indhentet": [498, 3],
            "attest_fravalgt": [0, 0],
            "andel_fravalgt": [0.0, 0.0],
            "nettobesparelse_kr": [3.0, 120_000.0],
        }
    )
    s = suppress(
        df,
        COUNTS,
        rates={"andel_fravalgt": ("attest_fravalgt", "sager_omfattet")},
        follows={"nettobesparelse_kr": tuple(COUNTS)},
        relations=RELATION,
    )
    # 0 % of 498 is shown; 0 % of 3 is not (denominator under 5).
    assert s.mask["andel_fravalgt"].to_list() == [False, True]
    # 3 kr. is an amount, not a count: shown; the amount built on 3 cases is hidden.
    assert s.mask["nettobesparelse_kr"].to_list() == [False, True]
    shown = display(s)
    assert shown["nettobesparelse_kr"].to_list() == ["3 kr.", "·"]
    assert "<5" not in " ".join(str(v) for row in shown.rows() for v in row)


def test_the_headline_comparison_is_never_hidden_when_both_groups_are_large():
    df = pl.DataFrame(
        {
            "gruppe": ["forsoeg", "kontrol"],
            "sager_omfattet": [412, 1_950],
            "attest_indhentet": [380, 1_950],
            "attest_fravalgt": [32, 0],
            "andel_fravalgt": [32 / 412, 0.0],
        }
    )
    s = suppress(
        df,
        COUNTS,
        rates={"andel_fravalgt": ("attest_fravalgt", "sager_omfattet")},
        totals_by=[],
        relations=RELATION,
    )
    assert s.n_hidden == 0


def test_row_and_column_totals_leave_no_hidden_cell_recoverable():
    # The 3x3 table of issue 17 with its row and column totals shown. Only the 2 is small;
    # one complementary pass per margin leaves a row or column with a single hidden cell
    # (the 2 is then recovered by subtraction). Checked by brute force: for every hidden
    # positive cell, a linear programme over all shown cells, row totals and column totals
    # finds its smallest and largest possible value, and they must differ.
    df = pl.DataFrame(
        {
            "r": [1, 1, 1, 2, 2, 2, 3, 3, 3],
            "c": [1, 2, 3, 1, 2, 3, 1, 2, 3],
            "n": [2, 50, 5, 70, 80, 7, 6, 90, 100],
        }
    )
    s = suppress(df, counts=["n"], totals_by=["r", "c"])
    assert s.mask["n"][0]  # the 2 itself
    bounds = _bounds(df, s.mask, ["n"], [["r"], ["c"]], [])
    pinned = {cell: b for cell, b in bounds.items() if b[1] - b[0] < 0.5}
    assert not pinned, (s.mask["n"].to_list(), pinned)
    # The same check by enumeration of the hidden 2's own row and column: no shown margin
    # holds it as the single unknown.
    hidden = df.with_columns(s.mask["n"].alias("h"))
    for margin in ("r", "c"):
        per_group = hidden.group_by(margin).agg(pl.col("h").sum())["h"].to_list()
        assert 1 not in per_group, (margin, per_group)
