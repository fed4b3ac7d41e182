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
        forsoegets_slut.slut_uge as uge_dato,
        (date_trunc('week', fritagelser.fritaget_dato) + interval '7 day')::date as foerste_uge_efter
    from fritagelser
    left join forsoegets_slut
        on fritagelser.kommunekode = forsoegets_slut.kommunekode
),

-- The benefit group in the week of the trial's end (NULL outside DREAM or its register).
ydelse_ved_slut as (
    {{ dream_ydelsesgruppe_i_uge('fritagelse_uger', 'dream') }}
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
        ydelse_ved_slut.uddannelsespaalaeg_id,
        ydelse_ved_slut.has_dream,
        ydelse_ved_slut.ydelsesgruppe as ydelsesgruppe_ved_forsoegets_slut,
        case when ydelse_ved_slut.has_dream then coalesce(su_uger.su_uger, 0) end
            as su_uger_efter_fritagelse,
        case when ydelse_ved_slut.has_dream then coalesce(su_uger.su_uger, 0) > 0 end
            as has_su_uger_efter_fritagelse
    from ydelse_ved_slut
    left join su_uger
        on ydelse_ved_slut.uddannelsespaalaeg_id = su_uger.uddannelsespaalaeg_id
)

select * from final
