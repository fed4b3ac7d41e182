"""Difference-in-differences for staggered trial entry: the headline estimate with honest
uncertainty.

:func:`estimate` returns a :class:`DidResult` with

* the **headline**: Callaway & Sant'Anna's (2021) simple aggregate ATT (all post-entry
  group-time effects weighted by cohort size), never-treated controls by default
  (``control="notyet"`` adds not-yet-treated units), unconditional parallel trends; see
  :mod:`evaluation.callaway_santanna`;
* its analytical standard error from the influence function, clustered by unit
  (``SE = sqrt(Σψ²)/n``, no small-sample factor — the convention of R ``did`` with
  ``bstrap = FALSE``), a normal confidence interval and p-value;
* ``p_wcr``: wild cluster bootstrap with the null imposed, Rademacher weights, exact
  enumeration for G ≤ 12 clusters (:mod:`evaluation.inference`);
* ``p_ri``: randomisation inference reassigning the treatment timings across units, on the
  studentised statistic ``|ATT/SE|``, and its inversion ``ri_ci_low``/``ri_ci_high``;
* ``p_regional`` and its interval when ``region`` is given and all treated units share
  one region (:mod:`evaluation.regional`);
* an **event study** relative to the period before entry (``rel_time = -1`` fixed at 0,
  "universal" base period) and ``pretrend_p``, a test that the last four leads
  (``rel_time`` −5 … −2, the quarters the HonestDiD bounds use) are zero, by randomisation
  inference (the same reassignments of entry timing as ``p_ri``) on their average,
  studentised like the headline, ``|θ̄/SE|`` (:func:`_pretrend_average_statistic`); when
  all treated units share a region, by placebo regions on ``Σ t_e²`` over the same leads
  instead (``pretrend_method``, :func:`evaluation.regional.regional_pretrend`). A
  chi-square Wald test on the leads inverts a covariance that is nearly singular with few
  clusters and many leads, and the per-lead standard errors are too small when only a few
  treated units support a lead; measured on 40 simulated panels with 8 treated
  municipalities and no pre-trend, a multiplier-bootstrap sup-t test rejected in 38 % of
  draws at the 5 % level. (``did``'s chi-square Wald pre-test on the pre-entry group-time
  effects is not reported: it rejected every true null with few treated units);
* the plain **two-way fixed-effects** estimate ``Y_it = α_i + λ_t + β·D_it`` as a baseline,
  with a cluster-robust (CR1: ``G/(G−1)·(N−1)/(N−K)``, statsmodels' default) SE;
* ``weak_inference`` and a plain-language Danish ``warning`` when fewer than
  ``WEAK_TREATED_CLUSTERS`` (20) units are treated: the analytic interval is then too
  narrow and the WCR p-value conservative (MacKinnon & Webb 2017, 2018; measured in
  ``bench/bench_evaluation.py``), so the **headline** interval and p-value (``ci_low``,
  ``ci_high``, ``p_headline``, ``headline``) are design-based: placebo regions when all
  treated units share a region, else studentised randomisation inference; the analytic
  interval stays in ``ci_low_analytic``/``ci_high_analytic`` (``analytic_shown`` False
  below ``FEW_TREATED_UNITS`` or with a single-unit cohort);
* ``dropped_units`` (unit, reason) and ``sensitivity`` (HonestDiD bounds,
  :mod:`evaluation.honest_did`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
from scipy import stats

from core.format import fmt_num
from evaluation import callaway_santanna as cs
from evaluation import honest_did, measured
from evaluation.inference import (
    randomisation_inference,
    studentised_randomisation,
    two_way_fit,
    wild_cluster_bootstrap,
)
from evaluation.regional import regional_inference, regional_pretrend

WEAK_TREATED_CLUSTERS = 20
FEW_TREATED_UNITS = 5


@dataclass(frozen=True)
class PanelArrays:
    """The panel as arrays: outcome ``y`` (n, T), cohort positions ``gpos`` (n,),
    ``units`` and ``periods`` (the sorted period values), and the units left out with the
    reason (``dropped``: unit → ``altid_behandlet`` | ``ugyldig_start`` | ``ufuldstaendig``
    | ``ingen_celle``)."""

    y: np.ndarray
    gpos: np.ndarray
    units: list[Any]
    periods: list[int]
    dropped_always_treated: list[Any] = field(default_factory=list)
    dropped: dict[Any, str] = field(default_factory=dict)

    def subset(self, keep: np.ndarray, reason: str) -> PanelArrays:
        """The arrays without the units where ``keep`` is False (recorded with ``reason``)."""
        dropped = dict(self.dropped)
        dropped.update({u: reason for u, k in zip(self.units, keep, strict=True) if not k})
        return replace(
            self,
            y=self.y[keep],
            gpos=self.gpos[keep],
            units=[u for u, k in zip(self.units, keep, strict=True) if k],
            dropped=dropped,
        )


DROP_REASONS = {
    "altid_behandlet": "behandlet allerede i første periode (ingen periode før start)",
    "ugyldig_start": "negativ eller ikke-heltallig første behandlingsperiode",
    "ufuldstaendig": "mangler data i mindst én periode (balanceret panel valgt)",
    "ingen_celle": "indgår ikke i nogen sammenligning (ikke observeret i to perioder, der "
    "sammenlignes)",
}


def _to_polars(panel: pl.DataFrame | pd.DataFrame) -> pl.DataFrame:
    return panel if isinstance(panel, pl.DataFrame) else pl.from_pandas(panel)


def _check_columns(frame: pl.DataFrame, outcome: str, time: str, first_treated: str) -> None:
    """Clear (Danish) errors for inputs the estimator cannot read correctly."""
    missing = [c for c in (outcome, time, first_treated) if c not in frame.columns]
    if missing:
        raise ValueError(f"kolonnen/kolonnerne findes ikke i panelet: {', '.join(missing)}")
    if frame.schema[time].is_temporal():
        raise ValueError(
            f"tidskolonnen {time!r} er en dato/tid ({frame.schema[time]}); angiv et heltalligt "
            "periodeindeks (fx periode_index), og første behandlingsperiode i samme enhed"
        )
    if not frame.schema[time].is_numeric():
        raise ValueError(f"tidskolonnen {time!r} skal være et heltalligt periodeindeks")
    if frame.schema[time].is_float():
        values = frame[time].drop_nulls()
        if values.is_nan().any() or (values != values.round(0)).any():
            raise ValueError(f"tidskolonnen {time!r} skal være hele tal (periodeindeks)")
    if frame.schema[first_treated].is_temporal() or not (
        frame.schema[first_treated].is_numeric() or frame.schema[first_treated] == pl.Null
    ):
        raise ValueError(
            f"{first_treated!r} skal være første behandlingsperiode som tal i tidskolonnens "
            "enhed (null eller 0 = aldrig behandlet)"
        )
    if frame.schema[first_treated].is_float() and frame[first_treated].is_nan().any():
        raise ValueError(
            f"{first_treated!r} indeholder NaN; brug null eller 0 for aldrig behandlede enheder"
        )
    if not frame.schema[outcome].is_numeric():
        raise ValueError(f"udfaldet {outcome!r} skal være numerisk")
    if frame.schema[outcome].is_float() and frame[outcome].is_infinite().any():
        raise ValueError(
            f"udfaldet {outcome!r} indeholder uendelige værdier (inf); ret eller fjern dem"
        )


def _region_values(
    panel: pl.DataFrame, unit: str, units: list[Any], region: str | Mapping[Any, Any]
) -> np.ndarray:
    """Each unit's region, from a column of the panel or a mapping unit → region."""
    if isinstance(region, str):
        if region not in panel.columns:
            raise ValueError(f"regionskolonnen {region!r} findes ikke i panelet")
        per_unit = panel.group_by(unit).agg(
            pl.col(region).drop_nulls().first().alias("__r"),
            pl.col(region).drop_nulls().n_unique().alias("__k"),
        )
        if (per_unit["__k"] > 1).any():
            raise ValueError(f"{region!r} skal være den samme i alle perioder for en {unit}")
        mapping = dict(zip(per_unit[unit].to_list(), per_unit["__r"].to_list(), strict=True))
    else:
        mapping = dict(region)
    missing = [u for u in units if mapping.get(u) is None]
    if missing:
        raise ValueError(f"ingen region for {len(missing)} enhed(er), fx {missing[0]!r}")
    return np.array([mapping[u] for u in units], dtype=object)


