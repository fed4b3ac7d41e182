"""One vocabulary: theme codes, deadlines and code lists are declared once and read elsewhere.

- No theme code of seed ``temaer`` is written as a string literal outside ``seeds/`` and
  ``tests/``, except in the documented places where themes genuinely differ: the SQL rules
  (``macros/tema_regler.sql``) and the generator's per-theme rules (named once in
  ``synthetic/params.py``). Both name only themes of the seed.
- The accepted_values lists of the dbt models agree with the code lists of ``ingest/schema.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from core import vocabulary
from ingest.schema import SOURCES
from synthetic import params

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent

# The documented places where a theme code may be spelled (rules that differ per theme).
RULE_PLACES = {Path("macros/tema_regler.sql"), Path("synthetic/params.py")}
PENDING_PRESENTATION: set[Path] = set()
SCANNED_SUFFIXES = {".py", ".sql", ".yml", ".yaml", ".json", ".toml", ".cfg"}
# expectations/ is generated from ingest/schema.py; its "lae285" is the document type LÆ285
# (lower-cased by the suite), not the theme.
SKIPPED_TOP = {
    "seeds", "tests", "expectations", ".venv", ".git", "target", "dbt_packages", "data", "logs"
}  # fmt: skip


def _project_files() -> list[Path]:
    files = []
    for path in PROJECT_DIR.rglob("*"):
        relative = path.relative_to(PROJECT_DIR)
        if relative.parts[0] in SKIPPED_TOP or relative.parts[0].endswith(".egg-info"):
            continue
        if path.is_file() and path.suffix in SCANNED_SUFFIXES:
            files.append(relative)
    return sorted(files)


def _theme_literal_pattern() -> re.Pattern[str]:
    codes = "|".join(re.escape(code) for code in vocabulary.tema_koder())
    return re.compile(rf"""(['"])({codes})\1""")


def _files_with_theme_literals() -> dict[Path, list[str]]:
    pattern = _theme_literal_pattern()
    found: dict[Path, list[str]] = {}
    for relative in _project_files():
        text = (PROJECT_DIR / relative).read_text(encoding="utf-8", errors="replace")
        hits = [match.group(0) for match in pattern.finditer(text)]
        if hits:
            found[relative] = hits
    return found


def test_the_pattern_finds_a_quoted_theme_code_and_nothing_else() -> None:
    pattern = _theme_literal_pattern()
    assert pattern.search("tema = 'lae285'")
    assert pattern.search('in_theme(start, "akut_fravaer")')
    assert not pattern.search("is_i_forsoeg_paa_sagsdato_lae285")
    assert not pattern.search("'lae285_fravalg_indlagt'")


def test_no_theme_code_is_a_literal_outside_seeds_tests_and_the_rule_places() -> None:
    offenders = {
        str(path): hits
        for path, hits in _files_with_theme_literals().items()
        if path not in RULE_PLACES | PENDING_PRESENTATION
    }
    assert offenders == {}, (
        "theme codes written as literals (read them from seed temaer / core.vocabulary, or "
        f"put a per-theme rule in {sorted(map(str, RULE_PLACES))}): {offenders}"
    )


def test_pending_presentation_files_still_need_their_exemption() -> None:
    still_literal = set(_files_with_theme_literals())
    stale = sorted(str(path) for path in PENDING_PRESENTATION - still_literal)
    assert stale == [], f"no theme literal left in {stale}: remove them from PENDING_PRESENTATION"


def test_sql_rules_name_only_declared_themes() -> None:
    text = (PROJECT_DIR / "macros" / "tema_regler.sql").read_text(encoding="utf-8")
    keys = set(re.findall(r"^\s{8}'([a-z0-9_]+)': \{", text, flags=re.MULTILINE))
    assert keys == {"lae285", "rehab_fritagelse", "lae265", "sundhedsfaglig_raadgivning",
                    "akut_fravaer"}  # fmt: skip
    assert keys <= set(vocabulary.tema_koder())


def test_the_target_groups_are_declared_once_in_the_sql_rules() -> None:
    """The exemption from the rehabilitation meeting counts jobafklaring and fleksjob cases
    (indicator andel_rehab_fritaget), LÆ265 concerns ressourceforløb, fleksjob and
    førtidspension cases; each list is its theme's `maalgrupper` in tema_regler and no model
    or other macro spells it again."""
    text = (PROJECT_DIR / "macros" / "tema_regler.sql").read_text(encoding="utf-8")
    declared = re.findall(r"'maalgrupper': \[([^\]]*)\]", text)
    groups = [re.findall(r"'([a-z_]+)'", liste) for liste in declared]
    assert groups == [
        ["jobafklaring", "fleksjob"],
        ["ressourceforloeb", "fleksjob", "foertidspension"],
    ]
    enum = set(SOURCES["rehabiliteringssager"].column("maalgruppe").enum)
    assert all(set(liste) <= enum for liste in groups)
    spellings = [re.compile(r",\s*".join(f"'{g}'" for g in liste)) for liste in groups] + [
        re.compile(r"'fleksjob',\s*'jobafklaring'")
    ]
    spelled = [
        str(path.relative_to(PROJECT_DIR))
        for path in [*PROJECT_DIR.glob("models/**/*.sql"), *PROJECT_DIR.glob("macros/*.sql")]
        if path.name != "tema_regler.sql"
        and any(spelling.search(path.read_text(encoding="utf-8")) for spelling in spellings)
    ]
    assert spelled == []


def test_generator_rules_name_only_declared_themes() -> None:
    assert set(params.SIMULEREDE_TEMAER) <= set(vocabulary.tema_koder())
    assert len(set(params.SIMULEREDE_TEMAER)) == len(params.SIMULEREDE_TEMAER)


def test_generator_theme_windows_follow_the_seed(tmp_path) -> None:
    """A theme added to the seeds gets its window columns in the generator, with no code change."""
    import shutil

    from synthetic.municipalities import in_theme, load_reference, theme_windows

    seeds = tmp_path / "seeds"
    shutil.copytree(PROJECT_DIR / "seeds", seeds)
    with (seeds / "temaer.csv").open("a", encoding="utf-8") as handle:
        handle.write("nyt_tema,99,Nyt tema,New theme,Nyt,New,1,sygedagpenge,,Besk.,Descr.,TEST\n")
    with (seeds / "forsoeg_deltagelse.csv").open("a", encoding="utf-8") as handle:
        handle.write("851,nyt_tema,2019-07-01,,TEST\n")
    ref = load_reference(seeds)
    assert ref.temaer[-1] == "nyt_tema"
    windows = theme_windows(ref, [851, 101])
    import datetime as dt

    import polars as pl

    row = windows.filter(pl.col("kommunekode") == 851).row(0, named=True)
    assert row["nyt_tema_start"] == dt.date(2019, 7, 1)
    flags = windows.with_columns(
        inde=in_theme(pl.lit(dt.date(2019, 6, 30)), "nyt_tema"),
        efter=in_theme(pl.lit(dt.date(2019, 7, 1)), "nyt_tema"),
    ).sort("kommunekode")
    assert flags["inde"].to_list() == [False, False]
    assert flags["efter"].to_list() == [False, True]  # 101 never in it, 851 from 1.7.2019


# --- accepted_values against ingest/schema.py -------------------------------------------

# Staging renames a few source columns.
STAGING_RENAMES = {"kvartal_nr": "kvartal"}


def _accepted_values() -> list[tuple[str, str, str, list]]:
    """(yml file, model, column, values) for every accepted_values test under models/ and seeds/."""
    found = []
    for yml in sorted([*PROJECT_DIR.glob("models/**/*.yml"), PROJECT_DIR / "seeds/_seeds.yml"]):
        doc = yaml.safe_load(yml.read_text(encoding="utf-8")) or {}
        for node in [*doc.get("models", []), *doc.get("seeds", [])]:
            for column in node.get("columns", []):
                for test in column.get("data_tests", []):
                    if isinstance(test, dict) and "accepted_values" in test:
                        spec = test["accepted_values"]
                        values = spec.get("arguments", spec)["values"]
                        found.append((str(yml.relative_to(PROJECT_DIR)), node["name"],
                                      column["name"], values))  # fmt: skip
    return found


def _schema_values(source: str, column: str) -> list | None:
    src = SOURCES[source]
    name = STAGING_RENAMES.get(column, column)
    if name not in src.column_names:
        return None
    spec = src.column(name)
    if spec.enum is not None:
        return list(spec.enum)
    if spec.min_value is not None and spec.max_value is not None and spec.max_value < 100:
        return list(range(spec.min_value, spec.max_value + 1))
    return None


def _enum_columns() -> dict[str, set[str]]:
    enums: dict[str, set[str]] = {}
    for src in SOURCES.values():
        for column in src.columns:
            if column.enum is not None:
                enums.setdefault(column.name, set()).update(column.enum)
    return enums


def test_accepted_values_are_found() -> None:
    models = {model for _, model, _, _ in _accepted_values()}
    assert {"stg_sygedagpengesager__sager", "fct_helbredsdokumenter", "attest_takster"} <= models


@pytest.mark.parametrize(
    ("yml", "model", "column", "values"),
    [case for case in _accepted_values() if case[1].startswith("stg_")],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_staging_accepted_values_equal_the_source_schema(yml, model, column, values) -> None:
    source = model.removeprefix("stg_").split("__")[0]
    expected = _schema_values(source, column)
    assert expected is not None, f"{yml}: {model}.{column} has no code list in ingest/schema.py"
    assert sorted(map(str, values)) == sorted(map(str, expected)), f"{yml}: {model}.{column}"


def test_other_accepted_values_are_within_the_source_code_lists() -> None:
    enums = _enum_columns()
    checked = 0
    for yml, model, column, values in _accepted_values():
        if model.startswith("stg_") or column not in enums:
            continue
        checked += 1
        assert set(map(str, values)) <= enums[column], f"{yml}: {model}.{column}"
    assert checked >= 3  # fct_helbredsdokumenter, mart_attestbesparelse, attest_takster
