"""The dashboard's server process (``python -m dashboards.server run app.py …``, what
``trialwh serve`` runs): Streamlit's own command line, with the libraries the pages use
imported first.

Streamlit imports a page's libraries only when the first session runs it, so the first
visitor after a start waited for pandas, SciPy's statistics and plotly to load (about 30 % of
the server's sampled time over the first loads of the 12 pages, national snapshot). Imported
here, before the server listens, that time moves to the start, and no two sessions import a
library at the same time.
"""

from __future__ import annotations

import importlib
import sys

# The libraries the pages import, heaviest first.
LIBRARIES = (
    "scipy.stats",
    "scipy.optimize",
    "pandas",
    "pyarrow",
    "plotly.graph_objects",
    "polars",
    "duckdb",
)


def preload() -> None:
    """Import the pages' libraries and build plotly's template the charts start from."""
    import plotly.io as pio

    for name in LIBRARIES:
        importlib.import_module(name)

    pio.templates["plotly_white"]  # built on first use (dashboards/charts.py `_template`)


def main() -> None:
    preload()
    from streamlit.web import cli

    sys.argv = ["streamlit", *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
