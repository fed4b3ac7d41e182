"""The report as the ministry reads it: a summary in words, one warning per kind, quarters
on the axes, the theme's own indicators first, an A4 print layout, and a workbook whose
numbers are numbers with Danish headers."""

from __future__ import annotations

import openpyxl
import pytest

from report.charts import trend_figure
from report.writer import _excel_value, one_warning
from tests.report.test_report import published_home, report_files  # noqa: F401

WEAK = (
    "Svag statistisk sikkerhed: kun {t} behandlede enheder (og {c} kontrolenheder). Læs "
    "resultatet som en indikation."
)


def test_near_identical_warnings_become_one():
    shown = one_warning(
        [WEAK.format(t=8, c=12), WEAK.format(t=7, c=12), None, WEAK.format(t=8, c=12), "Andet."]
    )
    assert shown == [
        "Svag statistisk sikkerhed: kun 7–8 behandlede enheder (og 12 kontrolenheder). Læs "
        "resultatet som en indikation. (Antallet varierer mellem indikatorerne.)",
        "Andet.",
    ]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("66", (66, "int")),
        ("1.234", (1234, "int")),
        ("27,0 %", (0.27, "pct")),
        ("1.140 kr.", (1140, "int")),
        ("-3,25", (-3.25, "float")),
        ("·", ("·", "text")),
        ("<5", ("<5", "text")),
        ("x", ("x", "text")),
        (0.5, (0.5, "float")),
        (True, ("Ja", "text")),
        (float("nan"), (None, "text")),
    ],
)
def test_display_text_becomes_numbers_again(cell, expected):
    value, kind = _excel_value(cell)
    assert kind == expected[1]
    assert value == pytest.approx(expected[0]) if kind != "text" else value == expected[0]


def test_html_reads_as_a_report(report_files):  # noqa: F811
    text = report_files[0].read_text(encoding="utf-8")
    assert text.count("Svag statistisk sikkerhed") == 1
    assert "<h2>Sammenfatning</h2>" in text
    summary = text.split("<ul class='sammenfatning'>")[1].split("</ul>")[0]
    # One sentence per estimated indicator of LÆ285 (its own first), with its interval.
    assert summary.startswith("<li>Andel omfattede sager hvor LÆ285 er fravalgt: ")
    assert "Forsøgskommunerne ligger" in summary and "95 %-interval:" in summary
    # The theme's own indicators lead the report; omgørelsesprocent (every theme) follows.
    order = [
        text.index(f"<h2>{name}</h2>")
        for name in (
            "Andel omfattede sager hvor LÆ285 er fravalgt",
            "Dage fra første fraværsdag til første opfølgning",
            "Omgørelsesprocent i Ankestyrelsen",
        )
    ]
    assert order == sorted(order)
    # Plotly writes its JSON with non-ASCII letters escaped (ø as \\u00f8).
    assert "Kvartal (1 = 2015K1)" not in text and "starter 2018K1" in text
    # A4 print layout: margins, a page per indicator, figures and rows never split.
    assert "@page{size:A4;margin:18mm" in text
    assert ".indikator,.afsnit{break-before:page}" in text
    assert ".figur,.advarsel,.sammenfatning,tr{break-inside:avoid}" in text


def test_workbook_numbers_are_numbers_with_danish_headers(report_files):  # noqa: F811
    book = openpyxl.load_workbook(report_files[1])
    overview = book["Overblik"]
    headers = [c.value for c in overview[1]]
    assert "Effekt (ATT)" in headers and "95 %-KI, nedre" in headers
    assert not {"att", "ci_low", "ci_lav", "se"} & set(headers)
    att = overview.cell(row=2, column=headers.index("Effekt (ATT)") + 1)
    assert isinstance(att.value, float) and att.number_format == "#,##0.000"
    treated = overview.cell(row=2, column=headers.index("Forsøgskommuner") + 1)
    assert treated.value == 8 and treated.number_format == "#,##0"
    appeals = book["Omgoerelser"]
    headers = [c.value for c in appeals[1]]
    assert "Omgørelsesprocent i Ankestyrelsen" in headers, headers
    rates = [
        row[headers.index("Omgørelsesprocent i Ankestyrelsen")]
        for row in appeals.iter_rows(min_row=2, values_only=True)
    ]
    # Shown rates are numbers (percent 0–100, as Ankestyrelsen publishes them); hidden ones
    # are empty or marked, never text holding a number.
    assert any(isinstance(r, float) for r in rates)
    assert all(r is None or isinstance(r, float) or r in ("·", "<5", "x") for r in rates)


def test_trend_axis_shows_quarters():
    import polars as pl

    panel = pl.DataFrame(
        {
            "t": [1, 2, 1, 2],
            "g": ["Forsøgskommuner", "Forsøgskommuner"] + ["Kontrolgruppe"] * 2,
            "y": [1.0, 2.0, 1.0, 1.0],
        }
    )
    figure = trend_figure(
        panel, "y", "t", "g", "T", "Y", start=2, time_labels={1: "2015K1", 2: "2015K2"}
    )
    assert figure.layout.xaxis.title.text == "Kvartal"
    assert list(figure.layout.xaxis.ticktext) == ["2015K1", "2015K2"]
    assert [a.text for a in figure.layout.annotations] == ["Forsøget starter 2015K2"]
    colours = {t.name: t.line.color for t in figure.data}
    assert colours == {"Forsøgskommuner": "#e45756", "Kontrolgruppe": "#4c78a8"}


def test_workbook_is_written_by_the_shared_writer(report_files):  # noqa: F811
    """core.eksport's conventions (openpyxl, independent of the writer): Danish number
    formats, shares as %, suppressed cells marked «·» on grey, a last sheet «Om udtrækket»
    naming the filters, the source marts, the data as of and the build."""
    book = openpyxl.load_workbook(report_files[1])
    assert book.sheetnames[-1] == "Om udtrækket"
    about = {row[0]: row[1] for row in book["Om udtrækket"].iter_rows(values_only=True)}
    assert about["Tema"].endswith("(lae285)") and about["Kontrolgruppe"] == "alle_oevrige"
    assert "marts.mart_panel_kommune_kvartal" in about["Kilde"]
    assert about["Periode"] == "2015K1–2020K4"
    assert about["Data pr."] and about["Build"]
    counts = book["Sager_pr_kommune"]
    headers = [c.value for c in counts[1]]
    # Headers from the vocabulary and the counts' labels, never column codes.
    assert "Andel omfattede sager hvor LÆ285 er fravalgt" in headers
    assert not {"andel_lae285_fravalgt", "sygedagpengesager_omfattet"} & set(headers)
    share = headers.index("Andel omfattede sager hvor LÆ285 er fravalgt") + 1
    n = headers.index("LÆ285-omfattede sager") + 1
    cells = [(row[n - 1], row[share - 1]) for row in counts.iter_rows(min_row=2)]
    shown = [(c, s) for c, s in cells if isinstance(s.value, float)]
    assert shown and all(s.number_format == "0.0%" and 0 <= s.value <= 1 for _, s in shown)
    assert all(c.number_format == "#,##0" and isinstance(c.value, int) for c, _ in shown)
    # Every other cell of a number column is a number or the hidden mark, never number text.
    marked = [cell for row in counts.iter_rows(min_row=2) for cell in row if cell.value == "·"]
    assert all(cell.fill.fgColor.rgb.endswith("D9D9D9") for cell in marked)
    for row in counts.iter_rows(min_row=2, values_only=True):
        for value in row[headers.index("LÆ285-omfattede sager") :]:
            assert value is None or value == "·" or isinstance(value, int | float), row
