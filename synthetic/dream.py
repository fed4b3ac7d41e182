"""Synthetic DREAM register (contract §1.6): weekly benefit codes for every person.

Every person of the case files gets a row, plus persons with no case (DREAM is national).
The weeks are painted from the cases, in date order so later events overwrite earlier:
- while a sickness-benefit case is open: sygedagpenge;
- after it closes, by its closing reason: mostly self-support after raskmelding, some
  unemployment, jobafklaring/ressourceforløb, fleksjob, førtidspension, kontanthjælp ...;
- re-sickness comes from the person's later cases in the case files.
A rehabilitation-only person gets a ressourceforløb spell from the case start.

Planted effect (``effects["dream_selvforsoergende_uge_26"]``, a share, default 0.02 = 2
percentage points): among LÆ285-eligible cases in the theme, a benefit after the case in
week 26 is replaced by 4 weeks of self-support from week 26 for just enough cases that the
expected share self-supporting in week 26 rises by the effect. Realised numbers go to truth.

Codes are read from the seed ``dream_ydelsesgrupper`` (one code per group, the first of its
first range). Files are written in row chunks, never as one wide frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from core.paths import SEEDS_DIR
from synthetic import params as P
from synthetic.cpr import birth_dates, make_cpr

EFFECT_KEY = "dream_selvforsoergende_uge_26"
WRITE_CHUNK = 50_000
# First register week: ISO week 1 of 2015 (Monday 29.12.2014).
REGISTER_START = date.fromisocalendar(P.BASELINE_START.year, 1, 1)
# Persons in DREAM without any case in the files, per person with a case (assumption).
OEVRIGE_PR_PERSON = 0.25
# After a closed case: (group, probability, mean weeks; 0 = to the register's end) by
# closing reason. Plausible assumptions, not measured.
EFTER_SAG: dict[str, tuple[tuple[str, float, float], ...]] = {
    "raskmeldt": (("ledighed", 0.12, 10.0), ("kontanthjaelp_uddannelseshjaelp", 0.03, 20.0)),
    "delvist_raskmeldt": (("ledighed", 0.30, 15.0), ("fleksjob_ledighedsydelse", 0.05, 0.0)),
    "jobafklaring": (("ressourceforloeb_jobafklaring", 0.95, 40.0),),
    "ressourceforloeb": (("ressourceforloeb_jobafklaring", 0.95, 80.0),),
    "fleksjob": (("fleksjob_ledighedsydelse", 0.90, 0.0),),
    "foertidspension": (("foertidspension", 1.0, 0.0),),
    "bortfald": (("kontanthjaelp_uddannelseshjaelp", 0.45, 26.0), ("ledighed", 0.15, 12.0)),
    "doed": (("doed_udvandret", 1.0, 0.0),),
    "fraflyttet": (),
    "andet": (("ledighed", 0.25, 15.0), ("su_uddannelse", 0.10, 40.0), ("andet", 0.10, 20.0)),
}
# Persons without a case: P(one benefit spell) and its group mix.
OEVRIGE_SPELL_ANDEL = 0.35
OEVRIGE_GRUPPER: dict[str, float] = {
    "ledighed": 0.45,
    "su_uddannelse": 0.25,
    "kontanthjaelp_uddannelseshjaelp": 0.15,
    "orlov_barsel": 0.10,
    "pension_efterloen": 0.05,
}
# Messy rows per file: a code that is not three digits, an unknown three-digit code.
BAD_CODE_RATE = 0.0005


@dataclass(frozen=True)
class DreamFile:
    """One written DREAM update (for truth.json)."""

    file: str
    extract_date: date
    format: str
    rows: int
    weeks: int
    bad_rows: list[dict]


def group_codes(path: Path = SEEDS_DIR / "dream_ydelsesgrupper.csv") -> dict[str, int]:
    """One code per benefit group: the first code of the group's first range."""
    seed = pl.read_csv(path, infer_schema=False)
    codes: dict[str, int] = {}
    for low, gruppe in seed.select("kode_fra", "ydelsesgruppe").iter_rows():
        codes.setdefault(gruppe, int(low))
    return codes


def known_codes(path: Path = SEEDS_DIR / "dream_ydelsesgrupper.csv") -> set[int]:
    seed = pl.read_csv(path, infer_schema=False)
    return {
        c
        for lo, hi in seed.select("kode_fra", "kode_til").iter_rows()
        for c in range(int(lo), int(hi) + 1)
    }


