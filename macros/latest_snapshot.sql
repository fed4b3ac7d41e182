{#-
    The rows of the latest extract per entity, from a relation holding every extract:
    one row per `id_column`, taken from the newest `extract_date` (ties: the latest load,
    then the first file row). Adds `antal_udtraek` (how many extract rows held the
    entity), `seneste_extract_date` (the newest extract of the same `partition_by` group,
    i.e. source × municipality) and `is_missing_from_latest_extract` (the entity is absent
    from that newest extract, so its row comes from an older one).
-#}
{% macro latest_snapshot(relation, id_column, partition_by='kommunekode') %}
    select
        {{ relation }}.*,
        latest_extract.seneste_extract_date,
        count(*) over (partition by {{ relation }}.{{ id_column }}) as antal_udtraek,
        {{ relation }}.extract_date < latest_extract.seneste_extract_date as is_missing_from_latest_extract
    from {{ relation }}
    inner join (
        select
            {{ partition_by }},
            max(extract_date) as seneste_extract_date
        from {{ relation }}
        group by {{ partition_by }}
    ) as latest_extract
        on {{ relation }}.{{ partition_by }} = latest_extract.{{ partition_by }}
    qualify row_number() over (
        partition by {{ relation }}.{{ id_column }}
        order by
            {{ relation }}.extract_date desc,
            {{ relation }}.loaded_at desc nulls last,
            {{ relation }}.source_row_number asc
    ) = 1
{% endmacro %}