def panel_arrays(
    panel: pl.DataFrame | pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    control_units: list[Any] | None = None,
    *,
    balanced: bool = False,
) -> PanelArrays:
    """Reshape a long unit × period panel to the arrays the estimators use.

    ``first_treated`` null or 0 = never treated; a value after the last period counts as never
    treated; units treated in or before the first period have no pre-period and are dropped,
    so are units with a negative or fractional first treated period, and units without any
    observed outcome. With ``control_units``, only treated units and the listed units are
    kept. ``balanced=True`` keeps only units observed in every period (R ``did``'s
    convention for panel data); by default a unit enters each group-time cell in which it
    is observed in both compared periods (like ``differences``).
    """
    frame = _to_polars(panel)
    _check_columns(frame, outcome, time, first_treated)
    frame = frame.select(unit, time, first_treated, outcome)
    frame = frame.with_columns(
        pl.col(first_treated).cast(pl.Float64).fill_null(0.0),
        pl.col(time).cast(pl.Int64),
        pl.col(outcome).cast(pl.Float64).fill_nan(None),
    )
    if frame.select(pl.struct(unit, time).is_duplicated().any()).item():
        raise ValueError(f"panelet har mere end én række pr. {unit} × {time}")
    timing = frame.group_by(unit).agg(
        pl.col(first_treated).max().alias("__g"),
        pl.col(first_treated).n_unique().alias("__variants"),
    )
    if (timing["__variants"] > 1).any():
        raise ValueError(f"{first_treated} skal være den samme i alle perioder for en {unit}")
    observed = frame.filter(pl.col(outcome).is_not_null())[unit].unique()
    timing = timing.drop("__variants").filter(pl.col(unit).is_in(observed.to_list()))
    if control_units is not None:
        timing = timing.filter((pl.col("__g") != 0) | pl.col(unit).is_in(list(control_units)))
    dropped: dict[Any, str] = {}
    invalid = (pl.col("__g") < 0) | (pl.col("__g") != pl.col("__g").round(0))
    dropped.update(dict.fromkeys(timing.filter(invalid)[unit].to_list(), "ugyldig_start"))
    timing = timing.filter(~invalid).with_columns(pl.col("__g").cast(pl.Int64))
    periods = sorted(frame[time].unique().to_list())
    first, last = periods[0], periods[-1]
    timing = timing.with_columns(
        pl.when(pl.col("__g") > last).then(0).otherwise(pl.col("__g")).alias("__g")
    )
    always = timing.filter((pl.col("__g") > 0) & (pl.col("__g") <= first))[unit].to_list()
    dropped.update(dict.fromkeys(always, "altid_behandlet"))
    timing = timing.filter((pl.col("__g") == 0) | (pl.col("__g") > first)).sort(unit)
    units = timing[unit].to_list()
    wide = (
        frame.filter(pl.col(unit).is_in(units))
        .pivot(on=time, index=unit, values=outcome, aggregate_function="mean")
        .sort(unit)
    )
    wide = timing.select(unit).join(wide, on=unit, how="left")
    columns = [str(p) for p in periods]
    y = (
        wide.select([pl.col(c) if c in wide.columns else pl.lit(None).alias(c) for c in columns])
        .to_numpy()
        .astype(float)
    )
    g = timing["__g"].to_numpy()
    gpos = np.where(g == 0, cs.NEVER, np.searchsorted(np.asarray(periods), g, side="left"))
    arrays = PanelArrays(
        y=y,
        gpos=gpos.astype(int),
        units=units,
        periods=periods,
        dropped_always_treated=always,
        dropped=dropped,
    )
    if balanced:
        arrays = arrays.subset(~np.isnan(y).any(axis=1), "ufuldstaendig")
    return arrays


