"""Synthetic extract generator with a known, planted trial effect.

``generate(out, scale="small", seed=42, mess=True, effects=None, progress=False)`` writes
extract files exactly as contract §1 describes and ``out/truth.json`` recording every planted
effect, corrupted row and revision. See params.py for the documented defaults.
"""

from ingest.synthetic.generator import generate

__all__ = ["generate"]
