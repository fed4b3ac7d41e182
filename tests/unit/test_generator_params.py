"""Effect parameters, snapshot dates and the `trialwh generate` command."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from synthetic.params import (
    DEFAULT_EFFECTS,
    expected_lae285_waiver_share,
    resolve_effects,
    snapshot_dates,
)
from trialwh.cli import app


def test_snapshot_dates_are_consecutive_month_ends():
    assert snapshot_dates(3) == [date(2022, 10, 31), date(2022, 11, 30), date(2022, 12, 31)]
    assert snapshot_dates(2) == [date(2022, 11, 30), date(2022, 12, 31)]
    assert snapshot_dates(14)[0] == date(2021, 11, 30)
    with pytest.raises(ValueError):
        snapshot_dates(0)


def test_effects_defaults_overrides_and_placebo():
    assert resolve_effects(None) == DEFAULT_EFFECTS
    assert resolve_effects({"foerste_opfoelgning_dage": -10})["foerste_opfoelgning_dage"] == -10.0
    placebo = resolve_effects({"placebo": True, "lae285_fravalg_indlagt": 0.9})
    assert all(v == 0.0 for k, v in placebo.items() if k != "placebo")
    with pytest.raises(ValueError, match="unknown effect"):
        resolve_effects({"lae285_share": 0.5})
    with pytest.raises(ValueError, match="share"):
        resolve_effects({"rehab_fritagelse_andel": 1.5})


def test_expected_waiver_share_by_hand():
    # Everyone waived -> 1; nobody -> 0; only the no-employer rule at 1.0 -> P(no hospital)
    # x P(no employer) = (1 - .207335) x .35 = .27743 (hospital share computed in
    # test_generator_effects.py).
    everyone = {k: 1.0 for k in DEFAULT_EFFECTS if k.startswith("lae285_fravalg")}
    assert expected_lae285_waiver_share(everyone) == pytest.approx(1.0)
    nobody = {k: 0.0 for k in everyone}
    assert expected_lae285_waiver_share(nobody) == 0.0
    only_no_employer = dict(nobody, lae285_fravalg_ingen_arbejdsgiver=1.0)
    assert expected_lae285_waiver_share(only_no_employer) == pytest.approx(0.27743, abs=1e-4)


def test_generate_command_writes_files_and_truth(tmp_path):
    out = tmp_path / "extracts"
    result = CliRunner().invoke(
        app,
        [
            "--home",
            str(tmp_path / "home"),
            "generate",
            "--out",
            str(out),
            "--seed",
            "9",
            "--no-mess",
            "--snapshots",
            "1",
            "--effect",
            "lae285_fravalg_ukompliceret=0.5",
            "--no-progress",
        ],
    )
    assert result.exit_code == 0, result.output
    assert str(out / "truth.json") in result.output
    # Waiver share with ukompliceret = 0.5, by hand: otherwise-branch .35 x .70 + .65 x
    # (.5 x .5 + .5 x .03) = .41725; .207335 x .85 + .792665 x .41725 = .50697.
    assert "LÆ285 fravalgt i 50,7 %" in result.output
    truth = json.loads((out / "truth.json").read_text("utf-8"))
    assert truth["seed"] == 9 and truth["mess"] is False
    assert truth["snapshots"] == ["2022-12-31"]
    assert truth["effects"]["lae285_fravalg_ukompliceret"] == 0.5
    assert len(list(out.glob("sygedagpengesager_*.csv"))) == 17


def test_generate_command_rejects_bad_effects(tmp_path):
    runner = CliRunner()
    home = ["--home", str(tmp_path / "home")]
    bad_key = runner.invoke(
        app, [*home, "generate", "--out", str(tmp_path), "--effect", "nonsense=1", "--no-progress"]
    )
    assert bad_key.exit_code == 2
    bad_form = runner.invoke(
        app, [*home, "generate", "--out", str(tmp_path), "--effect", "lae285_fravalg_indlagt"]
    )
    assert bad_form.exit_code == 2
