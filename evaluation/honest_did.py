"""Sensitivity of the event-study effect to violations of parallel trends (Rambachan & Roth
2023, "A more credible approach to parallel trends", *Review of Economic Studies* 90(5)).

The event-study coefficients ``β = (β_pre, β_post)`` (reference period −1 normalised to 0)
are ``β = τ + δ`` with ``τ_pre = 0``; ``δ`` is the bias from a violation of parallel trends.
Instead of assuming ``δ_post = 0``, the target ``θ = l'τ_post`` (here the first post-entry
period, ``l = e_1``, and the average over the post-entry periods) is bounded under a
restriction on how far ``δ`` may move.

**Smoothness** ``Δ^SD(M)``: the slope of δ may change by at most ``M`` between consecutive
periods, ``|(δ_{t+1} − δ_t) − (δ_t − δ_{t−1})| ≤ M`` (with ``δ_0 = 0`` at the reference
period). ``M = 0`` allows only a linear trend continued from the pre-period. The confidence
interval is the *fixed-length confidence interval* (FLCI) of Armstrong & Kolesár (2018,
2020) that the R package ``HonestDiD`` reports for ``Δ^SD``: among affine estimators
``θ̂ = l'β̂_post − w'β̂_pre``, the one minimising the half-length
``χ(w) = sd(w) · cv_α(b̄(w)/sd(w))``, where ``b̄(w) = max_{δ ∈ Δ^SD(M)} |l'δ_post − w'δ_pre|``
is the worst-case bias, ``sd(w)² = v'Σv`` with ``v = (−w, l)``, and ``cv_α(b)`` the
``1 − α`` quantile of ``|N(b, 1)|``. Writing δ through ``δ_{−1}`` and its second differences
``d`` gives the bias as ``c_1 δ_{−1} + g'd``; it is bounded only when ``c_1 = 0`` (the
estimator removes a linear trend) and then ``b̄ = M·Σ|g|``. The minimisation over w (one
linear constraint) is numerical (Nelder–Mead from several starts, then refined).

Checked against the published output of ``HonestDiD::createSensitivityResults`` in the
package README (Medicaid example), see ``tests/evaluation/test_honest_did.py``.

**Relative magnitudes** ``Δ^RM(M̄)``: every post-entry change of δ between consecutive
periods is at most ``M̄`` times the largest pre-entry change in absolute value.
``M̄ = 1``: the violation after entry is no larger than the worst one before. The
confidence set is the package's ``C-LF`` (conditional least-favourable hybrid) set:
:func:`relative_magnitudes_ci` with the ARP test of :mod:`evaluation.arp`, checked against
the package README's Medicaid ``createSensitivityResults_relativeMagnitudes`` numbers in
``tests/evaluation/test_honest_did_rm.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy import optimize, stats

from evaluation import arp
from evaluation import callaway_santanna as cs

DEFAULT_M_STEPS = (0.0, 0.5, 1.0)
MAX_LEADS = 4  # the pre-entry quarters −5..−2 (with −1 as reference) inform the bounds
DEFAULT_MBAR = (0.5, 1.0, 2.0)
RM_MAX_LAGS = 4  # Δ^RM: post-entry quarters 0..3 (the moment count grows with them)
RM_GRID_POINTS = 100  # as HonestDiD's honest_did() for the did package
RM_REFINE = 20  # points between a grid end and its rejected neighbour (0.02 SE)


def _trend_map(n_pre: int, n_post: int) -> np.ndarray:
    """Matrix R with ``δ = R @ (δ_{−1}, d)``: δ over the periods −n_pre..−1, 1..n_post
    (reference 0 left out, ``δ_0 = 0``), ``d`` the second differences at the periods
    −n_pre+1..n_post−1."""
    n_free = 1 + (n_pre + n_post - 1)
    out = np.zeros((n_pre + n_post, n_free))
    for j in range(n_free):
        free = np.zeros(n_free)
        free[j] = 1.0
        delta = {0: 0.0, -1: free[0]}
        d = dict(zip(range(-n_pre + 1, n_post), free[1:], strict=True))
        for t in range(0, n_post):  # forward: δ_{t+1} = 2δ_t − δ_{t−1} + d_t
            delta[t + 1] = 2 * delta[t] - delta[t - 1] + d[t]
        for t in range(-1, -n_pre, -1):  # backward: δ_{t−1} = 2δ_t − δ_{t+1} + d_t
            delta[t - 1] = 2 * delta[t] - delta[t + 1] + d[t]
        periods = list(range(-n_pre, 0)) + list(range(1, n_post + 1))
        out[:, j] = [delta[t] for t in periods]
    return out


def _cv(bias_over_sd: float, alpha: float) -> float:
    """1 − α quantile of |N(b, 1)|: the root of ``Φ(c − b) − Φ(−c − b) = 1 − α`` (Newton's
    method from ``b + z_{1−α}``, which is within 1e-3 of it; 1e-14 after a few steps)."""
    b = abs(bias_over_sd)
    c = b + _Z[alpha] if alpha in _Z else b + float(stats.norm.ppf(1 - alpha))
    if b <= 1e-12:
        return float(stats.norm.ppf(1 - alpha / 2))
    for _ in range(50):
        f = _norm_cdf(c - b) - _norm_cdf(-c - b) - (1 - alpha)
        step = f / (_norm_pdf(c - b) + _norm_pdf(-c - b))
        c -= step
        if abs(step) < 1e-14:
            break
    return c


def _norm_cdf(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2))


def _norm_pdf(x: float) -> float:
    return math.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


_Z = {0.05: float(stats.norm.ppf(0.95)), 0.1: float(stats.norm.ppf(0.9))}


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def flci_smoothness(
    betahat: np.ndarray,
    sigma: np.ndarray,
    n_pre: int,
    l_vec: np.ndarray,
    m: float,
    alpha: float = 0.05,
    precise: bool = True,
) -> Interval:
    """FLCI for ``θ = l'τ_post`` under ``Δ^SD(M)`` (see the module docstring).

    ``betahat`` (n_pre + n_post,) and ``sigma`` ordered as periods −n_pre..−1, 1..n_post."""
    betahat = np.asarray(betahat, float)
    sigma = np.asarray(sigma, float)
    l_vec = np.asarray(l_vec, float)
    n_post = betahat.size - n_pre
    transform = _trend_map(n_pre, n_post)
    r_pre, r_post = transform[:n_pre], transform[n_pre:]
    # Bias of θ̂: (l'R_post − w'R_pre) @ (δ_{−1}, d); its δ_{−1} part must vanish.
    a_vec = r_pre[:, 0]
    target = float(l_vec @ r_post[:, 0])
    w0 = a_vec * target / float(a_vec @ a_vec)
    null = np.linalg.svd(a_vec[None, :])[2][1:].T  # (n_pre, n_pre − 1)

    def parts(u: np.ndarray) -> tuple[float, float, np.ndarray]:
        w = w0 + null @ u
        g = l_vec @ r_post[:, 1:] - w @ r_pre[:, 1:]
        v = np.concatenate([-w, l_vec])
        return float(np.sqrt(v @ sigma @ v)), m * float(np.abs(g).sum()), w

    def half_length(u: np.ndarray) -> float:
        sd, bias, _ = parts(u)
        if sd <= 0.0:
            # No sampling variance (a degenerate event study): the interval is the bias bound,
            # the limit of sd · cv(bias / sd) as sd → 0.
            return bias
        return sd * _cv(bias / sd, alpha)

    best = None
    rng = np.random.default_rng(0)
    scale = max(1.0, float(np.abs(w0).max()))
    starts = [np.zeros(null.shape[1])]
    if precise:
        starts += [rng.normal(0, scale, null.shape[1]) for _ in range(2)]
        options = {"xatol": 1e-12, "fatol": 1e-16, "maxiter": 20_000, "maxfev": 20_000}
    else:  # for display: half-lengths within about 1e-6 of the outcome's scale
        options = {"xatol": 1e-8, "fatol": 1e-12, "maxiter": 4_000, "maxfev": 4_000}
    for start in starts:
        fit = optimize.minimize(half_length, start, method="Nelder-Mead", options=options)
        # Restart at the optimum: Nelder–Mead stalls at the kinks of Σ|g|.
        for _ in range(20 if precise else 4):
            again = optimize.minimize(half_length, fit.x, method="Nelder-Mead", options=options)
            if again.fun >= fit.fun - 1e-15:
                break
            fit = again
        if best is None or fit.fun < best.fun:
            best = fit
    _, _, w = parts(best.x)
    centre = float(l_vec @ betahat[n_pre:] - w @ betahat[:n_pre])
    return Interval(centre - best.fun, centre + best.fun)


def event_study_sensitivity(
    event_times: np.ndarray,
    by_e: list[cs.Aggregate],
    level: float = 0.95,
    m_values: tuple[float, ...] | None = None,
) -> pl.DataFrame | None:
    """FLCIs under ``Δ^SD(M)`` for the first post-entry period and the average over the
    post-entry periods, and ``Δ^RM(M̄)`` sets (``restriktion = "relative_magnitudes"``,
    ``M`` = M̄ ∈ ``DEFAULT_MBAR``) for the first post-entry period, from the universal-base
    event study (its influence functions give
    the covariance). ``M`` in units of the outcome per period², by default multiples
    (0, ½, 1) of the largest absolute second difference of the pre-entry path (at least
    one standard error of the first post period). Columns ``maal`` (``foerste`` /
    ``gennemsnit``), ``M``, ``ci_low``, ``ci_high``. None without leads before −1 or lags.
    Only the last ``MAX_LEADS`` leads enter (a short, recent pre-period keeps the
    optimisation small and is the usual choice in applications)."""
    event_times = np.asarray(event_times)
    keep = [i for i, e in enumerate(event_times) if e != -1]
    pre = [i for i in keep if event_times[i] < -1][-MAX_LEADS:]
    post = [i for i in keep if event_times[i] >= 0]
    if len(pre) < 1 or len(post) < 1:
        return None
    # Contiguous periods only (a gap would break the second differences).
    pre_times = event_times[pre]
    post_times = event_times[post]
    if np.any(np.diff(pre_times) != 1) or np.any(np.diff(post_times) != 1):
        return None
    order = pre + post
    beta = np.array([by_e[i].att[0] for i in order])
    psi = np.stack([by_e[i].psi[0] for i in order], axis=1)
    n = psi.shape[0]
    sigma = psi.T @ psi / n**2
    if not np.all(np.isfinite(beta)) or not np.all(np.isfinite(sigma)):
        return None
    n_pre, n_post = len(pre), len(post)
    se_first = float(np.sqrt(sigma[n_pre, n_pre]))
    if m_values is None:
        path = np.concatenate([beta[:n_pre], [0.0]])
        second = np.abs(np.diff(path, 2)) if path.size >= 3 else np.array([0.0])
        unit = max(float(second.max(initial=0.0)), se_first)
        m_values = tuple(step * unit for step in DEFAULT_M_STEPS)
    rows = []
    targets = {
        "foerste": np.eye(n_post)[0],
        "gennemsnit": np.full(n_post, 1 / n_post),
    }
    for name, l_vec in targets.items():
        for m in m_values:
            interval = flci_smoothness(beta, sigma, n_pre, l_vec, m, 1 - level, precise=False)
            rows.append((name, "smoothness", float(m), interval.low, interval.high))
    # Δ^RM for the first post-entry quarter, from the first RM_MAX_LAGS post-entry quarters
    # (at least two: the nuisance-parameter form of the test).
    n_rm_post = min(n_post, RM_MAX_LAGS)
    if n_rm_post >= 2:
        keep_rm = list(range(n_pre + n_rm_post))
        # The grid: the estimate ± 20 SE (the package centres ±20 SE on 0); a set that
        # reaches an end of the grid is reported open (±∞) on that side.
        centre = float(beta[n_pre])
        low, high = centre - 20 * se_first, centre + 20 * se_first
        for mbar in DEFAULT_MBAR:
            if not se_first > 0:  # no sampling variance: the test is undefined
                rows.append(("foerste", "relative_magnitudes", mbar, np.nan, np.nan))
                continue
            interval = relative_magnitudes_ci(
                beta[keep_rm],
                sigma[np.ix_(keep_rm, keep_rm)],
                n_pre,
                np.eye(n_rm_post)[0],
                mbar,
                alpha=1 - level,
                grid_points=RM_GRID_POINTS,
                grid_lb=low,
                grid_ub=high,
                refine=RM_REFINE,
            )
            rm_low = -np.inf if interval.low <= low else interval.low
            rm_high = np.inf if interval.high >= high else interval.high
            rows.append(("foerste", "relative_magnitudes", mbar, rm_low, rm_high))
    return pl.DataFrame(
        rows,
        schema={
            "maal": pl.String,
            "restriktion": pl.String,
            "M": pl.Float64,
            "ci_low": pl.Float64,
            "ci_high": pl.Float64,
        },
        orient="row",
    )


def _rm_constraints(n_pre: int, n_post: int, mbar: float, s: int, max_positive: bool) -> np.ndarray:
    """``A`` with ``Δ^RM_{s,±}(M̄) = {δ : Aδ ≤ 0}`` (``HonestDiD:::.create_A_RM``): every
    first difference of δ (periods −n_pre…n_post, δ_0 = 0) is at most the pre-entry first
    difference at ``s`` (``s = −(n_pre − 1) … 0``; the one ending at period s) in absolute
    value, times ``M̄`` after entry; ``max_positive`` = that difference is positive. The
    column of period 0 is dropped."""
    width = n_pre + n_post + 1
    first = np.zeros((n_pre + n_post, width))
    for r in range(n_pre + n_post):
        first[r, r], first[r, r + 1] = -1.0, 1.0
    v_max = np.zeros(width)
    v_max[n_pre + s - 1], v_max[n_pre + s] = -1.0, 1.0
    if not max_positive:
        v_max = -v_max
    upper = np.vstack([np.tile(v_max, (n_pre, 1)), np.tile(mbar * v_max, (n_post, 1))])
    a = np.vstack([first - upper, -first - upper])
    a = a[np.sum(a * a, axis=1) > 1e-10]
    return np.delete(a, n_pre, axis=1)


def _gamma_matrix(l_vec: np.ndarray) -> np.ndarray:
    """Invertible matrix with first row ``l'`` (``HonestDiD:::.construct_Gamma``): the
    pivot columns of ``[l, I]``, as rows."""
    columns = np.column_stack([l_vec, np.eye(l_vec.size)])
    chosen: list[np.ndarray] = []
    for j in range(columns.shape[1]):
        trial = np.column_stack([*chosen, columns[:, j]])
        if np.linalg.matrix_rank(trial) > len(chosen):
            chosen.append(columns[:, j])
        if len(chosen) == l_vec.size:
            break
    return np.array(chosen)


def relative_magnitudes_ci(
    betahat: np.ndarray,
    sigma: np.ndarray,
    n_pre: int,
    l_vec: np.ndarray,
    mbar: float,
    alpha: float = 0.05,
    grid_points: int = 1_000,
    grid_lb: float | None = None,
    grid_ub: float | None = None,
    hybrid: bool = True,
    seed: int = 0,
    refine: int = 0,
) -> Interval:
    """Confidence set for ``θ = l'τ_post`` under ``Δ^RM(M̄)``: the post-entry change of the
    bias between consecutive periods is at most ``M̄`` times the largest pre-entry change
    (Rambachan & Roth 2023, section 2.4.1). As ``HonestDiD::computeConditionalCS_DeltaRM``
    (``hybrid_flag = "LF"``, κ = α/10, moments with post-entry coefficients only): ``Δ^RM``
    is the union over the location ``s`` and sign of the largest pre-entry change of
    polyhedra ``{Aδ ≤ 0}``; θ is accepted when the ARP conditional (least-favourable
    hybrid) test (:mod:`evaluation.arp`) accepts it for some ``(s, ±)``, on a grid of
    ``grid_points`` values in ``±20`` standard errors of ``l'β̂_post`` (the package's
    default grid); the interval is the hull of the accepted grid points (NaN when none
    is accepted). ``refine`` > 0: each end is then refined on ``refine`` points between
    it and its rejected neighbour (the package reports the grid hull, ``refine = 0``).
    At least two post-entry periods (the nuisance-parameter form)."""
    betahat = np.asarray(betahat, float).ravel()
    sigma = np.asarray(sigma, float)
    l_vec = np.asarray(l_vec, float).ravel()
    n_post = betahat.size - n_pre
    if n_post < 2 or n_pre < 1:
        raise ValueError("Δ^RM kræver mindst én periode før og to efter start")
    post = slice(n_pre, n_pre + n_post)
    sd_theta = float(np.sqrt(l_vec @ sigma[post, post] @ l_vec))
    low = -20 * sd_theta if grid_lb is None else grid_lb
    high = 20 * sd_theta if grid_ub is None else grid_ub
    grid = np.linspace(low, high, grid_points)
    gamma_inv = np.linalg.inv(_gamma_matrix(l_vec))
    kappa = alpha / 10
    tests = []  # one ARP test per location and sign of the largest pre-entry change
    for s in range(-(n_pre - 1), 1):
        for positive in (True, False):
            a = _rm_constraints(n_pre, n_post, mbar, s, positive)
            rows = np.flatnonzero(np.any(a[:, post] != 0, axis=1))
            a_gamma = a[:, post] @ gamma_inv
            y = (a @ betahat)[rows]
            x = a_gamma[rows][:, 1:]
            one = a_gamma[rows][:, 0]
            sigma_y = (a @ sigma @ a.T)[np.ix_(rows, rows)]
            sd_y = np.sqrt(np.maximum(np.diag(sigma_y), 0.0))  # a rounding error below 0
            vertices = arp.dual_vertices(x, sd_y)
            lf_cv = arp.least_favourable_cv(vertices, sigma_y, kappa, seed=seed) if hybrid else None
            tests.append((y, one, vertices, sigma_y, lf_cv, arp.deterministic_rays(x, sd_y)))

    def accepted(theta: np.ndarray) -> np.ndarray:
        out = np.zeros(theta.size, dtype=bool)
        for y, one, vertices, sigma_y, lf_cv, rays in tests:
            out |= ~arp.conditional_test(
                y[:, None] - one[:, None] * theta[None, :],
                vertices,
                sigma_y,
                alpha,
                lf_cv,
                kappa,
                deterministic=rays,
            )
        return out

    accept = accepted(grid)
    if not accept.any():
        return Interval(float("nan"), float("nan"))
    first, last = np.flatnonzero(accept)[[0, -1]]
    lower, upper = float(grid[first]), float(grid[last])
    if refine > 0:
        # The hull of the grid lies inside the set by up to one grid step at each end (0.4
        # SE with the 100 points of ±20 SE): test ``refine`` points between each end and
        # its rejected neighbour and keep the outermost accepted one.
        if first > 0:
            fine = np.linspace(grid[first - 1], grid[first], refine + 2)[1:-1]
            inside = accepted(fine)
            lower = float(fine[inside][0]) if inside.any() else lower
        if last < grid_points - 1:
            fine = np.linspace(grid[last], grid[last + 1], refine + 2)[1:-1]
            inside = accepted(fine)
            upper = float(fine[inside][-1]) if inside.any() else upper
    return Interval(lower, upper)
