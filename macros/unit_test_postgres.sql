{#-
    How a dbt unit test compares its rows on PostgreSQL. dbt casts the expected rows to the
    actual columns' types and compares the two sets of rows as text. A `numeric` column
    prints its scale (1639.00, 0.50000000000000000000), and dbt casts an expected value to
    plain `numeric`, which keeps the scale written in the fixture (1639, 0.5), so equal
    numbers differed. DuckDB has a fixed scale for each decimal column and prints its
    doubles in the shortest form, so a fixture states a number once for both adapters.
    Here the `numeric` columns of both sides are compared as double precision (shortest
    form as well); every other column, and every row, as dbt compares them.
-#}
{% macro postgres__get_unit_test_sql(main_sql, expected_fixture_sql, expected_column_names) -%}
    {%- set tal = [] -%}
    {%- for kolonne in get_column_schema_from_query(main_sql) -%}
        {%- if kolonne.dtype | upper == 'DECIMAL' -%}
            {%- do tal.append(adapter.quote(kolonne.name) | lower) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set kolonner = [] -%}
    {%- for navn in expected_column_names -%}
        {%- if navn | lower in tal -%}
            {%- do kolonner.append(navn ~ '::double precision as ' ~ navn) -%}
        {%- else -%}
            {%- do kolonner.append(navn) -%}
        {%- endif -%}
    {%- endfor -%}
    with dbt_internal_unit_test_actual as (
        select
            {{ kolonner | join(', ') }},
            {{ dbt.string_literal("actual") }} as {{ adapter.quote("actual_or_expected") }}
        from (
            {{ main_sql }}
        ) as _dbt_internal_unit_test_actual
    ),

    dbt_internal_unit_test_expected as (
        select
            {{ kolonner | join(', ') }},
            {{ dbt.string_literal("expected") }} as {{ adapter.quote("actual_or_expected") }}
        from (
            {{ expected_fixture_sql }}
        ) as _dbt_internal_unit_test_expected
    )

    select * from dbt_internal_unit_test_actual
    union all
    select * from dbt_internal_unit_test_expected
{%- endmacro %}