def week_index(days: np.ndarray) -> np.ndarray:
    """Register week number (0 = ISO week 1 of 2015) of dates given as days since 1970."""
    start = (REGISTER_START - date(1970, 1, 1)).days
    return (days - start) // 7


def simulate_dream(
    rng: np.random.Generator,
    sdp: pl.DataFrame,
    rehab: pl.DataFrame,
    persons: pl.DataFrame,
    effects: dict,
    register_end: date,
    fritagelser: pl.DataFrame | None = None,
    *,
    unge_uhj: UngeUddannelseshjaelp | None = None,
) -> tuple[pl.DataFrame, np.ndarray, dict]:
    """Persons (person_nr, cpr, bopaelskommune) and their weekly codes (persons × weeks).

    ``fritagelser`` (source ``uddannelsespaalaeg``: cpr, kommunekode, fritaget_dato,
    ophoert_dato, ophoer_aarsag) adds the exempted young people (``_unge_spells``), drawn
    after everything else so the other persons' weeks do not depend on them.
    ``unge_uhj`` adds the young people on uddannelseshjælp of the theme's municipality and
    its donor pool (``synthetic.uddannelseshjaelp``), last and from their own stream.
    Returns the person frame, the int16 code matrix (0 = blank) and the truth section.
    """
    codes_by_group = group_codes()
    n_weeks = int(week_index(np.array([(register_end - date(1970, 1, 1)).days]))[0]) + 1
    n_case_persons = persons.height
    n_other = round(n_case_persons * OEVRIGE_PR_PERSON)
    unge = fritagelser if fritagelser is not None else pl.DataFrame(schema=_UNGE_SCHEMA)
    unge = unge.select(*_UNGE_SCHEMA).unique("cpr", keep="first", maintain_order=True)
    taken = set(persons["cpr"].to_list())
    other_cpr = _other_cpr(rng, n_other, taken | set(unge["cpr"].to_list()))
    unge = unge.filter(~pl.col("cpr").is_in(list(taken)))
    all_persons = pl.concat(
        [
            persons.select("person_nr", "cpr"),
            pl.DataFrame(
                {
                    "person_nr": np.arange(n_case_persons, n_case_persons + len(other_cpr)),
                    "cpr": other_cpr,
                },
                schema={"person_nr": persons["person_nr"].dtype, "cpr": pl.String},
            ),
        ]
    )
    first_ung = all_persons.height
    unge = unge.with_columns(
        pl.int_range(first_ung, first_ung + unge.height, dtype=pl.Int64).alias("person_nr")
    )
    all_persons = pl.concat(
        [all_persons, unge.select(pl.col("person_nr").cast(all_persons["person_nr"].dtype), "cpr")]
    )
    ung_rows, ung_spells, ung_kommune = _unge_uhj_persons(
        unge_uhj, all_persons, n_weeks, codes_by_group
    )
    if ung_rows.height:
        all_persons = pl.concat([all_persons, ung_rows.select("person_nr", "cpr")])
    matrix = np.zeros((all_persons.height, n_weeks), dtype=np.int16)
    spells = _case_spells(rng, sdp, codes_by_group, n_weeks)
    spells = pl.concat([spells, _rehab_spells(rng, rehab, sdp, codes_by_group, n_weeks)])
    spells = pl.concat(
        [spells, _other_spells(rng, n_case_persons, len(other_cpr), codes_by_group, n_weeks)]
    )
    _paint(matrix, spells)
    effect_truth = _plant_effect(rng, matrix, sdp, effects, codes_by_group["sygedagpenge"])
    _paint(matrix, _unge_spells(rng, unge, codes_by_group, n_weeks))
    uhj_truth = _unge_uhj_paint(unge_uhj, matrix, ung_rows, ung_spells, ung_kommune, codes_by_group)
    bopael = (
        sdp.sort("anmeldt_dato")
        .group_by("person_nr")
        .agg(pl.col("kommunekode").last().alias("bopaelskommune"))
    )
    bopael = pl.concat(
        [
            bopael,
            unge.select(
                pl.col("person_nr").cast(bopael["person_nr"].dtype),
                pl.col("kommunekode").cast(bopael["bopaelskommune"].dtype).alias("bopaelskommune"),
            ),
        ]
    )
    if ung_rows.height:
        bopael = pl.concat(
            [
                bopael,
                ung_rows.select(
                    pl.col("person_nr").cast(bopael["person_nr"].dtype),
                    pl.col("kommunekode")
                    .cast(bopael["bopaelskommune"].dtype)
                    .alias("bopaelskommune"),
                ),
            ]
        )
    rehab_bopael = rehab.group_by("person_nr").agg(
        pl.col("kommunekode").last().alias("bopaelskommune_rehab")
    )
    all_persons = (
        all_persons.join(bopael, on="person_nr", how="left", maintain_order="left")
        .join(rehab_bopael, on="person_nr", how="left", maintain_order="left")
        .with_columns(pl.coalesce("bopaelskommune", "bopaelskommune_rehab").alias("bopaelskommune"))
        .drop("bopaelskommune_rehab")
    )
    truth = {
        "register_start": REGISTER_START.isoformat(),
        "register_end": register_end.isoformat(),
        "persons": all_persons.height,
        "persons_with_case": n_case_persons,
        "persons_uddannelsespaalaeg": unge.height,
        "weeks": n_weeks,
        "planted_effect": effect_truth,
        **({"uddannelseshjaelp": uhj_truth} if uhj_truth else {}),
    }
    return all_persons, matrix, truth


