{#-
    The dedup models' incremental step (models using `latest_snapshot` inside an incremental
    model, incremental_strategy='delete+insert', unique_key='kommunekode').

    `nye_raekker(kilder)` filters the model's staging relation to what an incremental build
    must read; `seneste_raekker(relation, id_column, kilder)` then gives the model's rows of
    the municipalities with a new delivery.

    On DuckDB the step reads only the new loads (meta.nye_indlaesninger) and the model's own
    rows of those municipalities ({{ this }}), not every extract again: each entity's
    winner is the newer of its stored row and its rows in the new loads, compared on the same
    ordered key as `latest_snapshot` (extract_date, loaded_at, source_file, first file row),
    `antal_udtraek` is the stored count plus the new rows, and `seneste_extract_date` the
    newest extract date among them. This gives the rows a full build gives, because the
    stored rows are the winners of every earlier extract row (one per entity, or the rows
    tied with it, which carry the same count), and a municipality's newest extract date is
    the extract date of one of its winners. `ekstra` names the columns the model adds after
    the dedup (dropped from the stored rows and computed again).

    Other adapters recompute the municipalities from all their extracts
    (`kun_nye_leverancer`, `latest_snapshot`).
-#}
{% macro delta_dedup() %}
    {{- return(is_incremental() and adapter.type() == 'duckdb') -}}
{% endmacro %}

{% macro nye_raekker(kilder) %}
    {%- if delta_dedup() %}
    where load_id in (
        select nye_indlaesninger.load_id
        from {{ source('meta', 'nye_indlaesninger') }} as nye_indlaesninger
        where nye_indlaesninger.kilde in (
            {%- for kilde in kilder %}'{{ kilde }}'{{ ', ' if not loop.last }}{% endfor -%}
        )
    )
    {%- else %}
    {{ kun_nye_leverancer(kilder) }}
    {%- endif %}
{% endmacro %}

{% macro seneste_raekker(relation, id_column, kilder, ekstra=[], partition_by='kommunekode') %}
    {%- if not delta_dedup() %}
    {{ latest_snapshot(relation, id_column, partition_by) }}
    {%- else %}
    {%- set afledte = ['seneste_extract_date', 'antal_udtraek', 'is_missing_from_latest_extract'] + ekstra %}
    with

    kandidater as (
        select
            * exclude ({{ afledte | join(', ') }}),
            antal_udtraek as antal_foer,
            false as er_ny
        from {{ this }}
        {{ kun_nye_leverancer(kilder, partition_by) }}
        union all by name
        select
            *,
            0 as antal_foer,
            true as er_ny
        from {{ relation }}
    ),

    vinder as (
        select
            {{ id_column }},
            max(antal_foer) + count(*) filter (where er_ny) as antal_udtraek,
            max({
                'extract_date': extract_date,
                'loaded_at': coalesce(loaded_at, timestamp '1900-01-01'),
                'source_file': coalesce(source_file, ''),
                'row_rank': -coalesce(source_row_number, 0)
            }) as best
        from kandidater
        group by {{ id_column }}
    ),

    seneste_udtraek as (
        select
            {{ partition_by }},
            max(extract_date) as seneste_extract_date
        from kandidater
        group by {{ partition_by }}
    )

    select
        kandidater.* exclude (antal_foer, er_ny),
        seneste_udtraek.seneste_extract_date,
        vinder.antal_udtraek,
        kandidater.extract_date < seneste_udtraek.seneste_extract_date
            as is_missing_from_latest_extract
    from kandidater
    inner join vinder
        on
            kandidater.{{ id_column }} = vinder.{{ id_column }}
            and kandidater.extract_date = vinder.best.extract_date
            and coalesce(kandidater.loaded_at, timestamp '1900-01-01') = vinder.best.loaded_at
            and coalesce(kandidater.source_file, '') = vinder.best.source_file
            and coalesce(kandidater.source_row_number, 0) = -vinder.best.row_rank
    inner join seneste_udtraek
        on kandidater.{{ partition_by }} = seneste_udtraek.{{ partition_by }}
    {%- endif %}
{% endmacro %}
