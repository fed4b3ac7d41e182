"""Young people on uddannelseshjælp in DREAM, for the synthetic-control comparison of the
theme ``uddannelsespaalaeg_fritagelse`` (ansøgning 4): Aalborg against similar large
municipalities (the donor pools, control groups ``DONORGRUPPER`` of seed ``kontrolgrupper``).

DREAM is national, so the young recipients are generated for the theme's municipality and
every donor, whether or not the run writes case files for them. Their weeks carry the
uddannelseshjælp code of seed ``dream_ydelser`` (the exempted young people of
``synthetic.dream`` keep the group's first code, so they are not in this population).

Per municipality (assumptions, not measured): a stock of ``BEHOLDNING_PR_INDBYGGER`` ×
inhabitants × the scale's factor (ansøgning 4: ~200 exempted are ~11 % of Aalborg's
recipients, so ~1,800 recipients in 217,000 inhabitants); spells start evenly over time and
last an exponential number of weeks (municipality mean around ``VARIGHED_UGER``); at the
spell's end the young person goes to education (SU) or self-support with a probability
whose logit is the municipality's level plus its loading on a common business-cycle and
seasonal factor, else to another benefit for a while. Municipalities differ in level,
loading and duration, so the synthetic control has something to fit.

Planted effect (``effects[EFFECT_KEY]``, a share, default 0.08 = 8 percentage points): in
each trial quarter, among the theme municipality's recipients in the quarter's first week
whose week ``UGER_EFTER`` later is known, just enough of those still on uddannelseshjælp in
that week are moved into education (SU from that week to the end of the spell) that the
expected share in education or self-supporting rises by the effect. ``truth`` records the
realised effect: the outcome computed on the weeks with and without the planting.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from core.paths import SEEDS_DIR
from synthetic import params as P

EFFECT_KEY = "uddannelseshjaelp_uge_26_effekt"
# The donor pools the mart may be asked for (dbt var uddannelseshjaelp_donorgruppe): the young
# people are generated for every municipality of either group.
DONORGRUPPER: tuple[str, ...] = ("store_provinskommuner", "store_kommuner")
YDELSE = "uddannelseshjaelp"
UGER_EFTER = 26
# Ansøgning 4: about 200 exempted = about 11 % of Aalborg's recipients (217,075 inhabitants).
BEHOLDNING_PR_INDBYGGER = 200 / 0.11 / 217_075
# Share of the national stock generated per scale: small keeps ~30,000 young people in DREAM.
SKALA_FAKTOR: dict[str, float] = {"small": 0.12, "national": 1.0}
VARIGHED_UGER = 52.0
VARIGHED_SD = 0.15  # log-sd of the municipality's mean duration
NIVEAU_MIDDEL, NIVEAU_SD = -0.3, 0.35  # logit of going to education/self-support at the exit
LADNING_MIDDEL, LADNING_SD = 1.0, 0.35  # loading on the common factor
SU_ANDEL = 0.55  # of the good exits: into education (SU), the rest self-support
SU_UGER = 100.0  # mean weeks in education
ANDEN_YDELSE_UGER = 40.0  # mean weeks on another benefit after a bad exit
FOER_UGER = 104  # spells may start this many weeks before the register (initial stock)


def _ydelse_koder() -> tuple[int, int]:
    seed = pl.read_csv(SEEDS_DIR / "dream_ydelser.csv", infer_schema=False)
    row = seed.filter(pl.col("ydelse") == YDELSE).row(0, named=True)
    return int(row["kode_fra"]), int(row["kode_til"])


def ydelse_code() -> int:
    """The code the generator writes for uddannelseshjælp (first of its range)."""
    return _ydelse_koder()[0]


def population_kommuner(forsoeg: pl.DataFrame, kommuner: pl.DataFrame, tema: str) -> pl.DataFrame:
    """kommunekode, indbyggere, is_behandlet, startdato, slutdato: the theme's municipalities
    and the donor pools (seed kontrolgrupper, groups ``DONORGRUPPER``, minus the theme's)."""
    windows = forsoeg.filter(pl.col("tema") == tema).select("kommunekode", "startdato", "slutdato")
    donors = (
        pl.read_csv(SEEDS_DIR / "kontrolgrupper.csv", infer_schema=False)
        .filter(pl.col("kontrolgruppe").is_in(DONORGRUPPER))
        .select(pl.col("kommunekode").cast(pl.Int64))
        .unique()
        .filter(~pl.col("kommunekode").is_in(windows["kommunekode"].to_list()))
    )
    codes = pl.concat([windows.select("kommunekode"), donors]).unique().sort("kommunekode")
    return (
        codes.join(kommuner.select("kommunekode", "indbyggere"), on="kommunekode", how="left")
        .join(windows, on="kommunekode", how="left")
        .with_columns(is_behandlet=pl.col("startdato").is_not_null())
    )


def _faktor(weeks: np.ndarray, register_start: date) -> np.ndarray:
    """Common factor by register week: a business cycle, a dip in 2020, the August intake."""
    years = weeks / 52.18 + (register_start.year - 2015)
    cycle = 0.45 * np.sin(2 * np.pi * (years - 0.8) / 5.0) + 0.08 * years
    dip = np.where((years >= 5.2) & (years < 6.0), -0.6, 0.0)
    week_of_year = np.mod(weeks, 52)
    intake = np.where((week_of_year >= 30) & (week_of_year <= 35), 0.6, 0.0)
    return cycle + dip + intake


def simulate_population(
    rng: np.random.Generator,
    kommuner: pl.DataFrame,
    n_weeks: int,
    codes: dict[str, int],
    scale: str,
    register_start: date,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(persons: nr, kommunekode, entry_day; spells: person_nr, fra, til, kode), person numbers
    from 0. ``codes``: one code per benefit group (synthetic.dream.group_codes)."""
    uhj = ydelse_code()
    persons, spells = [], []
    first = 0
    factor = SKALA_FAKTOR[scale]
    start_day = (register_start - date(1970, 1, 1)).days
    for kode, indbyggere in kommuner.select("kommunekode", "indbyggere").iter_rows():
        stock = BEHOLDNING_PR_INDBYGGER * float(indbyggere) * factor
        mean_weeks = VARIGHED_UGER * float(np.exp(rng.normal(0.0, VARIGHED_SD)))
        niveau = rng.normal(NIVEAU_MIDDEL, NIVEAU_SD)
        ladning = rng.normal(LADNING_MIDDEL, LADNING_SD)
        n = int(rng.poisson(stock / mean_weeks * (n_weeks + FOER_UGER)))
        nr = np.arange(first, first + n, dtype=np.int64)
        first += n
        entry = rng.integers(-FOER_UGER, n_weeks, n)
        length = np.maximum(1, np.round(rng.exponential(mean_weeks, n))).astype(np.int64)
        exit_week = entry + length
        logit = niveau + ladning * _faktor(exit_week.astype(float), register_start)
        good = rng.random(n) < 1.0 / (1.0 + np.exp(-logit))
        su = good & (rng.random(n) < SU_ANDEL)
        bad = ~good
        other_code = np.where(
            rng.random(n) < 0.4,
            codes["ressourceforloeb_jobafklaring"],
            codes["kontanthjaelp_uddannelseshjaelp"],
        )
        spells.append(_spells(nr, entry, exit_week - 1, np.full(n, uhj)))
        su_len = np.maximum(4, np.round(rng.exponential(SU_UGER, n))).astype(np.int64)
        spells.append(
            _spells(
                nr[su],
                exit_week[su],
                exit_week[su] + su_len[su] - 1,
                np.full(int(su.sum()), codes["su_uddannelse"]),
            )
        )
        bad_len = np.maximum(1, np.round(rng.exponential(ANDEN_YDELSE_UGER, n))).astype(np.int64)
        spells.append(
            _spells(nr[bad], exit_week[bad], exit_week[bad] + bad_len[bad] - 1, other_code[bad])
        )
        persons.append(
            pl.DataFrame(
                {
                    "nr": nr,
                    "kommunekode": np.full(n, kode, dtype=np.int64),
                    "entry_day": start_day + np.maximum(entry, -FOER_UGER) * 7,
                }
            )
        )
    frame = (
        pl.concat(spells)
        .with_columns(pl.col("fra").clip(0, n_weeks - 1), pl.col("til").clip(None, n_weeks - 1))
        .filter(pl.col("til") >= pl.col("fra"))
    )
    return pl.concat(persons), frame


def _spells(nr: np.ndarray, fra: np.ndarray, til: np.ndarray, kode: np.ndarray) -> pl.DataFrame:
    return pl.DataFrame(
        {"person_nr": nr, "fra": fra, "til": til, "kode": kode.astype(np.int16)},
        schema={"person_nr": pl.Int64, "fra": pl.Int64, "til": pl.Int64, "kode": pl.Int16},
    )


def quarter_weeks(register_start: date, n_weeks: int) -> list[tuple[date, int]]:
    """(first day of the quarter, register week holding it) for every quarter whose first
    day lies in the register."""
    out = []
    year, quarter = register_start.year, 1
    while True:
        first = date(year, 3 * quarter - 2, 1)
        week = ((first - register_start).days) // 7
        if week >= n_weeks:
            return out
        if week >= 0:
            out.append((first, week))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def outcome_panel(
    matrix: np.ndarray,
    kommune: np.ndarray,
    register_start: date,
    uhj: int,
    su_codes: set[int],
) -> pl.DataFrame:
    """The mart's outcome computed on the weeks (an independent method for tests): per
    municipality × quarter, the young people with the uddannelseshjælp code in the week
    holding the quarter's first day (``unge``), those whose week ``UGER_EFTER`` later is in
    the register (``kendt``) and, of those, in education or self-supporting (``gode``)."""
    n_weeks = matrix.shape[1]
    su = np.array(sorted(su_codes), dtype=matrix.dtype)
    rows = []
    for first, week in quarter_weeks(register_start, n_weeks):
        stock = matrix[:, week] == uhj
        later = week + UGER_EFTER
        if later < n_weeks:
            status = matrix[:, later]
            good = (status == 0) | np.isin(status, su)
        else:
            good = np.zeros(matrix.shape[0], dtype=bool)
        frame = pl.DataFrame({"kommunekode": kommune[stock], "good": good[stock]})
        rows.append(
            frame.group_by("kommunekode").agg(
                pl.lit(first).alias("kvartal"),
                pl.len().alias("unge"),
                pl.lit(later < n_weeks).cast(pl.Int64).mul(pl.len()).alias("kendt"),
                pl.col("good").sum().cast(pl.Int64).alias("gode"),
            )
        )
    return pl.concat(rows).sort("kommunekode", "kvartal")


def plant_effect(
    rng: np.random.Generator,
    matrix: np.ndarray,
    rows: np.ndarray,
    register_start: date,
    start: date,
    slut: date,
    size: float,
    uhj: int,
    su_code: int,
) -> int:
    """Move recipients still on uddannelseshjælp ``UGER_EFTER`` weeks after a trial quarter's
    first week into education, so the quarter's expected share rises by ``size``. ``rows``:
    the treated municipality's rows of ``matrix``. Returns the number of spells moved."""
    if not 0.0 <= size < 1.0:
        raise ValueError(f"effect {EFFECT_KEY} must be a share in [0, 1), got {size}")
    moved = 0
    if size == 0.0 or rows.shape[0] == 0:
        return moved
    n_weeks = matrix.shape[1]
    original = matrix[rows].copy()
    su_known = {int(su_code)}
    for first, week in quarter_weeks(register_start, n_weeks):
        later = week + UGER_EFTER
        if not (start <= first <= slut) or later >= n_weeks:
            continue
        # A young person moved into education earlier stays there: later quarters' shares
        # already rose. Top each quarter up to its share without the effect plus ``size``.
        target = _share(original, week, later, uhj, su_known) + size
        stock = rows[matrix[rows, week] == uhj]
        flippable = stock[matrix[stock, later] == uhj]
        if flippable.shape[0] == 0 or stock.shape[0] == 0:
            continue
        needed = target - _share(matrix[rows], week, later, uhj, su_known)
        q = min(1.0, max(0.0, needed) * stock.shape[0] / flippable.shape[0])
        for row in flippable[rng.random(flippable.shape[0]) < q].tolist():
            end = later
            while end + 1 < n_weeks and matrix[row, end + 1] == uhj:
                end += 1
            matrix[row, later : end + 1] = su_code
            moved += 1
    return moved


def _share(block: np.ndarray, week: int, later: int, uhj: int, su_codes: set[int]) -> float:
    stock = block[:, week] == uhj
    if not stock.any():
        return 0.0
    status = block[stock, later]
    return float(((status == 0) | np.isin(status, sorted(su_codes))).mean())


def truth_section(
    before: pl.DataFrame, after: pl.DataFrame, kommuner: pl.DataFrame, size: float, moved: int
) -> dict:
    """Planted and realised effect (mean over the trial quarters with a known outcome of the
    treated municipality's share with the effect minus without it) and the panel."""
    treated = kommuner.filter("is_behandlet")
    out: dict = {
        "donorgrupper": list(DONORGRUPPER),
        "ydelse": YDELSE,
        "uger_efter": UGER_EFTER,
        "behandlet": treated["kommunekode"].to_list(),
        "donorer": kommuner.filter(~pl.col("is_behandlet"))["kommunekode"].to_list(),
        "planted_effect": size,
        "flyttet_til_uddannelse": moved,
        "realised_by_kommune": {},
        "panel": [
            {**row, "kvartal": row["kvartal"].isoformat()}
            for row in after.sort("kommunekode", "kvartal").to_dicts()
        ],
    }
    for kode, start, slut in treated.select("kommunekode", "startdato", "slutdato").iter_rows():
        joined = (
            before.filter(pl.col("kommunekode") == kode)
            .join(
                after.filter(pl.col("kommunekode") == kode),
                on=["kommunekode", "kvartal"],
                suffix="_efter",
            )
            .filter(
                pl.col("kvartal").is_between(start, slut or P.PERIOD_END) & (pl.col("kendt") > 0)
            )
            .with_columns(
                gap=pl.col("gode_efter") / pl.col("kendt_efter") - pl.col("gode") / pl.col("kendt")
            )
        )
        out["realised_by_kommune"][str(kode)] = {
            "kvartaler": joined.height,
            "gns_gap": float(joined["gap"].mean()) if joined.height else None,
        }
    return out
