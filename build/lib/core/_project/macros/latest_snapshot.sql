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
    select
        {{ relation }}.*,
        latest_extract.seneste_extract_date,
        winner.antal_udtraek,
        {{ relation }}.extract_date < latest_extract.seneste_extract_date as is_missing_from_latest_extract
    from {{ relation }}
    inner join (
        select
            {{ id_column }},
            count(*) as antal_udtraek,
            max({
                'extract_date': extract_date,
                'loaded_at': coalesce(loaded_at, timestamp '1900-01-01'),
                'source_file': coalesce(source_file, ''),
                'row_rank': -coalesce(source_row_number, 0)
            }) as best
        from {{ relation }}
        group by {{ id_column }}
    ) as winner
        on
            {{ relation }}.{{ id_column }} = winner.{{ id_column }}
            and {{ relation }}.extract_date = winner.best.extract_date
            and coalesce({{ relation }}.loaded_at, timestamp '1900-01-01') = winner.best.loaded_at
            and coalesce({{ relation }}.source_file, '') = winner.best.source_file
            and -coalesce({{ relation }}.source_row_number, 0) = winner.best.row_rank
    inner join (
        select
            {{ partition_by }},
            max(extract_date) as seneste_extract_date
        from {{ relation }}
        group by {{ partition_by }}
    ) as latest_extract
        on {{ relation }}.{{ partition_by }} = latest_extract.{{ partition_by }}
{% endmacro %}
