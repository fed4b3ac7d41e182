"""Row rules on a hand-written sickness-benefit extract: which rows break which rule."""

from __future__ import annotations

from ingest.filenames import parse_file_name
from ingest.load import load_reference
from ingest.normalise import ROW
from ingest.prepare import validation_frame
from ingest.schema import SOURCES
from ingest.validate import FileContext, polars_failures

HEADER = (
    "sags_id;cpr;kommunekode;foerste_fravaersdag;anmeldt_dato;visitationskategori;"
    "forventet_over_8_uger;har_arbejdsgiver;diagnosegruppe;tolk;lae285_fravalgt;"
    "fravalg_begrundelse;foerste_opfoelgning_dato;afsluttet_dato;afslutningsaarsag"
)
ROWS = [
    # 1: reported, followed up and closed the day the absence began: every order holds.
    "A1;0101801234;851;2019-03-04;2019-03-04;2;J;J;psykisk;N;N;;2019-03-04;2019-03-04;raskmeldt",
    # 2: reported the day before the first day of absence.
    "A2;0101801234;851;2019-03-04;2019-03-03;2;J;J;psykisk;N;N;;;;",
    # 3: closed the day before the first day of absence.
    "A3;0101801234;851;2019-03-04;2019-03-05;2;J;J;psykisk;N;N;;;2019-03-03;raskmeldt",
    # 4: LÆ285 waived without a reason.
    "A4;0101801234;851;2019-03-04;2019-03-05;2;J;J;psykisk;N;J;;;;",
    # 5: not waived, no reason needed.
    "A5;0101801234;851;2019-03-04;2019-03-05;2;J;J;psykisk;N;N;;;;",
]


def _failing_rows() -> dict[str, set[str]]:
    name = parse_file_name("sygedagpengesager_0851_2019-06-30.csv")
    data = "\n".join([HEADER, *ROWS]).encode("utf-8")
    frame, _ = validation_frame(data, name, b"k", load_reference())
    failures = polars_failures(
        frame, SOURCES[name.source], FileContext(name.kommunekode, name.extract_date)
    )
    ids = dict(zip(frame[ROW].to_list(), frame["sags_id"].to_list(), strict=True))
    return {check: {ids[r] for r in rows} for check, rows in failures.items() if rows}


def test_date_orders_allow_the_same_day_and_required_reason_when_waived():
    assert _failing_rows() == {
        "date_order:anmeldt_dato": {"A2"},
        "date_order:afsluttet_dato": {"A3"},
        "required_when:fravalg_begrundelse": {"A4"},
    }