@dataclass(frozen=True)
class UngeUddannelseshjaelp:
    """What ``simulate_dream`` needs to add the young people on uddannelseshjælp: their own
    random stream, the municipalities (``uddannelseshjaelp.population_kommuner``), the scale
    and the planted effect (a share)."""

    rng: np.random.Generator
    kommuner: pl.DataFrame
    scale: str
    effect: float


def _unge_uhj_persons(
    unge_uhj: UngeUddannelseshjaelp | None,
    all_persons: pl.DataFrame,
    n_weeks: int,
    codes: dict[str, int],
) -> tuple[pl.DataFrame, pl.DataFrame, np.ndarray]:
    """Rows (person_nr, cpr, kommunekode) after ``all_persons``, their spells, municipality."""
    empty = pl.DataFrame(schema={"person_nr": pl.Int64, "cpr": pl.String, "kommunekode": pl.Int64})
    if unge_uhj is None:
        none = np.array([], np.int64)
        return empty, _frame(none, none, none, 0), none
    from synthetic.oevrige_forsoeg import _young_cpr
    from synthetic.uddannelseshjaelp import simulate_population

    people, spells = simulate_population(
        unge_uhj.rng, unge_uhj.kommuner, n_weeks, codes, unge_uhj.scale, REGISTER_START
    )
    first = all_persons.height
    cpr = _young_cpr(
        unge_uhj.rng, people["entry_day"].to_numpy(), set(all_persons["cpr"].to_list())
    )
    rows = people.select(
        (pl.col("nr") + first).alias("person_nr"),
        pl.Series("cpr", cpr, dtype=pl.String),
        "kommunekode",
    )
    spells = spells.with_columns(pl.col("person_nr") + first)
    return rows, spells, people["kommunekode"].to_numpy()


def _unge_uhj_paint(
    unge_uhj: UngeUddannelseshjaelp | None,
    matrix: np.ndarray,
    rows: pl.DataFrame,
    spells: pl.DataFrame,
    kommune: np.ndarray,
    codes: dict[str, int],
) -> dict | None:
    """Paint the young people's weeks, plant the effect, return their truth section."""
    if unge_uhj is None or rows.height == 0:
        return None
    from synthetic import uddannelseshjaelp as U

    _paint(matrix, spells)
    first = int(rows["person_nr"].min())
    block = matrix[first:]
    uhj = U.ydelse_code()
    su_codes = {c for c, g in _code_groups().items() if g == "su_uddannelse"}
    before = U.outcome_panel(block, kommune, REGISTER_START, uhj, su_codes)
    moved = 0
    treated = unge_uhj.kommuner.filter("is_behandlet")
    for kode, start, slut in treated.select("kommunekode", "startdato", "slutdato").iter_rows():
        moved += U.plant_effect(
            unge_uhj.rng,
            block,
            np.flatnonzero(kommune == kode),
            REGISTER_START,
            start,
            slut or P.PERIOD_END,
            unge_uhj.effect,
            uhj,
            codes["su_uddannelse"],
        )
    after = U.outcome_panel(block, kommune, REGISTER_START, uhj, su_codes)
    return U.truth_section(before, after, unge_uhj.kommuner, unge_uhj.effect, moved)


