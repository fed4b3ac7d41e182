{#-
    True when a case of target group `maalgruppe` in municipality `kommunekode` was in trial
    theme `tema` on `dato`: as er_i_forsoeg, and the period's maalgruppe (seed
    forsoeg_deltagelse, "|"-separated; blank = every target group) includes the case's.
-#}
{% macro er_i_forsoeg_for_maalgruppe(forsoeg_relation, tema, kommunekode, dato, maalgruppe) %}
    exists (
        select 1
        from {{ forsoeg_relation }} as forsoeg_periode
        where
            forsoeg_periode.tema = '{{ tema }}'
            and forsoeg_periode.kommunekode = {{ kommunekode }}
            and {{ dato }} >= forsoeg_periode.startdato
            and (forsoeg_periode.slutdato is null or {{ dato }} <= forsoeg_periode.slutdato)
            and (
                coalesce(trim(forsoeg_periode.maalgruppe), '') = ''
                or list_contains(string_split(forsoeg_periode.maalgruppe, '|'), {{ maalgruppe }})
            )
    )
{% endmacro %}
