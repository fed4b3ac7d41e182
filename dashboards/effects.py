"""Difference-in-differences per indicator for the Effekt page (cached on the build id).

Runs :func:`evaluation.did.estimate` on ``mart_panel_kommune_kvartal``: unit = municipality,
time = ``periode_index``, first treated = ``forsoeg_start_index_<tema>``, comparison units =
the chosen control group.

The estimation never runs past the theme's analysis window
(:func:`evaluation.analysis_window.analysis_window_end`, the same rule as the evaluation
report): quarters after the last quarter in which any municipality is in the theme are left
out even when the chosen period includes them, because the comparison is no longer clean
after a theme ends (for LÆ285 the certificate became optional everywhere by law from 2021).

The page uses fewer resampling draws than the report (:data:`WCR_DRAWS`, :data:`RI_DRAWS`)
so that it answers in seconds; :func:`draws_note` says so next to the p-values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from core import vocabulary
from core.format import fmt_kommune, fmt_kvartal, fmt_num
from core.forskel import ENHEDER, forskel_tekst
from dashboards import queries
from dashboards.i18n import SLUT_BEGRUNDELSE, SLUT_BEGRUNDELSE_GENERELT, TEMAER, Lang, label, tr
from dashboards.snapshot import Snapshot
from evaluation.analysis_window import analysis_window_end

# Panel indicator → (Danish, English) name, from the vocabulary (seed indikatorer).
OUTCOMES: dict[str, tuple[str, str]] = {
    ind.kolonne: (ind.navn_da, ind.navn_en)
    for ind in vocabulary.indikatorer()
    if ind.mart == queries.PANEL.removeprefix("marts.")
}

# Resampling draws on the page; the evaluation report uses 9,999 and 999
# (`report.writer.run_estimates`).
WCR_DRAWS = 999
RI_DRAWS = 199
REPORT_WCR_DRAWS = 9_999
REPORT_RI_DRAWS = 999


@dataclass(frozen=True, kw_only=True)
class EstimationWindow:
    """The quarters the estimate uses: the chosen period cut at the theme's last quarter."""

    fra: dt.date
    til: dt.date
    valgt_til: dt.date
    tema_slut: dt.date

    @property
    def is_cut(self) -> bool:
        """True when chosen quarters after the theme's last quarter were left out."""
        return self.til < self.valgt_til

    @property
    def is_empty(self) -> bool:
        """True when the whole chosen period lies after the theme's last quarter."""
        return self.fra > self.til


def _check_tema(tema: str) -> None:
    if tema not in queries.temaer():
        raise ValueError(f"unknown tema {tema!r}; expected one of {queries.temaer()}")


def _full_panel(snap: Snapshot) -> pl.DataFrame:
    def read() -> pl.DataFrame:
        kvartaler = queries.kvartaler(snap)
        return queries.panel(snap, kvartaler[0], kvartaler[-1])

    # Read once per snapshot: every estimate and estimation window starts from it.
    return snap.memo("effects.full_panel", read)


def _window(full_panel: pl.DataFrame, tema: str, fra: dt.date, til: dt.date) -> EstimationWindow:
    end_index = analysis_window_end(full_panel, tema)
    tema_slut = full_panel.filter(pl.col("periode_index") == end_index)["kvartal"][0]
    return EstimationWindow(fra=fra, til=min(til, tema_slut), valgt_til=til, tema_slut=tema_slut)


def estimation_window(snap: Snapshot, tema: str, fra: dt.date, til: dt.date) -> EstimationWindow:
    """The quarters :func:`did_estimate` uses for the chosen period ``fra``–``til``."""
    _check_tema(tema)
    return _window(_full_panel(snap), tema, fra, til)


