"""Realistic mess: how each file is written (style) and the genuinely bad rows.

Style per file (when mess is on): CSV/XLSX/Parquet, encoding (UTF-8, UTF-8 with BOM,
Windows-1252), delimiter (``;`` or ``,``; Danish decimal comma ``1.140,50`` only with ``;``),
date format (``dd-mm-yyyy``, ``dd.mm.yyyy``, ISO), booleans (``J/N``, ``Ja/Nej``, ``1/0``),
header case/space variations, kommunekode padded or not (file name and column), line
endings, and for control municipalities the trial-only columns filled with N, blank or
left out.

Bad rows: about ``KORRUPT_ANDEL`` of the rows of a file each get exactly ONE corruption,
with a rule code shared with ingest (``ingest.schema.RULES``). Every other row is valid under
ingest/schema.py. Duplicate keys are made by inserting a second row with the same key
(and a different, valid value elsewhere); both occurrences are recorded.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta

import numpy as np
import polars as pl

from ingest.schema import SOURCES
from synthetic import params as P

DATE_FORMATS: dict[str, str] = {
    "dd-mm-yyyy": "%d-%m-%Y",
    "dd.mm.yyyy": "%d.%m.%Y",
    "iso": "%Y-%m-%d",
}
BOOL_STYLES: dict[str, tuple[str, str]] = {
    "J/N": ("J", "N"),
    "Ja/Nej": ("Ja", "Nej"),
    "1/0": ("1", "0"),
}


@dataclass(frozen=True)
class FileStyle:
    format: str = "csv"  # csv | xlsx | parquet
    encoding: str = "utf-8"  # utf-8 | utf-8-sig | cp1252 (csv); utf-8 for xlsx/parquet
    delimiter: str | None = ","
    decimal_comma: bool = False
    date_format: str = "iso"
    bool_style: str = "J/N"
    header_style: str = "exact"  # exact | upper | title | padded | padded_title | mixed
    pad_kode_name: bool = True
    pad_kode_column: bool = False
    line_terminator: str = "\n"
    trial_columns: str = "values"  # values | blank | omit (control municipalities only)

    def as_truth(self) -> dict:
        d = asdict(self)
        d["line_terminator"] = "CRLF" if self.line_terminator == "\r\n" else "LF"
        return d


CLEAN = FileStyle()
# Sources whose files come as CSV or Excel only (contract §1.9: survey tools export these).
CSV_XLSX_ONLY = ("survey",)


def choose_style(
    rng: np.random.Generator, mess: bool, source: str, n_rows: int, is_trial: bool
) -> FileStyle:
    """A random style for one file (clean when mess is off)."""
    if not mess:
        return CLEAN
    u = rng.random(12)
    if source == "ankestatistik":
        fmt = "csv"
    elif u[0] < P.PARQUET_ANDEL and source not in CSV_XLSX_ONLY:
        fmt = "parquet"
    elif u[0] < P.PARQUET_ANDEL + P.XLSX_ANDEL and n_rows <= P.XLSX_MAX_RAEKKER:
        fmt = "xlsx"
    else:
        fmt = "csv"
    csv = fmt == "csv"
    # XLSX and Parquet store text as UTF-8 by their specifications.
    encoding = (
        ("utf-8" if u[1] < 0.45 else "utf-8-sig" if u[1] < 0.7 else "cp1252") if csv else "utf-8"
    )
    delimiter = (";" if u[2] < 0.65 else ",") if csv else None
    trial_columns = "values"
    if not is_trial:
        trial_columns = "values" if u[10] < 0.5 else "blank" if u[10] < 0.75 else "omit"
    return FileStyle(
        format=fmt,
        encoding=encoding,
        delimiter=delimiter,
        decimal_comma=bool(delimiter == ";" and u[3] < 0.8),
        date_format=list(DATE_FORMATS)[int(u[4] * 3)],
        bool_style=list(BOOL_STYLES)[0 if u[5] < 0.5 else 1 if u[5] < 0.75 else 2],
        header_style=["exact", "exact", "upper", "title", "padded", "padded_title", "mixed"][
            int(u[6] * 7)
        ],
        pad_kode_name=bool(u[7] < 0.5),
        pad_kode_column=bool(u[8] < 0.5),
        line_terminator="\n" if u[9] < 0.6 else "\r\n",
        trial_columns=trial_columns,
    )


def file_name(source: str, kommunekode: int | None, extract: date, style: FileStyle) -> str:
    ext = {"csv": "csv", "xlsx": "xlsx", "parquet": "parquet"}[style.format]
    if kommunekode is None:
        return f"{source}_{extract.isoformat()}.{ext}"
    kode = f"{kommunekode:04d}" if style.pad_kode_name else str(kommunekode)
    return f"{source}_{kode}_{extract.isoformat()}.{ext}"


def _decimal_text(col: str, comma: bool) -> pl.Expr:
    """Decimal as text: ``1140.00`` or Danish ``1.140,00``."""
    cents = (pl.col(col) * 100).round().cast(pl.Int64)
    whole = cents // 100
    frac = (cents % 100).cast(pl.String).str.zfill(2)
    if not comma:
        return pl.format("{}.{}", whole, frac)
    thousands = (
        pl.when(whole >= 1000)
        .then(pl.format("{}.{}", whole // 1000, (whole % 1000).cast(pl.String).str.zfill(3)))
        .otherwise(whole.cast(pl.String))
    )
    return pl.format("{},{}", thousands, frac)


def to_text(frame: pl.DataFrame, source: str, style: FileStyle) -> pl.DataFrame:
    """Schema columns of ``frame`` rendered as text in the file's style (null = blank)."""
    spec = SOURCES[source]
    true_s, false_s = BOOL_STYLES[style.bool_style]
    fmt = DATE_FORMATS[style.date_format]
    exprs = []
    for column in spec.columns:
        name = column.name
        if not column.in_file and style.trial_columns == "omit":
            continue
        if not column.in_file and style.trial_columns == "blank":
            exprs.append(pl.lit(None, dtype=pl.String).alias(name))
            continue
        c = pl.col(name)
        if name == "kommunekode":
            expr = c.cast(pl.String).str.zfill(4) if style.pad_kode_column else c.cast(pl.String)
        elif column.dtype == "date":
            expr = c.dt.strftime(fmt)
        elif column.dtype == "bool":
            expr = pl.when(c).then(pl.lit(true_s)).when(~c).then(pl.lit(false_s))
        elif column.dtype == "decimal":
            expr = _decimal_text(name, style.decimal_comma)
        else:
            expr = c.cast(pl.String)
        exprs.append(expr.alias(name))
    return frame.select(exprs)


