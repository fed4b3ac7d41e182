{#- Rows whose combination of `columns` occurs more than once. -#}
{% test unique_combination(model, columns) %}
    select
        {{ columns | join(', ') }},
        count(*) as n_rows
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}

{#- Pairs of periods in the same partition that overlap (open end = no end). -#}
{% test no_overlapping_periods(model, partition_by, start_column, end_column) %}
    with periods as (
        select
            {{ partition_by | join(', ') }},
            {{ start_column }} as period_start,
            coalesce({{ end_column }}, date '9999-12-31') as period_end,
            row_number() over () as period_id
        from {{ model }}
    )

    select
        first_period.period_id,
        second_period.period_id as overlapping_period_id
    from periods as first_period
    inner join periods as second_period
        on
        {% for column in partition_by %}
            first_period.{{ column }} = second_period.{{ column }} and
        {% endfor %}
            first_period.period_id < second_period.period_id
            and first_period.period_start <= second_period.period_end
            and second_period.period_start <= first_period.period_end
{% endtest %}