def _simple_t(control: cs.Control):
    def statistic(y: np.ndarray, gpos: np.ndarray) -> np.ndarray:
        agg = cs.aggregate_simple(cs.group_time(y, gpos, control, post_only=True), gpos)
        with np.errstate(divide="ignore", invalid="ignore"):
            return agg.att / agg.se

    return statistic


def _simple_linear(control: cs.Control):
    """``(att (B,), psi (B, n))`` of the simple aggregate: linear in the outcome."""

    def statistic(y: np.ndarray, gpos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        agg = cs.aggregate_simple(cs.group_time(y, gpos, control, post_only=True), gpos)
        return agg.att, agg.psi

    return statistic


def _pretrend_average_statistic(control: cs.Control, leads: int):
    """The pre-trend statistic of the randomisation test, one value per draw of a batch
    (B, n, T): ``|θ̄ / SE|`` with ``θ̄`` the average of the event-study leads
    ``e = −2 … −(leads + 1)`` (universal base; a trend before entry makes them all lean one
    way) and SE from its influence function — studentised like the headline's ``|ATT/SE|``.

    Why not ``Σ_e t_e²`` over all leads: its law depends on the leads' correlation and on how
    few treated units carry each lead's SE (the earliest leads rest on one cohort), and both
    differ between the observed assignment and the permuted ones when the treated units are
    the noisiest; a single studentised contrast over leads every cohort has is close to
    pivotal. NaN where the SE is 0."""

    def statistic(y: np.ndarray, gpos: np.ndarray) -> np.ndarray:
        try:
            universal = cs.group_time(y, gpos, control, "universal", pre_only=True)
        except ValueError:  # no lead cell in this assignment
            return np.zeros(y.shape[0])
        event_times, by_e = cs.aggregate_dynamic(universal, gpos)
        window = [j for j, e in enumerate(event_times) if -(leads + 1) <= e <= -2]
        if not window:
            return np.zeros(y.shape[0])
        theta = np.mean([by_e[j].att for j in window], axis=0)  # (B,)
        se = cs.standard_error(np.mean([by_e[j].psi for j in window], axis=0))  # (B,)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(se > 0, np.abs(theta) / se, np.nan)

    return statistic


def _pretrend_window_statistic(control: cs.Control, leads: int):
    """``Σ_e t_e²`` over the leads ``e = −2 … −(leads + 1)`` (universal base, leads with
    se > 0) of one outcome matrix."""

    def statistic(y: np.ndarray, gpos: np.ndarray) -> float:
        universal = cs.group_time(y[None], gpos, control, "universal", pre_only=True)
        event_times, by_e = cs.aggregate_dynamic(universal, gpos)
        total = 0.0
        for e, agg in zip(event_times, by_e, strict=True):
            se = float(agg.se[0])
            if -(leads + 1) <= e <= -2 and se > 1e-12:
                total += (float(agg.att[0]) / se) ** 2
        return total

    return statistic


@dataclass(frozen=True)
class TwfeResult:
    """Two-way fixed-effects baseline: coefficient on the treatment dummy and its CR1 SE."""

    att: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float


def twfe(arrays: PanelArrays, level: float = 0.95) -> TwfeResult:
    """``Y_it = α_i + λ_t + β·D_it + ε_it`` by OLS, ``D_it = 1`` from the unit's first treated
    period on. Computed by Frisch–Waugh–Lovell: ``Y`` and ``D`` are residualised on the two
    sets of fixed effects (alternating projections, exact for unbalanced panels too), then
    ``β = Σ D̃Ỹ / Σ D̃²``. Standard error clustered by unit with the CR1 factor
    ``G/(G−1)·(N−1)/(N−K)``, ``K = n_units + n_periods`` (statsmodels' ``cov_type="cluster"``
    default, which the tests compare against); normal confidence interval and p-value."""
    n_periods = arrays.y.shape[1]
    valid = ~np.isnan(arrays.y)
    period_index = np.arange(n_periods)[None, :]
    treated = (arrays.gpos[:, None] != cs.NEVER) & (period_index >= arrays.gpos[:, None])
    d = np.where(valid, treated.astype(float), np.nan)
    y_tilde = arrays.y - two_way_fit(arrays.y)
    d_tilde = d - two_way_fit(d)
    y_tilde, d_tilde = np.where(valid, y_tilde, 0.0), np.where(valid, d_tilde, 0.0)
    sxx = float(np.sum(d_tilde**2))
    z = float(stats.norm.ppf(0.5 + level / 2))
    if sxx <= 1e-12:
        nan = float("nan")
        return TwfeResult(att=nan, se=nan, ci_low=nan, ci_high=nan, p_value=nan)
    beta = float(np.sum(d_tilde * y_tilde)) / sxx
    residual = np.where(valid, y_tilde - beta * d_tilde, 0.0)
    scores = np.sum(d_tilde * residual, axis=1)
    clusters = int(np.sum(valid.any(axis=1)))
    n_obs = int(valid.sum())
    n_params = clusters + int(np.sum(valid.any(axis=0)))
    correction = clusters / (clusters - 1) * (n_obs - 1) / (n_obs - n_params)
    se = float(np.sqrt(correction * np.sum(scores**2)) / sxx)
    return TwfeResult(
        att=beta,
        se=se,
        ci_low=beta - z * se,
        ci_high=beta + z * se,
        p_value=float(2 * stats.norm.sf(abs(beta / se))) if se > 0 else float("nan"),
    )


@dataclass(frozen=True)
class DidResult:
    """Everything :func:`estimate` computes; see the module docstring for the conventions.

    ``att``/``ci_low``/``ci_high``/``p_headline`` are the headline (``headline`` says which
    method: ``"analytisk"``, ``"randomisering"`` or ``"regional"``); the analytic interval is
    always in ``ci_low_analytic``/``ci_high_analytic`` and ``p_value``, but
    ``analytic_shown`` is False when too few treated units support it."""

    outcome: str
    att: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    p_wcr: float
    p_ri: float
    pretrend_p: float
    twfe_att: float
    twfe_se: float
    twfe_ci_low: float
    twfe_ci_high: float
    dynamic_att: float
    dynamic_se: float
    group_att: float
    group_se: float
    event_study: pl.DataFrame
    group_time: pl.DataFrame
    n_units: int
    n_treated: int
    n_control: int
    n_periods: int
    control: str
    level: float
    wcr_draws: int
    wcr_enumerated: bool
    ri_draws: int
    ri_exact: bool
    weak_inference: bool
    warning: str | None
    headline: str = "analytisk"
    p_headline: float = float("nan")
    ci_low_analytic: float = float("nan")
    ci_high_analytic: float = float("nan")
    analytic_shown: bool = True
    ri_ci_low: float = float("nan")
    ri_ci_high: float = float("nan")
    p_regional: float = float("nan")
    regional_ci_low: float = float("nan")
    regional_ci_high: float = float("nan")
    regional_placebos: int = 0
    region: Any = None
    dropped_units: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(schema={"unit": pl.String, "reason": pl.String})
    )
    evidence: str = ""
    balanced: bool = False
    sensitivity: pl.DataFrame | None = None
    pretrend_method: str = "randomisering"
    pretrend_leads: int = 0
    pretrend_placebos: int = 0

    def summary(
        self, lang: str = "da", scale: float = 1.0, unit: tuple[str, str] = ("", "")
    ) -> pl.DataFrame:
        """The headline numbers as a table ``maal``, ``vaerdi``, ``enhed``, ``type`` (labels
        in ``lang``: "da" or "en"; ``type`` "effekt", "p" or "antal"). Effects, intervals
        and standard errors are multiplied by ``scale`` and given the unit ``unit`` (Danish,
        English): an indicator's display unit (100 and percentage points for a share kept
        as a fraction); p-values and counts as they are."""
        en = lang == "en"
        method = (HEADLINE_LABELS_EN if en else HEADLINE_LABELS).get(self.headline, self.headline)
        analytic = "analytic" if en else "analytisk"
        e, p, n = "effekt", "p", "antal"  # an effect (in its unit), a p-value, a count
        rows = [
            ("ATT (Callaway–Sant'Anna, simpel)", "ATT (Callaway–Sant'Anna, simple)", self.att, e),
            ("Standardfejl", "Standard error", self.se, e),
            (
                f"Konfidensinterval, nedre ({method})",
                f"Confidence interval, lower ({method})",
                self.ci_low,
                e,
            ),
            (
                f"Konfidensinterval, øvre ({method})",
                f"Confidence interval, upper ({method})",
                self.ci_high,
                e,
            ),
            (f"p-værdi ({method})", f"p-value ({method})", self.p_headline, p),
            (
                f"Konfidensinterval, nedre ({analytic})",
                f"Confidence interval, lower ({analytic})",
                self.ci_low_analytic,
                e,
            ),
            (
                f"Konfidensinterval, øvre ({analytic})",
                f"Confidence interval, upper ({analytic})",
                self.ci_high_analytic,
                e,
            ),
            (f"p-værdi ({analytic})", f"p-value ({analytic})", self.p_value, p),
            (
                "p-værdi (wild cluster bootstrap, WCR)",
                "p-value (wild cluster bootstrap, WCR)",
                self.p_wcr,
                p,
            ),
            (
                "p-værdi (randomiseringsinferens, studentiseret)",
                "p-value (randomisation inference, studentised)",
                self.p_ri,
                p,
            ),
            ("p-værdi (placebo-regioner)", "p-value (placebo regions)", self.p_regional, p),
            (
                "p-værdi, test for parallelle forløb før start",
                "p-value, test of parallel trends before the start",
                self.pretrend_p,
                p,
            ),
            ("ATT, dynamisk gennemsnit", "ATT, dynamic average", self.dynamic_att, e),
            ("ATT, gennemsnit over kohorter", "ATT, average over cohorts", self.group_att, e),
            ("TWFE (to-vejs faste effekter)", "TWFE (two-way fixed effects)", self.twfe_att, e),
            (
                "TWFE standardfejl (klynge, CR1)",
                "TWFE standard error (cluster, CR1)",
                self.twfe_se,
                e,
            ),
            ("Behandlede enheder", "Treated units", float(self.n_treated), n),
            ("Kontrolenheder", "Control units", float(self.n_control), n),
            ("Udeladte enheder", "Units left out", float(self.dropped_units.height), n),
        ]
        word = unit[1] if en else unit[0]
        table = [
            (
                label_en if en else label_da,
                value * scale if kind == e else value,
                word if kind == e else "",
                kind,
            )
            for label_da, label_en, value, kind in rows
        ]
        return pl.DataFrame(
            {
                "maal": [r[0] for r in table],
                "vaerdi": [r[1] for r in table],
                "enhed": [r[2] for r in table],
                "type": [r[3] for r in table],
            },
            schema={
                "maal": pl.String,
                "vaerdi": pl.Float64,
                "enhed": pl.String,
                "type": pl.String,
            },
        )