def header(names: list[str], style: FileStyle, rng: np.random.Generator) -> list[str]:
    """Column names as the file writes them."""

    def one(name: str, how: str) -> str:
        if how == "upper":
            return name.upper()
        if how == "title":
            return "_".join(part.capitalize() for part in name.split("_"))
        if how == "padded":
            return f" {name} "
        if how == "padded_title":
            return f" {one(name, 'title')} "
        return name

    if style.header_style != "mixed":
        return [one(n, style.header_style) for n in names]
    kinds = ["exact", "upper", "title", "padded", "padded_title"]
    picks = rng.integers(0, len(kinds), len(names))
    return [one(n, kinds[k]) for n, k in zip(names, picks, strict=True)]


@dataclass
class Corruption:
    row: int  # 0-based index in the text frame before duplicates are inserted
    rule: str
    column: str


@dataclass(frozen=True)
class _SourceMess:
    """How one source's rows are corrupted: the rules tried for a drawn row (in order of
    preference) and, per rule, the column and bad value it uses.

    required: columns blanked by required_missing; enum_bad / invalid_value / out_of_range:
    (column, bad value) written over a filled cell; invalid_date, future: the date column;
    duplicate_varies: (column, valid values) changed in the second occurrence of a
    duplicated key (None: the rehab adviser alternates). The duplicated key is the source's
    key column in ingest/schema.py.
    """

    rules: tuple[str, ...]
    required: tuple[str, ...]
    enum_bad: tuple[str, str] | None = None
    invalid_value: tuple[str, str] | None = None
    out_of_range: tuple[str, str] | None = None
    invalid_date: str | None = None
    future: str | None = None
    duplicate_varies: tuple[str, tuple[str, str] | None] | None = None


