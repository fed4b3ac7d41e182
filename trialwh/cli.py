"""The `trialwh` command (contract §3). Thin: each command calls a library function."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from core.paths import Home
from core.vocabulary import tema_koder

app = typer.Typer(
    help="trialwh: evaluation warehouse for the North Jutland frikommune trial.",
    no_args_is_help=True,
    add_completion=False,
)


# The --tema choices: the theme codes of seed temaer (core.vocabulary), in the seed's order.
FOERSTE_TEMA = tema_koder()[0]


def _tema_kode(value: str) -> str:
    """A code of seed temaer, or a Danish usage error naming the known codes (exit 2)."""
    if value not in tema_koder():
        raise typer.BadParameter(f"ukendt tema {value!r}; kendte temaer: {', '.join(tema_koder())}")
    return value


def _home(ctx: typer.Context) -> Home:
    return ctx.obj["home"]


def _restrict(home: Home) -> None:
    """Tighten a home written before files were created owner-only."""
    for path, mode in (
        (home.root, 0o700),
        (home.logs_dir, 0o700),
        (home.quarantine_dir, 0o700),
        (home.warehouse, 0o600),
        (home.warehouse.with_name(home.warehouse.name + ".wal"), 0o600),
    ):
        try:
            if path.exists() and not path.is_symlink() and path.stat().st_mode & 0o077:
                os.chmod(path, mode)
        except OSError:
            pass  # not ours to change: the commands say so when they need the file


@app.callback()
def main(
    ctx: typer.Context,
    home: Annotated[
        Path | None,
        typer.Option(
            "--home",
            help="Folder holding the warehouse, published snapshot, quarantine and logs.",
            envvar="TRIALWH_HOME",
        ),
    ] = None,
) -> None:
    # Everything written from here on (warehouse, logs, reports, dbt's and temporary files,
    # by this process and its children) is the owner's only: 0600 files, 0700 folders.
    os.umask(0o077)
    resolved = Home.resolve(home)
    _restrict(resolved)
    # dbt's profile and child processes find the warehouse through this variable.
    os.environ["TRIALWH_HOME"] = str(resolved.root)
    ctx.obj = {"home": resolved}


@app.command()
def generate(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the extract files to.")],
    scale: Annotated[str, typer.Option(help="small (seconds) or national (all 98).")] = "small",
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same files.")] = 42,
    no_mess: Annotated[
        bool, typer.Option("--no-mess", help="Clean files: one format, no bad rows.")
    ] = False,
    placebo: Annotated[
        bool, typer.Option("--placebo", help="Plant no trial effect anywhere.")
    ] = False,
    effect: Annotated[
        list[str] | None,
        typer.Option(
            "--effect",
            help="Override a planted effect, KEY=VALUE (repeatable), "
            "e.g. --effect lae285_fravalg_ingen_arbejdsgiver=0.5. Keys: see truth.json.",
        ),
    ] = None,
    snapshots: Annotated[
        int | None, typer.Option(help="Monthly snapshots per municipality and source.")
    ] = None,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    bad_files: Annotated[
        bool, typer.Option("--bad-files", help="Also write files ingest must reject whole.")
    ] = False,
    dream: Annotated[
        bool,
        typer.Option(
            "--dream/--no-dream",
            help="Write the DREAM register (dream_*) for the persons of the case files.",
        ),
    ] = True,
) -> None:
    """Write synthetic extract files (and truth.json) to --out."""
    import time

    from synthetic import generate as generate_extracts
    from synthetic.truth import summary_lines

    effects: dict[str, float | bool] = {"placebo": True} if placebo else {}
    for item in effect or []:
        key, sep, value = item.partition("=")
        if not sep:
            typer.echo(f"--effect expects KEY=VALUE, got {item!r}", err=True)
            raise typer.Exit(2)
        try:
            effects[key.strip()] = float(value)
        except ValueError:
            typer.echo(f"--effect {key}: {value!r} is not a number", err=True)
            raise typer.Exit(2) from None
    started = time.perf_counter()
    try:
        truth = generate_extracts(
            out,
            scale=scale,
            seed=seed,
            mess=not no_mess,
            effects=effects,
            progress=progress,
            snapshots=snapshots,
            bad_files=bad_files,
            dream=dream,
        )
    except ValueError as error:
        typer.echo(f"generate: {error}", err=True)
        raise typer.Exit(2) from None
    for line in summary_lines(truth, out, time.perf_counter() - started):
        typer.echo(line)


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Extract files or folders.")],
) -> None:
    """Validate and load extract files; exit 1 if any file was rejected whole."""
    from ingest.audit import WarehouseBusy
    from ingest.filenames import printable_name
    from ingest.load import ingest_paths, totals_line
    from ingest.pseudonymise import KeyFileError

    missing = [printable_name(str(p)) for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        typer.echo(f"Findes ikke: {', '.join(missing)}", err=True)
        raise typer.Exit(2)
    try:
        results = ingest_paths(
            _home(ctx), paths, progress=True, on_result=lambda r: typer.echo(r.summary())
        )
    except (WarehouseBusy, KeyFileError) as busy:
        typer.echo(f"Indlæsning ikke startet: {busy}", err=True)
        raise typer.Exit(1) from None
    if not results:
        typer.echo("Ingen udtræksfiler (csv, xlsx, parquet) fundet.", err=True)
        raise typer.Exit(2)
    typer.echo(totals_line(results))
    if any(r.status == "rejected" for r in results):
        raise typer.Exit(1)


@app.command()
def build(
    ctx: typer.Context,
    full_refresh: Annotated[
        bool,
        typer.Option(
            "--full-refresh",
            help="Rebuild every model from all extracts, also when only new extract files "
            "arrived since the last build (then the build is otherwise incremental).",
        ),
    ] = False,
) -> None:
    """dbt build (models + tests); publish the serving snapshot only if it passes."""
    from ingest.audit import WarehouseBusy
    from trialwh.build import build as run_build

    try:
        result = run_build(_home(ctx), full_refresh=full_refresh)
    except WarehouseBusy as busy:
        typer.echo(f"Build ikke startet: {busy}", err=True)
        raise typer.Exit(1) from None
    if not result.success:
        typer.echo("Build failed; the published snapshot was left unchanged.", err=True)
        for failure in result.failures:
            typer.echo(f"  {failure}", err=True)
        raise typer.Exit(1)
    typer.echo(
        f"Build {result.build_id}: {result.n_tests_passed} tests passed; "
        f"published {result.published}"
    )
    typer.echo(result.refresh_reason.capitalize())
    typer.echo(result.unit_tests_note.capitalize())
    if result.data_tests_note:
        typer.echo(result.data_tests_note)
    typer.echo(result.estimates_note)


@app.command()
def serve(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(help="Port for the dashboard.")] = 8501,
    address: Annotated[
        str | None,
        typer.Option(help="Address to listen on (default 127.0.0.1; others need users.toml)."),
    ] = None,
) -> None:
    """Start the dashboard on the published snapshot."""
    from dashboards.serve import ServeRefused
    from dashboards.serve import run as serve_dashboard

    home = _home(ctx)
    if not home.published.exists():
        typer.echo(
            f"No published snapshot at {home.published} yet: the dashboard will say so "
            "until `trialwh build` has run.",
            err=True,
        )
    try:
        serve_dashboard(home, port, address)
    except ServeRefused as refused:
        typer.echo(str(refused), err=True)
        raise typer.Exit(2) from None


@app.command()
def status(ctx: typer.Context) -> None:
    """Loads, rejected files, quarantined rows and freshness per source and municipality."""
    from ingest.audit import WarehouseBusy
    from ingest.status import status_report

    try:
        typer.echo(status_report(_home(ctx)).render())
    except WarehouseBusy as busy:
        typer.echo(f"Status kan ikke vises: {busy}", err=True)
        raise typer.Exit(1) from None


@app.command()
def report(
    ctx: typer.Context,
    tema: Annotated[
        str,
        typer.Option(
            help=f"Trial theme, a code of seed temaer: {', '.join(tema_koder())}.",
            callback=_tema_kode,
        ),
    ] = FOERSTE_TEMA,
    kontrolgruppe: Annotated[str, typer.Option(help="Control group.")] = "alle_oevrige",
    out: Annotated[Path | None, typer.Option(help="Output folder (default HOME/reports).")] = None,
) -> None:
    """Write the evaluation report (HTML + Excel) for a theme and control group."""
    from report.writer import write_report

    try:
        written = write_report(_home(ctx), tema, kontrolgruppe, out)
    except FileNotFoundError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error
    except ValueError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from error
    for path in written:
        typer.echo(str(path))


@app.command()
def sample(
    ctx: typer.Context,
    tema: Annotated[
        str, typer.Option(help="Trial theme, a code of seed temaer.", callback=_tema_kode)
    ],
    n: Annotated[int, typer.Option(help="Sample size.")],
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same sample).")],
    out: Annotated[
        Path | None, typer.Option(help="Output folder (default HOME/sagsgennemgang).")
    ] = None,
) -> None:
    """Write a reproducible stratified case-review sample (Excel; sags_id, never CPR)."""
    from trialwh.sample import write_sample

    try:
        path = write_sample(_home(ctx), tema, n, seed, out)
    except FileNotFoundError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error
    except ValueError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from error
    typer.echo(str(path))


@app.command()
def demo(
    ctx: typer.Context,
    scale: Annotated[str, typer.Option(help="small or national.")] = "small",
    seed: Annotated[int, typer.Option(help="Random seed.")] = 42,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Stop before the dashboard.")
    ] = False,
    port: Annotated[int, typer.Option(help="Port for the dashboard.")] = 8501,
) -> None:
    """Generate synthetic extracts, ingest, build, publish and serve the dashboard."""
    from trialwh.demo import run_demo

    home = _home(ctx)
    outcome = run_demo(home, scale=scale, seed=seed, echo=typer.echo)
    if not outcome.success:
        typer.echo(f"Demo stopped: {outcome.message}", err=True)
        raise typer.Exit(1)
    if no_serve:
        typer.echo(f"Published snapshot: {home.published}")
        return
    from dashboards.serve import ServeRefused
    from dashboards.serve import run as serve_dashboard

    try:
        serve_dashboard(home, port)
    except ServeRefused as refused:
        typer.echo(str(refused), err=True)
        raise typer.Exit(2) from None


if __name__ == "__main__":  # pragma: no cover
    app()
