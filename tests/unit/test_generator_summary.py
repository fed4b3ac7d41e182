"""What `trialwh generate` prints, from a hand-made truth record."""

from __future__ import annotations

from pathlib import Path

from synthetic.truth import summary_lines

TRUTH = {
    "scale": "small",
    "seed": 7,
    "files": [
        {"source": "sygedagpengesager", "rows": 1200},
        {"source": "sygedagpengesager", "rows": 34},
        {"source": "ankestatistik", "rows": 5},
    ],
    "corrupted_rows": [{}, {}],
    "bad_files": [],
    "effects": {
        "placebo": False,
        "foerste_opfoelgning_dage": -5.0,
        "rehab_fritagelse_andel": 0.3,
        "lae265_fravalg_andel": 0.35,
    },
    "expected": {"lae285_forventet_fravalgsandel_i_tema": 0.416809},
}


def test_summary_counts_rows_per_source_in_danish_format():
    lines = summary_lines(TRUTH, Path("/x"), 2.25)  # rounded half up: 2,3
    assert lines[0] == "Skrev 3 filer (1.239 rækker) til /x på 2,3 s (skala small, seed 7)."
    assert lines[1:4] == [
        "  sygedagpengesager: 1.234 rækker",
        "  ankestatistik: 5 rækker",
        "  rækker med fejl (til karantæne): 2",
    ]
    assert lines[4] == (
        "Plantet: LÆ285 fravalgt i 41,7 % af de omfattede sager i temaet, første opfølgning "
        "-5 dage, rehab-fritagelse 30,0 %, LÆ265 fravalgt 35,0 %."
    )
    assert lines[-1] == "Facit (plantede effekter, fejlrækker): /x/truth.json"


def test_placebo_says_nothing_was_planted():
    placebo = {**TRUTH, "effects": {**TRUTH["effects"], "placebo": True}}
    assert "Placebo: ingen plantet forsøgseffekt." in summary_lines(placebo, Path("/x"), 1.0)
