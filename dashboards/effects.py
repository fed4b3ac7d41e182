"""Difference-in-differences per indicator for the Effekt page (cached on the build id).

Runs :func:`evaluation.did.estimate` on ``mart_panel_kommune_kvartal``: unit = municipality,
time = ``periode_index``, first treated = ``forsoeg_start_index_<tema>``, comparison units =
the chosen control group.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dashboards import queries
from dashboards.snapshot import Snapshot

# Panel indicator → (Danish, English) label.
OUTCOMES: dict[str, tuple[str, str]] = {
    "andel_lae285_fravalgt": ("Andel LÆ285 fravalgt", "Share LÆ285 waived"),
    "attestudgift_pr_sag_kr": ("Attestudgift pr. sag (kr.)", "Certificate cost per case (DKK)"),
    "dage_til_foerste_opfoelgning": ("Dage til første opfølgning", "Days to first follow-up"),
    "sygedagpengeforloeb_dage": ("Sygedagpengeforløb (dage)", "Sickness-benefit spell (days)"),
    "andel_opfoelgning_inden_frist": ("Andel opfølgning inden frist", "Share followed up in time"),
    "andel_rehab_fritaget": ("Andel fritaget for rehabmøde", "Share exempted from rehab meeting"),
    "omgoerelsesprocent": ("Omgørelsesprocent", "Reversal rate (%)"),
}


def did_estimate(
    snap: Snapshot, tema: str, kontrolgruppe: str, outcome: str, fra: dt.date, til: dt.date
) -> Any:
    """The :class:`evaluation.did.DidResult` for one indicator (None if no trial units)."""
    from evaluation.did import estimate

    if outcome not in OUTCOMES:
        raise ValueError(outcome)
    panel = queries.panel(snap, fra, til)
    groups = queries.grupper(snap, tema, kontrolgruppe)
    kontrol = groups.filter(groups["gruppe"] == "kontrol")["kommunekode"].to_list()
    if not groups.filter(groups["gruppe"] == "forsoeg").height or not kontrol:
        return None
    return estimate(
        panel,
        outcome,
        "kommunekode",
        "periode_index",
        f"forsoeg_start_index_{tema}",
        control_units=kontrol,
        wcr_draws=999,
        ri_draws=199,
    )
