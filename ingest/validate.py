"""Row rules of an extract, as polars masks and as a Great Expectations suite.

Every rule is a ``Check``: the polars expression that marks failing rows (used to load,
vectorised over the whole file) and the Great Expectations expectation that states the
same rule (the declared suite under ``expectations/``, run by tests and the benchmark
to prove both agree). Loading uses the polars masks: on the national synthetic set
(4.77 M rows) the full GX suite extrapolates to 460–750 s against a 2-minute budget
for the whole ingest, the polars masks to about 7 s CPU (bench/bench_ingest.py,
expectations/README.md).

Rule codes (shared with the generator's truth.json): required_missing, invalid_date,
invalid_value, invalid_enum, out_of_range, date_order, required_when, duplicate_key,
kommunekode_mismatch, unknown_kommune, invalid_cpr, future_date.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from core import paths
from ingest.cpr import contains_cpr
from ingest.normalise import ROW, problem_column, text_column
from ingest.pseudonymise import MASKED, PERSON_ID
from ingest.schema import SOURCES, Source

PARAM_KOMMUNEKODE = "kommunekode_fil"
PARAM_EXTRACT_DATE = "udtraeksdato"
EXPECTATIONS_DIR = paths.EXPECTATIONS_DIR

_TYPE_WORDS = {"int": "et helt tal", "decimal": "et tal", "bool": "ja/nej (J/N)"}


def _gxe() -> Any:
    """Great Expectations' expectation classes, imported only when a suite is built."""
    import great_expectations.expectations as gxe

    return gxe


def _gx_cpr() -> Any:
    """The GX expectation that calls ingest's CPR rule (imported only when a suite is built)."""
    from ingest import gx_cpr

    return gx_cpr


@dataclass(frozen=True)
class Check:
    """One row rule: where it fails, why in Danish, and the GX expectation stating it."""

    check_id: str
    rule: str
    column: str | None
    failing: pl.Expr
    reason: pl.Expr
    expectation: Callable[[], Any]


@dataclass(frozen=True)
class FileContext:
    """What the file name says; the per-file parameters of the suite."""

    kommunekode: int | None
    extract_date: dt.date


def shown_text(source: Source, name: str) -> str:
    """The normalised-text column shown for ``name`` (the masked form for CPR)."""
    return MASKED if name in source.cpr_columns else text_column(name)


def _quoted(expr: pl.Expr) -> pl.Expr:
    return pl.lit("'") + expr.cast(pl.String) + pl.lit("'")


