"""Callaway & Sant'Anna (2021) group-time average treatment effects, unconditional parallel
trends, with analytical influence-function standard errors and the aggregations of their
Section 4 (simple, dynamic/event-study, group).

Reference: Callaway, B. and Sant'Anna, P. H. C. (2021), "Difference-in-differences with
multiple time periods", *Journal of Econometrics* 225(2), 200–230; the formulas below follow
the R package ``did`` (``att_gt`` with ``xformla = ~1``, ``est_method = "reg"``, panel data,
``bstrap = FALSE``), whose outcome-regression estimator without covariates is the plain
difference of mean changes:

    ATT(g, t) = mean_{G = g}(Y_t − Y_b) − mean_{C}(Y_t − Y_b)

where ``b`` is the base period (``g − 1`` for post periods; ``t − 1`` for pre periods with
``base_period = "varying"``, ``g − 1`` with ``"universal"``) and the comparison group C is the
never-treated units (``control = "never"``) or the never-treated plus the not-yet-treated
units, i.e. first treated after ``max(t, b)`` (``control = "notyet"``).

Influence function of unit i (n = all units in the analysis):
``ψ_i = n/n_g · 1{G_i = g}(ΔY_i − μ_g) − n/n_C · 1{i ∈ C}(ΔY_i − μ_C)``;
``SE = sqrt(Σ ψ_i²) / n`` (``did``'s analytical convention: no small-sample correction; the
unit is the cluster). Aggregations weight ATT(g, t) by the cohort share ``P(G = g)`` and
add the estimation effect of the weights (``did``'s ``wif``).

All arrays may carry a leading batch axis (bootstrap draws): outcome arrays are
``(B, n, T)``. Units whose outcome is missing at ``t`` or ``b`` are left out of that cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

Control = Literal["never", "notyet"]
BasePeriod = Literal["varying", "universal"]

NEVER = -1


class NotEstimable(ValueError):
    """The data hold no group-time cell to estimate (no treated cohort with a comparison):
    a property of the data, not a usage error."""


@dataclass(frozen=True)
class GroupTime:
    """Group-time effects for a batch: ``att`` (B, K), influence functions ``psi`` (B, n, K),
    and the cell keys ``group``/``period`` (positions in the period list, K each)."""

    group: np.ndarray
    period: np.ndarray
    att: np.ndarray
    psi: np.ndarray
    entered: np.ndarray | None = None  # (n,) True for units in at least one cell

    @property
    def event_time(self) -> np.ndarray:
        return self.period - self.group


@dataclass(frozen=True)
class Aggregate:
    """An aggregated effect: ``att`` (B,) and its influence function ``psi`` (B, n)."""

    att: np.ndarray
    psi: np.ndarray

    @property
    def se(self) -> np.ndarray:
        return standard_error(self.psi)


def standard_error(psi: np.ndarray) -> np.ndarray:
    """``sqrt(Σ ψ²) / n`` over the unit axis (second to last for (B, n, K), last for (B, n))."""
    n = psi.shape[1]
    return np.sqrt(np.sum(psi**2, axis=1)) / n


def group_time(
    y: np.ndarray,
    gpos: np.ndarray,
    control: Control = "never",
    base_period: BasePeriod = "varying",
    post_only: bool = False,
    pre_only: bool = False,
) -> GroupTime:
    """ATT(g, t) for every treated cohort g and period t (except the base period itself with
    ``"universal"``).

    Args:
        y: outcomes ``(B, n, T)`` (NaN = missing); the missing pattern must be the same in
            every draw.
        gpos: per unit the position (0..T-1) of its first treated period, ``NEVER`` (−1) if
            never treated. Cohorts must have ``gpos >= 1`` (a pre-period).
        post_only: only the cells ``t ≥ g`` (all the simple aggregate uses; faster).
        pre_only: only the cells ``t < g − 1`` (the leads a pre-trend test uses).
    """
    if y.ndim != 3:
        raise ValueError("y must be (draws, units, periods)")
    _, n, n_periods = y.shape
    valid = ~np.isnan(y[0])
    filled = np.nan_to_num(y)
    groups: list[np.ndarray] = []
    periods: list[np.ndarray] = []
    atts: list[np.ndarray] = []
    psis: list[np.ndarray] = []
    entered = np.zeros(n, dtype=bool)
    for g in np.unique(gpos[gpos != NEVER]):
        # All cells of cohort g at once: periods t (K_g,), base periods b (K_g,).
        if base_period == "universal":
            t = np.arange(n_periods)
            t = t[t != g - 1]
            b = np.full(t.size, g - 1)
        else:
            t = np.arange(1, n_periods)
            b = np.where(t < g, t - 1, g - 1)
        if post_only or pre_only:
            keep = t >= g if post_only else t < g - 1
            t, b = t[keep], b[keep]
        if control == "never":
            comparison = np.repeat((gpos == NEVER)[:, None], t.size, axis=1)
        else:
            later = gpos[:, None] > np.maximum(t, b)[None, :]
            comparison = (gpos == NEVER)[:, None] | (later & (gpos != g)[:, None])
        both = valid[:, t] & valid[:, b]  # (n, K_g)
        in_treated = (gpos == g)[:, None] & both
        in_comparison = comparison & both
        n_g = in_treated.sum(axis=0)
        n_c = in_comparison.sum(axis=0)
        ok = (n_g > 0) & (n_c > 0)
        if not ok.any():
            continue
        t, b = t[ok], b[ok]
        in_treated, in_comparison = in_treated[:, ok], in_comparison[:, ok]
        entered |= (in_treated | in_comparison).any(axis=1)
        n_g, n_c = n_g[ok], n_c[ok]
        change = filled[:, :, t] - filled[:, :, b]  # (B, n, K_g)
        mu_g = np.einsum("bnk,nk->bk", change, in_treated) / n_g
        mu_c = np.einsum("bnk,nk->bk", change, in_comparison) / n_c
        psi = (n / n_g) * in_treated * (change - mu_g[:, None, :]) - (n / n_c) * in_comparison * (
            change - mu_c[:, None, :]
        )
        groups.append(np.full(t.size, int(g)))
        periods.append(t)
        atts.append(mu_g - mu_c)
        psis.append(psi)
    if not atts:
        raise NotEstimable("no estimable group-time cell (no treated cohort with a comparison)")
    return GroupTime(
        group=np.concatenate(groups),
        period=np.concatenate(periods),
        att=np.concatenate(atts, axis=-1),
        psi=np.concatenate(psis, axis=-1),
        entered=entered,
    )


def cohort_shares(gpos: np.ndarray) -> dict[int, float]:
    """P(G = g): the share of all units in the analysis that belong to cohort g."""
    return {int(g): float(np.mean(gpos == g)) for g in np.unique(gpos[gpos != NEVER])}


def _weight_influence(gpos: np.ndarray, cell_groups: np.ndarray) -> np.ndarray:
    """Influence function (n, k) of the weights ``P(G = g_k) / Σ_k P(G = g_k)`` (``did::wif``)."""
    indicator = (gpos[:, None] == cell_groups[None, :]).astype(float)
    pg = indicator.mean(axis=0)
    total = pg.sum()
    deviation = indicator - pg
    if1 = deviation / total
    if2 = deviation.sum(axis=1, keepdims=True) * (pg / total**2)[None, :]
    return if1 - if2


def _weighted(
    gt: GroupTime, keep: np.ndarray, gpos: np.ndarray, *, estimated_weights: bool
) -> Aggregate:
    groups = gt.group[keep]
    shares = cohort_shares(gpos)
    pg = np.array([shares[int(g)] for g in groups])
    weights = pg / pg.sum()
    att = gt.att[:, keep] @ weights
    psi = gt.psi[:, :, keep] @ weights
    if estimated_weights:
        wif = _weight_influence(gpos, groups)  # (n, k)
        psi = psi + np.einsum("nk,bk->bn", wif, gt.att[:, keep])
    return Aggregate(att=att, psi=psi)


def aggregate_simple(gt: GroupTime, gpos: np.ndarray) -> Aggregate:
    """θ_simple: all post-treatment cells (t ≥ g) weighted by cohort size."""
    return _weighted(gt, gt.period >= gt.group, gpos, estimated_weights=True)


def aggregate_dynamic(gt: GroupTime, gpos: np.ndarray) -> tuple[np.ndarray, list[Aggregate]]:
    """θ_es(e) for every event time e, each weighting its cells by cohort size.

    Vectorised over event times: with membership ``M`` (cells × event times), cohort shares
    ``pg`` and ``D = 1{G_i = g_k} − pg_k``, the weights' influence (``did::wif``) times the
    cell effects is ``Σ_k∈e D_ik att_k / S_e − (Σ_k∈e D_ik)(Σ_k∈e pg_k att_k) / S_e²`` with
    ``S_e = Σ_k∈e pg_k``."""
    event_times = np.unique(gt.event_time)
    membership = (gt.event_time[:, None] == event_times[None, :]).astype(float)
    shares = cohort_shares(gpos)
    pg = np.array([shares[int(g)] for g in gt.group])
    total = membership.T @ pg
    weights = membership * pg[:, None] / total[None, :]
    att = gt.att @ weights
    deviation = (gpos[:, None] == gt.group[None, :]).astype(float) - pg[None, :]
    psi = (
        gt.psi @ weights
        + np.einsum("nk,bk,ke->bne", deviation, gt.att, membership) / total
        - (deviation @ membership)[None] * ((gt.att * pg) @ membership)[:, None, :] / total**2
    )
    return event_times, [
        Aggregate(att=att[:, j], psi=psi[:, :, j]) for j in range(event_times.size)
    ]


def aggregate_dynamic_overall(gt: GroupTime, gpos: np.ndarray) -> Aggregate:
    """Overall dynamic effect: the average of θ_es(e) over e ≥ 0."""
    event_times, by_e = aggregate_dynamic(gt, gpos)
    post = [agg for e, agg in zip(event_times, by_e, strict=True) if e >= 0]
    return Aggregate(
        att=np.mean([a.att for a in post], axis=0), psi=np.mean([a.psi for a in post], axis=0)
    )


def aggregate_group(gt: GroupTime, gpos: np.ndarray) -> tuple[np.ndarray, list[Aggregate]]:
    """θ_sel(g) per cohort: the plain average of its post-treatment cells."""
    post = gt.period >= gt.group
    cohorts = np.unique(gt.group[post])
    out = []
    for g in cohorts:
        keep = post & (gt.group == g)
        out.append(Aggregate(att=gt.att[:, keep].mean(axis=1), psi=gt.psi[:, :, keep].mean(axis=2)))
    return cohorts, out


def aggregate_group_overall(gt: GroupTime, gpos: np.ndarray) -> Aggregate:
    """Overall group effect: θ_sel(g) weighted by cohort size, with the weights' influence."""
    cohorts, by_g = aggregate_group(gt, gpos)
    shares = cohort_shares(gpos)
    pg = np.array([shares[int(g)] for g in cohorts])
    weights = pg / pg.sum()
    att_g = np.stack([a.att for a in by_g], axis=-1)
    psi_g = np.stack([a.psi for a in by_g], axis=-1)
    wif = _weight_influence(gpos, cohorts)
    psi = psi_g @ weights + np.einsum("nk,bk->bn", wif, att_g)
    return Aggregate(att=att_g @ weights, psi=psi)


def wald_zero(estimates: np.ndarray, psi: np.ndarray) -> tuple[float, int]:
    """Wald statistic that all ``estimates`` (k,) are zero, with covariance ``Ψ'Ψ / n²`` from
    their influence functions ``psi`` (n, k); returns (statistic, degrees of freedom).
    A singular covariance uses its pseudo-inverse and its rank as degrees of freedom."""
    n = psi.shape[0]
    covariance = psi.T @ psi / n**2
    rank = int(np.linalg.matrix_rank(covariance))
    statistic = float(estimates @ np.linalg.pinv(covariance) @ estimates)
    return statistic, rank
