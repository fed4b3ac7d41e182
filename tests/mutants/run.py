"""The mutation check: plant each realistic bug of ``manifest.toml`` in a copy of the project
and run the tests that must catch it.

    .venv/bin/python -m tests.mutants.run            # every mutant (``make mutants``)
    .venv/bin/python -m tests.mutants.run NAME ...   # only these

Steps:
1. Copy the project's files (``git ls-files``: tracked and new, not ignored) to a temporary
   folder. Tests run there with the repository's ``.venv`` interpreter, ``PYTHONPATH`` and
   ``TRIALWH_PROJECT_DIR`` pointing at the copy, so the copy's code and dbt project are the
   ones used (the editable install would otherwise import the repository).
2. Sanity on the unmutated copy: the packages import from the copy, every killing pytest
   node and every dbt selector passes. Otherwise the check stops: a mutant "killed" by a
   test that fails anyway proves nothing.
3. Per mutant: ``git apply`` the patch to the copy (a patch that no longer applies is an
   error: the code moved and the mutant must be rewritten), run its pytest nodes and/or
   ``dbt test --select`` its selectors (against a warehouse prepared once with the seeds
   and the selected models and their upstream built empty), each under a time limit, then
   take the patch out again (``git apply -R``).
4. A table (mutant, status, the tests that failed, seconds) and the mutation score. Exit 0
   only if every mutant was killed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
PACKAGES = ("core", "ingest", "evaluation", "synthetic", "report", "dashboards", "trialwh")
DBT = "from dbt.cli.main import cli; cli()"


@dataclass(frozen=True)
class Mutant:
    name: str
    rule: str
    patch: Path
    pytest: tuple[str, ...] = ()
    dbt: tuple[str, ...] = ()
    timeout: int = 600


@dataclass
class Outcome:
    mutant: Mutant
    status: str  # killed, SURVIVED, NO-PATCH, TIMEOUT
    killed_by: list[str] = field(default_factory=list)
    seconds: float = 0.0


def load_manifest(path: Path = HERE / "manifest.toml") -> list[Mutant]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    mutants = []
    for entry in data["mutant"]:
        mutant = Mutant(
            name=entry["name"],
            rule=entry["rule"],
            patch=HERE / entry["patch"],
            pytest=tuple(entry.get("pytest", ())),
            dbt=tuple(entry.get("dbt", ())),
            timeout=int(entry.get("timeout", 600)),
        )
        if not mutant.pytest and not mutant.dbt:
            raise SystemExit(f"{mutant.name}: no test named to kill it")
        if not mutant.patch.is_file():
            raise SystemExit(f"{mutant.name}: {mutant.patch} missing")
        mutants.append(mutant)
    names = [m.name for m in mutants]
    if len(set(names)) != len(names):
        raise SystemExit("mutant names are not unique")
    return mutants


def project_files() -> list[str]:
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout
    return sorted({p for p in out.decode().split("\0") if p and (REPO / p).is_file()})


def copy_project(files: list[str], dest: Path) -> Path:
    for rel in files:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, target)
    return dest


def environment(project: Path, home: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "TRIALWH_PROJECT_DIR", "TRIALWH_HOME"}
    }
    env.update(
        PYTHONPATH=str(project),
        TRIALWH_PROJECT_DIR=str(project),
        TRIALWH_HOME=str(home),
        TRIALWH_PSEUDONYM_KEY="mutation-check-key",
        PYTHONDONTWRITEBYTECODE="1",
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    return env


def run(command: list[str], project: Path, home: Path, timeout: int) -> tuple[int | None, str]:
    """(exit code or None on timeout, output)."""
    try:
        proc = subprocess.run(
            command,
            cwd=project,
            env=environment(project, home),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as expired:
        out = expired.stdout or ""
        return None, out if isinstance(out, str) else out.decode(errors="replace")
    return proc.returncode, proc.stdout + proc.stderr


def pytest_command(nodes: tuple[str, ...]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--no-header",
        *nodes,
    ]


def dbt_command(args: list[str], project: Path, home: Path) -> list[str]:
    return [
        sys.executable,
        "-c",
        DBT,
        *args,
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
        "--target-path",
        str(home / "target"),
        "--log-path",
        str(home / "logs"),
    ]


def failed_pytest_nodes(output: str) -> list[str]:
    return [
        line.split(" ", 2)[1]
        for line in output.splitlines()
        if line.startswith(("FAILED ", "ERROR ")) and len(line.split(" ")) > 1
    ]


def failed_dbt_nodes(output: str) -> list[str]:
    return [
        line.split("Failure in ", 1)[1].split(" (", 1)[0].strip()
        for line in output.splitlines()
        if "Failure in " in line
    ]


def check_imports(project: Path, home: Path) -> None:
    code = (
        "import importlib, sys; "
        f"print('\\n'.join(importlib.import_module(p).__file__ for p in {PACKAGES!r}))"
    )
    code_rc, out = run([sys.executable, "-c", code], project, home, 300)
    paths = [Path(line).resolve() for line in out.split()]
    outside = [p for p in paths if project.resolve() not in p.parents]
    if code_rc != 0 or len(paths) != len(PACKAGES) or outside:
        raise SystemExit(f"the copy's packages are not the ones imported: {out.strip()}")


def prepare_dbt_home(project: Path, home: Path, selectors: tuple[str, ...]) -> None:
    """A warehouse with empty raw tables, the seeds, and the models the selectors name
    built empty with everything upstream of them: what a unit test needs (its inputs'
    column types). Singular tests on literal values need no model."""
    home.mkdir(parents=True, exist_ok=True)
    code = (
        "from pathlib import Path; from trialwh.build import _ensure_raw_tables; "
        f"_ensure_raw_tables(Path({str(home / 'warehouse.duckdb')!r}))"
    )
    models = sorted(
        {part for s in selectors for part in s.split(",") if ":" not in part}
        - {p.stem for p in (project / "tests" / "dbt").glob("*.sql")}
    )
    steps = [
        [sys.executable, "-c", code],
        dbt_command(["seed", "--quiet"], project, home),
    ]
    if models:
        upstream = [f"+{m}" for m in models]
        steps.append(
            dbt_command(["run", "--empty", "--quiet", "--select", *upstream], project, home)
        )
    for step in steps:
        rc, out = run(step, project, home, 1200)
        if rc != 0:
            raise SystemExit(f"preparing the dbt warehouse failed ({step[3:5]}):\n{out[-3000:]}")


def kill_attempt(mutant: Mutant, project: Path, dbt_home: Path | None, work: Path) -> Outcome:
    started = time.monotonic()
    killed_by: list[str] = []
    timed_out = False
    if mutant.pytest:
        rc, out = run(pytest_command(mutant.pytest), project, work / "home", mutant.timeout)
        if rc is None:
            timed_out = True
        elif rc != 0:
            killed_by += failed_pytest_nodes(out) or [f"pytest exit {rc}"]
    if mutant.dbt and not killed_by and not timed_out:
        home = work / "dbt-home"
        shutil.copytree(dbt_home, home)
        args = ["test", "--select", *mutant.dbt]
        rc, out = run(dbt_command(args, project, home), project, home, mutant.timeout)
        if rc is None:
            timed_out = True
        elif rc != 0:
            killed_by += [f"dbt: {n}" for n in failed_dbt_nodes(out)] or [f"dbt exit {rc}"]
    status = "killed" if killed_by else "TIMEOUT" if timed_out else "SURVIVED"
    return Outcome(mutant, status, killed_by, time.monotonic() - started)


def apply_patch(patch: Path, project: Path, *, reverse: bool = False) -> bool:
    flags = ["-R"] if reverse else []
    check = subprocess.run(
        ["git", "apply", "--check", *flags, str(patch)],
        cwd=project,
        capture_output=True,
        text=True,
    )
    if check.returncode != 0:
        print(f"  {patch.name}: {check.stderr.strip()}", flush=True)
        return False
    subprocess.run(["git", "apply", *flags, str(patch)], cwd=project, check=True)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="run only these mutants")
    args = parser.parse_args(argv)
    mutants = load_manifest()
    if args.names:
        unknown = set(args.names) - {m.name for m in mutants}
        if unknown:
            raise SystemExit(f"unknown mutants: {sorted(unknown)}")
        mutants = [m for m in mutants if m.name in args.names]
    started = time.monotonic()
    files = project_files()
    with tempfile.TemporaryDirectory(prefix="trialwh-mutants-") as tmp:
        root = Path(tmp)
        base = copy_project(files, root / "project")
        (root / "home").mkdir()
        print(f"project copied to {base} ({len(files)} files)", flush=True)
        check_imports(base, root / "home")
        nodes = tuple(dict.fromkeys(n for m in mutants for n in m.pytest))
        selectors = tuple(dict.fromkeys(s for m in mutants for s in m.dbt))
        dbt_home = root / "dbt-base"
        if nodes:
            rc, out = run(pytest_command(nodes), base, root / "home", 1800)
            if rc != 0:
                print(out[-5000:])
                raise SystemExit("the killing tests do not pass on the unmutated copy")
        if selectors:
            prepare_dbt_home(base, dbt_home, selectors)
            sanity = root / "dbt-sanity"
            shutil.copytree(dbt_home, sanity)
            rc, out = run(
                dbt_command(["test", "--select", *selectors], base, sanity), base, sanity, 1200
            )
            if rc != 0:
                print(out[-5000:])
                raise SystemExit("the killing dbt tests do not pass on the unmutated copy")
            # dbt's parse of the unmutated project, offered to every mutant's run (same
            # project path) for dbt's partial parsing.
            shutil.copytree(sanity / "target", dbt_home / "target", dirs_exist_ok=True)
        print(f"sanity: unmutated copy passes ({time.monotonic() - started:.0f} s)", flush=True)

        # Each mutant is planted in the copy, tested, and taken out again (git apply -R),
        # so the copy's path, and dbt's parse of it, stay the same.
        outcomes: list[Outcome] = []
        for index, mutant in enumerate(mutants):
            work = root / f"m{index:02d}"
            (work / "home").mkdir(parents=True)
            if not apply_patch(mutant.patch, base):
                outcome = Outcome(mutant, "NO-PATCH")
            else:
                try:
                    outcome = kill_attempt(mutant, base, dbt_home, work)
                finally:
                    if not apply_patch(mutant.patch, base, reverse=True):
                        raise SystemExit(f"{mutant.name}: the patch could not be taken out")
            outcomes.append(outcome)
            print(f"  {mutant.name}: {outcome.status} ({outcome.seconds:.0f} s)", flush=True)
            shutil.rmtree(work, ignore_errors=True)

    width = max(len(o.mutant.name) for o in outcomes)
    print()
    print(f"{'mutant':<{width}}  {'status':<8}  {'s':>4}  killed by")
    for o in outcomes:
        by = ", ".join(o.killed_by) if o.killed_by else "-"
        print(f"{o.mutant.name:<{width}}  {o.status:<8}  {o.seconds:4.0f}  {by}")
    killed = sum(o.status == "killed" for o in outcomes)
    total = time.monotonic() - started
    print()
    print(
        f"mutation score: {killed}/{len(outcomes)} killed ({100 * killed / len(outcomes):.0f} %)"
        f" in {total:.0f} s"
    )
    return 0 if killed == len(outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
