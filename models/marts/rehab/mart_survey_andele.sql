{#-
    Weighted share of positive answers (4 or 5 on the 5-point scale) per theme × survey wave
    × respondent type × question × group: 'forsoeg' = municipalities that were ever in the
    theme (seed forsoeg_deltagelse), 'kontrol' = the others. Unanswered questions do not
    count. The design weight `vaegt` (blank = 1) gives andel_positiv = Σ w·[svar ≥ 4] / Σ w;
    the 95 % interval is Wilson's on Kish's effective sample size n_eff = (Σ w)² / Σ w².
-#}

with

svar as (
    select * from {{ ref('int_survey_svar_deduplicated') }}
    where svar is not null
),

forsoeg as (
    select * from {{ ref('forsoeg_deltagelse') }}
),

forsoegskommuner as (
    select distinct
        kommunekode,
        tema
    from forsoeg
),

markeret as (
    select
        svar.tema,
        svar.boelge,
        svar.respondenttype,
        svar.spoergsmaal,
        svar.kommunekode,
        case when forsoegskommuner.kommunekode is null then 'kontrol' else 'forsoeg' end as gruppe,
        svar.svar >= 4 as is_positiv,
        coalesce(svar.vaegt, 1.0) as vaegt
    from svar
    left join forsoegskommuner
        on svar.kommunekode = forsoegskommuner.kommunekode and svar.tema = forsoegskommuner.tema
),

optalt as (
    select
        tema,
        boelge,
        respondenttype,
        spoergsmaal,
        gruppe,
        count(*) as n_svar,
        count(distinct kommunekode) as n_kommuner,
        count(*) filter (where is_positiv) as n_positiv,
        sum(vaegt) as vaegt_sum,
        sum(vaegt) filter (where is_positiv) as vaegt_positiv,
        sum(vaegt * vaegt) as vaegt_kvadratsum
    from markeret
    group by tema, boelge, respondenttype, spoergsmaal, gruppe
),

med_andel as (
    select
        *,
        {{ flydende('n_positiv') }} / n_svar as andel_positiv_uvaegtet,
        coalesce(vaegt_positiv, 0.0) / nullif(vaegt_sum, 0) as andel_positiv,
        vaegt_sum * vaegt_sum / nullif(vaegt_kvadratsum, 0) as n_effektiv
    from optalt
),

final as (
    select
        tema,
        boelge,
        respondenttype,
        spoergsmaal,
        gruppe,
        n_svar,
        n_kommuner,
        n_positiv,
        andel_positiv_uvaegtet,
        andel_positiv,
        n_effektiv,
        greatest(0.0, {{ wilson_lower('andel_positiv * n_effektiv', 'n_effektiv') }}) as ci_lav,
        least(1.0, {{ wilson_upper('andel_positiv * n_effektiv', 'n_effektiv') }}) as ci_hoej,
        vaegt_sum
    from med_andel
)

select * from final
