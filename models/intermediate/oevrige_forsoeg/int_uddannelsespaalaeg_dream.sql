{#-
    Per exemption: the DREAM benefit group in the week holding the trial's end (the
    municipality's slutdato of the theme in forsoeg_deltagelse), and whether the person had
    any SU week (ydelsesgruppe su_uddannelse) after the exemption. Needs the DREAM models
    (contract §1.6, §4.1): enabled with var('trialwh_dream_udfald').
    The weekly table is read as `fct_dream_uger` (person_id, uge_start, ydelsesgruppe).
-#}
{{ config(enabled=var('trialwh_dream_udfald', false)) }}

with

fritagelser as (
    select * from {{ ref('int_uddannelsespaalaeg_deduplicated') }}
),

forsoeg as (
    select * from {{ ref('forsoeg_deltagelse') }}
    where tema = '{{ tema_for_kilde('uddannelsespaalaeg') }}'
),

dream_uger as (
    select * from {{ ref('fct_dream_uger') }}
),

slut as (
    select
        fritagelser.uddannelsespaalaeg_id,
        fritagelser.person_id,
        fritagelser.fritaget_dato,
        date_trunc('week', max(forsoeg.slutdato))::date as slut_uge
    from fritagelser
    inner join forsoeg
        on fritagelser.kommunekode = forsoeg.kommunekode
    group by fritagelser.uddannelsespaalaeg_id, fritagelser.person_id, fritagelser.fritaget_dato
),

final as (
    select
        slut.uddannelsespaalaeg_id,
        coalesce(
            max(dream_uger.ydelsesgruppe) filter (where dream_uger.uge_start = slut.slut_uge),
            'selvforsoergende'
        ) as ydelsesgruppe_ved_forsoegets_slut,
        coalesce(
            bool_or(dream_uger.ydelsesgruppe = 'su_uddannelse' and dream_uger.uge_start >= slut.fritaget_dato),
            false
        ) as has_su_uger_efter_fritagelse
    from slut
    left join dream_uger
        on slut.person_id = dream_uger.person_id
    group by slut.uddannelsespaalaeg_id
)

select * from final
