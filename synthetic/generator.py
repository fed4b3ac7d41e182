"""``generate``: write synthetic extract files and truth.json (contract §1, interface A)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import polars as pl

from synthetic import params as P
from synthetic.appeals import (
    PUBLICATIONS,
    publication_counts,
    simulate_ankesager,
    simulate_ankestatistik_counts,
)
from synthetic.bad_files import write_bad_files
from synthetic.cases import simulate_sygedagpengesager
from synthetic.cpr import person_frame
from synthetic.documents import simulate_helbredsdokumentation
from synthetic.dream import UngeUddannelseshjaelp, simulate_dream, write_dream
from synthetic.mess import choose_style, corrupt, file_name, header, to_text
from synthetic.municipalities import (
    Reference,
    kommune_frame,
    load_reference,
    run_kommuner,
    theme_windows,
)
from synthetic.oevrige_forsoeg import (
    PSYKOLOG_TEMA,
    UDDANNELSE_TEMA,
    simulate_psykologforloeb,
    simulate_uddannelsespaalaeg,
    theme_kommuner,
    truth_section,
)
from synthetic.rehab import expected_rehab, simulate_rehabiliteringssager
from synthetic.snapshots import KEY, apply_revisions, cut, plan_revisions
from synthetic.survey import expected_survey, simulate_survey
from synthetic.truth import after_quarantine, expected_section, omgoerelsesprocent, rows_kept
from synthetic.uddannelseshjaelp import EFFECT_KEY as UHJ_EFFECT_KEY
from synthetic.uddannelseshjaelp import population_kommuner
from synthetic.writers import write_extract

PER_KOMMUNE_SOURCES = (
    "sygedagpengesager",
    "helbredsdokumentation",
    "rehabiliteringssager",
    "ankesager",
    "psykologforloeb",
    "uddannelsespaalaeg",
)


def generate(
    out: Path,
    scale: str = "small",
    seed: int = 42,
    mess: bool = True,
    effects: dict | None = None,
    progress: bool = False,
    *,
    snapshots: int | None = None,
    bad_files: bool = False,
    dream: bool = True,
) -> dict:
    """Write the extract files of one synthetic run into ``out`` and ``out/truth.json``.

    The files of an earlier run in ``out`` (those listed in its truth.json, nothing else) are
    removed first so the folder holds exactly one run. ``snapshots`` overrides the scale's
    number of monthly snapshots; ``bad_files`` adds a few files that must be rejected whole
    (listed in ``truth["bad_files"]``, not in ``truth["files"]``). ``dream`` (default) adds
    the national DREAM register (``synthetic.dream``; listed in ``truth["dream"]``, not in
    ``truth["files"]``). Returns the truth dict.
    """
    if scale not in P.SCALES:
        raise ValueError(f"scale must be one of {', '.join(P.SCALES)}")
    cfg = P.SCALES[scale]
    eff = P.resolve_effects(effects)
    dates = P.snapshot_dates(snapshots or cfg.n_snapshots)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    _remove_previous_run(out)

    rngs = dict(
        zip(
            [
                "kommuner",
                "sager",
                "rehab",
                "dok",
                "anke",
                "stat",
                "cpr",
                "rev",
                "stil",
                "korrupt",
                "navne",
                "survey",
                "psykolog",
                "uddannelse",
                "dream",
                "survey_stil",
                "uddannelseshjaelp",
            ],
            # spawn(n) gives the same first children for any n: adding a stream at the end
            # leaves the earlier sources' data unchanged.
            (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(17)),
            strict=True,
        )
    )
    with _progress(progress) as bar:
        task = bar.add_task("Simulerer sager", total=None) if bar else None
        ref = load_reference()
        trial, control = run_kommuner(ref, scale)
        kommuner = sorted(trial + control)
        kom = kommune_frame(ref, kommuner, rngs["kommuner"])
        themes = theme_windows(ref, kommuner)
        sdp = simulate_sygedagpengesager(rngs["sager"], kom, themes, eff, cfg.volume_factor)
        n_sdp_persons = int(sdp["person_nr"].max()) + 1 if sdp.height else 0
        rehab, extra_start = simulate_rehabiliteringssager(
            rngs["rehab"], sdp, kom, themes, eff, cfg.volume_factor, n_sdp_persons
        )
        first_case = sdp.group_by("person_nr").agg(pl.col("anmeldt_dato").min()).sort("person_nr")
        ref_days = np.concatenate(
            [first_case["anmeldt_dato"].cast(pl.Int64).to_numpy(), extra_start]
        )
        persons = person_frame(rngs["cpr"], ref_days)
        sdp = sdp.join(persons, on="person_nr", how="left", maintain_order="left")
        rehab = rehab.join(persons, on="person_nr", how="left", maintain_order="left")
        psykolog, sdp = simulate_psykologforloeb(rngs["psykolog"], sdp, ref, eff)
        fritagelser = simulate_uddannelsespaalaeg(
            rngs["uddannelse"], ref, kommuner, cfg.volume_factor, set(persons["cpr"].to_list())
        )
        docs = simulate_helbredsdokumentation(rngs["dok"], sdp, rehab, ref.takster)
        anke = simulate_ankesager(rngs["anke"], sdp, rehab, kom, trial, eff)
        stats_final = simulate_ankestatistik_counts(rngs["stat"], kom, cfg.ankestatistik_factor)
        shown, restated = publication_counts(rngs["stat"], stats_final)
        revisions = plan_revisions(rngs["rev"], sdp, rehab, dates)

        masters = {
            "sygedagpengesager": sdp,
            "helbredsdokumentation": docs,
            "rehabiliteringssager": rehab,
            "ankesager": anke,
            "psykologforloeb": psykolog,
            "uddannelsespaalaeg": fritagelser,
        }
        source_kommuner_of = {
            "ankesager": trial,
            "psykologforloeb": theme_kommuner(ref, PSYKOLOG_TEMA, kommuner),
            "uddannelsespaalaeg": theme_kommuner(ref, UDDANNELSE_TEMA, kommuner),
        }
        n_files = sum(
            len(source_kommuner_of.get(s, kommuner)) * len(dates) for s in PER_KOMMUNE_SOURCES
        ) + len(PUBLICATIONS)
        if bar:
            bar.update(task, description="Skriver udtræk", total=n_files, completed=0)
        files: list[dict] = []
        corrupted: list[dict] = []
        latest_keys: dict[str, dict[str, int]] = {}
        # The rows of each case and document file that pass ingest (truth after quarantine).
        kept: dict[str, list[pl.DataFrame]] = {"sygedagpengesager": [], "helbredsdokumentation": []}
        for source in PER_KOMMUNE_SOURCES:
            parts = masters[source].partition_by("kommunekode", as_dict=True)
            source_kommuner = source_kommuner_of.get(source, kommuner)
            latest_keys[source] = {}
            for kode in source_kommuner:
                master_k = parts.get((kode,), masters[source].clear())
                for extract in dates:
                    is_latest = extract == dates[-1]
                    snap = apply_revisions(
                        source, cut(source, master_k, extract), revisions, is_latest
                    )
                    if is_latest:
                        latest_keys[source][str(kode)] = snap[KEY[source]].n_unique()
                    entry, bad = _write_file(
                        out, source, kode, extract, snap, kode in trial, mess, rngs, kommuner
                    )
                    files.append(entry)
                    corrupted += bad
                    if source in kept:
                        kept[source].append(rows_kept(snap, bad, extract, KEY[source]))
                    if bar:
                        bar.advance(task)
        # Questionnaire answers: one file per municipality at the last extract date, styled
        # and corrupted like the other sources from a stream of their own (so the other
        # files' styles and bad rows do not move when the survey changes).
        survey = simulate_survey(rngs["survey"], kom, themes, eff)
        survey_parts = survey.partition_by("kommunekode", as_dict=True)
        survey_rngs = {**rngs, "stil": rngs["survey_stil"], "korrupt": rngs["survey_stil"]}
        for kode in kommuner:
            entry, bad = _write_file(
                out,
                "survey",
                kode,
                dates[-1],
                survey_parts.get((kode,), survey.clear()).drop("i_tema"),
                kode in trial,
                mess,
                survey_rngs,
                kommuner,
            )
            files.append(entry)
            corrupted += bad
        names = _ankestatistik_names(ref, kom, mess, rngs["navne"])
        for pub in PUBLICATIONS:
            counts = shown[pub.extract_date].join(
                names[pub.extract_date], on="kommunekode", how="left", maintain_order="left"
            )
            frame = counts.select(
                "aar", "kvartal", "kommune", "lovomraade", "afgoerelsestype", "antal"
            ).sort("aar", "kvartal", "kommune", "lovomraade", "afgoerelsestype")
            entry, bad = _write_file(
                out, "ankestatistik", None, pub.extract_date, frame, False, mess, rngs, kommuner
            )
            files.append(entry)
            corrupted += bad
            if bar:
                bar.advance(task)

    dream_truth = (
        _write_dream(
            out,
            rngs["dream"],
            sdp,
            rehab,
            persons,
            eff,
            mess,
            fritagelser,
            UngeUddannelseshjaelp(
                rng=rngs["uddannelseshjaelp"],
                kommuner=population_kommuner(ref.forsoeg, ref.kommuner, UDDANNELSE_TEMA),
                scale=scale,
                effect=float(eff[UHJ_EFFECT_KEY]),
            ),
        )
        if dream
        else None
    )
    truth = {
        "seed": seed,
        "scale": scale,
        "mess": mess,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "period": {
            "baseline_start": P.BASELINE_START.isoformat(),
            "trial_start": P.TRIAL_START.isoformat(),
            "end": P.PERIOD_END.isoformat(),
        },
        "municipalities": {"trial": trial, "control": control},
        "effects": eff,
        "snapshots": [d.isoformat() for d in dates],
        "files": files,
        "corrupted_rows": corrupted,
        "bad_files": write_bad_files(out, sdp, trial[0]) if bad_files else [],
        **({"dream": dream_truth} if dream_truth else {}),
        "expected": {
            **expected_section(sdp, rehab, anke, stats_final, trial, eff),
            **truth_section(psykolog, sdp, fritagelser, eff),
            "efter_karantaene": after_quarantine(
                kept["sygedagpengesager"], kept["helbredsdokumentation"], dates[-1], ref.takster
            ),
            "latest_snapshot_keys": {
                s: {"total": sum(v.values()), "by_kommune": v} for s, v in latest_keys.items()
            },
            "survey": expected_survey(survey, eff),
            "rehab": expected_rehab(eff),
            "corrections": _rows(revisions.corrections),
            "missing_from_latest": _rows(revisions.missing_from_latest),
            "ankestatistik": {
                "publications": [
                    {
                        "extract_date": p.extract_date.isoformat(),
                        "last_quarter": list(p.last_quarter),
                    }
                    for p in PUBLICATIONS
                ],
                "names": {
                    d.isoformat(): {str(k): v for k, v in names[d].iter_rows()}
                    for d in sorted(names)
                },
                "restatements": _rows(restated),
                "omgoerelsesprocent_by_publication": {
                    d.isoformat(): omgoerelsesprocent(frame) for d, frame in shown.items()
                },
            },
        },
    }
    (out / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False), "utf-8")
    return truth


def _remove_previous_run(out: Path) -> None:
    """Delete the files an earlier generator run listed in ``out/truth.json``."""
    previous = out / "truth.json"
    if not previous.exists():
        return
    listed = json.loads(previous.read_text("utf-8"))
    dream_files = listed.get("dream", {}).get("files", [])
    for entry in listed.get("files", []) + listed.get("bad_files", []) + dream_files:
        path = out / Path(entry["file"]).name
        if path.is_file():
            path.unlink()
    previous.unlink()


def _write_dream(
    out: Path,
    rng: np.random.Generator,
    sdp: pl.DataFrame,
    rehab: pl.DataFrame,
    persons: pl.DataFrame,
    eff: dict,
    mess: bool,
    fritagelser: pl.DataFrame,
    unge_uhj: UngeUddannelseshjaelp | None = None,
) -> dict:
    """DREAM updates: mid-year as CSV (messy runs only) and at the period's end as Parquet."""
    people, matrix, section = simulate_dream(
        rng, sdp, rehab, persons, eff, P.PERIOD_END, fritagelser, unge_uhj=unge_uhj
    )
    updates = [(P.PERIOD_END, "parquet")]
    if mess:
        updates.insert(0, (date(P.PERIOD_END.year, 6, 30), "csv"))
    files = [write_dream(out, people, matrix, d, fmt, rng, mess) for d, fmt in updates]
    section["files"] = [
        {
            "file": f.file,
            "source": "dream",
            "extract_date": f.extract_date.isoformat(),
            "format": f.format,
            "rows": f.rows,
            "weeks": f.weeks,
        }
        for f in files
    ]
    section["corrupted_rows"] = [row for f in files for row in f.bad_rows]
    return section


