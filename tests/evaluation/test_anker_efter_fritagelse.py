"""Case-linked appeals (marts.mart_anker_efter_fritagelse) on the generator's data: the
Wilson intervals and Newcombe's interval the mart computes in SQL agree with
evaluation.proportions (an independent implementation) for every theme with appeals on
both sides. The counting rules are hand-computed in the dbt unit test
anker_koblet_til_fritagne_og_oevrige_sager."""

from __future__ import annotations

import duckdb
import pytest

from core.paths import Home
from evaluation.proportions import newcombe, wilson

pytestmark = pytest.mark.slow


def test_intervals_match_evaluation_proportions(small_pipeline):
    home = Home(small_pipeline.home)
    with duckdb.connect(str(home.published), read_only=True) as con:
        frames = con.sql("select * from marts.mart_anker_efter_fritagelse order by tema").pl()
    frames = frames.to_dicts()
    both = [
        r
        for r in frames
        if r["realitetsbehandlede_fritaget"] > 0 and r["realitetsbehandlede_ikke_fritaget"] > 0
    ]
    # The waived LÆ285 cases and the exempted rehabilitation cases are appealed in the data.
    assert {"lae285", "rehab_fritagelse"} <= {r["tema"] for r in both}
    for r in both:
        k1, n1 = r["omgjorte_fritaget"], r["realitetsbehandlede_fritaget"]
        k2, n2 = r["omgjorte_ikke_fritaget"], r["realitetsbehandlede_ikke_fritaget"]
        assert r["andel_fritaget"] == pytest.approx(k1 / n1, abs=1e-12)
        assert r["andel_ikke_fritaget"] == pytest.approx(k2 / n2, abs=1e-12)
        low1, high1 = wilson(k1, n1)
        low2, high2 = wilson(k2, n2)
        assert (r["andel_fritaget_ci_lav"], r["andel_fritaget_ci_hoej"]) == pytest.approx(
            (low1, high1), abs=1e-9
        ), r["tema"]
        assert (r["andel_ikke_fritaget_ci_lav"], r["andel_ikke_fritaget_ci_hoej"]) == pytest.approx(
            (low2, high2), abs=1e-9
        ), r["tema"]
        low, high = newcombe(k1, n1, k2, n2)
        assert r["forskel"] == pytest.approx(k1 / n1 - k2 / n2, abs=1e-12)
        assert (r["forskel_ci_lav"], r["forskel_ci_hoej"]) == pytest.approx(
            (low, high), abs=1e-9
        ), r["tema"]