@functools.lru_cache(maxsize=64)
def _checks_of_source(source: Source) -> tuple[Check, ...]:
    """The rules of ``build_checks`` that do not depend on the file's context, built once
    per source (building the expressions cost ~2 ms a file)."""
    checks: list[Check] = []
    add = _adder(checks)
    for c in source.columns:
        text = shown_text(source, c.name)
        if c.required:
            add(
                f"required_missing:{c.name}",
                "required_missing",
                c.name,
                pl.col(text).is_null(),
                pl.lit(f"feltet '{c.name}' er tomt, men skal udfyldes"),
                lambda meta, text=text: _gxe().ExpectColumnValuesToNotBeNull(
                    column=text, meta=meta
                ),
            )
        if c.name in source.cpr_columns:
            add(
                f"invalid_cpr:{c.name}",
                "invalid_cpr",
                c.name,
                pl.col(MASKED).is_not_null() & pl.col(PERSON_ID).is_null(),
                pl.lit("CPR-nummeret er ugyldigt (") + pl.col(MASKED) + pl.lit(")"),
                lambda meta: _gxe().ExpectColumnValuesToNotBeNull(
                    column=PERSON_ID,
                    row_condition=f"{MASKED}.notnull()",
                    condition_parser="pandas",
                    meta=meta,
                ),
            )
            continue
        if c.dtype in ("int", "decimal", "date", "bool"):
            rule = "invalid_date" if c.dtype == "date" else "invalid_value"
            reason = (
                pl.lit(f"'{c.name}' er ikke en gyldig dato: ") + _quoted(pl.col(text))
                if c.dtype == "date"
                else pl.lit(f"'{c.name}' skal være {_TYPE_WORDS[c.dtype]}, men er ")
                + _quoted(pl.col(text))
            )
            if c.dtype in ("decimal", "date"):
                # The reader's own explanation (ambiguous number style, impossible time).
                problem = pl.col(problem_column(c.name))
                lead = (
                    f"'{c.name}' er ikke en gyldig dato: " if c.dtype == "date" else f"'{c.name}': "
                )
                reason = (
                    pl.when(problem.is_not_null()).then(pl.lit(lead) + problem).otherwise(reason)
                )
            add(
                f"{rule}:{c.name}",
                rule,
                c.name,
                pl.col(text).is_not_null() & pl.col(c.name).is_null(),
                reason,
                lambda meta, c=c, text=text: _gxe().ExpectColumnValuesToNotBeNull(
                    column=c.name,
                    row_condition=f"{text}.notnull()",
                    condition_parser="pandas",
                    meta=meta,
                ),
            )
        if c.dtype == "text":
            # A free-text field holding a CPR number (e.g. typed into the case id) would
            # carry a personal number into the warehouse: keep that row out. Dashed form
            # always, bare ten digits when the first six are a date (ingest.cpr).
            add(
                f"cpr_in_text:{c.name}",
                "invalid_value",
                c.name,
                contains_cpr(pl.col(text)),
                pl.lit(f"'{c.name}' ligner et CPR-nummer og indlæses ikke"),
                lambda meta, text=text: _gx_cpr().ExpectColumnValuesToHoldNoCpr(
                    column=text, meta=meta
                ),
            )
        if c.dtype == "enum":
            allowed = [v.lower() for v in c.enum or ()]
            add(
                f"invalid_enum:{c.name}",
                "invalid_enum",
                c.name,
                pl.col(text).is_not_null() & ~pl.col(text).is_in(allowed),
                pl.lit(f"'{c.name}' har en ukendt værdi ")
                + _quoted(pl.col(text))
                + pl.lit(f" (tilladt: {', '.join(c.enum or ())})"),
                lambda meta, text=text, allowed=allowed: _gxe().ExpectColumnValuesToBeInSet(
                    column=text, value_set=allowed, meta=meta
                ),
            )
        if c.min_value is not None or c.max_value is not None:
            add(
                f"out_of_range:{c.name}",
                "out_of_range",
                c.name,
                (pl.col(c.name) < c.min_value) | (pl.col(c.name) > c.max_value),
                pl.lit(f"'{c.name}' = ")
                + pl.col(c.name).cast(pl.String)
                + pl.lit(f" ligger uden for det tilladte {c.min_value}–{c.max_value}"),
                lambda meta, c=c: _gxe().ExpectColumnValuesToBeBetween(
                    column=c.name, min_value=c.min_value, max_value=c.max_value, meta=meta
                ),
            )
    for c in source.columns:
        if c.dtype != "date" or c.earliest_date is None:
            continue
        earliest = c.earliest_date
        add(
            f"out_of_range:{c.name}",
            "out_of_range",
            c.name,
            pl.col(c.name) < earliest,
            pl.lit(f"'{c.name}' ")
            + pl.col(c.name).cast(pl.String)
            + pl.lit(f" ligger før den tidligst mulige dato {earliest.isoformat()}"),
            lambda meta, c=c, earliest=earliest: _gxe().ExpectColumnValuesToBeBetween(
                column=c.name, min_value=dt.datetime.combine(earliest, dt.time()), meta=meta
            ),
        )
    for order in source.date_orders:
        add(
            f"date_order:{order.later}",
            "date_order",
            order.later,
            pl.col(order.later) < pl.col(order.earlier),
            pl.lit(f"{order.message} ('{order.earlier}' ")
            + pl.col(order.earlier).cast(pl.String)
            + pl.lit(f", '{order.later}' ")
            + pl.col(order.later).cast(pl.String)
            + pl.lit(")"),
            lambda meta, order=order: _gxe().ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=order.later,
                column_B=order.earlier,
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                meta=meta,
            ),
        )
    for rule in source.required_when:
        text = text_column(rule.column)
        condition = (
            pl.col(text_column(rule.condition)).is_not_null()
            if rule.when_present
            else pl.col(rule.condition).fill_null(False)
        )
        row_condition = (
            f"{text_column(rule.condition)}.notnull()"
            if rule.when_present
            else f"{rule.condition} == True"
        )
        add(
            f"required_when:{rule.column}",
            "required_when",
            rule.column,
            condition & pl.col(text).is_null(),
            pl.lit(rule.message),
            lambda meta, text=text, row_condition=row_condition: (
                _gxe().ExpectColumnValuesToNotBeNull(
                    column=text,
                    row_condition=row_condition,
                    condition_parser="pandas",
                    meta=meta,
                )
            ),
        )
    key_texts = [shown_text(source, k) for k in source.key]
    key_present = pl.all_horizontal(pl.col(k).is_not_null() for k in key_texts)
    key_label = ", ".join(source.key)
    key_value = pl.concat_str([pl.col(k) for k in key_texts], separator=" / ")
    add(
        "duplicate_key",
        "duplicate_key",
        source.key[0],
        key_present & (pl.len().over(key_texts) > 1),
        pl.lit(f"nøglen ({key_label}) = ")
        + _quoted(key_value)
        + pl.lit(" forekommer flere gange i filen"),
        lambda meta: (
            _gxe().ExpectColumnValuesToBeUnique(column=key_texts[0], meta=meta)
            if len(key_texts) == 1
            else _gxe().ExpectCompoundColumnsToBeUnique(
                column_list=key_texts, ignore_row_if="any_value_is_missing", meta=meta
            )
        ),
    )
    return tuple(checks)


