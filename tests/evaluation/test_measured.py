"""The measured sizes are quoted from one module, Danish first, in the format the pages use."""

from __future__ import annotations

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
