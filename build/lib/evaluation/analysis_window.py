"""The analysis window of a trial theme: where effect estimation must stop.

The window runs from the panel's first quarter to the last quarter in which any municipality
is in the theme (``i_forsoeg_<tema>`` true). After a theme ends the comparison is no longer
clean (for LÆ285 the national law made the certificate optional for every municipality from
2021), and the staggered estimator assumes that treatment, once started, lasts. When no
quarter is flagged in the theme, the whole panel is the window.

Used by the evaluation report and the dashboard's effect estimates, so both cut the same way.
"""

from __future__ import annotations

import polars as pl


def analysis_window_end(panel: pl.DataFrame, tema: str, time: str = "periode_index") -> int:
    """Last ``time`` value in which any unit of ``panel`` is in ``tema``; the panel's last
    ``time`` value if none is. ``panel`` needs ``time`` and ``i_forsoeg_<tema>``."""
    if panel.is_empty():
        raise ValueError("the panel is empty")
    in_theme = panel.filter(pl.col(f"i_forsoeg_{tema}"))[time].max()
    return int(in_theme if in_theme is not None else panel[time].max())
