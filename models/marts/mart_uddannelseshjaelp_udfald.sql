{#-
    The synthetic-control comparison of the theme uddannelsespaalaeg_fritagelse: per
    municipality × quarter, the young people on uddannelseshjælp in the quarter's first week
    (int_uddannelseshjaelp_beholdning, from DREAM) and how many of them were in education
    (SU) or self-supporting 26 weeks later.
    - andel_uddannelse_eller_selvforsoergende_uge_26 = heraf_uddannelse_eller_selvforsoergende_uge_26
      / unge_med_kendt_udfald; NULL while no week 26 is in the register.
    - is_forsoegskommune: the municipality has a period in the theme (forsoeg_deltagelse);
      is_i_forsoeg: the quarter's first day lies in one of its periods.
    - is_donor: in the control group var('uddannelseshjaelp_donorgruppe') of seed
      kontrolgrupper and never in the theme: the synthetic control's donor pool.
    Persons without a bopaelskommune in DREAM are left out.
-#}

with

beholdning as (
    select * from {{ ref('int_uddannelseshjaelp_beholdning') }}
),

forsoeg as (
    select * from {{ ref('forsoeg_deltagelse') }}
    where tema = '{{ tema_for_kilde('uddannelsespaalaeg') }}'
),

kontrolgrupper as (
    select * from {{ ref('kontrolgrupper') }}
    where kontrolgruppe = '{{ var("uddannelseshjaelp_donorgruppe") }}'
),

pr_kvartal as (
    select
        kommunekode,
        kvartal,
        count(*) as unge_paa_uddannelseshjaelp,
        count(*) filter (where has_kendt_udfald) as unge_med_kendt_udfald,
        count(*) filter (where ydelsesgruppe_uge_26 = 'su_uddannelse') as heraf_su_uddannelse_uge_26,
        count(*) filter (where ydelsesgruppe_uge_26 = 'selvforsoergende') as heraf_selvforsoergende_uge_26,
        count(*) filter (where is_uddannelse_eller_selvforsoergende_uge_26)
            as heraf_uddannelse_eller_selvforsoergende_uge_26
    from beholdning
    where kommunekode is not null
    group by kommunekode, kvartal
),

final as (
    select
        pr_kvartal.kommunekode,
        pr_kvartal.kvartal,
        {{ kvartaler_mellem("date '" ~ var('panel_start') ~ "'", 'pr_kvartal.kvartal') }} + 1 as periode_index,
        pr_kvartal.unge_paa_uddannelseshjaelp,
        pr_kvartal.unge_med_kendt_udfald,
        pr_kvartal.heraf_su_uddannelse_uge_26,
        pr_kvartal.heraf_selvforsoergende_uge_26,
        pr_kvartal.heraf_uddannelse_eller_selvforsoergende_uge_26,
        {{ flydende('pr_kvartal.heraf_uddannelse_eller_selvforsoergende_uge_26') }}
        / nullif(pr_kvartal.unge_med_kendt_udfald, 0) as andel_uddannelse_eller_selvforsoergende_uge_26,
        pr_kvartal.kommunekode in (select forsoeg.kommunekode from forsoeg) as is_forsoegskommune,
        {{
            er_i_forsoeg('forsoeg', tema_for_kilde('uddannelsespaalaeg'), 'pr_kvartal.kommunekode', 'pr_kvartal.kvartal')
        }} as is_i_forsoeg,
        pr_kvartal.kommunekode in (select kontrolgrupper.kommunekode from kontrolgrupper)
        and pr_kvartal.kommunekode not in (select forsoeg.kommunekode from forsoeg) as is_donor
    from pr_kvartal
)

select * from final
