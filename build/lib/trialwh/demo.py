"""`trialwh demo`: synthetic extracts → ingest → build → publish, in one home."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.paths import Home


@dataclass(frozen=True)
class DemoOutcome:
    success: bool
    message: str


def run_demo(
    home: Home, *, scale: str = "small", seed: int = 42, echo: Callable[[str], None] = print
) -> DemoOutcome:
    """Run the product end to end on synthetic data.

    Re-running on the same home is safe: the generator is deterministic, so ingest sees
    the same files again and skips them as duplicates, and the build republishes.
    """
    from ingest.load import ingest_paths
    from synthetic import generate
    from trialwh.build import build

    extracts = home.extracts_dir
    echo(f"1/3 Genererer syntetiske udtræk ({scale}, seed {seed}) i {extracts} …")
    truth = generate(extracts, scale=scale, seed=seed, progress=True)
    echo(f"    {len(truth['files'])} filer skrevet.")

    echo("2/3 Indlæser udtræk …")
    results = ingest_paths(home, [extracts], progress=True)
    rejected = [r for r in results if r.status == "rejected"]
    loaded = sum(r.rows_loaded for r in results)
    quarantined = sum(r.rows_quarantined for r in results)
    echo(
        f"    {len(results)} filer: {loaded:,} rækker indlæst, {quarantined:,} i karantæne, "
        f"{len(rejected)} filer afvist (se `trialwh status`)."
    )

    echo("3/3 Bygger modeller og tester (dbt build) …")
    result = build(home)
    if not result.success:
        return DemoOutcome(False, "dbt build failed: " + "; ".join(result.failures[:5]))
    echo(f"    Publiceret: {result.published}")
    return DemoOutcome(True, "ok")
