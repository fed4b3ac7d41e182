"""The case-review sampler (evaluation.stikproeve): reproducible, strata sizes honoured."""

from __future__ import annotations

import polars as pl
import pytest

from evaluation.stikproeve import draw


def _population() -> pl.DataFrame:
    """Exempted: Aalborg jobafklaring 10 cases, Aalborg fleksjob 30; comparison: Rebild
    jobafklaring 60."""
    rows = (
        [("A", 851, "jobafklaring", "fritaget")] * 10
        + [("B", 851, "fleksjob", "fritaget")] * 30
        + [("C", 840, "jobafklaring", "sammenligning")] * 60
    )
    return pl.DataFrame(
        {
            "sags_id": [f"{p}{i:03d}" for i, (p, *_rest) in enumerate(rows)],
            "kommunekode": [r[1] for r in rows],
            "maalgruppe": [r[2] for r in rows],
            "gruppe": [r[3] for r in rows],
        }
    )


def test_same_seed_same_sample_other_seed_other_sample() -> None:
    pop = _population()
    first = draw(pop, 20, seed=7)["sags_id"].to_list()
    again = draw(pop.sample(fraction=1.0, shuffle=True, seed=1), 20, seed=7)["sags_id"].to_list()
    other = draw(pop, 20, seed=8)["sags_id"].to_list()
    assert sorted(first) == sorted(again)  # row order of the population does not matter
    assert sorted(first) != sorted(other)


def test_strata_sizes_and_weights_by_hand() -> None:
    # n = 20: 10 exempted, 10 comparison. Exempted strata 10 and 30 → quotas 2.5 and 7.5,
    # floors 2 and 7, the remainders tie (0.5) and the stratum with more cases left (30)
    # gets the last one: 2 and 8. Weights 10/2 = 5, 30/8 = 3.75, 60/10 = 6.
    sample = draw(_population(), 20, seed=3)
    sizes = {
        (r["maalgruppe"], r["gruppe"]): r["len"]
        for r in sample.group_by("maalgruppe", "gruppe").len().iter_rows(named=True)
    }
    assert sizes == {
        ("jobafklaring", "fritaget"): 2,
        ("fleksjob", "fritaget"): 8,
        ("jobafklaring", "sammenligning"): 10,
    }
    weights = dict(
        sample.group_by("maalgruppe", "gruppe")
        .agg(pl.col("vaegt").first())
        .select(pl.concat_str("maalgruppe", "gruppe", separator="/"), "vaegt")
        .iter_rows()
    )
    assert weights == {
        "jobafklaring/fritaget": 5.0,
        "fleksjob/fritaget": 3.75,
        "jobafklaring/sammenligning": 6.0,
    }
    # Each case once, from its own stratum; the weights add up to the population size.
    assert sample["sags_id"].n_unique() == 20
    fritaget = sample.filter(pl.col("gruppe") == "fritaget")
    assert fritaget["sags_id"].str.head(1).is_in(["A", "B"]).all()
    assert sample["vaegt"].sum() == pytest.approx(100.0)


def test_short_group_gives_its_share_to_the_other_and_n_caps_at_population() -> None:
    pop = _population().filter(~pl.col("sags_id").str.starts_with("B"))  # 10 exempted left
    sample = draw(pop, 30, seed=1)
    assert sample.filter(pl.col("gruppe") == "fritaget").height == 10
    assert sample.filter(pl.col("gruppe") == "sammenligning").height == 20
    assert draw(pop, 500, seed=1).height == 70


def test_missing_columns_are_a_danish_error() -> None:
    with pytest.raises(ValueError, match="mangler kolonnen"):
        draw(pl.DataFrame({"sags_id": ["x"]}), 1, seed=1)
