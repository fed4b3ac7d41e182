{#-
    The filter of an incremental model (materialized='incremental',
    incremental_strategy='delete+insert', unique_key='kommunekode'), used inside
    `{% if is_incremental() %}`: only the municipalities with a new delivery of one of
    `kilder` (raw table names) since the last build, as `trialwh build` wrote them to
    meta.nye_leverancer. The model recomputes those municipalities from all their extracts
    and replaces their rows; every other municipality's rows stay as they are.
-#}
{% macro kun_nye_leverancer(kilder, kolonne='kommunekode') %}
    where {{ kolonne }} in (
        select nye_leverancer.kommunekode
        from {{ source('meta', 'nye_leverancer') }} as nye_leverancer
        where nye_leverancer.kilde in (
            {%- for kilde in kilder %}'{{ kilde }}'{{ ', ' if not loop.last }}{% endfor -%}
        )
    )
{% endmacro %}