_MESS: dict[str, _SourceMess] = {
    "sygedagpengesager": _SourceMess(
        rules=(
            "required_missing",
            "invalid_date",
            "invalid_value",
            "invalid_enum",
            "out_of_range",
            "date_order",
            "required_when",
            "duplicate_key",
            "kommunekode_mismatch",
            "invalid_cpr",
            "future_date",
        ),
        required=("cpr", "anmeldt_dato", "visitationskategori"),
        enum_bad=("diagnosegruppe", "ryglidelse"),
        invalid_value=("visitationskategori", "to"),
        invalid_date="foerste_fravaersdag",
        future="afsluttet_dato",
        duplicate_varies=("diagnosegruppe", ("andet", "ukendt")),
    ),
    "helbredsdokumentation": _SourceMess(
        rules=(
            "required_missing",
            "invalid_date",
            "invalid_value",
            "invalid_enum",
            "date_order",
            "duplicate_key",
            "kommunekode_mismatch",
            "future_date",
        ),
        required=("sags_id", "rekvireret_dato", "dokumenttype"),
        enum_bad=("dokumenttype", "LAE999"),
        invalid_value=("honorar_kr", "ca. 1140"),
        invalid_date="rekvireret_dato",
        future="modtaget_dato",
        duplicate_varies=("udsteder", ("egen_laege", "anden")),
    ),
    "rehabiliteringssager": _SourceMess(
        rules=(
            "required_missing",
            "invalid_date",
            "invalid_value",
            "invalid_enum",
            "date_order",
            "required_when",
            "duplicate_key",
            "kommunekode_mismatch",
            "invalid_cpr",
            "future_date",
        ),
        required=("cpr", "maalgruppe", "startdato"),
        enum_bad=("maalgruppe", "kontanthjaelp"),
        invalid_value=("fleksjob_timer", "ti"),
        invalid_date="startdato",
        future="afgoerelse_dato",
        duplicate_varies=("sundhedsfaglig_raadgiver", None),
    ),
    "ankesager": _SourceMess(
        rules=(
            "required_missing",
            "invalid_date",
            "invalid_enum",
            "date_order",
            "duplicate_key",
            "kommunekode_mismatch",
            "future_date",
        ),
        required=("lovomraade", "modtaget_dato"),
        enum_bad=("lovomraade", "kontanthjaelp"),
        invalid_date="modtaget_dato",
        future="afgoerelse_dato",
        duplicate_varies=("lovomraade", ("andet", "sygedagpenge")),
    ),
    "ankestatistik": _SourceMess(
        rules=(
            "required_missing",
            "invalid_value",
            "invalid_enum",
            "out_of_range",
            "unknown_kommune",
        ),
        required=("lovomraade", "antal"),
        enum_bad=("afgoerelsestype", "delvist_medhold"),
        invalid_value=("antal", "ca. 3"),
    ),
    "psykologforloeb": _SourceMess(
        rules=(
            "required_missing",
            "invalid_date",
            "invalid_value",
            "invalid_enum",
            "out_of_range",
            "date_order",
            "required_when",
            "duplicate_key",
            "kommunekode_mismatch",
            "invalid_cpr",
            "future_date",
        ),
        required=("cpr", "sags_id", "henvist_dato"),
        enum_bad=("diagnose", "F99"),
        invalid_value=("udgift_kr", "ca. 8000"),
        out_of_range=("antal_sessioner", "14"),
        invalid_date="henvist_dato",
        future="afsluttet_dato",
        duplicate_varies=("diagnose", ("F43", "F32")),
    ),
    "uddannelsespaalaeg": _SourceMess(
        rules=(
            "required_missing",
            "invalid_date",
            "invalid_enum",
            "date_order",
            "required_when",
            "duplicate_key",
            "kommunekode_mismatch",
            "invalid_cpr",
            "future_date",
        ),
        required=("cpr", "fritaget_dato"),
        enum_bad=("begrundelse", "ikke_motiveret"),
        invalid_date="fritaget_dato",
        future="ophoert_dato",
        duplicate_varies=("begrundelse", ("andet", "kan_ikke_gennemfoere_uddannelse")),
    ),
    # Questionnaire answers: no dates; an answer outside the 1-5 scale or written in words,
    # an unknown respondent type, a blank question, a duplicated answer id, another
    # municipality's code.
    "survey": _SourceMess(
        rules=(
            "required_missing",
            "invalid_value",
            "invalid_enum",
            "out_of_range",
            "duplicate_key",
            "kommunekode_mismatch",
        ),
        required=("respondenttype", "boelge", "spoergsmaal"),
        enum_bad=("respondenttype", "leder"),
        invalid_value=("svar", "fire"),
        out_of_range=("svar", "7"),
        duplicate_varies=("svar", ("2", "4")),
    ),
}
# (earlier column, later column that is moved before it): each source's first date rule.
_DATE_ORDER = {
    name: (source.date_orders[0].earlier, source.date_orders[0].later)
    for name, source in SOURCES.items()
    if source.date_orders
}
# (column that must be filled, boolean condition): each source's required-when rule.
_REQUIRED_WHEN = {
    name: (source.required_when[0].column, source.required_when[0].condition)
    for name, source in SOURCES.items()
    if source.required_when
}
_REQUIRED_WHEN_PRESENT = {
    name
    for name, source in SOURCES.items()
    if source.required_when and source.required_when[0].when_present
}


