"""The dashboard's pages: file, URL path, Danish and English title, evaluator-only flag."""

from __future__ import annotations

from pathlib import Path

PAGES_DIR = Path(__file__).resolve().parent / "app_pages"

# (file, url path, Danish title, English title, evaluator only)
PAGES: list[tuple[str, str, str, str, bool]] = [
    ("overblik.py", "overblik", "Overblik", "Overview", False),
    ("laegeattester.py", "laegeattester", "Lægeattester", "Medical certificates", False),
    ("rehabilitering.py", "rehabilitering", "Rehabiliteringsteam", "Rehabilitation team", False),
    (
        "sagsbehandlingstid.py",
        "sagsbehandlingstid",
        "Sagsbehandlingstid",
        "Processing times",
        False,
    ),
    ("ankestyrelsen.py", "ankestyrelsen", "Ankestyrelsen", "Appeals board", False),
    (
        "retssikkerhed_ressourcer.py",
        "retssikkerhed",
        "Retssikkerhed og ressourcer",
        "Legal certainty and resources",
        False,
    ),
    ("oevrige_forsoeg.py", "oevrige-forsoeg", "Øvrige forsøg", "Other trials", False),
    (
        "beskaeftigelse.py",
        "beskaeftigelse",
        "Beskæftigelse og forsørgelse",
        "Employment and income support",
        False,
    ),
    ("effekt.py", "effekt", "Effekt", "Effect", False),
    ("kommune.py", "kommune", "Kommune", "Municipality", False),
    ("datakvalitet.py", "datakvalitet", "Datakvalitet", "Data quality", False),
    ("sql.py", "sql", "SQL", "SQL", True),
]

# Pages that draw no chart: they need no plotly.js (see dashboards/preload.py).
PAGES_WITHOUT_CHARTS: frozenset[str] = frozenset({"sql"})