def _code_groups(path: Path = SEEDS_DIR / "dream_ydelsesgrupper.csv") -> dict[int, str]:
    seed = pl.read_csv(path, infer_schema=False)
    return {
        c: gruppe
        for lo, hi, gruppe in seed.select("kode_fra", "kode_til", "ydelsesgruppe").iter_rows()
        for c in range(int(lo), int(hi) + 1)
    }


def _other_cpr(rng: np.random.Generator, n: int, taken: set[str]) -> list[str]:
    ref = np.full(n, (date(2020, 1, 1) - date(1970, 1, 1)).days, dtype=np.int64)
    cprs = make_cpr(rng, birth_dates(rng, ref)) if n else np.array([], dtype=str)
    return [c for c in cprs.tolist() if c not in taken]


def _days(expr_date: pl.Series) -> np.ndarray:
    return expr_date.cast(pl.Date).cast(pl.Int64).to_numpy()


def _case_spells(
    rng: np.random.Generator, sdp: pl.DataFrame, codes: dict[str, int], n_weeks: int
) -> pl.DataFrame:
    """Sickness-benefit weeks of each case and what follows it."""
    w0 = week_index(_days(sdp["foerste_fravaersdag"]))
    slut = week_index(_days(sdp["afsluttet_dato"]))
    person = sdp["person_nr"].to_numpy()
    frames = [_frame(person, w0, np.minimum(slut, n_weeks - 1), codes["sygedagpenge"])]
    aarsag = sdp["afslutningsaarsag"].to_numpy()
    u = rng.random(sdp.height)
    lengths = rng.exponential(1.0, sdp.height)
    for reason, options in EFTER_SAG.items():
        low = np.zeros(sdp.height)
        for gruppe, share, mean_weeks in options:
            chosen = (aarsag == reason) & (u >= low) & (u < low + share) & (slut + 1 < n_weeks)
            low = low + share
            if not chosen.any():
                continue
            start = slut[chosen] + 1
            length = (
                np.full(start.shape[0], n_weeks)
                if mean_weeks == 0
                else np.maximum(1, np.round(lengths[chosen] * mean_weeks)).astype(np.int64)
            )
            end = np.minimum(start + length - 1, n_weeks - 1)
            frames.append(_frame(person[chosen], start, end, codes[gruppe]))
    return pl.concat(frames)


def _rehab_spells(
    rng: np.random.Generator,
    rehab: pl.DataFrame,
    sdp: pl.DataFrame,
    codes: dict[str, int],
    n_weeks: int,
) -> pl.DataFrame:
    only = rehab.join(sdp.select("person_nr").unique(), on="person_nr", how="anti")
    if only.height == 0:
        return _frame(np.array([], np.int64), np.array([], np.int64), np.array([], np.int64), 0)
    start = week_index(_days(only["startdato"]))
    length = np.maximum(4, np.round(rng.exponential(60.0, only.height))).astype(np.int64)
    end = np.minimum(start + length - 1, n_weeks - 1)
    return _frame(only["person_nr"].to_numpy(), start, end, codes["ressourceforloeb_jobafklaring"])


def _other_spells(
    rng: np.random.Generator, first: int, n: int, codes: dict[str, int], n_weeks: int
) -> pl.DataFrame:
    has = rng.random(n) < OEVRIGE_SPELL_ANDEL
    person = np.arange(first, first + n)[has]
    groups = list(OEVRIGE_GRUPPER)
    which = rng.choice(len(groups), size=person.shape[0], p=list(OEVRIGE_GRUPPER.values()))
    start = rng.integers(0, n_weeks, person.shape[0])
    length = np.maximum(1, np.round(rng.exponential(20.0, person.shape[0]))).astype(np.int64)
    end = np.minimum(start + length - 1, n_weeks - 1)
    code = np.array([codes[g] for g in groups], dtype=np.int16)[which]
    return pl.DataFrame(
        {"person_nr": person, "fra": start, "til": end, "kode": code},
        schema={"person_nr": pl.Int64, "fra": pl.Int64, "til": pl.Int64, "kode": pl.Int16},
    )