HEADLINE_LABELS = {
    "analytisk": "analytisk",
    "randomisering": "randomiseringsinferens, studentiseret",
    "regional": "placebo-regioner",
}
HEADLINE_LABELS_EN = {
    "analytisk": "analytic",
    "randomisering": "studentised randomisation inference",
    "regional": "placebo regions",
}


def _interval_text(low: float, high: float) -> str:
    if np.isnan(low) or np.isnan(high):
        return "kan ikke beregnes"
    if np.isinf(low) or np.isinf(high):
        return "ubegrænset (data kan ikke udelukke nogen effektstørrelse)"
    return f"{fmt_num(low, 3)} til {fmt_num(high, 3)}"


def _evidence(
    n_treated: int,
    headline: str,
    p_headline: float,
    ci: tuple[float, float],
    draws: int,
    exact: bool,
    placebos: int,
    level: float,
) -> str:
    """A plain Danish statement of how strong the evidence can be in this design."""
    percent = round(level * 100)
    parts = []
    if headline == "regional":
        smallest = 1 / (1 + placebos)
        parts.append(
            f"Usikkerheden er målt med {placebos} placebo-forsøg i de andre regioner; "
            f"den mindste mulige p-værdi er {fmt_num(smallest, 3)}."
        )
    elif headline == "randomisering":
        smallest = 1 / draws if exact else 1 / (1 + draws)
        parts.append(
            f"Usikkerheden er målt ved at fordele forsøgsstarterne om på kommunerne "
            f"({'alle' if exact else ''} {draws} fordelinger); den mindste mulige p-værdi er "
            f"{fmt_num(smallest, 3)}."
        )
    if headline != "analytisk":
        parts.append(f"{percent} %-interval: {_interval_text(*ci)}.")
        if not np.isnan(p_headline):
            parts.append(f"p-værdi: {fmt_num(p_headline, 3)}.")
    if n_treated < FEW_TREATED_UNITS:
        parts.append(
            f"Med {n_treated} behandlede {'enhed' if n_treated == 1 else 'enheder'} er "
            "evidensen meget svag: selv en stor forskel kan skyldes tilfældig variation i "
            "netop de kommuner."
        )
    return " ".join(p.replace("  ", " ") for p in parts)