def did_headline(
    snap: Snapshot, tema: str, kontrolgruppe: str, outcome: str, fra: dt.date, til: dt.date
) -> Any:
    """:func:`did_estimate` without the HonestDiD sensitivity table (``sensitivity`` is
    None): the same estimate, interval and p-values (every resampling step has its own seed
    and runs before the sensitivity analysis), for the Overblik tiles, which show only the
    headline. The sensitivity analysis was 3/4 of an estimate's time (bench_pages_browser)."""
    return did_estimate(snap, tema, kontrolgruppe, outcome, fra, til, sensitivity=False)


def did_estimate(
    snap: Snapshot,
    tema: str,
    kontrolgruppe: str,
    outcome: str,
    fra: dt.date,
    til: dt.date,
    sensitivity: bool = True,
) -> Any:
    """The :class:`evaluation.did.DidResult` for one indicator over the chosen period cut to
    the theme's analysis window (None if no trial or control units, nothing is left of the
    period, or no trial cohort can be compared)."""
    from evaluation.callaway_santanna import NotEstimable
    from evaluation.did import estimate

    if outcome not in OUTCOMES:
        raise ValueError(outcome)
    _check_tema(tema)
    from dashboards import precomputed  # computed at publish (dashboards/precomputed.py)

    stored = precomputed.lookup(snap, (tema, kontrolgruppe, outcome, fra, til, sensitivity))
    if stored is not precomputed.MISSING:
        return stored
    full = _full_panel(snap)
    window = _window(full, tema, fra, til)
    if window.is_empty:
        return None
    panel = full.filter(pl.col("kvartal").is_between(window.fra, window.til))
    groups = queries.grupper(snap, tema, kontrolgruppe)
    kontrol = groups.filter(groups["gruppe"] == "kontrol")["kommunekode"].to_list()
    if not groups.filter(groups["gruppe"] == "forsoeg").height or not kontrol:
        return None
    try:
        return estimate(
            panel,
            outcome,
            "kommunekode",
            "periode_index",
            f"forsoeg_start_index_{tema}",
            control_units=kontrol,
            wcr_draws=WCR_DRAWS,
            ri_draws=RI_DRAWS,
            region="region" if "region" in panel.columns else None,
            sensitivity=sensitivity,
        )
    except NotEstimable:
        # No trial municipality has a quarter before and during the trial with figures.
        return None


def window_note(window: EstimationWindow, tema: str, lang: Lang) -> str | None:
    """Why the estimate stops before the chosen period does (None when it does not)."""
    if not window.is_cut:
        return None
    slut = fmt_kvartal(window.tema_slut, lang)
    efter = fmt_kvartal(_next_quarter(window.tema_slut), lang)
    valgt = fmt_kvartal(window.valgt_til, lang)
    udeladt = efter if efter == valgt else f"{efter}–{valgt}"
    navn = label(TEMAER, tema, lang)
    why_da, why_en = next(
        (
            SLUT_BEGRUNDELSE[omraade]
            for omraade in vocabulary.tema(tema).lovomraader
            if omraade in SLUT_BEGRUNDELSE
        ),
        SLUT_BEGRUNDELSE_GENERELT,
    )
    return tr(
        lang,
        f"Perioden er skåret til: estimatet bruger kvartalerne til og med {slut}, det sidste "
        f"kvartal hvor en kommune er i temaet {navn}; {udeladt} er udeladt, fordi {why_da}. "
        "Evalueringsrapporten bruger samme periode.",
        f"The period has been cut: the estimate uses the quarters up to and including {slut}, "
        f"the last quarter in which any municipality is in the theme {navn}; {udeladt} "
        f"{'is' if efter == valgt else 'are'} left out because {why_en}. The evaluation report "
        "uses the same period.",
    )


def _next_quarter(kvartal: dt.date) -> dt.date:
    month = kvartal.month + 3
    return dt.date(kvartal.year + (month > 12), (month - 1) % 12 + 1, 1)