_UNGE_SCHEMA = {
    "cpr": pl.String,
    "kommunekode": pl.Int64,
    "fritaget_dato": pl.Date,
    "ophoert_dato": pl.Date,
    "ophoer_aarsag": pl.String,
}
# After an exemption ends, by its reason: (group, mean weeks; 0 = to the register's end);
# no entry = self-supporting (job) or unchanged benefit. Plausible assumptions.
EFTER_FRITAGELSE: dict[str, tuple[str, float]] = {
    "paabegyndt_uddannelse": ("su_uddannelse", 80.0),
    "anden_ydelse": ("ressourceforloeb_jobafklaring", 0.0),
    "fraflyttet": ("kontanthjaelp_uddannelseshjaelp", 26.0),
    "andet": ("kontanthjaelp_uddannelseshjaelp", 26.0),
}


def _unge_spells(
    rng: np.random.Generator, unge: pl.DataFrame, codes: dict[str, int], n_weeks: int
) -> pl.DataFrame:
    """Education benefit from half a year before the exemption until it ends, then by reason.

    An exemption still running (or ending after the register) keeps the benefit to the end.
    """
    if unge.height == 0:
        return _frame(np.array([], np.int64), np.array([], np.int64), np.array([], np.int64), 0)
    person = unge["person_nr"].to_numpy()
    fritaget = week_index(_days(unge["fritaget_dato"]))
    ophoert = unge["ophoert_dato"].cast(pl.Int64).fill_null(10**6).to_numpy()
    slut = np.minimum(week_index(ophoert), n_weeks - 1)
    frames = [_frame(person, fritaget - 26, slut, codes["kontanthjaelp_uddannelseshjaelp"])]
    aarsag = unge["ophoer_aarsag"].fill_null("").to_numpy()
    lengths = rng.exponential(1.0, unge.height)
    for reason, (gruppe, mean_weeks) in EFTER_FRITAGELSE.items():
        chosen = (aarsag == reason) & (slut + 1 < n_weeks)
        if not chosen.any():
            continue
        start = slut[chosen] + 1
        length = (
            np.full(start.shape[0], n_weeks)
            if mean_weeks == 0
            else np.maximum(4, np.round(lengths[chosen] * mean_weeks)).astype(np.int64)
        )
        end = np.minimum(start + length - 1, n_weeks - 1)
        frames.append(_frame(person[chosen], start, end, codes[gruppe]))
    return pl.concat(frames)


def _frame(person: np.ndarray, start: np.ndarray, end: np.ndarray, code: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "person_nr": person,
            "fra": start,
            "til": end,
            "kode": np.full(person.shape[0], code, dtype=np.int16),
        },
        schema={"person_nr": pl.Int64, "fra": pl.Int64, "til": pl.Int64, "kode": pl.Int16},
    )


def _paint(matrix: np.ndarray, spells: pl.DataFrame) -> None:
    """Paint spells in start order; a later spell overwrites an earlier one."""
    ordered = (
        spells.filter(pl.col("til") >= pl.col("fra"))
        .with_columns(pl.col("fra").clip(0, None))
        .filter(pl.col("fra") < matrix.shape[1])
        .sort("fra", "person_nr")
    )
    for person, fra, til, kode in ordered.iter_rows():
        matrix[person, fra : til + 1] = kode


def _plant_effect(
    rng: np.random.Generator,
    matrix: np.ndarray,
    sdp: pl.DataFrame,
    effects: dict,
    sygedagpenge: int,
) -> dict:
    size = float(effects.get(EFFECT_KEY, 0.0))
    treated = (sdp["er_omfattet"] & sdp["i_tema"]).to_numpy()
    w0 = week_index(_days(sdp["foerste_fravaersdag"]))
    slut = week_index(_days(sdp["afsluttet_dato"]))
    w26 = w0 + 26
    known = treated & (w26 < matrix.shape[1]) & (w26 >= 0)
    idx = np.flatnonzero(known)
    person = sdp["person_nr"].to_numpy()[idx]
    week = w26[idx]
    code = matrix[person, week]
    # Benefits after the case closed (not this or another sickness-benefit case).
    flippable = (code != 0) & (code != sygedagpenge) & (slut[idx] < week)
    n_known, n_flip = int(idx.shape[0]), int(flippable.sum())
    share_before = float((code == 0).mean()) if n_known else None
    q = min(1.0, size * n_known / n_flip) if n_flip and size > 0 else 0.0
    flip = flippable & (rng.random(n_known) < q)
    for p, w in zip(person[flip], week[flip], strict=True):
        matrix[p, w : min(w + 4, matrix.shape[1])] = 0
    return {
        "effect": size,
        "outcome": "er_selvforsoergende_uge_26",
        "panel_column": "andel_selvforsoergende_uge_26",
        "treated_cases_with_week_26": n_known,
        "share_self_supporting_week_26_without_effect": share_before,
        "flip_probability": q,
        "flipped_cases": int(flip.sum()),
        "realised_effect": (int(flip.sum()) / n_known) if n_known else None,
    }