def _weak_warning(
    n_treated: int, n_control: int, headline: str, region: Any, analytic_shown: bool
) -> str:
    text = (
        f"Svag statistisk sikkerhed: kun {n_treated} behandlede enheder (og {n_control} "
        "kontrolenheder). "
    )
    if headline == "regional":
        text += (
            f"Alle behandlede kommuner ligger i samme region ({region}), så et stød i regionen "
            "kan ikke skilles fra forsøgets effekt; intervallet og p-værdien bygger derfor på "
            "placebo-forsøg i de andre regioner. "
        )
    elif headline == "randomisering":
        text += (
            "Intervallet og p-værdien bygger på randomiseringsinferens med den studentiserede "
            "størrelse ATT/SE (forsøgsstarterne fordelt om på kommunerne). "
        )
    if analytic_shown:
        text += "Det analytiske interval er for smalt med så få behandlede. "
    else:
        text += "Der vises intet analytisk interval: for få behandlede bærer det. "
    if headline == "regional":
        # Measured in bench/bench_evaluation.py, design `region` (evaluation/measured.py).
        text += measured.regional_other_p_values("da")
    elif n_treated < FEW_TREATED_UNITS:
        text += (
            "Wild cluster bootstrap-p-værdien er konservativ med så få behandlede (den finder "
            "sjældent en effekt, også når der er en). "
        )
    text += "Læs resultatet som en indikation, ikke et bevis."
    return text


