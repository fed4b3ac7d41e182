"""Implausible values are quarantined with a Danish reason: a negative or billion-kroner
certificate fee and a date before 1990 (the bounds of ingest/schema.py)."""

from __future__ import annotations

from ingest.filenames import parse_file_name
from ingest.load import load_reference
from ingest.prepare import prepare

HEADER = (
    "dokument_id;sags_id;sagstype;kommunekode;dokumenttype;udsteder;rekvireret_dato;"
    "modtaget_dato;honorar_kr;tolk"
)


def _row(dokument_id: str, honorar: str, rekvireret: str = "2019-03-01") -> str:
    return (
        f"{dokument_id};S1;sygedagpenge;851;LAE285;egen_laege;{rekvireret};2019-03-10;{honorar};N"
    )


def test_implausible_fees_and_dates_are_quarantined_with_reasons():
    lines = [
        HEADER,
        _row("D1", "1140,00"),  # the LÆ285 fee: loads
        _row("D2", "-500,00"),
        _row("D3", "1000000000,00"),
        _row("D4", "25000,00"),  # the upper bound itself: loads
        _row("D5", "1140,00", rekvireret="1900-01-01"),
    ]
    name = parse_file_name("helbredsdokumentation_0851_2019-12-31.csv")
    data = ("\n".join(lines) + "\n").encode("utf-8")
    prepared = prepare(data, name, b"k", load_reference())
    assert prepared.raw["dokument_id"].to_list() == ["D1", "D4"]
    q = prepared.quarantine
    assert q["source_row_number"].to_list() == [2, 3, 5]
    assert q["rules"].to_list() == [["out_of_range"]] * 3
    reasons = q["reason"].to_list()
    assert all("honorar_kr" in r and "0–25000" in r for r in reasons[:2]), reasons
    assert "rekvireret_dato" in reasons[2] and "1990" in reasons[2], reasons