def draws_note(
    wcr_draws: int, wcr_enumerated: bool, ri_draws: int, ri_exact: bool, lang: Lang
) -> str:
    """How many resamples the p-values rest on, against the report's numbers."""
    wcr_da = (
        f"alle {fmt_num(wcr_draws, 0, 'da')} fortegnsvektorer (eksakt)"
        if wcr_enumerated
        else f"{fmt_num(wcr_draws, 0, 'da')} træk"
    )
    wcr_en = (
        f"all {fmt_num(wcr_draws, 0, 'en')} sign vectors (exact)"
        if wcr_enumerated
        else f"{fmt_num(wcr_draws, 0, 'en')} draws"
    )
    ri_da = (
        f"alle {fmt_num(ri_draws, 0, 'da')} fordelinger (eksakt)"
        if ri_exact
        else f"{fmt_num(ri_draws, 0, 'da')} tilfældige fordelinger"
    )
    ri_en = (
        f"all {fmt_num(ri_draws, 0, 'en')} assignments (exact)"
        if ri_exact
        else f"{fmt_num(ri_draws, 0, 'en')} random assignments"
    )
    coarse = not (wcr_enumerated and ri_exact)
    return tr(
        lang,
        f"p-værdierne bygger på wild cluster bootstrap med {wcr_da} og randomiseringstest med "
        f"{ri_da}."
        + (
            f" Evalueringsrapporten bruger {fmt_num(REPORT_WCR_DRAWS, 0, 'da')} og "
            f"{fmt_num(REPORT_RI_DRAWS, 0, 'da')}; brug rapportens p-værdier som de endelige."
            if coarse
            else ""
        ),
        f"The p-values rest on a wild cluster bootstrap with {wcr_en} and randomisation "
        f"inference with {ri_en}."
        + (
            f" The evaluation report uses {fmt_num(REPORT_WCR_DRAWS, 0, 'en')} and "
            f"{fmt_num(REPORT_RI_DRAWS, 0, 'en')}; take the report's p-values as final."
            if coarse
            else ""
        ),
    )


