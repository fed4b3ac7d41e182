"""Write the exactness corpus (run once; the files are committed beside this script).

Each file holds values that a careless reader would silently change: mixed number
styles, impossible times, a repeated header, blank lines, a nested Parquet column, a
workbook formula without a stored result, and values outside the plausibility bounds of
``ingest/schema.py``. ``expected_files.csv``, ``expected_rows.csv`` and
``expected_values.csv`` state by hand what ingest must do with each. CPR numbers are
made up.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import polars as pl

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"

HELB_HEADER = (
    "dokument_id;sags_id;sagstype;kommunekode;dokumenttype;udsteder;rekvireret_dato;"
    "modtaget_dato;honorar_kr;tolk"
)

# A decimal-comma file (most fees written 1.140,50): 1140.50 does not fit it.
HELB_COMMA = [
    HELB_HEADER,
    "D01;S1;sygedagpenge;0851;LAE285;egen_laege;2023-01-02;2023-01-09;1.140,50;N",
    "D02;S2;sygedagpenge;0851;LAE285;egen_laege;2023-01-02;;1140,5;N",
    "D03;S3;sygedagpenge;0851;LAE285;egen_laege;2023-01-02;;1290;J",
    "D04;S4;sygedagpenge;0851;LAE285;egen_laege;2023-01-02;;1.140;N",
    "D05;S5;sygedagpenge;0851;LAE285;egen_laege;2023-01-02;;1140.50;N",
    "",
    "D06;S6;sygedagpenge;0851;LAE285;egen_laege;2023-01-02;;1,140;N",
    "D07;S7;sygedagpenge;0851;LAE285;egen_laege;2023-01-02;;12,345;N",
    ";;;;;;;;;",
    "D08;S8;sygedagpenge;0851;LAE285;egen_laege;2023-01-02;;-50,00;N",
    "D09;S9;sygedagpenge;0851;LAE271;egen_laege;2023-01-02;;30.000,00;N",
    "D10;S10;sygedagpenge;0851;LAE271;egen_laege;2023-01-02;;25.000,00;N",
    "D11;S11;sygedagpenge;0851;LAE285;egen_laege;2023-01-07 25:00:00;;1.290,00;J",
    "D12;S12;sygedagpenge;0851;LAE285;egen_laege;2023-01-07T07:60;;1.290,00;J",
    "D13;S13;sygedagpenge;0851;LAE285;egen_laege;2023-01-07T07:59;2023-01-09 23:59:59;0,00;J",
    "D14;S14;sygedagpenge;0851;LAE285;egen_laege;1989-12-31;;1.140,00;N",
    "   ",
    "D15;S15;sygedagpenge;0851;LAE285;egen_laege;2023-01-02;2023-01-05 12:00:60;1.140,00;N",
    "D16;S16;sygedagpenge;0851;LAE285;egen_laege;2023-01-02;;1.140,505;N",
    "",
]

# A decimal-point file (comma-delimited, fees written 1140.50): 1,140 and 1.140 could be
# 1140 or 1,14 here, and 1140,5 fits only the other style.
HELB_POINT = [
    HELB_HEADER.replace(";", ","),
    "P1,S1,sygedagpenge,0851,LAE285,egen_laege,2023-04-03,,1140.50,N",
    "P2,S2,sygedagpenge,0851,LAE285,egen_laege,2023-04-03,,1234.5,N",
    "P3,S3,sygedagpenge,0851,LAE285,egen_laege,2023-04-03,,1290,N",
    'P4,S4,sygedagpenge,0851,LAE285,egen_laege,2023-04-03,,"1,140",N',
    "P5,S5,sygedagpenge,0851,LAE285,egen_laege,2023-04-03,,1.140,N",
    'P6,S6,sygedagpenge,0851,LAE285,egen_laege,2023-04-03,,"1140,5",N',
    "",
]

REHAB_HEADER = (
    "sags_id;cpr;kommunekode;maalgruppe;startdato;fritaget_rehabmoede;"
    "fritagelse_begrundelse;lae265_fravalgt;sundhedsfaglig_raadgiver;moede_dato;"
    "moede_akut_fravaer;indstilling_dato;afgoerelse_dato;afgoerelse;fleksjob_timer"
)
REHAB = [
    REHAB_HEADER,
    "R1;010180-1234;851;fleksjob;01-02-2023;N;;N;;;;;10-02-2023;fleksjob;37",
    "R2;020280-2345;851;fleksjob;01-02-2023;N;;N;;;;;10-02-2023;fleksjob;37,5",
    "R3;030380-3456;851;fleksjob;01-02-2023;N;;N;;;;;10-02-2023;fleksjob;-1",
    "R4;040480-4567;851;fleksjob;01-02-2023;N;;N;;;;;10-02-2023;fleksjob;12,5",
    "R5;050580-5678;851;jobafklaring;01-05-1985;N;;N;;;;;;;",
    "R6;060680-6789;851;fleksjob;01-02-2023;N;;N;;;;;10-02-2023;fleksjob;0",
]

# The same name twice, with different values: which one holds cannot be told.
SYG_DUPLICATE = [
    "sags_id;cpr;kommunekode;foerste_fravaersdag;anmeldt_dato;visitationskategori;"
    "forventet_over_8_uger;har_arbejdsgiver;diagnosegruppe;tolk;tolk;"
    "foerste_opfoelgning_dato;afsluttet_dato;afslutningsaarsag",
    "S1;010180-1234;851;2023-01-02;2023-01-03;1;N;J;andet;J;N;;;",
]


def _write_lines(name: str, lines: list[str]) -> None:
    (FILES / name).write_bytes("\n".join(lines).encode("utf-8"))


def _parquet_nested() -> None:
    frame = pl.DataFrame(
        {
            "sags_id": ["R1", "R2"],
            "cpr": ["010180-1234", "020280-2345"],
            "kommunekode": [851, 851],
            "maalgruppe": ["fleksjob", "fleksjob"],
            "startdato": ["2023-01-02", "2023-01-02"],
            "moede_dato": [None, None],
            "indstilling_dato": [None, None],
            "afgoerelse_dato": [None, None],
            "afgoerelse": ["fleksjob", "fleksjob"],
            "fleksjob_timer": [[12.5, 15.0], [20.0]],
        }
    )
    frame.write_parquet(FILES / "rehabiliteringssager_0851_2023-06-30.parquet")


def _xlsx_formula() -> None:
    """openpyxl stores a formula without its result (nothing computed it)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HELB_HEADER.split(";"))
    sheet.append(["X1", "S1", "sygedagpenge", 851, "LAE285", "egen_laege", "2023-07-03"])
    sheet["I2"] = 1140.5
    sheet.append(["X2", "S2", "sygedagpenge", 851, "LAE285", "egen_laege", "2023-07-03"])
    sheet["I3"] = "=I2*2"
    sheet.append([])  # an empty row in the middle
    sheet.append(["X3", "S3", "sygedagpenge", 851, "LAE285", "egen_laege", "2023-07-03"])
    sheet["I5"] = 1290
    book.save(FILES / "helbredsdokumentation_0851_2023-09-30.xlsx")


def main() -> None:
    FILES.mkdir(exist_ok=True)
    _write_lines("helbredsdokumentation_0851_2023-03-31.csv", HELB_COMMA)
    _write_lines("helbredsdokumentation_0851_2023-06-30.csv", HELB_POINT)
    _write_lines("rehabiliteringssager_0851_2023-03-31.csv", REHAB)
    _write_lines("sygedagpengesager_0851_2023-03-31.csv", SYG_DUPLICATE)
    _parquet_nested()
    _xlsx_formula()


if __name__ == "__main__":
    main()
