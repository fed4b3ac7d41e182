"""The dashboard and the report read themes from the vocabulary: no theme code is spelled as
a literal in their code or templates (a new theme is a row in seeds/temaer.csv)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from core import vocabulary
from dashboards import i18n

ROOT = Path(__file__).resolve().parents[2]
FRONT_ENDS = ("dashboards", "report")


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def _theme_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string constant that is a theme code or names one as a word
    (e.g. ``"tema = 'lae285'"``); column names such as ``andel_lae285_fravalgt`` are not
    theme codes."""
    codes = vocabulary.tema_koder()
    words = re.compile(r"(?<![\w])(" + "|".join(map(re.escape, codes)) + r")(?![\w])")
    return [(line, text) for line, text in _strings(ast.parse(source)) if words.search(text)]


def test_the_check_finds_a_literal():
    code = vocabulary.tema_koder()[0]
    assert _theme_literals(f'DEFAULT = "{code}"\n') == [(1, code)]
    assert _theme_literals(f"SQL = \"where tema = '{code}'\"\n")
    assert _theme_literals(f'COLUMN = "andel_{code}_x"\n') == []


@pytest.mark.parametrize(
    "path",
    sorted(p for name in FRONT_ENDS for p in (ROOT / name).rglob("*.py")),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_no_theme_code_in_front_end_code(path: Path):
    assert _theme_literals(path.read_text(encoding="utf-8")) == []


def test_no_theme_code_in_report_templates():
    codes = vocabulary.tema_koder()
    words = re.compile(r"(?<![\w])(" + "|".join(map(re.escape, codes)) + r")(?![\w])")
    for template in (ROOT / "report" / "templates").glob("*"):
        assert not words.search(template.read_text(encoding="utf-8")), template.name


def test_theme_labels_come_from_the_vocabulary():
    assert set(i18n.TEMAER) == set(vocabulary.tema_koder())
    for tema in vocabulary.temaer():
        assert i18n.label(i18n.TEMAER, tema.tema, "da") == tema.kortnavn_da
        assert i18n.label(i18n.TEMAER, tema.tema, "en") == tema.kortnavn_en


def test_every_case_code_has_words():
    from ingest import schema

    for codes, table in (
        (schema.MAALGRUPPER, i18n.MAALGRUPPER),
        (schema.FRAVALG_BEGRUNDELSER, i18n.BEGRUNDELSER),
        (schema.FRITAGELSE_BEGRUNDELSER, i18n.BEGRUNDELSER),
        (schema.SUNDHEDSFAGLIGE_RAADGIVERE, i18n.RAADGIVERE),
    ):
        missing = [code for code in codes if code not in table]
        assert missing == []
