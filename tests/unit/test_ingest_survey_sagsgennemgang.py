"""Ingest of the survey and sagsgennemgang sources (contract §1.9, §1.10): good rows load,
bad rows are quarantined with their rule and a Danish reason, CPR never reaches raw."""

from __future__ import annotations

from pathlib import Path

import duckdb

from core.paths import Home
from ingest.load import ingest_paths

SURVEY = """svar_id;respondenttype;cpr;kommunekode;tema;boelge;spoergsmaal;svar;stratum;vaegt
S1;borger;010190-1234;0851;rehab_fritagelse;2019-1;tilfredshed_samlet;5;851-borger;12,5
S2;sagsbehandler;;851;rehab_fritagelse;2019-1;arbejdsgang_vurdering;;851-sagsbehandler;1
S3;borger;;851;rehab_fritagelse;2019-1;tilfredshed_samlet;7;851-borger;12,5
S4;borger;;851;ukendt_tema;2019-1;tilfredshed_samlet;4;851-borger;12,5
S5;politiker;;851;lae285;2019-1;tilfredshed_samlet;4;851-borger;12,5
"""

SAGSGENNEMGANG = """sags_id,kommunekode,tema,vurdering,bemaerkning
RH851-000001,851,rehab_fritagelse,korrekt,
RH851-000002,851,rehab_fritagelse,forkert,Mangler helbredsoplysninger
RH851-000003,851,rehab_fritagelse,maaske,
RH851-000004,851,lae265,korrekt,Borger 010190-1234 kontaktet
"""


def _rows(home: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(Home(home).warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_survey_rows_load_bad_rows_are_quarantined_and_cpr_is_pseudonymised(
    home: Path, tmp_path: Path
):
    path = tmp_path / "survey_0851_2019-06-30.csv"
    path.write_text(SURVEY, encoding="utf-8")
    [result] = ingest_paths(Home(home), [path])
    assert result.status == "loaded"
    assert (result.rows_read, result.rows_loaded) == (5, 2)
    loaded = _rows(
        home,
        "select svar_id, svar, vaegt, person_id is not null from raw.survey order by svar_id",
    )
    # S1: answer 5, Danish decimal comma 12,5, CPR replaced by a pseudonym; S2: blank answer.
    assert [(r[0], r[1], float(r[2]), r[3]) for r in loaded] == [
        ("S1", 5, 12.5, True),
        ("S2", None, 1.0, False),
    ]
    columns = [r[0] for r in _rows(home, "select column_name from (describe raw.survey)")]
    assert "cpr" not in columns
    rules = dict(
        _rows(
            home,
            "select source_row_number, rules from audit.quarantine where source = 'survey'",
        )
    )
    assert rules == {3: ["out_of_range"], 4: ["invalid_enum"], 5: ["invalid_enum"]}
    reasons = " ".join(r[0] for r in _rows(home, "select reason from audit.quarantine"))
    assert "ligger uden for det tilladte 1–5" in reasons
    assert "1234" not in " ".join(
        r[0] for r in _rows(home, "select masked_row from audit.quarantine")
    )


def test_sagsgennemgang_verdicts_load_and_a_cpr_in_the_remark_is_kept_out(
    home: Path, tmp_path: Path
):
    path = tmp_path / "sagsgennemgang_851_2023-03-31.csv"
    path.write_text(SAGSGENNEMGANG, encoding="utf-8")
    [result] = ingest_paths(Home(home), [path])
    assert (result.rows_read, result.rows_loaded) == (4, 2)
    assert _rows(home, "select sags_id, vurdering from raw.sagsgennemgang order by sags_id") == [
        ("RH851-000001", "korrekt"),
        ("RH851-000002", "forkert"),
    ]
    rules = dict(
        _rows(
            home,
            "select source_row_number, rules from audit.quarantine where source = 'sagsgennemgang'",
        )
    )
    assert rules == {3: ["invalid_enum"], 4: ["invalid_value"]}
    masked = " ".join(r[0] for r in _rows(home, "select masked_row from audit.quarantine"))
    assert "010190-1234" not in masked