def effect_text(
    value: float, indikator: vocabulary.Indikator | None, lang: Lang, *, unit: bool = False
) -> str:
    """An estimate or interval end in the indicator's unit as the Overblik tiles show it
    (shares in percentage points, kroner, days, weeks; ``unit`` adds the unit's name);
    without an indicator a plain number with 3 decimals."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    if indikator is None:
        return fmt_num(value, 3, lang)
    return forskel_tekst(value, indikator.enhed, lang, unit=unit)


def unit_of(indikator: vocabulary.Indikator | None) -> tuple[float, tuple[str, str]]:
    """The scale and (Danish, English) unit an indicator's effects are shown in: shares in
    percentage points, kroner, days, weeks; (1, no unit) without an indicator."""
    if indikator is None:
        return 1.0, ("", "")
    scale, _, da, en = ENHEDER[indikator.enhed]
    return scale, (da, en)


def summary_tables(
    result: Any, indikator: vocabulary.Indikator | None, lang: Lang
) -> tuple[pl.DataFrame, pl.DataFrame, str]:
    """The estimate's summary (``DidResult.summary``) in ``lang``: the effects and intervals
    in the indicator's unit (``maal``, ``vaerdi``, ``enhed``), the p-values (``maal``,
    ``p_vaerdi``: shown with 3 decimals) and the numbers of municipalities as a sentence."""
    scale, unit = unit_of(indikator)
    summary = result.summary(lang, scale, unit)
    effects = summary.filter(pl.col("type") == "effekt").select("maal", "vaerdi", "enhed")
    p_values = summary.filter(pl.col("type") == "p").select(
        "maal", pl.col("vaerdi").alias("p_vaerdi")
    )
    counts = tr(
        lang,
        f"Kommuner: {result.n_treated} i forsøg, {result.n_control} i kontrolgruppen, "
        f"{result.dropped_units.height} udeladt.",
        f"Municipalities: {result.n_treated} in the trial, {result.n_control} in the control "
        f"group, {result.dropped_units.height} left out.",
    )
    return effects, p_values, counts


def inference_details(
    result: Any,
    lang: Lang,
    navne: dict[int, str] | None = None,
    indikator: vocabulary.Indikator | None = None,
) -> tuple[list[str], pl.DataFrame | None]:
    """Lines on how the headline interval was found (design-based when few treated units or
    one treated region), the analytic interval when it is shown, the evidence statement,
    the units left out (named from ``navne``: kommunekode → kommunenavn), and the HonestDiD
    table (Danish column names) or None. With ``indikator`` the intervals are in its unit
    (percentage points, kroner, days) as on the Overblik tiles."""

    def num(x: float) -> str:
        return fmt_num(x, 3, lang) or "–"

    def interval(low: float, high: float) -> str:
        return (
            f"{effect_text(low, indikator, lang)} – {effect_text(high, indikator, lang, unit=True)}"
        )

    method = {
        "analytisk": tr(lang, "analytisk (influensfunktion)", "analytic (influence function)"),
        "randomisering": tr(
            lang,
            "randomiseringsinferens, studentiseret (testinversion)",
            "studentised randomisation inference (test inversion)",
        ),
        "regional": tr(lang, "placebo-regioner", "placebo regions"),
    }.get(result.headline, result.headline)
    lines = [
        tr(lang, "Hovedinterval: ", "Headline interval: ")
        + f"{interval(result.ci_low, result.ci_high)} ({method}), p = {num(result.p_headline)}."
    ]
    if result.analytic_shown:
        lines.append(
            tr(lang, "Analytisk interval: ", "Analytic interval: ")
            + f"{interval(result.ci_low_analytic, result.ci_high_analytic)}, "
            f"p = {num(result.p_value)}."
        )
    else:
        lines.append(
            tr(
                lang,
                "Intet analytisk interval: for få behandlede kommuner bærer det.",
                "No analytic interval: too few treated municipalities support it.",
            )
        )
    if result.headline != "randomisering" and not np.isnan(result.ri_ci_low):
        lines.append(
            tr(lang, "Randomiseringsinterval: ", "Randomisation interval: ")
            + f"{interval(result.ri_ci_low, result.ri_ci_high)}, p = {num(result.p_ri)}."
        )
    if not np.isnan(result.p_wcr):
        lines.append(f"Wild cluster bootstrap: p = {num(result.p_wcr)}.")
    if result.evidence and lang == "da":
        lines.append(result.evidence)
    if result.dropped_units.height:
        lines.append(
            tr(lang, "Udeladte kommuner: ", "Units left out: ")
            + ", ".join(fmt_kommune(u, navne or {}) for u in result.dropped_units["unit"])
        )
    table = None
    scale, unit = unit_of(indikator)
    word = tr(lang, *unit)
    in_unit = f" ({word})" if word else ""
    if result.sensitivity is not None:
        table = result.sensitivity.select(
            pl.col("maal")
            .replace(
                {
                    "foerste": tr(lang, "første kvartal efter start", "first quarter after start"),
                    "gennemsnit": tr(lang, "gennemsnit efter start", "average after start"),
                }
            )
            .alias(tr(lang, "Effekt", "Effect")),
            pl.col("restriktion")
            .replace(
                {
                    "smoothness": tr(
                        lang,
                        "glathed: hældningen ændres højst M pr. kvartal",
                        "smoothness: slope changes at most M per quarter",
                    ),
                    "relative_magnitudes": tr(
                        lang,
                        "relativ størrelse: brud efter start højst M × største brud før",
                        "relative magnitude: violation after start at most M × largest before",
                    ),
                }
            )
            .alias(tr(lang, "Antagelse", "Assumption")),
            # M bounds a slope change in the outcome's unit (smoothness) or is a multiple.
            pl.when(pl.col("restriktion") == "smoothness")
            .then(pl.col("M") * scale)
            .otherwise(pl.col("M"))
            .alias("M"),
            (pl.col("ci_low") * scale).alias(tr(lang, "Nedre", "Lower") + in_unit),
            (pl.col("ci_high") * scale).alias(tr(lang, "Øvre", "Upper") + in_unit),
        )
    return lines, table
