"""The measured sizes are quoted from one module, Danish first, in the format the pages use."""

from __future__ import annotations

import re
from pathlib import Path

from evaluation import measured
from evaluation.did import estimate
from tests.evaluation.test_inference_honest import _regional_panel


def test_percentages_by_hand():
    assert measured.pct(0.058) == "5,8 %"
    assert measured.pct(0.058, "en") == "5.8%"
    assert measured.pct(0.1) == "10,0 %"


def test_pretrend_notes_quote_the_measured_sizes_in_both_languages():
    noisy = measured.SIZE["noisy"]["pretrend"]
    region = measured.SIZE["region"]["pretrend"]
    da = measured.pretrend_note("randomisering")
    assert measured.pct(noisy) in da and "sande nulhypoteser" in da
    assert measured.pct(noisy, "en") in measured.pretrend_note("randomisering", "en")
    assert measured.pct(region) in measured.pretrend_note("regional")
    assert measured.pct(region, "en") in measured.pretrend_note("regional", "en")
    assert measured.pct(noisy) in measured.pretrend_report_text()
    assert all(0 < v < 1 for sizes in measured.SIZE.values() for v in sizes.values())


def test_regional_warning_quotes_the_measured_sizes():
    result = estimate(
        _regional_panel(2),
        "y",
        "unit",
        "period",
        "g",
        region="region",
        ri_draws=19,
        wcr_draws=19,
    )
    assert measured.regional_other_p_values("da") in result.warning
    assert measured.pct(measured.SIZE["region"]["headline"]) in result.warning


def _readme_sizes() -> dict[str, dict[str, str]]:
    """The size column of the Monte Carlo table in evaluation/README.md ("Measured"), per
    design, as printed there (e.g. ``"3.8 %"``)."""
    readme = (Path(__file__).parents[2] / "evaluation" / "README.md").read_text("utf-8")
    columns = ("headline", "analytic", "wcr", "ri", "regional", "pretrend")
    out: dict[str, dict[str, str]] = {}
    for line in readme.splitlines():
        match = re.match(r"\s*\| `(\w+)` .*\| ([^|]+) \|\s*$", line)
        if match:
            cells = [c.strip().split(" (")[0] for c in match.group(2).split(" / ")]
            out[match.group(1)] = dict(zip(columns, cells, strict=True))
    return out


def test_quoted_sizes_are_the_readme_table():
    """``SIZE`` (which the texts quote) against the bench table written into the README
    from the bench's output: a figure changed in one place and not the other fails."""
    table = _readme_sizes()
    assert set(table) >= {"random", "region", "noisy", "three", "one"}
    for design, sizes in measured.SIZE.items():
        for key, share in sizes.items():
            assert f"{share * 100:.1f} %" == table[design][key], (design, key)
