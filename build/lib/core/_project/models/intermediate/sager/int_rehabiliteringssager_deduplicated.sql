{{ config(materialized='table') }}  -- read by several models and tests: computed once

with

sager as (
    select * from {{ ref('stg_rehabiliteringssager__sager') }}
),

seneste as (
    {{ latest_snapshot('sager', 'rehabiliteringssag_id') }}
)

select * from seneste  -- noqa: AM04