def _adder(checks: list[Check]) -> Callable[..., None]:
    """``add(check_id, rule, column, failing, reason, expectation)`` appending to ``checks``."""

    def add(check_id: str, rule: str, column: str | None, failing, reason, expectation) -> None:
        meta = {"rule": rule, "check_id": check_id, "column": column}
        checks.append(Check(check_id, rule, column, failing, reason, lambda: expectation(meta)))

    return add


def build_checks(source: Source, ctx: FileContext) -> list[Check]:
    """Every row rule of ``source`` for a file with context ``ctx``, in a fixed order."""
    checks = list(_checks_of_source(source))
    add = _adder(checks)
    if source.per_municipality:
        add(
            "kommunekode_mismatch",
            "kommunekode_mismatch",
            "kommunekode",
            pl.col("kommunekode") != ctx.kommunekode,
            pl.lit("rækkens kommunekode ")
            + pl.col("kommunekode").cast(pl.String)
            + pl.lit(f" passer ikke med filens kommunekode {ctx.kommunekode}"),
            lambda meta: _gxe().ExpectColumnValuesToBeInSet(
                column="kommunekode", value_set={"$PARAMETER": PARAM_KOMMUNEKODE}, meta=meta
            ),
        )
    else:
        add(
            "unknown_kommune",
            "unknown_kommune",
            "kommune",
            pl.col(text_column("kommune")).is_not_null() & pl.col("kommunekode").is_null(),
            pl.lit("kommunenavnet ")
            + _quoted(pl.col(text_column("kommune")))
            + pl.lit(" findes ikke i kommunelisten"),
            lambda meta: _gxe().ExpectColumnValuesToNotBeNull(
                column="kommunekode",
                row_condition=f"{text_column('kommune')}.notnull()",
                condition_parser="pandas",
                meta=meta,
            ),
        )
    for c in source.columns:
        if c.dtype != "date":
            continue
        add(
            f"future_date:{c.name}",
            "future_date",
            c.name,
            pl.col(c.name) > ctx.extract_date,
            pl.lit(f"'{c.name}' ")
            + pl.col(c.name).cast(pl.String)
            + pl.lit(f" ligger efter udtræksdatoen {ctx.extract_date.isoformat()}"),
            lambda meta, c=c: _gxe().ExpectColumnValuesToBeBetween(
                column=c.name, max_value={"$PARAMETER": PARAM_EXTRACT_DATE}, meta=meta
            ),
        )
    return checks


@dataclass(frozen=True)
class Validation:
    """The file's rows split into accepted ones and quarantined ones with rules and reason."""

    accepted: pl.DataFrame
    rejected: pl.DataFrame  # all columns plus ``rules`` (list[str]) and ``reason`` (str)


# The columns ``validate`` adds to the quarantined rows, as typed when no row fails.
NO_FAILURES: tuple[pl.Expr, ...] = (
    pl.lit(None, pl.List(pl.String)).alias("rules"),
    pl.lit(None, pl.String).alias("reason"),
)


def failure_masks(frame: pl.DataFrame, checks: list[Check]) -> pl.DataFrame:
    """One boolean column per check (named by ``check_id``): True where the row fails."""
    return frame.select(c.failing.fill_null(False).alias(c.check_id) for c in checks)


