"""Write the bad-file corpus (run once; the files are committed beside this script).

Each file exercises one kind of mess; ``expected_files.csv`` and ``expected_rows.csv``
state by hand what ingest must do with it. CPR numbers here are made up.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import xlsxwriter

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"

SYG_HEADER = (
    "sags_id;cpr;kommunekode;foerste_fravaersdag;anmeldt_dato;visitationskategori;"
    "forventet_over_8_uger;har_arbejdsgiver;diagnosegruppe;tolk;lae285_fravalgt;"
    "fravalg_begrundelse;foerste_opfoelgning_dato;afsluttet_dato;afslutningsaarsag"
)
SYG_ROWS = [
    "S001;010180-1234;0851;01-02-2019;05.02.2019;2;J;Ja;psykisk;N;N;;2019-03-01;;",
    "S002;0202851234;851;2019-03-04;2019-03-04;3;Ja;Nej;Bevaegeapparat;0;J;indlagt;;2019-06-30;raskmeldt",
    ";030390-1111;851;01-01-2020;02-01-2020;1;N;J;andet;N;N;;;;",
    "S004;040490-2222;851;31-02-2020;01-03-2020;1;N;J;andet;N;N;;;;",
    "S005;050590-3333;851;01-01-2020;02-01-2020;1;måske;J;andet;N;N;;;;",
    "S006;060690-4444;851;01-01-2020;02-01-2020;1;N;J;influenza;N;N;;;;",
    "S007;070790-5555;851;01-01-2020;02-01-2020;7;N;J;andet;N;N;;;;",
    "S008;080890-6666;851;10-01-2020;02-01-2020;1;N;J;andet;N;N;;;;",
    "S009;090990-7777;851;01-01-2020;02-01-2020;2;J;J;andet;N;J;;;;",
    "S010;101090-8888;851;01-01-2020;02-01-2020;1;N;J;andet;N;N;;;;",
    "S010;111190-9999;851;01-01-2020;02-01-2020;1;N;J;andet;N;N;;;;",
    "S012;121290-1212;0860;01-01-2020;02-01-2020;1;N;J;andet;N;N;;;;",
    "S013;1234;851;01-01-2020;02-01-2020;1;N;J;andet;N;N;;;;",
    "S014;141290-1414;851;01-01-2020;02-01-2020;1;N;J;andet;N;N;;;2023-05-01;raskmeldt",
    "S015;;851;01-01-2020;02-01-2020;1;N;J;andet;N;N;;;;",
    "S016;150575-0001;851;01-01-2020; 02-01-2020 ;  1 ;J;J;ANDET;n;n;;;;",
    "S017;310299-1234;851;01-01-2020;02-01-2020;1;N;J;andet;N;N;;;;",
]

HELB = [
    "dokument_id,sags_id,sagstype,kommunekode,dokumenttype,udsteder,rekvireret_dato,"
    "modtaget_dato,honorar_kr,tolk,bemærkning",
    'D1,S001,sygedagpenge,0851,LAE285,egen_laege,01-02-2019,15-02-2019,"1.140,00",N,særlig',
    'D2,S002,sygedagpenge,851,lae285,sygehus,01.03.2019,10.03.2019,"1.290,50",J,',
    'D3,S003,rehabilitering,851,LAE265,egen_laege,2019-05-10,2019-05-01,"1.639,00",N,',
    "D4,S004,sygedagpenge,851,LAE285,egen_laege,2019-05-10,,abc,N,",
    "D5,S005,sygedagpenge,851,LAE999,egen_laege,2019-05-10,,,N,",
    'D6,S006,sygedagpenge,851,LAE285,,2019-05-10,,"",,Ærø',
]

REHAB = [
    " SAGS_ID ; CPR;KommuneKode;Maalgruppe;STARTDATO;fritaget_rehabmoede;"
    "fritagelse_begrundelse;lae265_fravalgt;sundhedsfaglig_raadgiver;moede_dato;"
    "moede_akut_fravaer;indstilling_dato;afgoerelse_dato;afgoerelse;fleksjob_timer",
    "R1;010180-1234;851;jobafklaring;01-01-2019;J;plan_ivaerksat;N;klinisk_funktion;;N;;"
    "15-01-2019;jobafklaring;",
    "R2;020280-2345;851;fleksjob;01-01-2019;N;;J;anden;10-01-2019;N;12-01-2019;20-01-2019;"
    "fleksjob;12,5",
    "R3;030380-3456;851;ressourceforloeb;01-01-2019;Ja;;N;;;;;;;",
    "R4;040480-4567;851;fleksjob;01-06-2019;N;;N;;01-05-2019;;;;;",
    "R5;050580-5678;851;fleksjob;01-06-2019;N;;N;;;;;2023-01-10;fleksjob;",
    "R6;060680-6789;851;pension;01-06-2019;N;;N;;;;;;;",
]

ANKESTAT = [
    "aar,kvartal,kommune,lovomraade,afgoerelsestype,antal",
    "2022,4,Aalborg,sygedagpenge,stadfaestet,12",
    "2022,4,Københavns,sygedagpenge,hjemvist,7",
    "2022,4,Vesthimmerlands Kommune,fleksjob,aendret,3",
    "2022,4, bornholms regionskommune ,fleksjob,aendret,1",
    "2022,4,Atlantis,sygedagpenge,stadfaestet,2",
    "2022,5,Aalborg,sygedagpenge,hjemvist,1",
    "2022,4,Aalborg,sygedagpenge,stadfaestet,13",
    "2022,4,Aalborg,fleksjob,stadfaestet,1.234",
]

ANKE_HEADER = "anke_id;kommunekode;sags_id;lovomraade;modtaget_dato;afgoerelse_dato;afgoerelsestype"


def write_text(name: str, lines: list[str], encoding: str = "utf-8", end: str = "\n") -> None:
    (FILES / name).write_bytes((end.join(lines) + end).encode(encoding))


def main() -> None:
    FILES.mkdir(exist_ok=True)
    for old in FILES.iterdir():
        old.unlink()
    # Loaded, with row errors of every kind.
    write_text("sygedagpengesager_0851_2022-12-31.csv", [SYG_HEADER, *SYG_ROWS])
    write_text("helbredsdokumentation_0851_2022-12-31.csv", HELB, encoding="cp1252", end="\r\n")
    write_text("rehabiliteringssager_851_2022-12-31.csv", REHAB, encoding="utf-8-sig")
    write_text("ankestatistik_2023-01-15.csv", ANKESTAT)
    write_text(
        "ankesager_0851_2019-12-31.csv",
        [
            ANKE_HEADER,
            "A1;851;S1;sygedagpenge;2019-13-01;;stadfaestet",
            "A2;851;S2;ukendt;2019-01-01;;stadfaestet",
        ],
    )
    write_text(
        "ankesager_0851_2018-12-31.csv",
        [
            ANKE_HEADER,
            "A20;851;010180-1234;sygedagpenge;2018-01-05;;stadfaestet",  # CPR as case id
            "A21;851;S21;sygedagpenge;2018-02-05;2018-03-01;stadfaestet",
            "A22;851;0101801234;sygedagpenge;2018-02-06;;stadfaestet",  # bare CPR as case id
        ],
    )
    workbook = xlsxwriter.Workbook(FILES / "ankesager_0851_2022-12-31.xlsx")
    sheet = workbook.add_worksheet("udtraek")
    date_format = workbook.add_format({"num_format": "dd-mm-yyyy"})
    sheet.write_row(0, 0, ANKE_HEADER.split(";"))
    sheet.write_row(1, 0, ["A10", 851, "S001", "sygedagpenge"])
    sheet.write_datetime(1, 4, dt.datetime(2020, 1, 5), date_format)
    sheet.write_datetime(1, 5, dt.datetime(2020, 3, 1), date_format)
    sheet.write(1, 6, "stadfaestet")
    sheet.write_row(2, 0, ["A11", 851, "", "fleksjob"])
    sheet.write_datetime(2, 4, dt.datetime(2020, 2, 1), date_format)
    sheet.write_datetime(2, 5, dt.datetime(2020, 1, 1), date_format)
    sheet.write(2, 6, "aendret")
    sheet.write_row(3, 0, ["A12", "0851", "S003", "andet", "05-03-2020"])
    workbook.add_worksheet("andet_ark").write(0, 0, "ignoreres")
    workbook.close()
    pl.DataFrame(
        {
            "sags_id": ["P1", "P2"],
            "cpr": ["010180-1234", "0202802345"],
            "kommunekode": [851, 851],
            "maalgruppe": ["fleksjob", "jobafklaring"],
            "startdato": [dt.date(2020, 1, 1), dt.date(2020, 1, 1)],
            "fritaget_rehabmoede": [False, True],
            "fritagelse_begrundelse": [None, None],
            "lae265_fravalgt": [True, False],
            "sundhedsfaglig_raadgiver": ["klinisk_funktion", None],
            "moede_dato": [dt.date(2020, 2, 1), None],
            "moede_akut_fravaer": [False, None],
            "indstilling_dato": [dt.date(2020, 2, 5), None],
            "afgoerelse_dato": [dt.date(2020, 3, 1), None],
            "afgoerelse": ["fleksjob", None],
            "fleksjob_timer": [15.5, None],
        },
        schema_overrides={"fritagelse_begrundelse": pl.String},
    ).write_parquet(FILES / "rehabiliteringssager_0851_2020-12-31.parquet")
    # Rejected whole.
    write_text(
        "sygedagpengesager_0851_2021-12-31.csv",
        [
            SYG_HEADER.replace("visitationskategori;", ""),
            "S001;010180-1234;851;01-02-2019;05-02-2019;J;J;psykisk;N;N;;;;",
        ],
    )
    write_text("sygedagpengesager_0860_2022-12-31.csv", [SYG_HEADER, SYG_ROWS[0], SYG_ROWS[1]])
    write_text("sygedagpengesager_0999_2022-12-31.csv", [SYG_HEADER, SYG_ROWS[0]])
    (FILES / "ankesager_0851_2021-06-30.csv").write_bytes(b"")
    write_text("ankesager_0851_2021-03-31.csv", [ANKE_HEADER])
    (FILES / "helbredsdokumentation_0851_2021-12-31.csv").write_bytes(
        (HELB[0] + "\n" + HELB[1] + "\n" + "D2,S002,sygedagpenge,851,LAE2").encode("utf-8")
    )
    write_text(
        "rehabiliteringssager_0851_2021-12-31.csv",
        [REHAB[0], REHAB[1], REHAB[2] + ";ekstra;felter"],
    )
    write_text("sygedagpenge_0851_2022-12-31.csv", [SYG_HEADER, SYG_ROWS[0]])
    write_text("sygedagpengesager_851_31-12-2022.csv", [SYG_HEADER, SYG_ROWS[0]])
    (FILES / "ankesager_0851_2020-12-31.parquet").write_bytes(b"this is not a parquet file\n")


if __name__ == "__main__":
    main()
