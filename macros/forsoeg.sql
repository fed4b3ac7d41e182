{#-
    True when municipality `kommunekode` was in trial theme `tema` on `dato`, per the
    periods in `forsoeg_relation` (seed forsoeg_deltagelse: startdato to slutdato, both
    inclusive; a blank slutdato means the period is still running).
-#}
{% macro er_i_forsoeg(forsoeg_relation, tema, kommunekode, dato) %}
    exists (
        select 1
        from {{ forsoeg_relation }} as forsoeg_periode
        where
            forsoeg_periode.tema = '{{ tema }}'
            and forsoeg_periode.kommunekode = {{ kommunekode }}
            and {{ dato }} >= forsoeg_periode.startdato
            and (forsoeg_periode.slutdato is null or {{ dato }} <= forsoeg_periode.slutdato)
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

{#- The trial themes (contract §2), in the order columns are generated. -#}
{% macro forsoeg_temaer() %}
    {{ return([
        'lae285', 'rehab_fritagelse', 'lae265', 'sundhedsfaglig_raadgivning', 'akut_fravaer',
        'psykologbehandling', 'uddannelsespaalaeg_fritagelse'
    ]) }}
{% endmacro %}
