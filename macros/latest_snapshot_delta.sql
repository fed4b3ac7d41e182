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

    kandidater_med_antal as (
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

    kandidater as (
        select * exclude (antal_foer, er_ny) from kandidater_med_antal
    )

    {{ latest_snapshot_join('kandidater', id_column, partition_by, latest_snapshot_winner(
        'kandidater_med_antal', id_column, 'max(antal_foer) + count(*) filter (where er_ny)'
    )) }}
    {%- endif %}
{% endmacro %}
