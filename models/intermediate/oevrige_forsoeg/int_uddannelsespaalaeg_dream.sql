{#-
    Per exemption from the education order, from the person's newest DREAM update
    (int_dream_superseded, contract §1.6):
    - ydelsesgruppe_ved_forsoegets_slut: the benefit group in the ISO week holding the
      trial's end (the municipality's slutdato of the theme in forsoeg_deltagelse;
      `selvforsoergende` when the week has no code); NULL when the person is not in DREAM,
      the municipality has no trial period, or that week is outside the register.
    - su_uger_efter_fritagelse: weeks in the group su_uddannelse from the week after the
      one holding fritaget_dato to the register's end; has_su_uger_efter_fritagelse when
      there is at least one (the young person started an education, seen in DREAM). NULL
      when the person is not in DREAM.
-#}

with

fritagelser as (
    select * from {{ ref('int_uddannelsespaalaeg_deduplicated') }}
),

forsoeg as (
    select * from {{ ref('forsoeg_deltagelse') }}
    where tema = '{{ tema_for_kilde('uddannelsespaalaeg') }}'
),

dream as (
    select * from {{ ref('int_dream_superseded') }}
),

personer as (
    select
        person_id,
        min(register_fra_uge_dato) as register_fra_uge_dato,
        max(register_til_uge_dato) as register_til_uge_dato
    from dream
    group by person_id
),

forsoegets_slut as (
    select
        kommunekode,
        date_trunc('week', max(slutdato))::date as slut_uge
    from forsoeg
    group by kommunekode
),

fritagelse_uger as (
    select
        fritagelser.uddannelsespaalaeg_id,
        fritagelser.person_id,
        forsoegets_slut.slut_uge,
        personer.register_fra_uge_dato,
        personer.register_til_uge_dato,
        (date_trunc('week', fritagelser.fritaget_dato) + interval '7 day')::date as foerste_uge_efter,
        personer.person_id is not null as has_dream
    from fritagelser
    left join forsoegets_slut
        on fritagelser.kommunekode = forsoegets_slut.kommunekode
    left join personer
        on fritagelser.person_id = personer.person_id
),

ydelse_ved_slut as (
    select
        fritagelse_uger.uddannelsespaalaeg_id,
        {{ en_vaerdi('dream.ydelsesgruppe') }} as ydelsesgruppe
    from fritagelse_uger
    inner join dream
        on
            fritagelse_uger.person_id = dream.person_id
            and fritagelse_uger.slut_uge between dream.fra_uge_dato and dream.til_uge_dato
    where dream.kode is not null
    group by fritagelse_uger.uddannelsespaalaeg_id
),

su_uger as (
    select
        fritagelse_uger.uddannelsespaalaeg_id,
        sum(
            {{ heltalsdivision(dage_mellem(
                'greatest(dream.fra_uge_dato, fritagelse_uger.foerste_uge_efter)', 'dream.til_uge_dato'
            ), 7) }} + 1
        ) as su_uger
    from fritagelse_uger
    inner join dream
        on
            fritagelse_uger.person_id = dream.person_id
            and fritagelse_uger.foerste_uge_efter <= dream.til_uge_dato
    where dream.ydelsesgruppe = 'su_uddannelse'
    group by fritagelse_uger.uddannelsespaalaeg_id
),

final as (
    select
        fritagelse_uger.uddannelsespaalaeg_id,
        fritagelse_uger.has_dream,
        case
            when
                fritagelse_uger.has_dream
                and fritagelse_uger.slut_uge
                between fritagelse_uger.register_fra_uge_dato and fritagelse_uger.register_til_uge_dato
                then coalesce(ydelse_ved_slut.ydelsesgruppe, 'selvforsoergende')
        end as ydelsesgruppe_ved_forsoegets_slut,
        case when fritagelse_uger.has_dream then coalesce(su_uger.su_uger, 0) end
            as su_uger_efter_fritagelse,
        case when fritagelse_uger.has_dream then coalesce(su_uger.su_uger, 0) > 0 end
            as has_su_uger_efter_fritagelse
    from fritagelse_uger
    left join ydelse_ved_slut
        on fritagelse_uger.uddannelsespaalaeg_id = ydelse_ved_slut.uddannelsespaalaeg_id
    left join su_uger
        on fritagelse_uger.uddannelsespaalaeg_id = su_uger.uddannelsespaalaeg_id
)

select * from final
