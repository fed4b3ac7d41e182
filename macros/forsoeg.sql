{#-
    True when municipality `kommunekode` was in trial theme `tema` on `dato`, per the
    periods in `forsoeg_relation` (seed forsoeg_deltagelse: startdato to slutdato, both
    inclusive; a blank slutdato means the period is still running). With `maalgruppe` (a
    case's target group) the period's maalgruppe ("|"-separated; blank = every target
    group) must also include it.
-#}
{% macro er_i_forsoeg(forsoeg_relation, tema, kommunekode, dato, maalgruppe=none) %}
    exists (
        select 1
        from {{ forsoeg_relation }} as forsoeg_periode
        where
            forsoeg_periode.tema = '{{ tema }}'
            and forsoeg_periode.kommunekode = {{ kommunekode }}
            and {{ dato }} >= forsoeg_periode.startdato
            and (forsoeg_periode.slutdato is null or {{ dato }} <= forsoeg_periode.slutdato)
            {%- if maalgruppe is not none %}
            and (
                coalesce(trim(forsoeg_periode.maalgruppe), '') = ''
                or {{ i_tekstliste('forsoeg_periode.maalgruppe', maalgruppe) }}
            )
            {%- endif %}
    )
{% endmacro %}

{#- The fee column of `takst_relation` (attest_takster) to use: with interpreter when `tolk`. -#}
{% macro takst_efter_tolk(takst_relation, tolk) %}
    case when {{ tolk }} then {{ takst_relation }}.honorar_med_tolk_kr else {{ takst_relation }}.honorar_kr end
{% endmacro %}

{#- Join condition: the row of `takst_relation` valid for `dokumenttype` on `dato`. -#}
{% macro takst_gyldig_paa(takst_relation, dokumenttype, dato) %}
    {{ takst_relation }}.dokumenttype = {{ dokumenttype }}
    and {{ dato }} >= {{ takst_relation }}.gyldig_fra
    and ({{ takst_relation }}.gyldig_til is null or {{ dato }} <= {{ takst_relation }}.gyldig_til)
{% endmacro %}

{#-
    The trial themes, in the seed's `sortering` order: read from `reference.temaer` (seed
    `temaer`, the one place a theme is declared), so a new theme is a row in the seed.
    A model that calls this macro declares `-- depends_on: {{ ref('temaer') }}` so the seed
    is loaded before the model compiles. Before the seed exists (parsing, or linting an
    empty warehouse) the list is empty.
-#}
{% macro forsoeg_temaer() %}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set relation = load_relation(ref('temaer')) -%}
    {%- if relation is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set rows = run_query('select tema from ' ~ relation ~ ' order by sortering, tema') -%}
    {{ return(rows.columns[0].values() | list) }}
{% endmacro %}
