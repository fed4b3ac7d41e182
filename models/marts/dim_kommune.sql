-- depends_on: {{ ref('temaer') }}
with

kommuner as (
    select * from {{ ref('kommuner') }}
),

forsoeg as (
    select * from {{ ref('forsoeg_deltagelse') }}
),

kontrolgrupper as (
    select * from {{ ref('kontrolgrupper') }}
),

forsoeg_pr_kommune as (
    select
        kommunekode,
        {% for tema in forsoeg_temaer() %}
            min(startdato) filter (where tema = '{{ tema }}') as forsoeg_start_{{ tema }},
            max(coalesce(slutdato, date '9999-12-31')) filter (where tema = '{{ tema }}')
                as forsoeg_slut_{{ tema }},
        {% endfor %}
        count(*) as antal_forsoegsperioder
    from forsoeg
    group by kommunekode
),

kontrolgrupper_pr_kommune as (
    select
        kommunekode,
        {{ sorteret_liste('kontrolgruppe') }} as kontrolgrupper
    from kontrolgrupper
    group by kommunekode
),

final as (
    select
        kommuner.kommunekode,
        kommuner.kommunenavn,
        kommuner.region,
        kommuner.indbyggere,
        {% for tema in forsoeg_temaer() %}
            forsoeg_pr_kommune.forsoeg_start_{{ tema }} is not null as is_forsoegskommune_{{ tema }},
            forsoeg_pr_kommune.forsoeg_start_{{ tema }},
            nullif(forsoeg_pr_kommune.forsoeg_slut_{{ tema }}, date '9999-12-31') as forsoeg_slut_{{ tema }},
        {% endfor %}
        coalesce(kontrolgrupper_pr_kommune.kontrolgrupper, {{ tom_tekstliste() }}) as kontrolgrupper
    from kommuner
    left join forsoeg_pr_kommune
        on kommuner.kommunekode = forsoeg_pr_kommune.kommunekode
    left join kontrolgrupper_pr_kommune
        on kommuner.kommunekode = kontrolgrupper_pr_kommune.kommunekode
)

select * from final
