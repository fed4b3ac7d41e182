"""Monte Carlo of the DiD of the psychologist theme on the panel's mean indicator
``gns_sygedagpengedage_365_psykisk`` (mean days on sickness benefit in the first year, cases
with diagnosegruppe psykisk), on the generator's own data-generating process: the
sickness-benefit cases of a run's municipalities (``synthetic.cases``) and the courses with
the planted shortening (``synthetic.oevrige_forsoeg``).

Each replicate draws fresh municipalities and cases, computes the indicator per municipality
× quarter of the notification on the master frame by the model's rule (first year ended by
the latest extract) and the realised effect on the same cells
(:func:`synthetic.oevrige_forsoeg.realised_aarsdage_effect`), and runs
:func:`evaluation.did.estimate` (Jammerbugt, Thisted and Rebild against the run's other
municipalities, never-treated controls, randomisation inference) as the report does, without
regional inference. Prints the mean realised effect, the mean and standard deviation of the
estimate, the mean analytic standard error, how often the randomisation interval holds the
realised effect, and the share of replicates with p_ri ≤ 0.05 (power; the size under
``--effect 0``).

    .venv/bin/python -m bench.bench_psykolog_did --reps 200 --scale small [--volume 1.0]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import polars as pl

from evaluation.did import estimate
from synthetic import params as P
from synthetic.cases import simulate_sygedagpengesager
from synthetic.cpr import person_frame
from synthetic.municipalities import kommune_frame, load_reference, run_kommuner, theme_windows
from synthetic.oevrige_forsoeg import (
    AARSHORISONT_DAGE,
    PSYKOLOG_TEMA,
    realised_aarsdage_effect,
    simulate_psykologforloeb,
    theme_kommuner,
)


def _quarter_index(column: str) -> pl.Expr:
    q = pl.col(column).dt.truncate("1q")
    return (q.dt.year() - P.BASELINE_START.year) * 4 + (q.dt.month() - 1) // 3 + 1


def replicate(seed: int, scale: str, effect: float, ri_draws: int, volume: float | None) -> dict:
    ref = load_reference()
    rng = np.random.default_rng(seed)
    trial, control = run_kommuner(ref, scale)
    kommuner = sorted(trial + control)
    treated = theme_kommuner(ref, PSYKOLOG_TEMA, kommuner)
    effects = P.resolve_effects({"psykolog_sygefravaer_dage": effect})
    kom = kommune_frame(ref, kommuner, rng)
    sdp = simulate_sygedagpengesager(
        rng, kom, theme_windows(ref, kommuner), effects, volume or P.SCALES[scale].volume_factor
    )
    persons = person_frame(rng, np.arange(int(sdp["person_nr"].max()) + 1) + 17_000)
    sdp = sdp.join(persons, on="person_nr", how="left", maintain_order="left")
    _, sdp = simulate_psykologforloeb(rng, sdp, ref, effects)
    panel = (
        sdp.filter(
            (pl.col("diagnosegruppe") == "psykisk")
            & (
                pl.col("foerste_fravaersdag") + pl.duration(days=AARSHORISONT_DAGE)
                <= pl.lit(P.PERIOD_END)
            )
        )
        .group_by("kommunekode", periode_index=_quarter_index("anmeldt_dato"))
        .agg(
            y=pl.min_horizontal(
                (pl.col("afsluttet_dato") - pl.col("foerste_fravaersdag")).dt.total_days(),
                pl.lit(AARSHORISONT_DAGE),
            ).mean()
        )
        .with_columns(
            start=pl.when(pl.col("kommunekode").is_in(treated))
            .then(pl.lit((P.TRIAL_START.year - P.BASELINE_START.year) * 4 + 1))
            .otherwise(None)
        )
    )
    controls = sorted(set(kommuner) - set(treated))
    try:
        result = estimate(
            panel, "y", "kommunekode", "periode_index", "start", controls, ri_draws=ri_draws
        )
    except ValueError:  # no treated municipality with a case in the base quarter
        return {"estimable": False}
    cells = realised_aarsdage_effect(sdp).with_columns(periode_index=_quarter_index("kvartal"))
    start = (P.TRIAL_START.year - P.BASELINE_START.year) * 4 + 1
    base = set(
        panel.filter((pl.col("periode_index") == start - 1) & pl.col("start").is_not_null())[
            "kommunekode"
        ]
    )
    realised = (
        cells.filter(pl.col("kommunekode").is_in(sorted(base)))
        .group_by("periode_index")
        .agg(pl.col("effekt").mean())["effekt"]
        .mean()
    )
    return {
        "estimable": True,
        "n_treated": result.n_treated,
        "realised": float(realised),
        "att": result.att,
        "se": result.se,
        "ri_low": result.ri_ci_low,
        "ri_high": result.ri_ci_high,
        "p_ri": result.p_ri,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=40)
    parser.add_argument("--scale", default="small", choices=sorted(P.SCALES))
    parser.add_argument("--effect", type=float, default=-21.0)
    parser.add_argument("--ri-draws", type=int, default=199)
    parser.add_argument(
        "--volume", type=float, default=None, help="case volume factor (default: the scale's)"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    rows = [
        replicate(1000 + r, args.scale, args.effect, args.ri_draws, args.volume)
        for r in range(args.reps)
    ]
    frame = pl.DataFrame([r for r in rows if r["estimable"]])
    print(f"  not estimable (no treated base-quarter cell) {sum(not r['estimable'] for r in rows)}")
    print(f"  treated municipalities entering, mean {frame['n_treated'].mean():.2f} of 3")
    covered = (frame["ri_low"] <= frame["realised"]) & (frame["realised"] <= frame["ri_high"])
    print(
        f"scale {args.scale} (volume {args.volume or P.SCALES[args.scale].volume_factor:g}), "
        f"planted {args.effect:g} days, {args.reps} replicates, "
        f"{time.perf_counter() - started:.0f} s"
    )
    print(f"  realised effect, mean        {frame['realised'].mean():8.2f} days per case")
    print(f"  estimate, mean (sd)          {frame['att'].mean():8.2f} ({frame['att'].std():.2f})")
    print(f"  bias, mean(att - realised)   {(frame['att'] - frame['realised']).mean():8.2f}")
    print(f"  analytic se, mean            {frame['se'].mean():8.2f}")
    print(f"  RI interval holds realised   {covered.mean():8.2f}")
    print(f"  p_ri <= 0.05                 {(frame['p_ri'] <= 0.05).mean():8.2f}")


if __name__ == "__main__":
    main()
