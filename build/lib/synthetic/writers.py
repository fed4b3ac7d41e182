"""Write one extract file (CSV, XLSX or Parquet) byte-for-byte deterministically."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import polars as pl
import xlsxwriter

from synthetic.mess import FileStyle

# Fixed document properties so XLSX files carry no generation timestamp.
_XLSX_CREATED = datetime(2023, 1, 1)


def write_extract(text: pl.DataFrame, header: list[str], path: Path, style: FileStyle) -> None:
    """Write ``text`` (all-string columns) with the given header names to ``path``."""
    frame = text.rename(dict(zip(text.columns, header, strict=True)))
    if style.format == "csv":
        buffer = io.BytesIO()
        frame.write_csv(
            buffer,
            separator=style.delimiter or ",",
            line_terminator=style.line_terminator,
            null_value="",
            quote_style="necessary",
        )
        content = buffer.getvalue().decode("utf-8")
        path.write_bytes(content.encode(style.encoding or "utf-8"))
    elif style.format == "parquet":
        frame.write_parquet(path, compression="zstd", statistics=False)
    elif style.format == "xlsx":
        _write_xlsx(frame, path)
    else:
        raise ValueError(style.format)


def _write_xlsx(frame: pl.DataFrame, path: Path) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    workbook.set_properties({"created": _XLSX_CREATED, "author": "", "comments": ""})
    sheet = workbook.add_worksheet("Udtraek")
    sheet.write_row(0, 0, frame.columns)
    for i, row in enumerate(frame.iter_rows(), start=1):
        for j, value in enumerate(row):
            if value is not None:
                sheet.write_string(i, j, value)
    workbook.close()
