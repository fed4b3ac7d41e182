"""The generator's files against an independent validator built from ingest/schema.py.

The validator here reads every file the way contract §1 says a reader must (any of the
encodings, delimiters, date formats, boolean spellings, decimal comma, header variations,
CSV/XLSX/Parquet), applies the row rules of schema.py and the interface's rule codes, and
the test demands that the set of (row, rule) it finds equals truth.corrupted_rows exactly:
every recorded bad row is really broken in the stated column, and no other row is.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from core.paths import SEEDS_DIR
from ingest.schema import SOURCES
from synthetic import generate

FILE_NAME = re.compile(
    r"^(?P<source>"
    + "|".join(name for name, source in SOURCES.items() if source.per_municipality)
    + r")"
    r"_(?P<kode>\d{3,4})_(?P<date>\d{4}-\d{2}-\d{2})\.(?P<ext>csv|xlsx|parquet)$"
    r"|^(?P<stat>ankestatistik)_(?P<statdate>\d{4}-\d{2}-\d{2})\.csv$"
    r"|^(?P<dream>dream)_(?P<dreamdate>\d{4}-\d{2}-\d{2})\.(?:csv|parquet)$"
)
TRUE_WORDS = {"j", "ja", "1"}
FALSE_WORDS = {"n", "nej", "0"}


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("extracts")
    return out, generate(out, scale="small", seed=7)


def read_any(path: Path) -> pl.DataFrame:
    """All columns as text, headers normalised (strip + lower)."""
    if path.suffix == ".parquet":
        frame = pl.read_parquet(path)
    elif path.suffix == ".xlsx":
        frame = pl.read_excel(path, infer_schema_length=0)
    else:
        raw = path.read_bytes()
        if raw.startswith(b"\xef\xbb\xbf"):
            text = raw[3:].decode("utf-8")
        else:
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("cp1252")
        first = text.split("\n", 1)[0]
        sep = ";" if first.count(";") > first.count(",") else ","
        frame = pl.read_csv(text.encode("utf-8"), separator=sep, infer_schema=False)
    frame = frame.rename({c: c.strip().lower() for c in frame.columns})
    return frame.with_columns(
        pl.col(c).cast(pl.String).str.strip_chars().replace("", None) for c in frame.columns
    )


def parse_date(col: str) -> pl.Expr:
    text = pl.col(col)
    return pl.coalesce(
        text.str.to_date("%d-%m-%Y", strict=False),
        text.str.to_date("%d.%m.%Y", strict=False),
        text.str.to_date("%Y-%m-%d", strict=False),
    )


def parse_decimal(col: str) -> pl.Expr:
    text = pl.col(col)
    danish = text.str.replace_all(r"\.", "").str.replace(",", ".")
    return (
        pl.when(text.str.contains(",")).then(danish).otherwise(text).cast(pl.Float64, strict=False)
    )


def parse_bool(col: str) -> pl.Expr:
    low = pl.col(col).str.to_lowercase()
    return pl.when(low.is_in(TRUE_WORDS)).then(True).when(low.is_in(FALSE_WORDS)).then(False)


def valid_cpr(col: str) -> pl.Expr:
    digits = pl.col(col).str.replace("-", "")
    shape = pl.col(col).str.contains(r"^\d{6}-?\d{4}$")
    ddmmyy = digits.str.slice(0, 6)
    # Any century gives the same validity for day/month except 29 Feb; accept if valid in
    # either 19yy or 20yy.
    as19 = (ddmmyy.str.slice(0, 4) + pl.lit("19") + ddmmyy.str.slice(4, 2)).str.to_date(
        "%d%m%Y", strict=False
    )
    as20 = (ddmmyy.str.slice(0, 4) + pl.lit("20") + ddmmyy.str.slice(4, 2)).str.to_date(
        "%d%m%Y", strict=False
    )
    return shape & (as19.is_not_null() | as20.is_not_null())


def kommune_names() -> set[str]:
    table = pl.read_csv(SEEDS_DIR / "kommuner.csv", schema_overrides={"navn_aliaser": pl.String})
    names = set(table["kommunenavn"])
    for aliases in table["navn_aliaser"].drop_nulls():
        names.update(a for a in aliases.split("|") if a)
    return names


def violations(frame: pl.DataFrame, source: str, kode: int | None, extract: date) -> set:
    """(source_row_number, rule, column) for every broken cell of the file."""
    spec = SOURCES[source]
    found: set[tuple[int, str, str]] = set()
    frame = frame.with_row_index("row", offset=1)
    checks: list[tuple[str, str, pl.Expr]] = []
    parsed: dict[str, pl.Expr] = {}
    for column in spec.columns:
        name = column.name
        if name not in frame.columns:
            assert not column.in_file, f"{source}: required column {name} missing"
            continue
        raw = pl.col(name)
        if column.required:
            checks.append(("required_missing", name, raw.is_null()))
        if column.dtype == "date":
            parsed[name] = parse_date(name)
            checks.append(("invalid_date", name, raw.is_not_null() & parsed[name].is_null()))
            checks.append(("future_date", name, parsed[name] > extract))
        elif column.dtype == "int":
            parsed[name] = raw.cast(pl.Int64, strict=False)
            checks.append(("invalid_value", name, raw.is_not_null() & parsed[name].is_null()))
            if name != "kommunekode" and column.min_value is not None:
                out = (parsed[name] < column.min_value) | (parsed[name] > column.max_value)
                checks.append(("out_of_range", name, out))
        elif column.dtype == "decimal":
            parsed[name] = parse_decimal(name)
            checks.append(("invalid_value", name, raw.is_not_null() & parsed[name].is_null()))
        elif column.dtype == "bool":
            parsed[name] = parse_bool(name)
            checks.append(("invalid_value", name, raw.is_not_null() & parsed[name].is_null()))
        elif column.enum is not None:
            checks.append(("invalid_enum", name, raw.is_not_null() & ~raw.is_in(column.enum)))
    for order in spec.date_orders:
        if order.earlier in parsed and order.later in parsed:
            checks.append(("date_order", order.later, parsed[order.later] < parsed[order.earlier]))
    for rule in spec.required_when:
        if rule.condition in parsed and rule.column in frame.columns:
            condition = (
                pl.col(rule.condition).is_not_null()
                if rule.when_present
                else parsed[rule.condition]
            )
            checks.append(("required_when", rule.column, condition & pl.col(rule.column).is_null()))
    if kode is not None:
        checks.append(("kommunekode_mismatch", "kommunekode", parsed["kommunekode"] != kode))
    for cpr in spec.cpr_columns:
        if cpr in frame.columns:  # optional in some sources (survey answers)
            checks.append(("invalid_cpr", cpr, pl.col(cpr).is_not_null() & ~valid_cpr(cpr)))
    if source == "ankestatistik":
        checks.append(("unknown_kommune", "kommune", ~pl.col("kommune").is_in(kommune_names())))
    else:
        key = spec.key[0]
        checks.append(
            ("duplicate_key", key, pl.col(key).is_not_null() & pl.col(key).is_duplicated())
        )
    flags = frame.select(
        "row", *[expr.fill_null(False).alias(f"{rule}|{col}") for rule, col, expr in checks]
    )
    for label in flags.columns[1:]:
        rule, col = label.split("|")
        for row in flags.filter(pl.col(label))["row"].to_list():
            found.add((row, rule, col))
    return found


def test_file_names_follow_the_contract(run):
    out, truth = run
    names = sorted(p.name for p in out.iterdir() if p.name != "truth.json")
    dream = [f["file"] for f in truth.get("dream", {}).get("files", [])]
    assert dream  # DREAM is part of the default run
    assert names == sorted([f["file"] for f in truth["files"]] + dream)
    paddings = Counter()
    for name in names:
        match = FILE_NAME.match(name)
        assert match, name
        if match["kode"]:
            paddings[len(match["kode"])] += 1
            assert (
                int(match["kode"])
                in truth["municipalities"]["trial"] + truth["municipalities"]["control"]
            )
    assert paddings[3] > 0 and paddings[4] > 0
    assert "ankestatistik_2021-03-31.csv" in names and "ankestatistik_2023-03-31.csv" in names


def test_corruption_record_matches_the_files_exactly(run):
    out, truth = run
    recorded: dict[str, set] = {}
    for bad in truth["corrupted_rows"]:
        recorded.setdefault(bad["file"], set()).add(
            (bad["source_row_number"], bad["rule"], bad["column"])
        )
    total_rows = 0
    for entry in truth["files"]:
        frame = read_any(out / entry["file"])
        assert frame.height == entry["rows"], entry["file"]
        total_rows += frame.height
        found = violations(
            frame, entry["source"], entry["kommunekode"], date.fromisoformat(entry["extract_date"])
        )
        assert found == recorded.get(entry["file"], set()), entry["file"]
    rules = Counter(b["rule"] for b in truth["corrupted_rows"])
    # About 0.5 % of rows, spread over the rule codes.
    assert 0.002 * total_rows < len(truth["corrupted_rows"]) < 0.012 * total_rows
    assert len(rules) >= 10
    # Each bad row has exactly one corruption.
    keys = Counter((b["file"], b["source_row_number"]) for b in truth["corrupted_rows"])
    assert max(keys.values()) == 1


def test_encodings_delimiters_and_formats_vary(run):
    out, truth = run
    boms, cp1252, semicolon, comma, crlf = 0, 0, 0, 0, 0
    for entry in truth["files"]:
        if entry["format"] != "csv":
            continue
        raw = (out / entry["file"]).read_bytes()
        boms += raw.startswith(b"\xef\xbb\xbf")
        first_line = raw.split(b"\n", 1)[0]
        semicolon += b";" in first_line
        comma += b";" not in first_line
        crlf += first_line.endswith(b"\r")
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            cp1252 += 1
    assert boms > 0 and semicolon > 0 and comma > 0 and crlf > 0
    assert {f["encoding"] for f in truth["files"] if f["format"] == "csv"} == {
        "utf-8",
        "utf-8-sig",
        "cp1252",
    }
    # Ankestyrelsen's names carry æ/ø/å: each file decodes with its declared encoding, and a
    # Windows-1252 one is not valid UTF-8.
    for entry in (f for f in truth["files"] if f["source"] == "ankestatistik"):
        raw = (out / entry["file"]).read_bytes()
        assert "Læsø" in raw.decode(entry["encoding"])
        assert (entry["encoding"] == "cp1252") == (b"L\xe6s\xf8" in raw)
    # Per-municipality files are ASCII apart from a BOM, so only the BOM tells them apart.
    assert cp1252 == sum(
        f["encoding"] == "cp1252" for f in truth["files"] if f["source"] == "ankestatistik"
    )
    formats = Counter(f["format"] for f in truth["files"])
    assert formats["xlsx"] > 0 and formats["parquet"] > 0 and formats["csv"] > formats["xlsx"]
    date_styles = {f["style"]["date_format"] for f in truth["files"]}
    bool_styles = {f["style"]["bool_style"] for f in truth["files"]}
    assert date_styles == {"dd-mm-yyyy", "dd.mm.yyyy", "iso"}
    assert bool_styles == {"J/N", "Ja/Nej", "1/0"}
    headers = {name for f in truth["files"] for name in f["columns"]}
    assert " sags_id " in headers or "SAGS_ID" in headers


def test_danish_decimal_comma_is_used_with_semicolon(run):
    out, truth = run
    entry = next(
        f
        for f in truth["files"]
        if f["source"] == "helbredsdokumentation" and f["style"]["decimal_comma"]
    )
    text = (out / entry["file"]).read_bytes().decode(entry["encoding"])
    assert entry["delimiter"] == ";"
    assert ";1.140,00;" in text or ";1.290,00;" in text


def test_clean_run_has_no_bad_rows_and_one_style(tmp_path):
    truth = generate(tmp_path, scale="small", seed=3, mess=False)
    assert truth["corrupted_rows"] == []
    assert {f["format"] for f in truth["files"]} == {"csv"}
    assert {(f["encoding"], f["delimiter"]) for f in truth["files"]} == {("utf-8", ",")}
    entry = next(f for f in truth["files"] if f["source"] == "sygedagpengesager")
    frame = read_any(tmp_path / entry["file"])
    assert violations(frame, "sygedagpengesager", entry["kommunekode"], date(2022, 10, 31)) == set()


def test_optional_bad_files_are_really_bad(tmp_path):
    truth = generate(tmp_path, scale="small", seed=3, mess=False, snapshots=1, bad_files=True)
    bad = {b["file"]: b for b in truth["bad_files"]}
    assert len(bad) == 3
    assert not set(bad) & {f["file"] for f in truth["files"]}
    for name, record in bad.items():
        path = tmp_path / name
        assert path.exists()
        if record["kind"] == "column":
            assert "anmeldt_dato" not in read_any(path).columns
        elif record["kind"] == "name":
            match = FILE_NAME.match(name)
            with pytest.raises(ValueError):
                date.fromisoformat(match["date"])
        else:
            with pytest.raises(Exception):  # noqa: B017 - any reader error will do
                pl.read_excel(path)
