{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='kommunekode',
) }}  -- read by several models and tests: computed once
-- incremental: a build after new extracts recomputes only their municipalities (trialwh build)

with

ankesager as (
    select * from {{ ref('stg_ankesager__ankesager') }}
    {% if is_incremental() %}{{ kun_nye_leverancer(['ankesager']) }}{% endif %}
),

seneste as (
    {{ latest_snapshot('ankesager', 'ankesag_id') }}
)

select * from seneste  -- noqa: AM04