def _rows(frame: pl.DataFrame) -> list[dict]:
    return [
        {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items()}
        for row in frame.to_dicts()
    ]


def _write_file(
    out: Path,
    source: str,
    kode: int | None,
    extract: date,
    snap: pl.DataFrame,
    is_trial: bool,
    mess: bool,
    rngs: dict[str, np.random.Generator],
    kommuner: list[int],
) -> tuple[dict, list[dict]]:
    style = choose_style(rngs["stil"], mess, source, snap.height, is_trial)
    text = to_text(snap, source, style)
    bad: list[tuple[int, str, str, int]] = []
    if mess:
        other = kommuner[(kommuner.index(kode) + 1) % len(kommuner)] if kode else 0
        text, bad = corrupt(text, source, style, rngs["korrupt"], extract, other)
    names = header(text.columns, style, rngs["stil"])
    name = file_name(source, kode, extract, style)
    write_extract(text, names, out / name, style)
    entry = {
        "file": name,
        "source": source,
        "kommunekode": kode,
        "extract_date": extract.isoformat(),
        "format": style.format,
        "encoding": style.encoding,
        "delimiter": style.delimiter,
        "rows": text.height,
        "style": style.as_truth(),
        "columns": names,
    }
    # Which case (and, for a document, which document) each bad row belonged to, from the
    # values before they were corrupted: ids, never a CPR number.
    ids = [c for c in (KEY.get(source), "sags_id") if c and c in snap.columns]
    ids = list(dict.fromkeys(ids))
    records = [
        {
            "file": name,
            "source_row_number": number,
            "rule": rule,
            "column": column,
            **{c: snap[c][row] for c in ids},
        }
        for number, rule, column, row in bad
    ]
    return entry, records


def _ankestatistik_names(
    ref: Reference, kom: pl.DataFrame, mess: bool, rng: np.random.Generator
) -> dict[date, pl.DataFrame]:
    """Per publication: kommunekode -> name as written (alias forms in some publications)."""
    table = ref.kommuner.filter(pl.col("kommunekode").is_in(kom["kommunekode"].to_list())).sort(
        "kommunekode"
    )
    out: dict[date, pl.DataFrame] = {}
    for pub in PUBLICATIONS:
        chosen = []
        for navn, aliaser in table.select("kommunenavn", "navn_aliaser").iter_rows():
            options = [a for a in (aliaser or "").split("|") if a]
            if mess and options and rng.random() < 0.5:
                chosen.append(options[int(rng.integers(0, len(options)))])
            else:
                chosen.append(navn)
        out[pub.extract_date] = pl.DataFrame(
            {"kommunekode": table["kommunekode"], "kommune": chosen}
        )
    return out


@contextmanager
def _progress(enabled: bool) -> Iterator:
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    ) as bar:
        yield bar
