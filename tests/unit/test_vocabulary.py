"""The vocabulary seeds read through core.vocabulary: consistent with each other and with the
other seeds, checked against values written out by hand."""

from __future__ import annotations

import csv

import pytest

from core import vocabulary
from core.paths import SEEDS_DIR


def test_themes_in_order_with_their_law_areas() -> None:
    assert vocabulary.tema_koder()[:2] == ("lae285", "rehab_fritagelse")
    assert vocabulary.tema("lae285").lovomraader == ("sygedagpenge",)
    assert vocabulary.tema("rehab_fritagelse").lovomraader == (
        "jobafklaring",
        "fleksjob",
        "seniorfoertidspension",
    )
    assert vocabulary.tema("lae285").navn("en").startswith("Differentiated")


def test_unknown_theme_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="lae285"):
        vocabulary.tema("ukendt")


def test_every_participation_row_names_a_declared_theme() -> None:
    with (SEEDS_DIR / "forsoeg_deltagelse.csv").open(encoding="utf-8") as handle:
        used = {row["tema"] for row in csv.DictReader(handle)}
    assert used <= set(vocabulary.tema_koder())


def test_indicators_point_at_declared_themes_and_lead_their_theme() -> None:
    codes = {i.indikator for i in vocabulary.indikatorer()}
    for tema in vocabulary.temaer():
        assert tema.hovedindikator in codes
    for indikator in vocabulary.indikatorer():
        assert indikator.tema is None or indikator.tema in vocabulary.tema_koder()
        assert (indikator.taeller is None) == (indikator.naevner is None)
    omgoerelse = vocabulary.indikator("omgoerelsesprocent")
    assert omgoerelse.enhed == "procent" and omgoerelse.hoejere_er_bedre is False
    assert vocabulary.indikatorer_for_tema("lae285")[-1].indikator == "omgoerelsesprocent"


@pytest.mark.parametrize(
    ("kode", "dage"),
    [("foerste_opfoelgning", 8 * 7), ("rehab_moede_jobafklaring", 4 * 7), ("lae265_svar", 30)],
)
def test_deadlines_in_days(kode: str, dage: int) -> None:
    assert vocabulary.frist(kode).dage == dage


def test_deadline_days_agree_with_their_stated_length() -> None:
    per_enhed = {"dage": 1, "uger": 7}
    for frist in vocabulary.frister():
        if frist.enhed in per_enhed:
            assert frist.dage == frist.antal * per_enhed[frist.enhed], frist.frist
        else:  # months: within a day of the calendar average
            assert abs(frist.dage - frist.antal * 365.25 / 12) < 1.5, frist.frist
