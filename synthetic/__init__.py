"""Synthetic extract generator with a known, planted trial effect.

``generate(out, scale="small", seed=42, mess=True, effects=None, progress=False, *,
snapshots=None, bad_files=False) -> dict`` writes extract files exactly as contract §1
describes into the flat folder ``out`` and ``out/truth.json``, and returns the truth dict.
CLI: ``trialwh generate --out DIR [--scale small|national] [--seed N] [--no-mess]
[--placebo] [--effect KEY=VALUE ...] [--snapshots N] [--bad-files]``.

What a run contains
- Municipalities (reference data read from the dbt seeds): ``small`` = the 11 trial
  municipalities + 6 fixed controls (Horsens, Herning, Skive, Viborg, Lolland, Svendborg),
  volumes x 0.03, about 48,000 rows in ~190 files, a few seconds; ``national`` = all 98,
  about 1.2 mio. sickness-benefit cases 2015-2022 (~4.8 mio. rows over 2 snapshots).
- Per municipality and source (sygedagpengesager, helbredsdokumentation,
  rehabiliteringssager; ankesager for the trial municipalities) one full snapshot per month
  end (small: 2022-10-31, -11-30, -12-31; national: the last two). Ankestatistik for every
  municipality of the run in two publications (2021-03-31, 2023-03-31) where the later one
  restates some past quarters.
- Planted behaviour from each municipality's theme start (forsoeg_deltagelse seed); defaults
  and meaning of every effect in ``params.DEFAULT_EFFECTS``; ``{"placebo": True}`` plants none.
- Mess (``mess=False`` turns it off): see mess.py. CPR numbers: see cpr.py for why none is a
  real person's number.

truth.json: ``seed, scale, mess, generated_at, period, municipalities{trial, control},
effects, snapshots, files[{file, source, kommunekode, extract_date, format, encoding,
delimiter, rows, style, columns}], corrupted_rows[{file, source_row_number, rule, column,
<id columns>}], bad_files[{file, reason, kind}], expected{...}`` where a corrupted row names
the case or document it belonged to by its ids before corruption (``sags_id``,
``dokument_id``, ``anke_id``, …; never a CPR number), and ``expected`` holds aggregate
truths (LÆ285 eligible/waived per municipality and year, rehab exemptions, appeals,
follow-up days, persons, distinct keys in the latest snapshot, corrections, cases missing
from the latest snapshot, Ankestyrelsen names, restatements and omgørelsesprocent) and, in
``efter_karantaene``, what the warehouse must hold once the corrupted rows are quarantined
(sygedagpengesager cases and those missing from the latest extract, LÆ285 eligible/waived
per municipality and year, the LÆ285 net saving per municipality).
"""

from synthetic.generator import generate

__all__ = ["generate"]
