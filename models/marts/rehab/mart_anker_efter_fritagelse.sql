{#-
    Legal certainty case by case: appeals known case by case (fct_ankesager) linked to the
    municipal case they concern, for cases in a theme during the trial (fct_tema_sager,
    i_forsoeg) and on the theme's law areas (seed temaer.lovomraader). Per theme: the
    omgørelsesprocent of appeals of exempted/waived cases against that of the other cases,
    each with its Wilson 95 % interval, and the difference with Newcombe's hybrid score
    interval (method 10; the same as evaluation.proportions.newcombe). Shares are fractions
    0–1 here (andel_*), the difference in fraction points.
-#}

with

ankesager as (
    select * from {{ ref('fct_ankesager') }}
    where is_realitetsbehandlet
),

tema_sager as (
    select * from {{ ref('fct_tema_sager') }}
    where i_forsoeg
),

tema_lovomraader as (
    select * from {{ ref('int_tema_lovomraader') }}
),

koblet as (
    select
        tema_sager.tema,
        tema_sager.is_fritaget,
        ankesager.is_omgjort
    from ankesager
    inner join tema_lovomraader
        on ankesager.lovomraade = tema_lovomraader.lovomraade
    inner join tema_sager
        on
            ankesager.kommunekode = tema_sager.kommunekode
            and ankesager.sags_id = tema_sager.sags_id
            and tema_lovomraader.tema = tema_sager.tema
),

optalt as (
    select
        tema,
        count(*) filter (where is_fritaget) as realitetsbehandlede_fritaget,
        count(*) filter (where is_fritaget and is_omgjort) as omgjorte_fritaget,
        count(*) filter (where not is_fritaget) as realitetsbehandlede_ikke_fritaget,
        count(*) filter (where not is_fritaget and is_omgjort) as omgjorte_ikke_fritaget
    from koblet
    group by tema
),

wilson as (
    select
        *,
        {{ flydende('omgjorte_fritaget') }} / nullif(realitetsbehandlede_fritaget, 0) as andel_fritaget,
        {{ wilson_lower('omgjorte_fritaget', 'realitetsbehandlede_fritaget') }} as andel_fritaget_ci_lav,
        {{ wilson_upper('omgjorte_fritaget', 'realitetsbehandlede_fritaget') }} as andel_fritaget_ci_hoej,
        {{ flydende('omgjorte_ikke_fritaget') }} / nullif(realitetsbehandlede_ikke_fritaget, 0) as andel_ikke_fritaget,
        {{ wilson_lower('omgjorte_ikke_fritaget', 'realitetsbehandlede_ikke_fritaget') }}
            as andel_ikke_fritaget_ci_lav,
        {{ wilson_upper('omgjorte_ikke_fritaget', 'realitetsbehandlede_ikke_fritaget') }}
            as andel_ikke_fritaget_ci_hoej
    from optalt
),

final as (
    select
        tema,
        realitetsbehandlede_fritaget,
        omgjorte_fritaget,
        andel_fritaget,
        andel_fritaget_ci_lav,
        andel_fritaget_ci_hoej,
        realitetsbehandlede_ikke_fritaget,
        omgjorte_ikke_fritaget,
        andel_ikke_fritaget,
        andel_ikke_fritaget_ci_lav,
        andel_ikke_fritaget_ci_hoej,
        andel_fritaget - andel_ikke_fritaget as forskel,
        andel_fritaget - andel_ikke_fritaget - sqrt(
            (andel_fritaget - andel_fritaget_ci_lav) ^ 2 + (andel_ikke_fritaget_ci_hoej - andel_ikke_fritaget) ^ 2
        ) as forskel_ci_lav,
        andel_fritaget - andel_ikke_fritaget + sqrt(
            (andel_fritaget_ci_hoej - andel_fritaget) ^ 2 + (andel_ikke_fritaget - andel_ikke_fritaget_ci_lav) ^ 2
        ) as forskel_ci_hoej
    from wilson
)

select * from final