def _dropped_warning(dropped: pl.DataFrame) -> str:
    counts = dropped.group_by("reason").len().sort("reason")
    parts = [f"{row['len']} {DROP_REASONS[row['reason']]}" for row in counts.iter_rows(named=True)]
    return f"{dropped.height} enhed(er) er udeladt af beregningen: " + "; ".join(parts) + "."


def estimate(
    panel: pl.DataFrame | pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    control_units: list[Any] | None = None,
    *,
    control: cs.Control = "never",
    level: float = 0.95,
    wcr_draws: int = 9_999,
    ri_draws: int = 999,
    seed: int = 20180101,
    inference: bool = True,
    region: str | Mapping[Any, Any] | None = None,
    balanced: bool = False,
    sensitivity: bool = False,
) -> DidResult:
    """Staggered difference-in-differences of ``outcome`` (see the module docstring).

    Args:
        panel: pandas or polars frame, one row per unit × period.
        outcome: outcome column (missing values allowed: a unit enters a group-time cell only
            when observed in both periods of the comparison).
        unit: unit (cluster) column, e.g. ``kommunekode``.
        time: integer period column, e.g. ``periode_index``.
        first_treated: first treated period in the units of ``time``; null or 0 = never.
        control_units: the comparison units (treated units are always kept); default all
            untreated units in the panel.
        control: ``"never"`` (never-treated) or ``"notyet"`` (never- and not-yet-treated).
        inference: False skips the resampling p-values and intervals (NaN), e.g. in loops;
            the headline is then the analytic interval.
        region: the units' regions, a column of ``panel`` (e.g. ``"region"``) or a mapping
            unit → region. When every treated unit is in one region, the headline interval
            and p-value come from placebo treatments of the other regions
            (:mod:`evaluation.regional`).
        balanced: keep only units observed in every period (R ``did``'s convention).
        sensitivity: compute the HonestDiD smoothness bounds (:mod:`evaluation.honest_did`;
            a few seconds) into ``sensitivity``.
    """
    frame = _to_polars(panel)
    arrays = panel_arrays(
        frame, outcome, unit, time, first_treated, control_units, balanced=balanced
    )
    z = float(stats.norm.ppf(0.5 + level / 2))

    gt = cs.group_time(arrays.y[None], arrays.gpos, control, "varying")
    all_units = arrays  # the TWFE baseline uses every observation, in a cell or not
    if gt.entered is not None and not gt.entered.all():
        arrays = arrays.subset(gt.entered, "ingen_celle")
        gt = cs.group_time(arrays.y[None], arrays.gpos, control, "varying")
    y3 = arrays.y[None]
    simple = cs.aggregate_simple(gt, arrays.gpos)
    att, se = float(simple.att[0]), float(simple.se[0])
    dynamic = cs.aggregate_dynamic_overall(gt, arrays.gpos)
    group = cs.aggregate_group_overall(gt, arrays.gpos)

    universal = cs.group_time(y3, arrays.gpos, control, "universal")
    event_times, by_e = cs.aggregate_dynamic(universal, arrays.gpos)
    es_estimate = np.array([a.att[0] for a in by_e])
    es_se = np.array([a.se[0] for a in by_e])
    # Leads that can be tested: before entry and with some variation (se > 0).
    leads = (event_times <= -2) & (es_se > 1e-12)
    rel = np.append(event_times, -1)
    order = np.argsort(rel, kind="stable")
    es_frame = pl.DataFrame(
        {
            "rel_time": rel[order].astype(int),
            "estimate": np.append(es_estimate, 0.0)[order],
            "se": np.append(es_se, 0.0)[order],
        }
    ).with_columns(
        (pl.col("estimate") - z * pl.col("se")).alias("ci_low"),
        (pl.col("estimate") + z * pl.col("se")).alias("ci_high"),
    )
    period_values = np.asarray(arrays.periods)
    gt_se = cs.standard_error(gt.psi)[0]
    gt_frame = pl.DataFrame(
        {
            "group": period_values[gt.group],
            "time": period_values[gt.period],
            "estimate": gt.att[0],
            "se": gt_se,
        }
    ).with_columns(
        (pl.col("estimate") - z * pl.col("se")).alias("ci_low"),
        (pl.col("estimate") + z * pl.col("se")).alias("ci_high"),
    )

    nan = float("nan")
    finite_se = np.isfinite(se) and se > 1e-12 * max(1.0, abs(att))
    ci_low_analytic = att - z * se if finite_se else nan
    ci_high_analytic = att + z * se if finite_se else nan
    p_analytic = float(2 * stats.norm.sf(abs(att / se))) if finite_se else nan

    baseline = twfe(all_units, level)
    regions = _region_values(frame, unit, arrays.units, region) if region is not None else None
    ri = None
    regional = None
    pretrend_method, pretrend_leads, pretrend_placebos = "randomisering", 0, 0
    if inference:
        p_wcr, wcr_n, enumerated = wild_cluster_bootstrap(
            arrays.y, arrays.gpos, _simple_t(control), draws=wcr_draws, seed=seed
        )
        indicator = (arrays.gpos[:, None] != cs.NEVER) & (
            np.arange(arrays.y.shape[1])[None, :] >= arrays.gpos[:, None]
        )
        ri = studentised_randomisation(
            arrays.y,
            arrays.gpos,
            _simple_linear(control),
            indicator.astype(float),
            draws=ri_draws,
            seed=seed,
            level=level,
        )
        p_ri, ri_n, ri_exact = ri.p_value, ri.draws, ri.exact
        if regions is not None:
            regional = regional_inference(
                arrays.y,
                arrays.gpos,
                regions,
                indicator.astype(float),
                _simple_linear(control),
                level,
                seed=seed,
            )
        pretrend_p = nan
        if regional is None and leads.any():
            pretrend_leads = honest_did.MAX_LEADS
            pre_p, _, _ = randomisation_inference(
                arrays.y,
                arrays.gpos,
                _pretrend_average_statistic(control, pretrend_leads),
                draws=ri_draws,
                seed=seed,
            )
            pretrend_p = float(pre_p[0])
        elif regional is not None:
            # The randomisation pre-test does not see the treated region's own shocks (it
            # rejected 12 % of true nulls in the bench's one-region design): placebo regions.
            pretrend_method, pretrend_leads = "regional", honest_did.MAX_LEADS
            placebo_pre = regional_pretrend(
                arrays.y,
                arrays.gpos,
                regions,
                _pretrend_window_statistic(control, pretrend_leads),
                pretrend_leads,
                seed=seed,
                level=level,
            )
            pretrend_p = placebo_pre.p_value if placebo_pre is not None else nan
            pretrend_placebos = placebo_pre.placebos if placebo_pre is not None else 0
    else:
        p_wcr, wcr_n, enumerated = nan, 0, False
        p_ri, ri_n, ri_exact = nan, 0, False
        pretrend_p = nan

    n_treated = int(np.sum(arrays.gpos != cs.NEVER))
    n_control = int(np.sum(arrays.gpos == cs.NEVER))
    cohort_sizes = np.unique(arrays.gpos[arrays.gpos != cs.NEVER], return_counts=True)[1]
    weak = n_treated < WEAK_TREATED_CLUSTERS
    analytic_shown = bool(
        n_treated >= FEW_TREATED_UNITS and cohort_sizes.size and cohort_sizes.min() >= 2
    )
    if regional is not None:
        headline = "regional"
        ci = (regional.ci_low, regional.ci_high)
        p_headline = regional.p_value
    elif ri is not None and weak:
        headline = "randomisering"
        ci = (ri.ci_low, ri.ci_high)
        p_headline = ri.p_value
    else:
        headline = "analytisk"
        ci = (ci_low_analytic, ci_high_analytic)
        p_headline = p_analytic
    evidence = _evidence(
        n_treated,
        headline,
        p_headline,
        ci,
        ri_n,
        ri_exact,
        regional.placebos if regional is not None else 0,
        level,
    )
    dropped = pl.DataFrame(
        {
            "unit": [str(u) for u in arrays.dropped],
            "reason": list(arrays.dropped.values()),
        },
        schema={"unit": pl.String, "reason": pl.String},
    )
    messages = []
    if weak:
        messages.append(
            _weak_warning(
                n_treated,
                n_control,
                headline,
                regional.region if regional is not None else None,
                analytic_shown,
            )
        )
    if dropped.height:
        messages.append(_dropped_warning(dropped))
    sensitivity_frame = None
    if sensitivity:
        sensitivity_frame = _sensitivity(universal, arrays.gpos, level)
    return DidResult(
        outcome=outcome,
        att=att,
        se=se,
        ci_low=ci[0],
        ci_high=ci[1],
        p_value=p_analytic,
        p_wcr=p_wcr,
        p_ri=p_ri,
        pretrend_p=pretrend_p,
        twfe_att=baseline.att,
        twfe_se=baseline.se,
        twfe_ci_low=baseline.ci_low,
        twfe_ci_high=baseline.ci_high,
        dynamic_att=float(dynamic.att[0]),
        dynamic_se=float(dynamic.se[0]),
        group_att=float(group.att[0]),
        group_se=float(group.se[0]),
        event_study=es_frame,
        group_time=gt_frame,
        n_units=len(arrays.units),
        n_treated=n_treated,
        n_control=n_control,
        n_periods=len(arrays.periods),
        control=control,
        level=level,
        wcr_draws=wcr_n,
        wcr_enumerated=enumerated,
        ri_draws=ri_n,
        ri_exact=ri_exact,
        weak_inference=weak,
        warning=" ".join(messages) if messages else None,
        headline=headline,
        p_headline=p_headline,
        ci_low_analytic=ci_low_analytic,
        ci_high_analytic=ci_high_analytic,
        analytic_shown=analytic_shown,
        ri_ci_low=ri.ci_low if ri is not None else nan,
        ri_ci_high=ri.ci_high if ri is not None else nan,
        p_regional=regional.p_value if regional is not None else nan,
        regional_ci_low=regional.ci_low if regional is not None else nan,
        regional_ci_high=regional.ci_high if regional is not None else nan,
        regional_placebos=regional.placebos if regional is not None else 0,
        region=regional.region if regional is not None else None,
        dropped_units=dropped,
        evidence=evidence,
        balanced=balanced,
        sensitivity=sensitivity_frame,
        pretrend_method=pretrend_method,
        pretrend_leads=pretrend_leads,
        pretrend_placebos=pretrend_placebos,
    )


def _sensitivity(universal: cs.GroupTime, gpos: np.ndarray, level: float) -> pl.DataFrame | None:
    """HonestDiD bounds on the event-study path; None when it has no lead or no lag."""
    event_times, by_e = cs.aggregate_dynamic(universal, gpos)
    return honest_did.event_study_sensitivity(event_times, by_e, level)