def _impossible_date(year: int, fmt: str) -> str:
    return (
        date(year, 2, 1).strftime(fmt).replace("01", "31", 1)
        if fmt != "%Y-%m-%d"
        else f"{year}-02-31"
    )


def corrupt(
    text: pl.DataFrame,
    source: str,
    style: FileStyle,
    rng: np.random.Generator,
    extract: date,
    other_kommunekode: int,
    share: float = P.KORRUPT_ANDEL,
) -> tuple[pl.DataFrame, list[tuple[int, str, str, int]]]:
    """Corrupt a share of rows (one corruption each) and insert duplicates.

    Returns the new text frame and (1-based source_row_number, rule, column, row) per bad
    row, ``row`` the 0-based index of the corrupted row in ``text`` (for an inserted
    duplicate: the row it copies), so a caller can name the case a bad row belonged to.
    """
    n = text.height
    k = int(rng.binomial(n, share)) if n else 0
    if k == 0:
        return text, []
    fmt = DATE_FORMATS[style.date_format]
    true_s = BOOL_STYLES[style.bool_style][0]
    rows = sorted(int(r) for r in rng.choice(n, size=k, replace=False))
    # Only the chosen rows are taken out of polars, mutated, and scattered back.
    cols = {c: text[c].gather(rows).to_list() for c in text.columns}
    rules = _MESS[source].rules
    done: list[Corruption] = []
    duplicates: list[int] = []
    for local, row in enumerate(rows):
        order = rng.permutation(len(rules))
        for idx in order:
            rule = rules[idx]
            column = _apply(
                rule, source, cols, local, style, fmt, true_s, rng, extract, other_kommunekode
            )
            if column is not None:
                if rule == "duplicate_key":
                    duplicates.append(row)
                done.append(Corruption(row, rule, column))
                break
    base = pl.DataFrame(
        [
            text[c].clone().scatter(rows, pl.Series(c, cols[c], dtype=pl.String))
            for c in text.columns
        ]
    )
    # Insert the second occurrence of each duplicated key at a random later position.
    position = np.arange(n, dtype=float)
    extra_pos: list[float] = []
    extra_rows: list[int] = []
    vary_col, vary_values = _MESS[source].duplicate_varies or (None, None)
    for row in duplicates:
        extra_rows.append(row)
        extra_pos.append(float(rng.integers(row + 1, n + 1)) - 0.5)
    copies = base[extra_rows] if extra_rows else base.clear()
    if extra_rows and vary_col in copies.columns:
        current = copies[vary_col].to_list()
        if vary_values is None:
            varied = [
                v if v is None else ("anden" if v == "klinisk_funktion" else "klinisk_funktion")
                for v in current
            ]
        else:
            varied = [vary_values[0] if v != vary_values[0] else vary_values[1] for v in current]
        copies = copies.with_columns(pl.Series(vary_col, varied, dtype=pl.String))
    combined = pl.concat([base, copies]).with_columns(
        _pos=pl.Series(np.concatenate([position, np.asarray(extra_pos)]))
    )
    combined = combined.with_row_index("_orig").sort("_pos", maintain_order=True)
    # 1-based row number in the written file of each original row and each inserted copy.
    number = np.empty(combined.height, dtype=np.int64)
    number[combined["_orig"].to_numpy()] = np.arange(1, combined.height + 1)
    copy_number = {row: int(number[n + j]) for j, row in enumerate(extra_rows)}
    records: list[tuple[int, str, str, int]] = []
    for c in done:
        records.append((int(number[c.row]), c.rule, c.column, c.row))
        if c.rule == "duplicate_key":
            records.append((copy_number[c.row], c.rule, c.column, c.row))
    return combined.drop("_orig", "_pos"), sorted(records)