def validate(frame: pl.DataFrame, source: Source, ctx: FileContext) -> Validation:
    """Apply every row rule; a row failing any rule is quarantined with all its rules."""
    checks = build_checks(source, ctx)
    masks = failure_masks(frame, checks)
    bad = masks.select(pl.any_horizontal(pl.all()).alias("bad"))["bad"]
    if not bad.any():
        # Nothing to quarantine (most files): the same empty frame without planning
        # the rules and reasons over no rows (that cost ~5 ms a file).
        return Validation(frame, frame.clear().with_columns(*NO_FAILURES))
    accepted = frame.filter(~bad)
    failing = pl.concat([frame, masks.rename(lambda n: f"__fail__{n}")], how="horizontal").filter(
        bad
    )
    rules = pl.concat_list(
        pl.when(pl.col(f"__fail__{c.check_id}")).then(pl.lit(c.rule)) for c in checks
    )
    reasons = pl.concat_list(
        pl.when(pl.col(f"__fail__{c.check_id}")).then(c.reason) for c in checks
    )
    rejected = failing.with_columns(
        rules.list.drop_nulls().list.unique(maintain_order=True).alias("rules"),
        reasons.list.drop_nulls().list.join("; ").alias("reason"),
    ).drop(pl.selectors.starts_with("__fail__"))
    return Validation(accepted, rejected)


# --- Great Expectations: the declared suite and a runner for tests and benchmarks ---------


def ephemeral_context() -> Any:
    """A throw-away GX data context without progress bars."""
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    return context


def build_suite(source: Source) -> Any:
    """The GX suite of ``source``: every check's expectation, parameters left symbolic.

    Needs an active GX context (``ephemeral_context()``).
    """
    import great_expectations as gx

    ctx = FileContext(kommunekode=0, extract_date=dt.date(2000, 1, 1))
    suite = gx.ExpectationSuite(name=f"trialwh_{source.name}")
    for check in build_checks(source, ctx):
        suite.add_expectation(check.expectation())
    return suite


def suite_as_dict(source: Source) -> dict[str, Any]:
    """The suite as stable JSON-ready data (no generated ids)."""
    ephemeral_context()
    suite = build_suite(source)
    expectations = []
    for exp in suite.expectations:
        config = exp.configuration.to_json_dict()
        config.pop("id", None)
        expectations.append(config)
    return {
        "name": suite.name,
        "source": source.name,
        "parameters": [PARAM_KOMMUNEKODE, PARAM_EXTRACT_DATE],
        "expectations": expectations,
    }


