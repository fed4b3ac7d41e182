"""Every unit of the vocabulary has its display words, declared once in core.forskel."""

from __future__ import annotations

from core import vocabulary
from core.forskel import AKSE_TITLER, ENHEDER, med_enhed
from dashboards.charts import unit_title


def test_every_unit_in_the_seed_has_words_and_an_axis_title():
    # "uger" and "antal" had none: an axis read the code "uger" in English mode.
    used = {i.enhed for i in vocabulary.indikatorer()}
    assert used <= set(ENHEDER) and used <= set(AKSE_TITLER), used - set(ENHEDER)
    assert unit_title("uger", "en") == "Weeks" and unit_title("uger", "da") == "Uger"
    assert unit_title("antal", "en") == "Number"


def test_a_difference_with_and_without_a_unit_word():
    assert med_enhed("4,2", "andel", "da") == "4,2 procentpoint"
    assert med_enhed("4.2", "uger", "en") == "4.2 weeks"
    assert med_enhed("3,0", "antal", "da") == "3,0"
