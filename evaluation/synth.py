"""Synthetic control for a single trial municipality (Abadie, Diamond & Hainmueller 2010,
"Synthetic control methods for comparative case studies", *JASA* 105:493–505).

The synthetic unit is a weighted average of donor units with non-negative weights summing
to 1, chosen to minimise the squared pre-period gap in the outcome itself (every
pre-period outcome is a predictor, equally weighted; solved by NNLS with the adding-up
constraint as a heavily weighted extra row). The gap
``treated − synthetic`` after entry is the effect estimate.

Inference is placebo-in-space (Abadie et al. 2010, §2.4; 2015): the method is re-run with
every donor as if it were treated (donor pool: the other donors), and the treated unit's
ratio of post- to pre-period root mean squared prediction error (RMSPE) is ranked among all
ratios: ``p = (1 + #{placebo ratio ≥ treated ratio}) / (1 + J)``. With J donors the smallest
attainable p is ``1/(J + 1)``.

Donors with a missing outcome in any period are left out; periods where the treated unit
is missing are left out of the fit and of the RMSPE.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
from scipy import optimize

from core.format import fmt_num


def simplex_weights(target: np.ndarray, donors: np.ndarray) -> np.ndarray:
    """``argmin_w ||target − donors @ w||²`` subject to ``w ≥ 0`` and ``Σw = 1``.

    ``target`` (T0,), ``donors`` (T0, J). Solved as a non-negative least-squares problem
    (Lawson–Hanson, ``scipy.optimize.nnls``) with the adding-up constraint appended as an
    extra row weighted 1000 × the data's scale, which enforces ``Σw = 1`` to rounding error
    (then renormalised). Measured: the same objective as SLSQP to 15 digits, about 100 times
    faster (a full placebo run over 87 donors fell from 139 s to 0.2 s)."""
    j = donors.shape[1]
    if j == 1:
        return np.ones(1)
    scale = max(float(np.abs(donors).max()), float(np.abs(target).max()), 1.0)
    penalty = 1e3 * scale
    augmented = np.vstack([donors, np.full((1, j), penalty)])
    weights, _ = optimize.nnls(augmented, np.append(target, penalty), maxiter=50 * j)
    if weights.sum() <= 0:
        return np.full(j, 1.0 / j)
    return weights / weights.sum()


@dataclass(frozen=True)
class _Fit:
    weights: np.ndarray
    gap: np.ndarray
    pre_rmspe: float
    post_rmspe: float

    @property
    def ratio(self) -> float:
        return self.post_rmspe / self.pre_rmspe if self.pre_rmspe > 0 else float("inf")


def _fit(target: np.ndarray, donors: np.ndarray, pre: np.ndarray) -> _Fit:
    observed = ~np.isnan(target)
    weights = simplex_weights(target[pre & observed], donors[pre & observed])
    gap = target - donors @ weights
    pre_rmspe = float(np.sqrt(np.nanmean(gap[pre] ** 2)))
    post_rmspe = float(np.sqrt(np.nanmean(gap[~pre] ** 2)))
    return _Fit(weights=weights, gap=gap, pre_rmspe=pre_rmspe, post_rmspe=post_rmspe)


@dataclass(frozen=True)
class SynthResult:
    """Synthetic-control result. ``weights``: unit, weight (donors with weight > 0.001
    first); ``path``: time, treated, synthetic, gap; ``placebos``: unit, pre_rmspe,
    post_rmspe, ratio; ``placebo_gaps``: unit, time, gap (for the gap plot)."""

    treated_unit: Any
    treatment_time: int
    outcome: str
    weights: pl.DataFrame
    path: pl.DataFrame
    pre_rmspe: float
    post_rmspe: float
    ratio: float
    att: float
    placebos: pl.DataFrame
    placebo_gaps: pl.DataFrame
    p_value: float

    @property
    def n_donors(self) -> int:
        """J: the donors with a complete outcome series (each one a placebo)."""
        return self.weights.height

    @property
    def n_placebos(self) -> int:
        """The placebos ranked in the p-value (all, unless ``max_pre_rmspe_ratio`` left some
        out)."""
        if "kept" not in self.placebos.columns:
            return self.placebos.height
        return int(self.placebos["kept"].sum())

    @property
    def p_granularity(self) -> float:
        """``1/(J + 1)`` over the ranked placebos: the smallest attainable placebo p-value;
        every p is a multiple of it. NaN without placebos."""
        return 1.0 / (self.n_placebos + 1) if self.n_placebos else float("nan")

    @property
    def rank(self) -> int | None:
        """The treated unit's rank among the J + 1 post/pre RMSPE ratios (1 = largest)."""
        if not self.n_placebos:
            return None
        return round(self.p_value * (self.n_placebos + 1))


