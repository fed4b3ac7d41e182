"""Parameters of the synthetic extracts: scales, periods and the planted trial effects.

Every number here is a documented default. The planted effects (``DEFAULT_EFFECTS``) can be
overridden per run (``generate(effects=...)`` or ``trialwh generate --effect KEY=VALUE``) and
are all written to ``truth.json``. ``{"placebo": True}`` sets every effect size to zero.

Behavioural distributions are taken from facts.md where a figure exists (diagnosis mix of the
long-term sick, LÆ285 deadline of 8 weeks, omgørelsesprocent ~30 %, Ankestyrelsen's ~126 days)
and are otherwise plausible, clearly labelled assumptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

BASELINE_START = date(2015, 1, 1)
TRIAL_START = date(2018, 1, 1)
PERIOD_END = date(2022, 12, 31)

# Fixed control municipalities for --scale small: four from the neighbouring region
# Midtjylland (Horsens, Herning, Skive, Viborg; all in the `midtjylland` control group seed)
# and two from elsewhere (Lolland, Svendborg), so both named control groups are non-empty.
SMALL_CONTROL_KOMMUNER: tuple[int, ...] = (615, 657, 779, 791, 360, 479)

# The generator's per-theme rules (cases.py, rehab.py) name their theme here, once: codes of
# seed temaer (a test checks they are there). Which municipalities are in a theme and when
# comes from seed forsoeg_deltagelse; a theme of the seed without a rule here is generated
# with its participation windows only, without simulated trial behaviour.
TEMA_LAE285 = "lae285"
TEMA_REHAB_FRITAGELSE = "rehab_fritagelse"
TEMA_LAE265 = "lae265"
TEMA_SUNDHEDSFAGLIG_RAADGIVNING = "sundhedsfaglig_raadgivning"
TEMA_AKUT_FRAVAER = "akut_fravaer"
TEMA_PSYKOLOGBEHANDLING = "psykologbehandling"
TEMA_UDDANNELSESPAALAEG_FRITAGELSE = "uddannelsespaalaeg_fritagelse"
SIMULEREDE_TEMAER: tuple[str, ...] = (
    TEMA_LAE285,
    TEMA_REHAB_FRITAGELSE,
    TEMA_LAE265,
    TEMA_SUNDHEDSFAGLIG_RAADGIVNING,
    TEMA_AKUT_FRAVAER,
    TEMA_PSYKOLOGBEHANDLING,
    TEMA_UDDANNELSESPAALAEG_FRITAGELSE,
)


@dataclass(frozen=True)
class ScaleConfig:
    """Volumes of one scale. Rates are per inhabitant per year before ``volume_factor``."""

    name: str
    volume_factor: float
    n_snapshots: int
    # Ankestyrelsen's counts are not scaled down with the case volume at small scale:
    # the omgørelsesprocent per municipality would otherwise be meaningless.
    ankestatistik_factor: float


SCALES: dict[str, ScaleConfig] = {
    "small": ScaleConfig("small", volume_factor=0.03, n_snapshots=3, ankestatistik_factor=1.0),
    "national": ScaleConfig("national", volume_factor=1.0, n_snapshots=2, ankestatistik_factor=1.0),
}

# Volumes (national, per inhabitant per year). 5.8 mio. inhabitants x 0.026 x 8 years gives
# about 1.2 mio. sickness-benefit cases, roughly half of them expected to last > 8 weeks.
SYGEDAGPENGE_RATE = 0.026
# Rehabilitation cases not coming from a sickness-benefit case (ressourceforløb, fleksjob,
# førtidspension ...), per inhabitant per year. Calibrated to the application's 2016 figures
# (facts.md): Aalborg requested 1,244 LÆ265 (217,000 inhabitants; the rest come from
# sickness-benefit cases: 0.00453 LÆ265-eligible extra cases per inhabitant, which splits
# the simulated error between Aalborg and Rebild, 184); 2,898 jobafklaringsforløb in North
# Jutland (591,000 inhabitants; about 1,335 come from sickness-benefit cases, so 0.00265
# extra per inhabitant); plus fastholdelsesfleksjob, selvstændige and revalidering (0.00052).
# Shares per target group in synthetic/rehab.py (bench/bench_calibration.py measures it).
REHAB_EKSTRA_RATE = 0.007696
# Seniorførtidspension awarded in 2016 (facts.md: Aalborg 14, Brønderslev 4, Rebild 3,
# Frederikshavn 3): the expected awards per year in those municipalities; every other
# municipality gets their pooled rate per inhabitant (24 / 343,500 inhabitants).
SENIORFOERTIDSPENSION_TILKENDT_2016: dict[int, float] = {851: 14.0, 810: 4.0, 840: 3.0, 813: 3.0}
SENIORFOERTIDSPENSION_RATE = 24.0 / 343_500
# Decisions by Ankestyrelsen in the seven law areas (all decision types), per inhabitant.
ANKESTATISTIK_RATE = 0.0014

# Seasonal sick-listing: relative intensity per calendar month (more in winter).
SAESON_MAANED: tuple[float, ...] = (
    1.25,
    1.25,
    1.10,
    1.00,
    0.95,
    0.85,
    0.70,
    0.85,
    1.00,
    1.05,
    1.10,
    0.95,
)
# Municipality effects (noise): log-normal volume factor and days added to follow-up.
KOMMUNE_VOLUMEN_SD = 0.10
KOMMUNE_OPFOELGNING_SD_DAGE = 3.0

# Diagnosis mix of sickness-benefit cases (facts.md: long-term sick 2009 survey; "both"
# split between the two groups, "only diseases" split cancer/heart).
DIAGNOSEGRUPPE_ANDELE: dict[str, float] = {
    "bevaegeapparat": 0.30,
    "psykisk": 0.21,
    "kraeft": 0.07,
    "hjerte_kar": 0.06,
    "andet": 0.31,
    "ukendt": 0.05,
}
# P(admitted to hospital) and P(primarily treated at hospital, not admitted) by diagnosis:
# hidden case attributes that drive Rebild-like waiver rules (assumption).
INDLAGT_ANDEL: dict[str, float] = {
    "bevaegeapparat": 0.05,
    "psykisk": 0.06,
    "kraeft": 0.35,
    "hjerte_kar": 0.30,
    "andet": 0.08,
    "ukendt": 0.05,
}
SYGEHUSBEHANDLING_ANDEL: dict[str, float] = {
    "bevaegeapparat": 0.10,
    "psykisk": 0.10,
    "kraeft": 0.40,
    "hjerte_kar": 0.30,
    "andet": 0.10,
    "ukendt": 0.05,
}
HAR_ARBEJDSGIVER_ANDEL = 0.65
# Among employed cases not in hospital treatment: share judged uncomplicated.
UKOMPLICERET_ANDEL = 0.50
TOLK_ANDEL = 0.05
# Visitation category mix (1, 2, 3) and P(expected off > 8 weeks | category).
KATEGORI_ANDELE: tuple[float, float, float] = (0.45, 0.40, 0.15)
OVER_8_UGER_ANDEL: tuple[float, float, float] = (0.08, 0.85, 0.92)
# Median duration (days from first absence) by category, log-normal spread.
VARIGHED_MEDIAN_DAGE: tuple[float, float, float] = (35.0, 95.0, 170.0)
VARIGHED_SIGMA = 0.75
# First follow-up: mean days from first absence (deadline 56 days), share held late.
OPFOELGNING_MIDDEL_DAGE = 45.0
OPFOELGNING_SD_DAGE = 8.0
OPFOELGNING_SEN_ANDEL = 0.12
# Secular trend in days to first follow-up for every municipality (not a trial effect):
# a naive before/after comparison in the trial municipalities is biased by it, a
# difference-in-differences against the controls is not.
OPFOELGNING_TREND_DAGE_PR_AAR = -0.8
# Invoices never received (honorar_kr blank although the document was received).
MANGLENDE_FAKTURA_ANDEL = 0.03

# Appeals (ankesager) and Ankestyrelsen's statistics.
ANKE_AFVIST_ANDEL = 0.07
ANKE_BORTFALDET_ANDEL = 0.05
OMGOERELSE_ANDEL = 0.30  # of realitetsbehandlede; national ~30 % (32.5 % in 2019)
HJEMVIST_ANDEL_AF_OMGJORTE = 0.56  # 18.3 / 32.5
AENDRET_ANDEL_AF_AENDRET_OPHAEVET = 0.60
ANKE_SAGSBEHANDLING_MIDDEL_DAGE = 126.0
LOVOMRAADE_ANDELE: dict[str, float] = {
    "sygedagpenge": 0.33,
    "jobafklaring": 0.09,
    "ressourceforloeb": 0.12,
    "fleksjob": 0.15,
    "foertidspension": 0.20,
    "seniorfoertidspension": 0.04,
    "andet": 0.07,
}

# Mess (when on): share of genuinely bad rows, file formats.
KORRUPT_ANDEL = 0.005
KORREKTION_ANDEL = 0.005  # rows corrected by the latest snapshot
FORSVUNDET_ANDEL = 0.002  # cases present earlier, missing from the latest snapshot
XLSX_ANDEL = 0.10
PARQUET_ANDEL = 0.10
XLSX_MAX_RAEKKER = 3_000  # Excel exports come from small municipalities (and keep it fast)

# The planted trial effects. Shares are probabilities per eligible case *in the theme*
# (municipality in the theme of forsoeg_deltagelse on the case date); outside the theme
# (control municipalities, baseline years, after the theme ended) every rule is the old one.
DEFAULT_EFFECTS: dict[str, float | bool] = {
    "placebo": False,
    # LÆ285 (Rebild-like rules) among cases in category 2-3 expected > 8 weeks:
    "lae285_fravalg_indlagt": 0.85,  # admitted or primarily hospital-treated -> waived
    "lae285_fravalg_ingen_arbejdsgiver": 0.70,  # no employer -> waived
    "lae285_fravalg_ukompliceret": 0.15,  # employed, uncomplicated -> mostly still requested
    "lae285_fravalg_oevrige": 0.03,  # employed, complicated/doubt -> requested
    "lae285_alternativ_journal": 0.60,  # hospital waivers with journal notes requested
    "lae285_alternativ_lae125": 0.50,  # no-employer waivers with LÆ125 requested
    "foerste_opfoelgning_dage": -5.0,  # days added to first follow-up of eligible cases
    "sygedagpenge_varighed_dage": 0.0,  # days added to sickness-benefit duration
    # Rehabilitation team themes:
    "rehab_fritagelse_andel": 0.30,  # jobafklaring/fleksjob cases exempted from the meeting
    "lae265_fravalg_andel": 0.35,  # LÆ265-eligible cases with LÆ265 waived
    "lae265_alternativ_andel": 0.40,  # waived LÆ265 with other documentation instead
    "sundhedsfaglig_anden_andel": 0.25,  # adviser other than klinisk funktion
    "akut_fravaer_andel": 0.06,  # meetings held although a member was acutely absent
    # Rise in the share of jobafklaring cases the team treats within the 28-day deadline
    # (base synthetic.rehab.JOBAFKLARING_INDEN_FRIST) for cases starting in the exemption
    # theme: the exempted cases free the team's calendar for the others.
    "rehab_moede_inden_frist_effekt": 0.10,
    # Appeals: extra omgørelse probability (percentage points) for appeals of waived/exempted
    # cases. 0 = the trial does not change appeal outcomes.
    "omgoerelse_skade_pp": 0.0,
    # Surveys: extra probability of a positive answer (4-5) for respondents in the theme.
    "survey_positiv_effekt": 0.10,
    # Psychologist treatment (ansøgning 2), for psychiatric cases given a course: days added
    # to the sickness-benefit spell (-21 = three weeks shorter) and the change in BDI points
    # (efter - foer; the other instruments by the same fraction of their scale).
    "psykolog_sygefravaer_dage": -21.0,
    "psykolog_bdi_aendring": -5.0,
    # DREAM (synthetic/dream.py): rise in the share self-supporting in week 26 after the
    # first absence among LÆ285-eligible cases in the theme (0.02 = 2 percentage points).
    "dream_selvforsoergende_uge_26": 0.02,
    # Uddannelsespålæg (synthetic/uddannelseshjaelp.py): rise in the share of the theme
    # municipality's young people on uddannelseshjælp who are in education or self-supporting
    # 26 weeks after a trial quarter's first week (0.08 = 8 percentage points).
    "uddannelseshjaelp_uge_26_effekt": 0.08,
}

EFFECT_SIZE_KEYS: tuple[str, ...] = tuple(k for k in DEFAULT_EFFECTS if k != "placebo")


def resolve_effects(effects: dict | None) -> dict[str, float | bool]:
    """Defaults overridden by ``effects``; ``placebo`` zeroes every effect size."""
    resolved: dict[str, float | bool] = dict(DEFAULT_EFFECTS)
    for key, value in (effects or {}).items():
        if key not in DEFAULT_EFFECTS:
            raise ValueError(f"unknown effect {key!r}; known: {', '.join(DEFAULT_EFFECTS)}")
        resolved[key] = bool(value) if key == "placebo" else float(value)
    if resolved["placebo"]:
        for key in EFFECT_SIZE_KEYS:
            resolved[key] = 0.0
    for key in EFFECT_SIZE_KEYS:
        if key.endswith("_andel") or key.startswith(("lae285_fravalg", "lae285_alternativ")):
            value = float(resolved[key])
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"effect {key} must be a share in [0, 1], got {value}")
    return resolved


def snapshot_dates(n: int) -> list[date]:
    """``n`` consecutive month ends ending on ``PERIOD_END`` (oldest first)."""
    if n < 1:
        raise ValueError("at least one snapshot is needed")
    dates: list[date] = []
    year, month = PERIOD_END.year, PERIOD_END.month
    for _ in range(n):
        next_first = date(year + (month == 12), month % 12 + 1, 1)
        dates.append(date.fromordinal(next_first.toordinal() - 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sorted(dates)


def expected_lae285_waiver_share(effects: dict[str, float | bool]) -> float:
    """Expected share of eligible in-theme cases with LÆ285 waived, from the rules.

    The hospital attributes depend on the diagnosis; employment and complexity do not.
    """
    p_hosp_rule = float(effects["lae285_fravalg_indlagt"])
    p_no_emp = float(effects["lae285_fravalg_ingen_arbejdsgiver"])
    p_unc = float(effects["lae285_fravalg_ukompliceret"])
    p_other = float(effects["lae285_fravalg_oevrige"])
    total = 0.0
    for diag, share in DIAGNOSEGRUPPE_ANDELE.items():
        p_hospital = INDLAGT_ANDEL[diag] + (1 - INDLAGT_ANDEL[diag]) * SYGEHUSBEHANDLING_ANDEL[diag]
        p_employed = HAR_ARBEJDSGIVER_ANDEL * (
            UKOMPLICERET_ANDEL * p_unc + (1 - UKOMPLICERET_ANDEL) * p_other
        )
        p_rest = (1 - HAR_ARBEJDSGIVER_ANDEL) * p_no_emp + p_employed
        total += share * (p_hospital * p_hosp_rule + (1 - p_hospital) * p_rest)
    return total
