{#-
    The rows of the latest extract per entity, from a relation holding every extract:
    one row per `id_column`, taken from the newest `extract_date` (ties: the latest load,
    then the file name, then the first file row). Adds `antal_udtraek` (how many extract
    rows held the entity), `seneste_extract_date` (the newest extract of the same
    `partition_by` group, i.e. source × municipality) and `is_missing_from_latest_extract`
    (the entity is absent from that newest extract, so its row comes from an older one).
    The winner is found with one aggregate (max of an ordered struct) and a join, which
    is cheaper than a window sort over every extract row.
-#}
{% macro latest_snapshot(relation, id_column, partition_by='kommunekode') %}
    {{- return(adapter.dispatch('latest_snapshot', 'trialwh')(relation, id_column, partition_by)) -}}
{% endmacro %}

{#-
    The rows of `relation` that are their entity's winner (`winner`: a select of one row per
    `id_column` with antal_udtraek and the winning row's extract_date, loaded_at and
    source_file with nulls coalesced as below, and source_row_number), with the newest
    extract_date of their `partition_by` group. Rows tied with the winner on all four are
    all kept. The adapters differ only in how they find the winner.
-#}
{% macro latest_snapshot_join(relation, id_column, partition_by, winner) %}
    select
        {{ relation }}.*,
        latest_extract.seneste_extract_date,
        winner.antal_udtraek,
        {{ relation }}.extract_date < latest_extract.seneste_extract_date as is_missing_from_latest_extract
    from {{ relation }}
    inner join (
        {{ winner }}
    ) as winner
        on
            {{ relation }}.{{ id_column }} = winner.{{ id_column }}
            and {{ relation }}.extract_date = winner.extract_date
            and coalesce({{ relation }}.loaded_at, timestamp '1900-01-01') = winner.loaded_at
            and coalesce({{ relation }}.source_file, '') = winner.source_file
            and coalesce({{ relation }}.source_row_number, 0) = winner.source_row_number
    inner join (
        select
            {{ partition_by }},
            max(extract_date) as seneste_extract_date
        from {{ relation }}
        group by {{ partition_by }}
    ) as latest_extract
        on {{ relation }}.{{ partition_by }} = latest_extract.{{ partition_by }}
{% endmacro %}

{% macro default__latest_snapshot(relation, id_column, partition_by) %}
    {{ latest_snapshot_join(relation, id_column, partition_by, latest_snapshot_winner(relation, id_column)) }}
{% endmacro %}

{#-
    DuckDB's winner per entity of `relation` (see `latest_snapshot_join`): the max of an
    ordered struct. `antal` counts the entity's extract rows (the incremental step of
    macros/latest_snapshot_delta.sql adds the stored count to the new rows).
-#}
{% macro latest_snapshot_winner(relation, id_column, antal='count(*)') %}
    select
        {{ id_column }},
        antal_udtraek,
        best.extract_date,
        best.loaded_at,
        best.source_file,
        -best.row_rank as source_row_number
    from (
        select
            {{ id_column }},
            {{ antal }} as antal_udtraek,
            max({
                'extract_date': extract_date,
                'loaded_at': coalesce(loaded_at, timestamp '1900-01-01'),
                'source_file': coalesce(source_file, ''),
                'row_rank': -coalesce(source_row_number, 0)
            }) as best
        from {{ relation }}
        group by {{ id_column }}
    ) as best_per_entity
{% endmacro %}

{#-
    PostgreSQL has no ordered structs: the winner per entity is the first row of the same
    order (newest extract_date, then latest load, then the file name compared byte by byte,
    then the first file row), found with `distinct on`; rows tied on all four are kept, as
    on DuckDB.
-#}
{% macro postgres__latest_snapshot(relation, id_column, partition_by) %}
    {%- set winner -%}
        select distinct on ({{ id_column }})
            {{ id_column }},
            count(*) over (partition by {{ id_column }}) as antal_udtraek,
            extract_date,
            coalesce(loaded_at, timestamp '1900-01-01') as loaded_at,
            coalesce(source_file, '') as source_file,
            coalesce(source_row_number, 0) as source_row_number
        from {{ relation }}
        order by
            {{ id_column }},
            extract_date desc,
            coalesce(loaded_at, timestamp '1900-01-01') desc,
            coalesce(source_file, '') collate "C" desc,
            coalesce(source_row_number, 0) asc
    {%- endset -%}
    {{ latest_snapshot_join(relation, id_column, partition_by, winner) }}
{% endmacro %}
