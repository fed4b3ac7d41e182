"""Where things live: the repository (dbt project, seeds) and the warehouse home (contract §3)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def _project_dir() -> Path:
    """The dbt project: ``$TRIALWH_PROJECT_DIR`` if set, else the source tree beside the code
    (a checkout or an editable install), else the copy a regular install ships as
    ``core/_project`` (setup.py)."""
    explicit = os.environ.get("TRIALWH_PROJECT_DIR")
    if explicit:
        return Path(explicit).expanduser().resolve()
    source_tree = Path(__file__).resolve().parent.parent
    if (source_tree / "dbt_project.yml").is_file():
        return source_tree
    return Path(__file__).resolve().parent / "_project"


PROJECT_DIR = _project_dir()
SEEDS_DIR = PROJECT_DIR / "seeds"
EXPECTATIONS_DIR = PROJECT_DIR / "expectations"
DEFAULT_HOME = Path("data")


@dataclass(frozen=True)
class Home:
    """The ``--home`` folder: working warehouse, published snapshot, quarantine and logs."""

    root: Path

    @classmethod
    def resolve(cls, home: str | os.PathLike[str] | None = None) -> Home:
        """``home`` if given, else ``$TRIALWH_HOME``, else ``./data``; created if missing."""
        chosen = home or os.environ.get("TRIALWH_HOME") or DEFAULT_HOME
        root = Path(chosen).expanduser().resolve()
        root.mkdir(parents=True, exist_ok=True)
        return cls(root)

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def published_dir(self) -> Path:
        return self.root / "published"

    @property
    def published(self) -> Path:
        return self.published_dir / "current.duckdb"

    @property
    def quarantine_dir(self) -> Path:
        return self.root / "quarantine"

    @property
    def logs_dir(self) -> Path:
        return self.root / "logs"

    @property
    def key_file(self) -> Path:
        return self.root / "pseudonym.key"

    @property
    def extracts_dir(self) -> Path:
        """Where `trialwh demo` writes its synthetic extracts."""
        return self.root / "extracts"

    @property
    def dbt_target_dir(self) -> Path:
        return self.root / "dbt" / "target"

    @property
    def dbt_log_dir(self) -> Path:
        return self.logs_dir / "dbt"
