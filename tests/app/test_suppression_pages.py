"""No hidden cell of a manager's page or download can be worked out from what it shows.

On the real small pipeline (seed 42), every page is opened as a manager and as an
evaluator with the same filters; the downloads of every table (what ``prepare`` hands to
the CSV/Excel buttons: the same cells as the screen, unrounded) are captured. The
onlooker of ``tests/app/attack.py`` learns each table's additive relations, ratios,
multiples and totals from the evaluator's tables and bounds every hidden count of the
manager's tables by linear programming. The screen hides exactly the cells the download
leaves empty.
"""

from __future__ import annotations

import shutil

import polars as pl
import pytest

from core.paths import Home
from core.vocabulary import tema_koder
from dashboards import tables
from dashboards.auth import hash_password
from evaluation.suppression import HIDDEN
from tests.app.attack import attack, equations, learn
from tests.app.conftest import PAGES, PASSWORDS, login

pytestmark = pytest.mark.slow

# Every page a manager sees (the SQL page is not offered; Datakvalitet shows managers
# no person counts), with the default filters, and the pages whose tables depend on the
# theme once per theme; the Kommune page for Læsø, the smallest municipality.
RUNS = [(page, {}) for page in PAGES if page not in ("sql", "datakvalitet")]
RUNS += [
    (page, {"tema": tema})
    for page in ("overblik", "retssikkerhed_ressourcer", "rehabilitering")
    for tema in tema_koder()
]
# Øvrige forsøg chooses its trial with its own parameter.
RUNS += [
    ("oevrige_forsoeg", {"forsoeg": t})
    for t in ("psykologbehandling", "uddannelsespaalaeg_fritagelse")
]
RUNS += [("kommune", {"kommune": "825"}), ("kommune", {"kommune": "840"})]
RUNS += [("beskaeftigelse", {"kommune": "825"})]


@pytest.fixture(scope="module")
def both_roles_home(small_pipeline, tmp_path_factory) -> Home:
    home = Home(tmp_path_factory.mktemp("suppression_pages"))
    home.published_dir.mkdir(parents=True)
    shutil.copyfile(Home(small_pipeline.home).published, home.published)
    (home.root / "users.toml").write_text(
        f'[users.mette]\nrole = "manager"\npassword_hash = "{hash_password(PASSWORDS["mette"])}"\n'
        f'\n[users.eva]\nrole = "evaluator"\npassword_hash = "{hash_password(PASSWORDS["eva"])}"\n',
        encoding="utf-8",
    )
    (home.root / "users.toml").chmod(0o600)
    return home


def _page_tables(app_for, home, monkeypatch, user, page, params):
    """(displayed frames, download frames) of every table ``page`` draws for ``user``."""
    drawn: list[tuple[pl.DataFrame, pl.DataFrame]] = []
    original = tables.prepare

    def recording(*args, **kwargs):
        shown, download = original(*args, **kwargs)
        drawn.append((shown, download))
        return shown, download

    monkeypatch.setattr(tables, "prepare", recording)
    at = app_for(home)
    at.default_timeout = 300  # every page's first run on the real marts, on a busy machine
    at.query_params.update(params)
    login(at, user)
    drawn.clear()
    at.switch_page(f"app_pages/{page}.py").run()
    if "forsoeg" in params:  # Øvrige forsøg's own choice of trial
        drawn.clear()
        at.button_group[0].set_value(params["forsoeg"]).run()
    assert not at.exception, [e.value for e in at.exception]
    monkeypatch.setattr(tables, "prepare", original)
    return [s for s, _ in drawn], [d for _, d in drawn]


@pytest.mark.parametrize(
    ("page", "params"),
    RUNS,
    ids=[f"{p}-{'-'.join(f'{k}={v}' for k, v in q.items()) or 'default'}" for p, q in RUNS],
)
def test_no_hidden_cell_can_be_recomputed(app_for, both_roles_home, monkeypatch, page, params):
    shown, manager = _page_tables(app_for, both_roles_home, monkeypatch, "mette", page, params)
    _, evaluator = _page_tables(app_for, both_roles_home, monkeypatch, "eva", page, params)
    assert [m.shape for m in manager] == [e.shape for e in evaluator]
    # The screen shows "·" exactly where the download is empty and the full table is not.
    for screen, down, full in zip(shown, manager, evaluator, strict=True):
        for column in down.columns:
            dots = screen[column] == HIDDEN
            assert down.filter(dots)[column].null_count() == dots.sum(), column
            assert (
                screen.filter(down[column].is_null() & full[column].is_not_null())[column].to_list()
                == [HIDDEN] * (down[column].is_null() & full[column].is_not_null()).sum()
            )
        # Amounts and days are never written as "<5".
        assert not screen.select(pl.any_horizontal(pl.all().str.contains("<"))).to_series().any()
    relations = learn(evaluator)
    known = equations(relations, manager)
    recomputed, n_hidden = attack(manager, evaluator, known)
    assert recomputed == [], (recomputed, known.found)
    # Rates on fewer than 5 cases are hidden.
    for kind, args in relations:
        if kind != "ratio":
            continue
        t, rate, _, denominator, _ = args
        small = evaluator[t][denominator].is_between(1, 4) & evaluator[t][rate].is_not_null()
        assert manager[t].filter(small)[rate].null_count() == small.sum(), (rate, denominator)
    equalities = [f for f in known.found if "≥" not in f]
    print(f"{page} {params}: {len(manager)} tables, {n_hidden} hidden counts, {equalities}")
