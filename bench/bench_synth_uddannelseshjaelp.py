"""Monte Carlo of the synthetic-control comparison of the uddannelsespålæg theme: size of the
placebo-in-space test and its power at a planted effect, on the generator's own
data-generating process (``synthetic.uddannelseshjaelp``: the young people on
uddannelseshjælp of Aalborg and the donor pool, their DREAM weeks, the planted effect).

Each replicate draws a fresh population (municipality levels, loadings, durations and
persons), computes the mart's outcome on the weeks (``outcome_panel``, the method the tests
check the mart against), keeps the quarters with a known outcome up to the trial's end and
runs :func:`evaluation.synth.synthetic_control` for Aalborg with every donor as a placebo.
Prints, per effect: the share of replicates with p ≤ 0.05 and ≤ 0.10 (the size when the
effect is 0; the attainable values are multiples of 1/(J + 1)), the mean estimate against
the mean realised effect, and the mean pre-period RMSPE.

    .venv/bin/python -m bench.bench_synth_uddannelseshjaelp --reps 200 --scale small
"""

from __future__ import annotations

import argparse
import time
from datetime import date

import numpy as np
import polars as pl

from core.paths import SEEDS_DIR
from evaluation.synth import synthetic_control
from synthetic import params as P
from synthetic import uddannelseshjaelp as U
from synthetic.dream import REGISTER_START, _code_groups, _paint, group_codes, week_index
from synthetic.municipalities import load_reference


def donor_pool(gruppe: str) -> list[int]:
    seed = pl.read_csv(SEEDS_DIR / "kontrolgrupper.csv", infer_schema=False)
    return sorted(
        int(k) for k in seed.filter(pl.col("kontrolgruppe") == gruppe)["kommunekode"].to_list()
    )


def _restricted_p(result, factor: float) -> float:
    """Abadie et al. (2010, §2.4 fig. 5–6): placebos whose pre-period RMSPE exceeds
    ``factor`` × the treated unit's are left out of the ranking."""
    kept = result.placebos.filter(pl.col("pre_rmspe") <= factor * result.pre_rmspe)
    ratios = kept["ratio"].to_numpy()
    return float((1 + np.sum(ratios >= result.ratio - 1e-12)) / (1 + ratios.size))


def replicate(
    seed: np.random.SeedSequence,
    kommuner: pl.DataFrame,
    scale: str,
    effect: float,
    donors: list[int],
) -> dict:
    """One draw: the synthetic-control estimate and p-value for the treated municipality,
    and the effect realised on its weeks."""
    rng = np.random.default_rng(seed)
    n_weeks = int(week_index(np.array([(P.PERIOD_END - date(1970, 1, 1)).days]))[0]) + 1
    codes = group_codes()
    people, spells = U.simulate_population(rng, kommuner, n_weeks, codes, scale, REGISTER_START)
    matrix = np.zeros((people.height, n_weeks), dtype=np.int16)
    _paint(matrix, spells)
    kommune = people["kommunekode"].to_numpy()
    uhj = U.ydelse_code()
    su = {c for c, g in _code_groups().items() if g == "su_uddannelse"}
    before = U.outcome_panel(matrix, kommune, REGISTER_START, uhj, su)
    treated = kommuner.filter("is_behandlet").row(0, named=True)
    moved = U.plant_effect(
        rng,
        matrix,
        np.flatnonzero(kommune == treated["kommunekode"]),
        REGISTER_START,
        treated["startdato"],
        treated["slutdato"] or P.PERIOD_END,
        effect,
        uhj,
        codes["su_uddannelse"],
    )
    after = U.outcome_panel(matrix, kommune, REGISTER_START, uhj, su)
    truth = U.truth_section(before, after, kommuner, effect, moved)
    realised = truth["realised_by_kommune"][str(treated["kommunekode"])]["gns_gap"]
    panel = after.filter(
        (pl.col("kendt") > 0) & (pl.col("kvartal") <= (treated["slutdato"] or P.PERIOD_END))
    ).with_columns(
        y=pl.col("gode") / pl.col("kendt"),
        t=(pl.col("kvartal").dt.year() - 2015) * 4 + pl.col("kvartal").dt.quarter(),
    )
    start = (treated["startdato"].year - 2015) * 4 + (treated["startdato"].month - 1) // 3 + 1
    result = synthetic_control(
        panel, "y", "kommunekode", "t", treated["kommunekode"], start, donors=donors
    )
    return {
        "p": result.p_value,
        "p_5x": _restricted_p(result, 5.0),
        "p_2x": _restricted_p(result, 2.0),
        "att": result.att,
        "realised": realised,
        "pre_rmspe": result.pre_rmspe,
        "j": result.n_donors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--scale", default="small", choices=sorted(U.SKALA_FAKTOR))
    parser.add_argument("--seed", type=int, default=20260)
    parser.add_argument("--donorgruppe", default="store_provinskommuner")
    parser.add_argument(
        "--effects",
        type=float,
        nargs="+",
        default=[0.0, float(P.DEFAULT_EFFECTS[U.EFFECT_KEY])],
    )
    args = parser.parse_args()
    ref = load_reference()
    kommuner = U.population_kommuner(
        ref.forsoeg, ref.kommuner, P.TEMA_UDDANNELSESPAALAEG_FRITAGELSE
    )
    for effect in args.effects:
        seeds = np.random.SeedSequence([args.seed, round(effect * 1e4)]).spawn(args.reps)
        started = time.perf_counter()
        donors = donor_pool(args.donorgruppe)
        rows = [replicate(s, kommuner, args.scale, effect, donors) for s in seeds]
        frame = pl.DataFrame(rows)
        j = int(frame["j"][0])
        print(
            f"donorer={args.donorgruppe} skala={args.scale} effekt={effect:.3f} "
            f"replikationer={args.reps} J={j} "
            f"(mindste p = 1/{j + 1} = {1 / (j + 1):.4f}): "
            f"P(p<=0.05)={(frame['p'] <= 0.05 + 1e-12).mean():.3f} "
            f"P(p<=0.10)={(frame['p'] <= 0.10 + 1e-12).mean():.3f} "
            f"[udeladt pre-RMSPE>5x: P(p<=0.05)={(frame['p_5x'] <= 0.05 + 1e-12).mean():.3f} "
            f"P(p<=0.10)={(frame['p_5x'] <= 0.10 + 1e-12).mean():.3f}; "
            f">2x: P(p<=0.05)={(frame['p_2x'] <= 0.05 + 1e-12).mean():.3f} "
            f"P(p<=0.10)={(frame['p_2x'] <= 0.10 + 1e-12).mean():.3f}] "
            f"gns_estimat={frame['att'].mean():.4f} gns_realiseret={frame['realised'].mean():.4f} "
            f"sd_estimat={frame['att'].std():.4f} gns_rmspe_foer={frame['pre_rmspe'].mean():.4f} "
            f"({time.perf_counter() - started:.0f} s)"
        )


if __name__ == "__main__":
    main()
