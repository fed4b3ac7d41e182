{#-
    The one lookup "benefit group of a person in a given week" in DREAM, used by every
    outcome model (fct_sygedagpengeudfald, fct_rehabiliteringsudfald,
    int_uddannelsespaalaeg_dream). A select statement over the rows of `opslag` (a CTE with
    the columns `person_id` and `uge_dato`, a Monday; any other columns are kept) adding:
    - has_dream: the person is in DREAM;
    - er_uge_kendt: the person is in DREAM (`dream`: int_dream_superseded, the person's
      newest update) and the week lies inside that update's register;
    - har_ydelse: a forløb with a benefit code covers the week;
    - ydelsesgruppe: its group, `selvforsoergende` when no code covers a known week, NULL
      when the week is not known.
    Both joins are hash joins on person_id (the forløb by a range condition on the week):
    nothing is exploded into weeks. A person's forløb in one update never overlap (tested
    on int_dream_superseded), so each row of `opslag` matches at most one forløb.
-#}
{% macro dream_ydelsesgruppe_i_uge(opslag, dream) %}
    select
        {{ opslag }}.*,
        dream_register.person_id is not null as has_dream,
        coalesce(
            {{ opslag }}.uge_dato
            between dream_register.register_fra_uge_dato and dream_register.register_til_uge_dato,
            false
        ) as er_uge_kendt,
        dream_ydelse.person_id is not null as har_ydelse,
        case
            when
                {{ opslag }}.uge_dato
                between dream_register.register_fra_uge_dato and dream_register.register_til_uge_dato
                then coalesce(dream_ydelse.ydelsesgruppe, 'selvforsoergende')
        end as ydelsesgruppe
    from {{ opslag }}
    left join (
        select
            person_id,
            min(register_fra_uge_dato) as register_fra_uge_dato,
            max(register_til_uge_dato) as register_til_uge_dato
        from {{ dream }}
        group by person_id
    ) as dream_register
        on {{ opslag }}.person_id = dream_register.person_id
    left join (
        select
            person_id,
            fra_uge_dato,
            til_uge_dato,
            ydelsesgruppe
        from {{ dream }}
        where kode is not null
    ) as dream_ydelse
        on
            {{ opslag }}.person_id = dream_ydelse.person_id
            and {{ opslag }}.uge_dato between dream_ydelse.fra_uge_dato and dream_ydelse.til_uge_dato
{% endmacro %}