def _apply(
    rule: str,
    source: str,
    cols: dict[str, list[str | None]],
    row: int,
    style: FileStyle,
    fmt: str,
    true_s: str,
    rng: np.random.Generator,
    extract: date,
    other_kode: int,
) -> str | None:
    """Mutate one cell for ``rule``; the column name, or None when not applicable here."""

    def parse(value: str | None) -> date | None:
        if value is None:
            return None
        from datetime import datetime

        return datetime.strptime(value, fmt).date()

    mess = _MESS[source]

    def overwrite(target: tuple[str, str | None] | None) -> str | None:
        """Write the bad value over a filled cell of the column (None: not applicable)."""
        if target is None or target[0] not in cols or cols[target[0]][row] is None:
            return None
        cols[target[0]][row] = target[1]
        return target[0]

    if rule == "required_missing":
        column = mess.required[int(rng.integers(0, len(mess.required)))]
        return overwrite((column, None))
    if rule == "invalid_date":
        column = mess.invalid_date
        current = parse(cols[column][row])
        if current is None:
            return None
        cols[column][row] = _impossible_date(current.year, fmt)
        return column
    if rule == "invalid_value":
        # A number written in words replaces the cell even when it was blank.
        if mess.invalid_value is None or mess.invalid_value[0] not in cols:
            return None
        cols[mess.invalid_value[0]][row] = mess.invalid_value[1]
        return mess.invalid_value[0]
    if rule == "invalid_enum":
        return overwrite(mess.enum_bad)
    if rule == "out_of_range" and mess.out_of_range is not None:
        return overwrite(mess.out_of_range)
    if rule == "out_of_range":
        column = "visitationskategori" if source == "sygedagpengesager" else "kvartal"
        if cols[column][row] is None:
            return None
        cols[column][row] = (
            "4"
            if column == "visitationskategori" and rng.random() < 0.5
            else ("7" if column == "visitationskategori" else "5")
        )
        return column
    if rule == "date_order":
        earlier_col, later_col = _DATE_ORDER[source]
        earlier, later = parse(cols[earlier_col][row]), parse(cols[later_col][row])
        if earlier is None or later is None:
            return None
        cols[later_col][row] = (earlier - timedelta(days=int(rng.integers(1, 21)))).strftime(fmt)
        return later_col
    if rule == "required_when":
        if source not in _REQUIRED_WHEN:
            return None
        column, condition = _REQUIRED_WHEN[source]
        if condition not in cols:
            return None
        holds = (
            cols[condition][row] is not None
            if source in _REQUIRED_WHEN_PRESENT
            else cols[condition][row] == true_s
        )
        if not holds or cols[column][row] is None:
            return None
        cols[column][row] = None
        return column
    if rule == "duplicate_key":
        (key,) = SOURCES[source].key  # one key column for every source with this rule
        return key
    if rule == "kommunekode_mismatch":
        cols["kommunekode"][row] = f"{other_kode:04d}" if style.pad_kode_column else str(other_kode)
        return "kommunekode"
    if rule == "unknown_kommune":
        cols["kommune"][row] = "Nordjyllands Amt"
        return "kommune"
    if rule == "invalid_cpr":
        current = cols["cpr"][row]
        if current is None:
            return None
        if rng.random() < 0.5:
            cols["cpr"][row] = current[:2] + "13" + current[4:]  # month 13
        else:
            cols["cpr"][row] = current[:-1]  # one digit short
        return "cpr"
    if rule == "future_date":
        column = mess.future
        cols[column][row] = (extract + timedelta(days=int(rng.integers(1, 61)))).strftime(fmt)
        if source == "sygedagpengesager" and cols["afslutningsaarsag"][row] is None:
            cols["afslutningsaarsag"][row] = "raskmeldt"
        if source == "rehabiliteringssager" and cols["afgoerelse"][row] is None:
            cols["afgoerelse"][row] = "afslag"
        if source == "ankesager" and cols["afgoerelsestype"][row] is None:
            cols["afgoerelsestype"][row] = "stadfaestet"
        if source == "uddannelsespaalaeg" and cols["ophoer_aarsag"][row] is None:
            cols["ophoer_aarsag"][row] = "andet"
        return column
    raise ValueError(rule)
