"""The column tests of the dbt YAML (``not_null``, ``unique``, ``accepted_values``) run set
based: one query per relation checks all of its column tests at once, instead of one dbt
node (and one query) per test.

They stay declared in the YAML, one per column, as dbt documents them, and a plain
``dbt build`` still runs them one by one. ``trialwh build`` leaves them out of dbt
(``DBT_EXCLUDE``) and runs every one of them here, from the manifest of the same build,
with dbt's own meaning:

- ``not_null``: no row where the column is null;
- ``unique``: no non-null value occurring more than once (``count(col) - count(distinct
  col)`` is 0, as dbt's ``group by ... having count(*) > 1`` over the non-null values);
- ``accepted_values``: no non-null value outside the list (``col not in (...)``, values
  quoted unless ``quote: false``).

A test's ``where`` config filters its relation as in dbt; ``severity: warn`` makes a
failure a warning. A test with any other non-default config (``limit``, ``fail_calc``,
``warn_if``, ``error_if``) is not rewritten: it fails the build with a message saying so,
so no check is ever lost silently.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

SET_TESTS: tuple[str, ...] = ("not_null", "unique", "accepted_values")
# dbt selection arguments that leave these tests out of `dbt build`.
DBT_EXCLUDE: tuple[str, ...] = ("--exclude", *(f"test_name:{name}" for name in SET_TESTS))

_DEFAULTS = {"fail_calc": "count(*)", "warn_if": "!= 0", "error_if": "!= 0", "limit": None}


@dataclass(frozen=True)
class SetTest:
    unique_id: str
    kind: str  # not_null, unique, accepted_values
    relation: str  # quoted schema.table
    column: str
    where: str | None
    severity: str  # error or warn
    values: tuple[str, ...] = ()
    quote: bool = True

    def failing(self) -> str:
        """SQL counting what fails this test in its relation (0 = pass)."""
        if self.kind == "not_null":
            return f"count(*) filter (where {self.column} is null)"
        if self.kind == "unique":
            return f"count({self.column}) - count(distinct {self.column})"
        listed = ", ".join(_sql_value(v, self.quote) for v in self.values)
        return f"count(*) filter (where {self.column} not in ({listed}))"

    def message(self, n: int) -> str:
        where = f" (where {self.where})" if self.where else ""
        if self.kind == "not_null":
            what = f"{n} rækker med tom {self.column}"
        elif self.kind == "unique":
            what = f"{n} rækker med en {self.column}, der allerede findes (ikke unik)"
        else:
            allowed = ", ".join(self.values)
            what = f"{n} rækker med {self.column} uden for de tilladte værdier ({allowed})"
        return f"{self.unique_id}: fail {self.relation}{where}: {what}"


@dataclass(frozen=True)
class SetTestResult:
    passed: int
    failures: list[str] = field(default_factory=list)  # "<test>: fail <relation>: <what>"
    warnings: list[str] = field(default_factory=list)
    skipped: int = 0  # left out (``skip``): they read nothing that changed


def _sql_value(value: object, quote: bool) -> str:
    if not quote:
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def read_set_tests(manifest: Path) -> tuple[list[SetTest], list[str]]:
    """The set-based tests of the manifest, and a failure per test that cannot be rewritten."""
    data = json.loads(manifest.read_text(encoding="utf-8"))
    relations: dict[str, str] = {}
    for uid, node in [*data["nodes"].items(), *data.get("sources", {}).items()]:
        name = node.get("identifier") or node.get("alias") or node.get("name")
        if node.get("schema") and name:
            relations[uid] = f'"{node["schema"]}"."{name}"'
    tests: list[SetTest] = []
    unsupported: list[str] = []
    for uid, node in sorted(data["nodes"].items()):
        metadata = node.get("test_metadata") or {}
        if node["resource_type"] != "test" or metadata.get("name") not in SET_TESTS:
            continue
        if metadata.get("namespace"):
            unsupported.append(f"{uid}: a test from package {metadata['namespace']}")
            continue
        config = node.get("config", {})
        odd = [k for k, default in _DEFAULTS.items() if config.get(k, default) != default]
        parents = node["depends_on"]["nodes"]
        if odd or len(parents) != 1 or parents[0] not in relations:
            reason = f"config {', '.join(odd)}" if odd else f"parents {parents}"
            unsupported.append(
                f"{uid}: error {reason} is not supported by the set-based column tests "
                "(trialwh/set_tests.py); declare it as another test"
            )
            continue
        kwargs = metadata.get("kwargs", {})
        tests.append(
            SetTest(
                unique_id=uid,
                kind=metadata["name"],
                relation=relations[parents[0]],
                column=kwargs.get("column_name") or node["column_name"],
                where=config.get("where"),
                severity=str(config.get("severity", "error")).lower(),
                values=tuple(str(v) for v in kwargs.get("values", ())),
                quote=bool(kwargs.get("quote", True)),
            )
        )
    return tests, unsupported


def run_set_tests(
    con: duckdb.DuckDBPyConnection, manifest: Path, *, skip: frozenset[str] = frozenset()
) -> SetTestResult:
    """Run every set-based test of ``manifest`` but those in ``skip`` (unique ids; counted
    as ``skipped``): one query per relation (and ``where``). No manifest (dbt writes one in
    every build that parses the project): no tests."""
    if not manifest.exists():
        return SetTestResult(passed=0)
    tests, unsupported = read_set_tests(manifest)
    groups: dict[tuple[str, str | None], list[SetTest]] = defaultdict(list)
    skipped = 0
    for test in tests:
        if test.unique_id in skip:
            skipped += 1
            continue
        groups[(test.relation, test.where)].append(test)
    failures = list(unsupported)
    warnings: list[str] = []
    passed = 0
    for (relation, where), group in sorted(groups.items(), key=lambda kv: str(kv[0])):
        counts = ",\n    ".join(f"{t.failing()} as t{i}" for i, t in enumerate(group))
        filtered = f"(select * from {relation} where {where})" if where else relation
        try:
            row = con.execute(f"select\n    {counts}\nfrom {filtered}").fetchone()
        except duckdb.Error as error:
            failures += [f"{t.unique_id}: error {error}" for t in group]
            continue
        for test, n in zip(group, row, strict=True):
            if not n:
                passed += 1
            elif test.severity == "warn":
                warnings.append(test.message(n))
            else:
                failures.append(test.message(n))
    return SetTestResult(passed=passed, failures=failures, warnings=warnings, skipped=skipped)


@dataclass(frozen=True)
class CompiledTest:
    unique_id: str
    sql: str  # the test's compiled SQL: its failing rows
    severity: str  # error or warn


def read_compiled_tests(manifest: Path) -> tuple[list[CompiledTest], list[str]]:
    """The data tests of ``manifest`` (other than the set-based column tests) that can run
    from their compiled SQL as dbt runs them: default ``fail_calc``, ``warn_if``,
    ``error_if``, no ``limit`` and no stored failures. Returns those, and the names of the
    others (which dbt must run)."""
    if not manifest.exists():
        return [], []
    data = json.loads(manifest.read_text(encoding="utf-8"))
    direct: list[CompiledTest] = []
    in_dbt: list[str] = []
    for uid, node in sorted(data["nodes"].items()):
        if node["resource_type"] != "test":
            continue
        if (node.get("test_metadata") or {}).get("name") in SET_TESTS:
            continue
        config = node.get("config", {})
        odd = [k for k, default in _DEFAULTS.items() if config.get(k, default) != default]
        if odd or config.get("store_failures") or not node.get("compiled_code"):
            in_dbt.append(node["name"])
            continue
        direct.append(
            CompiledTest(
                unique_id=uid,
                sql=node["compiled_code"],
                severity=str(config.get("severity", "error")).lower(),
            )
        )
    return direct, in_dbt


def run_compiled_tests(
    con: duckdb.DuckDBPyConnection,
    tests: list[CompiledTest],
    *,
    skip: frozenset[str] = frozenset(),
) -> SetTestResult:
    """Run data tests from their compiled SQL in one connection, with dbt's meaning: a test
    fails (or warns, with ``severity: warn``) when its query returns any row. Tests in
    ``skip`` (unique ids) do not run; they are counted as ``skipped``."""
    failures: list[str] = []
    warnings: list[str] = []
    passed = 0
    run = [test for test in tests if test.unique_id not in skip]
    skipped = len(tests) - len(run)
    for test in run:
        try:
            (n,) = con.execute(
                f"select count(*) from (\n{test.sql}\n) as dbt_internal_test"
            ).fetchone()
        except duckdb.Error as error:
            failures.append(f"{test.unique_id}: error {error}")
            continue
        if not n:
            passed += 1
        elif test.severity == "warn":
            warnings.append(f"{test.unique_id}: warn {n} rækker fejler testen")
        else:
            failures.append(f"{test.unique_id}: fail {n} rækker fejler testen")
    return SetTestResult(passed=passed, failures=failures, warnings=warnings, skipped=skipped)
