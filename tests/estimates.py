"""Comparing effect estimates in tests."""

from __future__ import annotations

FIELDS = ("att", "ci_low", "ci_high", "p_wcr", "p_ri", "pretrend_p", "n_treated")


def same_estimate(a, b) -> bool:
    """The same estimate, interval and p-values (NaN equal to NaN); None only as None."""
    if a is None or b is None:
        return a is b
    return repr([getattr(a, f) for f in FIELDS]) == repr([getattr(b, f) for f in FIELDS])