def write_dream(
    out: Path,
    persons: pl.DataFrame,
    matrix: np.ndarray,
    extract: date,
    fmt: str,
    rng: np.random.Generator,
    mess: bool,
    with_kommune: bool = True,
) -> DreamFile:
    """Write one DREAM update covering the register weeks up to ``extract``, in chunks."""
    last = int(week_index(np.array([(extract - date(1970, 1, 1)).days]))[0])
    n_weeks = min(last + 1, matrix.shape[1])
    names = [
        f"y_{(REGISTER_START + timedelta(weeks=w)).isocalendar()[0] % 100:02d}"
        f"{(REGISTER_START + timedelta(weeks=w)).isocalendar()[1]:02d}"
        for w in range(n_weeks)
    ]
    name = f"dream_{extract.isoformat()}.{fmt}"
    path = out / name
    bad_rows: list[dict] = []
    writer = None
    with open(path, "wb") if fmt == "csv" else _null() as handle:
        for first in range(0, persons.height, WRITE_CHUNK):
            chunk = persons.slice(first, WRITE_CHUNK)
            block = matrix[first : first + chunk.height, :n_weeks]
            frame = _text_chunk(chunk, block, names, with_kommune)
            if mess:
                frame, bad = _corrupt(frame, names, rng, first, block)
                bad_rows += [{"file": name, **b} for b in bad]
            if fmt == "csv":
                frame.write_csv(handle, separator=";", include_header=first == 0, null_value="")
            else:
                table = frame.to_arrow()
                if writer is None:
                    writer = pq.ParquetWriter(str(path), table.schema, compression="zstd")
                writer.write_table(table)
    if writer is not None:
        writer.close()
    elif fmt == "parquet":  # no persons: an empty file with the header
        pq.write_table(pa.table({"cpr": pa.array([], pa.string())}), str(path))
    return DreamFile(name, extract, fmt, persons.height, n_weeks, bad_rows)


class _null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _text_chunk(
    chunk: pl.DataFrame, block: np.ndarray, names: list[str], with_kommune: bool
) -> pl.DataFrame:
    columns = [pl.Series("cpr", chunk["cpr"])]
    if with_kommune:
        columns.append(chunk["bopaelskommune"].cast(pl.String).alias("bopaelskommune"))
    ints = pl.DataFrame({n: block[:, i] for i, n in enumerate(names)})
    text = ints.select(
        pl.when(pl.col(n) == 0)
        .then(None)
        .otherwise(pl.col(n).cast(pl.String).str.zfill(3))
        .alias(n)
        for n in names
    )
    return pl.DataFrame(columns).hstack(text)


def _corrupt(
    frame: pl.DataFrame,
    names: list[str],
    rng: np.random.Generator,
    first: int,
    block: np.ndarray,
) -> tuple[pl.DataFrame, list[dict]]:
    """A few rows get a code that is not three digits or that no range covers."""
    n = frame.height
    hit = np.flatnonzero(rng.random(n) < BAD_CODE_RATE)
    bad: list[dict] = []
    if hit.shape[0] == 0:
        return frame, bad
    unknown = sorted(set(range(100, 1000)) - known_codes())
    for row in hit.tolist():
        col = int(rng.integers(0, len(names)))
        if rng.random() < 0.5:
            value, rule = str(int(rng.integers(10, 100))), "invalid_value"
        else:
            value, rule = str(unknown[int(rng.integers(0, len(unknown)))]), "invalid_enum"
        frame[row, names[col]] = value
        bad.append({"source_row_number": first + row + 1, "rule": rule, "column": names[col]})
    del block
    return frame, bad
