"""Hand-made raw layers for the model tests: small, every expected value computable by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import polars as pl

from ingest.schema import create_raw_tables

LOADED_AT = datetime(2020, 1, 15, 12, 0)


def insert_raw(warehouse: Path, source: str, rows: list[dict[str, Any]]) -> None:
    """Append rows to raw.<source>; missing columns are NULL, load metadata is filled in."""
    if not rows:
        return
    frame = pl.DataFrame(
        [
            {
                "load_id": f"test-{row['source_file']}",
                "file_sha256": "0" * 64,
                "loaded_at": LOADED_AT,
                **row,
            }
            for row in rows
        ],
        infer_schema_length=None,
    )
    con = duckdb.connect(str(warehouse))
    try:
        create_raw_tables(con)
        con.register("new_rows", frame)
        con.execute(f"insert into raw.{source} by name select * from new_rows")
    finally:
        con.close()


def _numbered(rows: list[dict[str, Any]], source_file: str, extract_date: date) -> list[dict]:
    return [
        {**row, "source_file": source_file, "extract_date": extract_date, "source_row_number": i}
        for i, row in enumerate(rows, start=1)
    ]


def _sygedagpengesag(
    sags_id: str,
    kommunekode: int,
    fravaer: date,
    anmeldt: date,
    kategori: int,
    *,
    tolk: bool = False,
    fravalgt: bool | None = None,
    begrundelse: str | None = None,
    opfoelgning: date | None = None,
    afsluttet: date | None = None,
) -> dict[str, Any]:
    return {
        "sags_id": sags_id,
        "person_id": f"p-{kommunekode}-{sags_id}",
        "kommunekode": kommunekode,
        "foerste_fravaersdag": fravaer,
        "anmeldt_dato": anmeldt,
        "visitationskategori": kategori,
        "forventet_over_8_uger": kategori >= 2,
        "har_arbejdsgiver": True,
        "diagnosegruppe": "bevaegeapparat",
        "tolk": tolk,
        "lae285_fravalgt": fravalgt,
        "fravalg_begrundelse": begrundelse,
        "foerste_opfoelgning_dato": opfoelgning,
        "afsluttet_dato": afsluttet,
        "afslutningsaarsag": "raskmeldt" if afsluttet else None,
    }


def _dokument(
    dokument_id: str,
    sags_id: str,
    sagstype: str,
    kommunekode: int,
    dokumenttype: str,
    rekvireret: date,
    modtaget: date | None,
    honorar: float | None,
    *,
    tolk: bool = False,
) -> dict[str, Any]:
    return {
        "dokument_id": dokument_id,
        "sags_id": sags_id,
        "sagstype": sagstype,
        "kommunekode": kommunekode,
        "dokumenttype": dokumenttype,
        "udsteder": "egen_laege",
        "rekvireret_dato": rekvireret,
        "modtaget_dato": modtaget,
        "honorar_kr": honorar,
        "tolk": tolk,
    }


def _ankestatistik(
    aar: int, kvartal: int, kommune: str, kode: int, typ: str, antal: int
) -> dict[str, Any]:
    return {
        "aar": aar,
        "kvartal": kvartal,
        "kommune": kommune,
        "kommunekode": kode,
        "lovomraade": "sygedagpenge",
        "afgoerelsestype": typ,
        "antal": antal,
    }


def load_hand_made_raw(warehouse: Path) -> None:
    """Aalborg (851, trial) and København (101, control), values documented in the tests."""
    d = date
    # Aalborg, extract 30.6.2019: S1 (tolk), S2 (LÆ285 waived), S3 (category 1, closed).
    first = [
        _sygedagpengesag("S1", 851, d(2019, 3, 1), d(2019, 3, 4), 2, tolk=True, fravalgt=False,
                         opfoelgning=d(2019, 4, 15)),
        _sygedagpengesag("S2", 851, d(2019, 3, 2), d(2019, 3, 5), 3, fravalgt=True,
                         begrundelse="ingen_arbejdsgiver", opfoelgning=d(2019, 4, 20)),
        _sygedagpengesag("S3", 851, d(2019, 3, 10), d(2019, 3, 12), 1, fravalgt=False,
                         afsluttet=d(2019, 3, 25)),
    ]  # fmt: skip
    # Aalborg, extract 31.12.2019: S1 now closed (a correction of the snapshot), S3 missing.
    second = [
        _sygedagpengesag("S1", 851, d(2019, 3, 1), d(2019, 3, 4), 2, tolk=True, fravalgt=False,
                         opfoelgning=d(2019, 4, 15), afsluttet=d(2019, 8, 29)),
        _sygedagpengesag("S2", 851, d(2019, 3, 2), d(2019, 3, 5), 3, fravalgt=True,
                         begrundelse="ingen_arbejdsgiver", opfoelgning=d(2019, 4, 20)),
    ]  # fmt: skip
    # København (control), extract 31.12.2019: first follow-up after 70 days (too late).
    kontrol = [
        _sygedagpengesag("K1", 101, d(2019, 3, 1), d(2019, 3, 4), 2,
                         opfoelgning=d(2019, 5, 10), afsluttet=d(2019, 6, 1)),
    ]  # fmt: skip
    insert_raw(
        warehouse,
        "sygedagpengesager",
        _numbered(first, "sygedagpengesager_0851_2019-06-30.csv", d(2019, 6, 30))
        + _numbered(second, "sygedagpengesager_0851_2019-12-31.csv", d(2019, 12, 31))
        + _numbered(kontrol, "sygedagpengesager_101_2019-12-31.csv", d(2019, 12, 31)),
    )
    dokumenter_851 = [
        _dokument("D1", "S1", "sygedagpenge", 851, "LAE285", d(2019, 3, 5), d(2019, 3, 20),
                  1290.0, tolk=True),
        _dokument("D2", "S2", "sygedagpenge", 851, "LAE125", d(2019, 3, 6), d(2019, 3, 15), None),
        _dokument("D4", "R2", "rehabilitering", 851, "journaloplysninger", d(2019, 2, 12),
                  d(2019, 2, 20), 250.0),
    ]  # fmt: skip
    dokumenter_101 = [
        _dokument("D3", "K1", "sygedagpenge", 101, "LAE285", d(2019, 3, 5), d(2019, 3, 25), 1140.0),
    ]
    insert_raw(
        warehouse,
        "helbredsdokumentation",
        _numbered(dokumenter_851, "helbredsdokumentation_0851_2019-12-31.csv", d(2019, 12, 31))
        + _numbered(dokumenter_101, "helbredsdokumentation_101_2019-12-31.csv", d(2019, 12, 31)),
    )
    rehab = [
        {"sags_id": "R1", "person_id": "p-r1", "kommunekode": 851, "maalgruppe": "jobafklaring",
         "startdato": d(2019, 2, 1), "fritaget_rehabmoede": False, "lae265_fravalgt": False,
         "moede_dato": d(2019, 2, 20), "afgoerelse_dato": d(2019, 3, 10),
         "afgoerelse": "jobafklaring"},
        {"sags_id": "R2", "person_id": "p-r2", "kommunekode": 851, "maalgruppe": "fleksjob",
         "startdato": d(2019, 2, 10), "fritaget_rehabmoede": True,
         "fritagelse_begrundelse": "plan_ivaerksat", "lae265_fravalgt": True},
    ]  # fmt: skip
    insert_raw(
        warehouse,
        "rehabiliteringssager",
        _numbered(rehab, "rehabiliteringssager_0851_2019-12-31.csv", d(2019, 12, 31)),
    )
    anker = [
        {"anke_id": "A1", "kommunekode": 851, "sags_id": "S2", "lovomraade": "sygedagpenge",
         "modtaget_dato": d(2019, 5, 1), "afgoerelse_dato": d(2019, 8, 1),
         "afgoerelsestype": "hjemvist"},
    ]  # fmt: skip
    insert_raw(
        warehouse, "ankesager", _numbered(anker, "ankesager_0851_2019-12-31.csv", d(2019, 12, 31))
    )
    juni = [
        _ankestatistik(2019, 1, "Aalborg", 851, "stadfaestet", 8),
        _ankestatistik(2019, 1, "Aalborg", 851, "aendret", 2),
        _ankestatistik(2019, 1, "Aalborg", 851, "hjemvist", 2),
        _ankestatistik(2019, 2, "Københavns", 101, "afvist", 3),
    ]
    september = [_ankestatistik(2019, 1, "Aalborg", 851, "stadfaestet", 6)]
    insert_raw(
        warehouse,
        "ankestatistik",
        _numbered(juni, "ankestatistik_2019-06-30.csv", d(2019, 6, 30))
        + _numbered(september, "ankestatistik_2019-09-30.csv", d(2019, 9, 30)),
    )


def load_random_raw(warehouse: Path, kommunekode: int = 461, seed: int = 7) -> None:
    """Odense (461): many cases with ties and censoring, and appeal counts, for the
    comparisons with lifelines and statsmodels."""
    rng = np.random.default_rng(seed)
    n = 240
    extract = date(2022, 12, 31)
    fravaer = [date(2019, 1, 1) + timedelta(days=int(x)) for x in rng.integers(0, 720, n)]
    varighed = rng.integers(5, 400, n) // 7 * 7  # whole weeks: many ties
    opf = rng.integers(20, 90, n)
    rows = []
    for i in range(n):
        slut = fravaer[i] + timedelta(days=int(varighed[i]))
        lukket = slut <= extract and rng.random() < 0.7
        opf_dato = fravaer[i] + timedelta(days=int(opf[i]))
        har_opf = rng.random() < 0.8 and (not lukket or opf_dato <= slut)
        rows.append(
            _sygedagpengesag(
                f"O{i}",
                kommunekode,
                fravaer[i],
                fravaer[i] + timedelta(days=3),
                int(rng.integers(1, 4)),
                opfoelgning=opf_dato if har_opf else None,
                afsluttet=slut if lukket else None,
            )
        )
    insert_raw(
        warehouse,
        "sygedagpengesager",
        _numbered(rows, f"sygedagpengesager_0{kommunekode}_{extract}.csv", extract),
    )
    counts = [
        _ankestatistik(aar, kvartal, "Odense", kommunekode, typ, int(rng.integers(0, 30)))
        for aar in (2019, 2020)
        for kvartal in (1, 2, 3, 4)
        for typ in ("stadfaestet", "aendret", "hjemvist", "afvist")
    ]
    insert_raw(
        warehouse, "ankestatistik", _numbered(counts, "ankestatistik_2021-03-31.csv", extract)
    )