def synthetic_control(
    panel: pl.DataFrame | pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    treated_unit: Any,
    treatment_time: int,
    donors: list[Any] | None = None,
    placebo: bool = True,
    max_pre_rmspe_ratio: float | None = None,
) -> SynthResult:
    """Synthetic control for ``treated_unit`` entering at ``treatment_time`` (first treated
    period, in the units of ``time``). ``donors`` default: every other unit in the panel.

    ``max_pre_rmspe_ratio`` (e.g. 5): placebos whose pre-period RMSPE exceeds that multiple
    of the treated unit's are left out of the p-value (Abadie et al. 2010, §2.4: a placebo
    the method cannot fit says nothing about the treated unit); ``placebos.kept`` marks the
    ones ranked. Default: every placebo is ranked."""
    frame = panel if isinstance(panel, pl.DataFrame) else pl.from_pandas(panel)
    wide = (
        frame.select(unit, time, pl.col(outcome).cast(pl.Float64).fill_nan(None))
        .pivot(on=unit, index=time, values=outcome, aggregate_function="mean")
        .sort(time)
    )
    times = wide[time].to_numpy()
    key = str(treated_unit)
    if key not in wide.columns:
        raise ValueError(f"unit {treated_unit!r} not in the panel")
    pool = [str(d) for d in (donors if donors is not None else frame[unit].unique().to_list())]
    pool = [d for d in pool if d != key and d in wide.columns]
    donor_matrix = wide.select(pool).to_numpy().astype(float)
    complete = ~np.isnan(donor_matrix).any(axis=0)
    pool = [d for d, ok in zip(pool, complete, strict=True) if ok]
    donor_matrix = donor_matrix[:, complete]
    if not pool:
        raise ValueError("no donor with a complete outcome series")
    pre = times < treatment_time
    if pre.sum() == 0 or (~pre).sum() == 0:
        raise ValueError("need periods both before and after treatment_time")
    target = wide[key].to_numpy().astype(float)
    fit = _fit(target, donor_matrix, pre)

    placebo_rows: list[tuple[str, float, float, float]] = []
    gap_frames: list[pl.DataFrame] = []
    if placebo and len(pool) > 1:
        for index, name in enumerate(pool):
            others = np.delete(donor_matrix, index, axis=1)
            placebo_fit = _fit(donor_matrix[:, index], others, pre)
            placebo_rows.append(
                (name, placebo_fit.pre_rmspe, placebo_fit.post_rmspe, placebo_fit.ratio)
            )
            gap_frames.append(pl.DataFrame({"unit": name, "time": times, "gap": placebo_fit.gap}))
    placebos = pl.DataFrame(
        placebo_rows,
        schema={
            "unit": pl.String,
            "pre_rmspe": pl.Float64,
            "post_rmspe": pl.Float64,
            "ratio": pl.Float64,
        },
        orient="row",
    )
    placebos = placebos.with_columns(
        kept=pl.lit(True)
        if max_pre_rmspe_ratio is None
        else pl.col("pre_rmspe") <= max_pre_rmspe_ratio * fit.pre_rmspe
    )
    ratios = placebos.filter("kept")["ratio"].to_numpy()
    p_value = (
        float((1 + np.sum(ratios >= fit.ratio - 1e-12)) / (1 + ratios.size))
        if ratios.size
        else float("nan")
    )
    weights = pl.DataFrame({"unit": pool, "weight": fit.weights}).sort("weight", descending=True)
    synthetic = donor_matrix @ fit.weights
    path = pl.DataFrame({"time": times, "treated": target, "synthetic": synthetic, "gap": fit.gap})
    return SynthResult(
        treated_unit=treated_unit,
        treatment_time=treatment_time,
        outcome=outcome,
        weights=weights,
        path=path,
        pre_rmspe=fit.pre_rmspe,
        post_rmspe=fit.post_rmspe,
        ratio=fit.ratio,
        att=float(np.nanmean(fit.gap[~pre])),
        placebos=placebos,
        placebo_gaps=pl.concat(gap_frames) if gap_frames else pl.DataFrame(),
        p_value=p_value,
    )


def evidence_da(
    result: SynthResult, alpha: float = 0.05, decimals: int = 3, lang: str = "da"
) -> str:
    """Plain statement (Danish; English with ``lang="en"``) of what the placebo-in-space test
    can show: the granularity ``1/(J + 1)`` of its p-value, the treated unit's rank, and
    whether ``alpha`` is reachable at all with this donor pool."""
    en = lang == "en"
    j = result.n_placebos
    left_out = result.placebos.height - j
    if j == 0:
        return (
            "No placebo municipalities: the p-value cannot be computed."
            if en
            else "Ingen placebo-kommuner: p-værdien kan ikke beregnes."
        )
    n = j + 1
    fmt_lang = "en" if en else "da"
    smallest = fmt_num(1 / n, decimals, fmt_lang)
    p = fmt_num(result.p_value, decimals, fmt_lang)
    if en:
        text = (
            f"Placebo in space with {j} placebo municipalities: the p-value can only be k/{n} "
            f"(at least 1/{n} = {smallest}). The ratio of post- to pre-period RMSPE ranks "
            f"{result.rank} of {n}; p = {p}."
        )
    else:
        text = (
            f"Placebo-i-rum med {j} placebo-kommuner: p-værdien kan kun være k/{n} "
            f"(mindst 1/{n} = {smallest}). Forholdet mellem RMSPE efter og før "
            f"er nr. {result.rank} af {n}; p = {p}."
        )
    if left_out:
        text += (
            f" {left_out} placebo municipalities whose pre-period fit was much worse than the "
            "treated municipality's were left out (Abadie et al. 2010)."
            if en
            else f" {left_out} placebo-kommuner, hvis tilpasning før forsøget var meget dårligere "
            "end forsøgskommunens, er udeladt (Abadie m.fl. 2010)."
        )
    if 1 / n > alpha:
        pct = fmt_num(100 * alpha, 0, fmt_lang)
        text += (
            f" With so few donors the test can never give p below {pct} %, whatever the effect."
            if en
            else f" Med så få donorer kan testen aldrig give p under {pct} %, "
            "uanset effektens størrelse."
        )
    return text
