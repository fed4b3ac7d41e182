"""The CPR free-text rule as a Great Expectations expectation that calls the ingest rule.

``ExpectColumnValuesToHoldNoCpr`` (``expect_column_values_to_hold_no_cpr`` in the suites
under ``expectations/``) fails the values for which :func:`ingest.cpr.values_with_cpr`
finds a CPR token: the same NFKC normalisation and the same pattern as loading uses, so
there is no copy of the rule to keep in step. Importing this module registers the
expectation and its metric with Great Expectations (``ingest.validate`` imports it when it
builds a suite).
"""

from __future__ import annotations

import pandas as pd
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import ColumnMapExpectation
from great_expectations.expectations.metrics.map_metric_provider import (
    ColumnMapMetricProvider,
    column_condition_partial,
)

from ingest.cpr import values_with_cpr


class ColumnValuesHoldNoCpr(ColumnMapMetricProvider):
    """True for each value without a CPR token (``ingest.cpr.values_with_cpr``)."""

    condition_metric_name = "column_values.hold_no_cpr"

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, **kwargs) -> pd.Series:
        values = [None if pd.isna(v) else str(v) for v in column.tolist()]
        return pd.Series([not hit for hit in values_with_cpr(values)], index=column.index)


class ExpectColumnValuesToHoldNoCpr(ColumnMapExpectation):
    """Expect no value of the column to hold a CPR number in any spelling (ingest's rule)."""

    map_metric = "column_values.hold_no_cpr"
    success_keys = ("mostly",)
