{{ config(materialized='table') }}  -- read by several models and tests: computed once

with

ankesager as (
    select * from {{ ref('stg_ankesager__ankesager') }}
),

seneste as (
    {{ latest_snapshot('ankesager', 'ankesag_id') }}
)

select * from seneste  -- noqa: AM04
