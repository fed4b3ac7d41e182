"""Sources psykologforloeb and uddannelsespaalaeg: bad rows quarantined with clear Danish
reasons, Great Expectations and the polars masks agree on them."""

from __future__ import annotations

import pytest

from ingest.filenames import parse_file_name
from ingest.load import load_reference
from ingest.prepare import validation_frame
from ingest.schema import SOURCES
from ingest.validate import FileContext, polars_failures, run_gx_suite, validate

# Synthetic-looking CPR numbers (valid dates, failing modulus 11, as synthetic.cpr makes them).
CPR = ("120385-1236", "030490-2344", "250777-3453", "141288-4567", "090995-1113")

PSYKOLOG = (
    "forloeb_id;cpr;kommunekode;sags_id;henvist_dato;diagnose;antal_sessioner;udgift_kr;"
    "afsluttet_dato;screening_instrument;score_foer;score_efter\n"
    f"P1;{CPR[0]};849;SD849-1;01-02-2019;F43;8;8.000,00;01-06-2019;PSS;24;18\n"
    f"P2;{CPR[1]};849;SD849-2;01-02-2019;F32;14;14.000,00;01-08-2019;BDI;30;22\n"
    f"P3;{CPR[2]};849;SD849-3;01-02-2019;F99;6;6.000,00;01-05-2019;BDI;30;22\n"
    f"P4;{CPR[3]};849;SD849-4;01-02-2019;F41;6;6.000,00;01-05-2019;BAI;;15\n"
    f"P5;{CPR[4]};849;SD849-5;01-02-2019;f33;12;12.000,00;;bdi;31;\n"
)

UDDANNELSE = (
    "sags_id,cpr,kommunekode,fritaget_dato,begrundelse,ophoert_dato,ophoer_aarsag\n"
    f"U1,{CPR[0]},851,2018-03-01,kan_ikke_gennemfoere_uddannelse,2020-09-01,paabegyndt_uddannelse\n"
    f"U2,{CPR[1]},851,2018-03-01,egu_ikke_realistisk,2019-01-01,\n"
    f"U3,{CPR[2]},851,2018-03-01,andet,,\n"
)


def _validated(file_name: str, text: str):
    name = parse_file_name(file_name)
    frame, _ = validation_frame(text.encode("utf-8"), name, b"k", load_reference())
    ctx = FileContext(name.kommunekode, name.extract_date)
    return frame, ctx, validate(frame, SOURCES[name.source], ctx)


def test_psykologforloeb_bad_rows_are_quarantined_with_danish_reasons():
    _, _, result = _validated("psykologforloeb_0849_2022-12-31.csv", PSYKOLOG)
    assert result.accepted["forloeb_id"].to_list() == ["P1", "P5"]
    # Enum spelling is made canonical: f33/bdi load as F33/BDI.
    assert result.accepted["diagnose"].to_list() == ["F43", "F33"]
    assert result.accepted["screening_instrument"].to_list() == ["PSS", "BDI"]
    rejected = {r["forloeb_id"]: r for r in result.rejected.to_dicts()}
    assert set(rejected) == {"P2", "P3", "P4"}
    assert rejected["P2"]["rules"] == ["out_of_range"]
    assert "'antal_sessioner' = 14 ligger uden for det tilladte 0–12" in rejected["P2"]["reason"]
    assert rejected["P3"]["rules"] == ["invalid_enum"]
    assert "'diagnose' har en ukendt værdi 'f99'" in rejected["P3"]["reason"]
    assert rejected["P4"]["rules"] == ["required_when"]
    assert rejected["P4"]["reason"] == (
        "der er en score efter forløbet, men ingen score før (ændringen kan ikke beregnes)"
    )
    # No CPR number in what is kept about the rejected rows.
    assert not any(c in str(result.rejected.to_dicts()) for c in CPR)


def test_uddannelsespaalaeg_ended_exemption_without_reason_is_quarantined():
    _, _, result = _validated("uddannelsespaalaeg_0851_2022-12-31.csv", UDDANNELSE)
    assert result.accepted["sags_id"].to_list() == ["U1", "U3"]
    (row,) = result.rejected.to_dicts()
    assert row["sags_id"] == "U2"
    assert row["rules"] == ["required_when"]
    assert row["reason"] == "fritagelsen er ophørt, men årsagen mangler"


@pytest.mark.parametrize(
    ("file_name", "text"),
    [
        ("psykologforloeb_0849_2022-12-31.csv", PSYKOLOG),
        ("uddannelsespaalaeg_0851_2022-12-31.csv", UDDANNELSE),
    ],
)
def test_great_expectations_suite_flags_the_same_rows(file_name, text):
    frame, ctx, _ = _validated(file_name, text)
    source = SOURCES[parse_file_name(file_name).source]
    by_gx = run_gx_suite(frame, source, ctx)
    assert by_gx == polars_failures(frame, source, ctx)
    assert any(by_gx.values())
