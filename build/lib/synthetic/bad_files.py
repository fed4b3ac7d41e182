"""Files that ingest must reject whole (optional: ``generate(..., bad_files=True)``).

Each is dated 2022-09-30, outside the regular snapshots, so rejecting it changes nothing
else in the warehouse. The reasons are recorded in ``truth["bad_files"]``.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from synthetic.mess import CLEAN, to_text

BAD_EXTRACT_DATE = "2022-09-30"


def write_bad_files(out: Path, sdp: pl.DataFrame, kode: int) -> list[dict]:
    """Write the bad files for municipality ``kode``; return their truth records."""
    cases = sdp.filter(pl.col("kommunekode") == kode).head(20)
    text = to_text(cases, "sygedagpengesager", CLEAN)
    records = []

    missing = f"sygedagpengesager_{kode:04d}_{BAD_EXTRACT_DATE}.csv"
    text.drop("anmeldt_dato").write_csv(out / missing)
    records.append(
        {"file": missing, "reason": "required column anmeldt_dato is missing", "kind": "column"}
    )

    bad_date = f"sygedagpengesager_{kode:04d}_2022-09-31.csv"
    text.write_csv(out / bad_date)
    records.append(
        {"file": bad_date, "reason": "impossible extract date in the file name", "kind": "name"}
    )

    not_xlsx = f"helbredsdokumentation_{kode:04d}_{BAD_EXTRACT_DATE}.xlsx"
    (out / not_xlsx).write_bytes(b"dokument_id;sags_id\nD1;SD1\n")
    records.append(
        {"file": not_xlsx, "reason": "not an XLSX workbook (CSV text)", "kind": "unreadable"}
    )
    return records