def write_suites(folder: Path = EXPECTATIONS_DIR) -> list[Path]:
    """Write ``expectations/<source>.json`` for every source; returns the paths."""
    ephemeral_context()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    suites = [(source.name, suite_as_dict(source)) for source in SOURCES.values()]
    suites.append(("dream", dream_suite_as_dict()))
    for name, suite in suites:
        path = folder / f"{name}.json"
        path.write_text(json.dumps(suite, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


# --- DREAM (contract §1.6): the suite of the wide register, on its long form -------------
# ingest/dream.py checks a DREAM file in SQL over its long form: one row per file row (the
# person columns) and one per non-blank week cell (``ingest.dream.validation_frame``). The
# suite states the same rules on that frame; ``run_dream_gx_suite`` runs it (tests compare
# it with the rows ingest quarantines). The duplicate rule flags every row of a person on
# more than one row, where ingest keeps the first.


def dream_expectations(kommunekoder: list[int], codes: list[int]) -> list[Any]:
    """The GX expectations of the DREAM suite (known municipality codes and benefit codes)."""
    gxe = _gxe()

    def meta(check_id: str, rule: str) -> dict[str, str]:
        return {"check_id": check_id, "rule": rule}

    return [
        gxe.ExpectColumnValuesToNotBeNull(
            column=MASKED, meta=meta("required_missing:cpr", "required_missing")
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column=PERSON_ID,
            row_condition=f"{MASKED}.notnull()",
            condition_parser="pandas",
            meta=meta("invalid_cpr:cpr", "invalid_cpr"),
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="bopaelskommune",
            value_set=kommunekoder,
            row_condition="bopaelskommune__text.notnull()",
            condition_parser="pandas",
            meta=meta("invalid_value:bopaelskommune", "invalid_value"),
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="uge_dato",
            row_condition="kolonne.notnull()",
            condition_parser="pandas",
            meta=meta("invalid_value:uge", "invalid_value"),
        ),
        gxe.ExpectColumnValuesToMatchRegex(
            column="kode__text",
            regex="^[0-9]{3}$",
            meta=meta("invalid_value:kode", "invalid_value"),
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="kode",
            value_set=codes,
            row_condition="kode.notnull()",
            condition_parser="pandas",
            meta=meta("invalid_enum:kode", "invalid_enum"),
        ),
        gxe.ExpectColumnValuesToBeUnique(
            column=PERSON_ID,
            row_condition="kolonne.isnull()",
            condition_parser="pandas",
            meta=meta("duplicate_key:cpr", "duplicate_key"),
        ),
    ]


def dream_suite_as_dict() -> dict[str, Any]:
    """The DREAM suite as stable JSON-ready data (no generated ids)."""
    import great_expectations as gx

    from ingest.dream import known_codes
    from ingest.reference import kommunekoder

    ephemeral_context()
    suite = gx.ExpectationSuite(name="trialwh_dream")
    for expectation in dream_expectations(sorted(kommunekoder()), sorted(known_codes())):
        suite.add_expectation(expectation)
    expectations = []
    for exp in suite.expectations:
        config = exp.configuration.to_json_dict()
        config.pop("id", None)
        expectations.append(config)
    return {"name": suite.name, "source": "dream", "parameters": [], "expectations": expectations}


def gx_frame(frame: pl.DataFrame):  # -> pandas.DataFrame
    """The validation frame as pandas for GX: dates as datetimes, index = row position."""
    converted = frame.with_columns(
        pl.col(pl.Date).cast(pl.Datetime("ms")), pl.col(pl.Decimal).cast(pl.Float64)
    )
    return converted.to_pandas()


def run_gx_suite(frame: pl.DataFrame, source: Source, ctx: FileContext) -> dict[str, set[int]]:
    """Run the GX suite on ``frame``; failing ``source_row_number``s per check id."""
    context = ephemeral_context()
    batch_definition = (
        context.data_sources.add_pandas("extract")
        .add_dataframe_asset(source.name)
        .add_batch_definition_whole_dataframe("file")
    )
    pdf = gx_frame(frame)
    batch = batch_definition.get_batch(batch_parameters={"dataframe": pdf})
    params = {
        PARAM_KOMMUNEKODE: [ctx.kommunekode],
        PARAM_EXTRACT_DATE: dt.datetime.combine(ctx.extract_date, dt.time()),
    }
    result = batch.validate(
        build_suite(source),
        expectation_parameters=params,
        result_format={"result_format": "COMPLETE"},
    )
    rows = frame[ROW].to_list()
    failing: dict[str, set[int]] = {}
    for res in result.results:
        if res.exception_info.get("raised_exception"):
            raise RuntimeError(
                f"GX expectation {res.expectation_config.type} failed to run: "
                f"{res.exception_info.get('exception_message')}"
            )
        check_id = res.expectation_config.meta["check_id"]
        indices = res.result.get("unexpected_index_list") or []
        failing[check_id] = {rows[int(i)] for i in indices}
    return failing


def polars_failures(frame: pl.DataFrame, source: Source, ctx: FileContext) -> dict[str, set[int]]:
    """The same as ``run_gx_suite`` computed with the polars masks."""
    checks = build_checks(source, ctx)
    masks = failure_masks(frame, checks).with_columns(frame[ROW])
    return {c.check_id: set(masks.filter(pl.col(c.check_id))[ROW].to_list()) for c in checks}


def run_dream_gx_suite(frame: pl.DataFrame) -> dict[str, set[int]]:
    """Run the DREAM suite on ``ingest.dream.validation_frame``; failing rows per check id."""
    from ingest.dream import known_codes
    from ingest.reference import kommunekoder

    context = ephemeral_context()
    batch_definition = (
        context.data_sources.add_pandas("extract")
        .add_dataframe_asset("dream")
        .add_batch_definition_whole_dataframe("file")
    )
    import great_expectations as gx

    suite = gx.ExpectationSuite(name="trialwh_dream")
    for expectation in dream_expectations(sorted(kommunekoder()), sorted(known_codes())):
        suite.add_expectation(expectation)
    batch = batch_definition.get_batch(batch_parameters={"dataframe": gx_frame(frame)})
    result = batch.validate(suite, result_format={"result_format": "COMPLETE"})
    rows = frame[ROW].to_list()
    failing: dict[str, set[int]] = {}
    for res in result.results:
        if res.exception_info.get("raised_exception"):
            raise RuntimeError(
                f"GX expectation {res.expectation_config.type} failed to run: "
                f"{res.exception_info.get('exception_message')}"
            )
        indices = res.result.get("unexpected_index_list") or []
        failing[res.expectation_config.meta["check_id"]] = {rows[int(i)] for i in indices}
    return failing
