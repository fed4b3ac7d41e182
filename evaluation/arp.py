"""The conditional and hybrid moment-inequality test of Andrews, Roth & Pakes (2023,
"Inference for linear conditional moment inequalities", *Review of Economic Studies*
90(6)) with nuisance parameters, as the R package ``HonestDiD`` uses it for the
relative-magnitudes restriction (``R/arp-nuisance.R``: ``.lp_conditional_test_fn``,
``.compute_least_favorable_cv``, ``.vlo_vup_dual_fn``).

The null is ``E[y] ≤ Xδ`` for some nuisance δ. The statistic is
``η̂ = min_{η, δ} η`` s.t. ``y − Xδ ≤ η·sd(y)``. By linear-programming duality
``η̂ = max_γ γ'y`` over the vertices γ of ``{γ ≥ 0, sd'γ = 1, X'γ = 0}``; the maximising
vertex γ̃ holds the binding moments. Conditional on γ̃ (ARP, Appendix D), ``η̂/σ_B``
(``σ_B² = γ̃'Σγ̃``) is normal truncated to ``[v_lo, v_up]/σ_B``, the set of ``c`` with
``max_γ γ'(s + Σγ̃ c/σ_B²) = c``, ``s = y − Σγ̃ γ̃'y/σ_B²``. The package finds ``v_lo``,
``v_up`` by bisection with a linear programme per step (tolerance 1e-6, ±100 or
±20 σ_B treated as infinite); with the vertices enumerated they are closed-form here:
every vertex γ gives ``γ's + (γ'Σγ̃/σ_B²)·c ≤ c``. The test rejects when
``η̂/σ_B`` exceeds ``max(0, q)``, q the ``1 − α̃`` quantile of the truncated normal.
The least-favourable hybrid first rejects when ``η̂`` exceeds the ``1 − κ`` quantile of
``η`` under ``y ~ N(0, Σ)`` (κ = α/10, 1,000 simulated draws as in the package), then
uses ``α̃ = (α − κ)/(1 − κ)`` and caps ``v_up`` at that critical value.

The simulated critical value is not R's draw (numpy, seed fixed), so confidence sets
agree with the package up to that simulation noise and the grid (tests). Vertex
enumeration is exact and fast for the few moments used here (2 per post-entry period);
``MAX_SUBSETS`` guards against combinatorial growth.
"""

from __future__ import annotations

import functools
import itertools
import math

import numpy as np
from scipy import stats

LF_SIMS = 1_000
MAX_SUBSETS = 200_000
VERTEX_TOL = 1e-12


def dual_vertices(x: np.ndarray, sd: np.ndarray) -> np.ndarray:
    """The vertices (rows) of ``{γ ≥ 0, sd'γ = 1, X'γ = 0}``: the extreme rays of the cone
    ``{γ ≥ 0, X'γ = 0}`` (basic solutions on ``k + 1`` of the m moments, k = columns of
    X) with ``sd'γ > 0``, each scaled to ``sd'γ = 1``. The rays depend on X only, which is
    the same for every M̄, location and sign in Δ^RM, so they are computed once (cached).

    A ray on moments of zero variance only (``sd'γ = 0``; e.g. post-entry estimates known
    exactly) is no vertex but a direction in which the set is unbounded:
    :func:`deterministic_rays` returns those."""
    rays = _extreme_rays(np.ascontiguousarray(x, dtype=float).tobytes(), x.shape)
    scale = rays @ sd
    proper = scale > _zero_sd(sd)
    return rays[proper] / scale[proper][:, None]


def deterministic_rays(x: np.ndarray, sd: np.ndarray) -> np.ndarray:
    """The extreme rays γ of ``{γ ≥ 0, X'γ = 0}`` with ``sd'γ = 0``: combinations of
    moments with zero variance. In the primal ``min η s.t. y − Xδ ≤ η·sd`` those moments
    are ``y_j − X_jδ ≤ 0`` whatever η, and by Farkas' lemma they cannot all hold for any δ
    exactly when ``γ'y > 0`` for such a ray: then ``η̂ = +∞`` (the dual is unbounded) and
    the null is rejected for certain. A ray with ``γ'y ≤ 0`` does not move ``η̂``."""
    rays = _extreme_rays(np.ascontiguousarray(x, dtype=float).tobytes(), x.shape)
    return rays[rays @ sd <= _zero_sd(sd)]


def _zero_sd(sd: np.ndarray) -> float:
    """``sd'γ`` (Σγ = 1) at or below this is zero: rounding error relative to the largest sd."""
    return 1e-12 * float(np.max(sd, initial=0.0))


