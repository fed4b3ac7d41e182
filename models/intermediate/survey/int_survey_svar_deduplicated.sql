with

svar as (
    select * from {{ ref('stg_survey__svar') }}
),

seneste as (
    {{ latest_snapshot('svar', 'survey_svar_id') }}
)

select * from seneste  -- noqa: AM04
