"""The application's 2016 figures recomputed from a simulated North Jutland (national
volume, no mess): used by the known-answer tests and bench/bench_calibration.py."""

from __future__ import annotations

import numpy as np
import polars as pl

from synthetic import params as P
from synthetic.cases import simulate_sygedagpengesager
from synthetic.municipalities import kommune_frame, load_reference, theme_windows
from synthetic.rehab import simulate_rehabiliteringssager

# Documented figures (facts.md: seed application of 1 May 2017 and the sources it cites).
MAAL_2016: dict[str, float] = {
    "lae265_aalborg": 1244,
    "lae265_rebild": 184,
    "jobafklaring_nordjylland": 2898,
    "andel_fleksjob_0_10_timer": 0.57,
    "seniorfoertidspension_aalborg": 14,
    "seniorfoertidspension_broenderslev": 4,
    "seniorfoertidspension_rebild": 3,
    "seniorfoertidspension_frederikshavn": 3,
}


def figures_2016(seed: int) -> dict[str, float]:
    """The 2016 figures of one simulated North Jutland at national volume."""
    ref = load_reference()
    nord = ref.kommuner.filter(pl.col("region") == "Nordjylland")["kommunekode"].to_list()
    rng_kom, rng_sager, rng_rehab = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3)
    )
    kom = kommune_frame(ref, nord, rng_kom)
    themes = theme_windows(ref, nord)
    effects = P.resolve_effects(None)
    sdp = simulate_sygedagpengesager(rng_sager, kom, themes, effects, 1.0)
    rehab, _ = simulate_rehabiliteringssager(
        rng_rehab, sdp, kom, themes, effects, 1.0, int(sdp["person_nr"].max()) + 1
    )
    startet = rehab.filter(pl.col("startdato").dt.year() == 2016)
    lae265 = dict(startet.filter("lae265_rekvireret").group_by("kommunekode").len().iter_rows())
    fleksjob = rehab.filter(pl.col("afgoerelse") == "fleksjob")["fleksjob_timer"]
    senior = dict(
        rehab.filter(
            (pl.col("afgoerelse") == "seniorfoertidspension")
            & (pl.col("afgoerelse_dato").dt.year() == 2016)
        )
        .group_by("kommunekode")
        .len()
        .iter_rows()
    )
    return {
        "lae265_aalborg": lae265.get(851, 0),
        "lae265_rebild": lae265.get(840, 0),
        "jobafklaring_nordjylland": startet.filter(pl.col("maalgruppe") == "jobafklaring").height,
        "andel_fleksjob_0_10_timer": float((fleksjob <= 10).mean()),
        "seniorfoertidspension_aalborg": senior.get(851, 0),
        "seniorfoertidspension_broenderslev": senior.get(810, 0),
        "seniorfoertidspension_rebild": senior.get(840, 0),
        "seniorfoertidspension_frederikshavn": senior.get(813, 0),
    }


def mean_figures(seeds: range) -> dict[str, float]:
    """``figures_2016`` averaged over ``seeds``."""
    runs = [figures_2016(seed) for seed in seeds]
    return {key: float(np.mean([run[key] for run in runs])) for key in MAAL_2016}