@functools.lru_cache(maxsize=64)
def _extreme_rays(x_bytes: bytes, shape: tuple[int, int]) -> np.ndarray:
    x = np.frombuffer(x_bytes, dtype=float).reshape(shape)
    m, k = shape
    if math.comb(m, k + 1) > MAX_SUBSETS:
        raise ValueError("for mange momenter til at opregne hjørnerne i ARP-testen")
    system = np.vstack([np.ones(m), x.T])  # (k + 1, m): rays normalised to Σγ = 1
    rhs = np.zeros(k + 1)
    rhs[0] = 1.0
    out = []
    for subset in itertools.combinations(range(m), k + 1):
        block = system[:, subset]
        if abs(np.linalg.det(block)) < 1e-14 * max(1.0, np.abs(block).max()) ** (k + 1):
            continue
        weights = np.linalg.solve(block, rhs)
        if np.all(weights >= -VERTEX_TOL):
            gamma = np.zeros(m)
            gamma[list(subset)] = np.maximum(weights, 0.0)
            out.append(gamma)
    if not out:
        return np.zeros((0, m))
    return np.unique(np.round(np.array(out), 14), axis=0)


def least_favourable_cv(
    vertices: np.ndarray, sigma: np.ndarray, kappa: float, sims: int = LF_SIMS, seed: int = 0
) -> float:
    """``1 − κ`` quantile of ``η = max_γ γ'ξ`` for ``ξ ~ N(0, Σ)`` (−∞ without vertices)."""
    if vertices.shape[0] == 0:
        return -math.inf
    rng = np.random.default_rng(seed)
    values, vectors = np.linalg.eigh(sigma)
    root = (vectors * np.sqrt(np.maximum(values, 0.0))) @ vectors.T  # symmetric root
    draws = rng.standard_normal((sims, sigma.shape[0])) @ root
    eta = (draws @ vertices.T).max(axis=1)
    return float(np.quantile(eta, 1 - kappa))


def conditional_test(
    y: np.ndarray,
    vertices: np.ndarray,
    sigma: np.ndarray,
    alpha: float,
    lf_cv: float | None,
    kappa: float,
    deterministic: np.ndarray | None = None,
) -> np.ndarray:
    """Whether the (least-favourable hybrid, or with ``lf_cv`` None the plain) conditional
    test rejects ``E[y] ≤ Xδ`` for all δ, for each column of ``y`` (m, G) — e.g. one
    column per value of θ (see the module docstring). ``deterministic``: the rays of
    :func:`deterministic_rays`; a column with ``γ'y > 0`` on one of them breaks moments
    that have no sampling error and is rejected (``η̂ = +∞``). Such rays leave the rest of
    the test as it is: their moments' rows of Σ are zero (Σ is positive semi-definite), so
    ``γ'Σ = 0`` and they take no part in the truncation bounds."""
    y = np.asarray(y, float).reshape(sigma.shape[0], -1)
    n = y.shape[1]
    broken = np.zeros(n, dtype=bool)
    if deterministic is not None and deterministic.shape[0]:
        tol = 1e-9 * max(1.0, float(np.abs(y).max(initial=0.0)))
        broken = (deterministic @ y > tol).any(axis=0)
    if vertices.shape[0] == 0:  # η unbounded below: the moments can always be met
        return broken
    scores = vertices @ y  # (V, G)
    best = np.argmax(scores, axis=0)
    eta = scores[best, np.arange(n)]
    size = alpha if lf_cv is None else (alpha - kappa) / (1 - kappa)
    gamma = vertices[best]  # (G, m)
    sigma_gamma = gamma @ sigma  # (G, m)
    s2 = np.einsum("gm,gm->g", gamma, sigma_gamma)
    degenerate = np.abs(s2) < np.finfo(float).eps
    s2 = np.where(degenerate, 1.0, s2)
    sigma_b = np.sqrt(s2)
    gy = np.einsum("gm,mg->g", gamma, y)
    s_t = y.T - sigma_gamma * (gy / s2)[:, None]  # (G, m)
    a = s_t @ vertices.T  # (G, V)
    slope = (sigma_gamma @ vertices.T) / s2[:, None] - 1  # (G, V)
    # a_v + (b_v − 1)c ≤ 0 for every vertex v.
    with np.errstate(divide="ignore", invalid="ignore"):
        bound = a / -slope
    vlo = np.where(slope < -1e-12, bound, -np.inf).max(axis=1)
    vup = np.where(slope > 1e-12, bound, np.inf).min(axis=1)
    # The package's search treats bounds beyond ±max(100, |η| + 20σ_B) as infinite.
    vlo = np.where(vlo < np.minimum(-100.0, eta - 20 * sigma_b), -np.inf, vlo)
    vup = np.where(vup > np.maximum(100.0, eta + 20 * sigma_b), np.inf, vup)
    if lf_cv is not None:
        vup = np.minimum(vup, lf_cv)
    maxstat = eta / sigma_b
    zlo, zup = vlo / sigma_b, vup / sigma_b
    inside = (zlo <= maxstat) & (maxstat <= zup)
    cval = np.zeros(n)
    if inside.any():
        q = stats.truncnorm.ppf(1 - size, zlo[inside], zup[inside])
        cval[inside] = np.maximum(0.0, q)
    reject = inside & (maxstat > cval)
    if lf_cv is not None:
        reject |= eta > lf_cv
    return np.where(degenerate, eta > 0, reject) | broken
