{#-
    The one place where trial themes differ in SQL: which cases a theme concerns and what
    "fritaget" (the trial's waiver or exemption) means for it. Everything else about a
    theme (its name, its participants, its columns in the panel, dim_kommune and
    mart_gruppe_kvartal) comes from the seeds `temaer` and `forsoeg_deltagelse`, so a theme
    without a rule here is still a theme: it just has no case-level flag in the facts and
    no rows in mart_fritagelser. A test checks that every key here is a code in `temaer`.

    Per theme:
    - sagstype: the fact the theme's cases are in (sygedagpenge: fct_sygedagpengesager,
      rehabilitering: fct_rehabiliteringssager);
    - sagsdato: the case date that puts a case in the trial (the municipality in the theme
      on that date) and the column of the fact holding its quarter (kvartal);
    - omfattet: which of those cases the theme concerns (an expression on the fact; 'true'
      for all);
    - maalgruppe: the target group in mart_fritagelser;
    - maalgrupper (only where the theme concerns some target groups): the target groups
      the theme's cases or panel indicators count (er_rehab_fritagelse_maalgruppe,
      er_lae265_maalgruppe);
    - fritaget: when a case used the trial's waiver or exemption;
    - has_moede / moede_akut_fravaer: the meeting counts mart_fritagelser reports for the
      theme (moeder, moeder_akut_fravaer), only where has_moedetal;
    - population: the cases fct_tema_sager (the case-review population) holds for the theme;
    - besparelse: what a used exemption saves in mart_ressourcebesparelse ('moede': a team
      meeting, 'attest': a certificate, 'ingen': no working time), and sparet: when it did
      (the exemption was used and, for certificates, none was requested after all);
    - dokumenttype: for a certificate theme, the certificate whose fee saving
      (mart_attestbesparelse) mart_ressourcebesparelse shows beside the working time.
-#}
{% macro tema_regler() %}
    {{ return({
        'lae285': {
            'sagstype': 'sygedagpenge',
            'sagsdato': 'anmeldt_dato',
            'kvartal': 'anmeldt_kvartal',
            'omfattet': 'is_omfattet_lae285',
            'maalgruppe': "'sygedagpenge'",
            'fritaget': 'is_lae285_fravalgt',
            'has_moede': 'foerste_opfoelgning_dato is not null',
            'moede_akut_fravaer': 'false',
            'has_moedetal': 'false',
            'population': 'is_omfattet_lae285',
            'besparelse': 'attest',
            'sparet': 'is_omfattet_lae285 and is_lae285_fravalgt and not has_lae285_rekvireret',
            'dokumenttype': 'LAE285',
        },
        'rehab_fritagelse': {
            'sagstype': 'rehabilitering',
            'sagsdato': 'startdato',
            'kvartal': 'start_kvartal',
            'omfattet': 'true',
            'maalgruppe': 'maalgruppe',
            'maalgrupper': ['jobafklaring', 'fleksjob'],
            'fritaget': 'is_fritaget_rehabmoede',
            'has_moede': 'moede_dato is not null',
            'moede_akut_fravaer': 'false',
            'has_moedetal': 'false',
            'population': 'true',
            'besparelse': 'moede',
            'sparet': 'is_fritaget_rehabmoede',
        },
        'lae265': {
            'sagstype': 'rehabilitering',
            'sagsdato': 'startdato',
            'kvartal': 'start_kvartal',
            'omfattet': 'true',
            'maalgruppe': 'maalgruppe',
            'fritaget': 'is_lae265_fravalgt',
            'has_moede': 'moede_dato is not null',
            'moede_akut_fravaer': 'false',
            'has_moedetal': 'false',
            'maalgrupper': ['ressourceforloeb', 'fleksjob', 'foertidspension'],
            'population': 'is_omfattet_lae265',
            'besparelse': 'attest',
            'sparet': 'is_lae265_fravalgt and not has_lae265_rekvireret',
            'dokumenttype': 'LAE265',
        },
        'sundhedsfaglig_raadgivning': {
            'sagstype': 'rehabilitering',
            'sagsdato': 'startdato',
            'kvartal': 'start_kvartal',
            'omfattet': 'true',
            'maalgruppe': 'maalgruppe',
            'fritaget': "coalesce(sundhedsfaglig_raadgiver = 'anden', false)",
            'has_moede': 'moede_dato is not null',
            'moede_akut_fravaer': 'false',
            'has_moedetal': 'false',
            'population': 'true',
            'besparelse': 'ingen',
            'sparet': 'false',
        },
        'akut_fravaer': {
            'sagstype': 'rehabilitering',
            'sagsdato': 'startdato',
            'kvartal': 'start_kvartal',
            'omfattet': 'true',
            'maalgruppe': 'maalgruppe',
            'fritaget': 'moede_dato is not null and is_moede_akut_fravaer',
            'has_moede': 'moede_dato is not null',
            'moede_akut_fravaer': 'moede_dato is not null and is_moede_akut_fravaer',
            'has_moedetal': 'true',
            'population': 'moede_dato is not null',
            'besparelse': 'moede',
            'sparet': 'moede_dato is not null and is_moede_akut_fravaer',
        },
    }) }}
{% endmacro %}

{#-
    True when a case's target group (`kolonne`) is one of the exemption from the
    rehabilitation meeting's target groups (its `maalgrupper`): the cases of the panel's
    rehab_sager, of mart_kommune_maaned and of the exemption's DREAM outcome.
-#}
{% macro er_rehab_fritagelse_maalgruppe(kolonne='maalgruppe') %}
    {{- er_i_maalgrupper('rehab_fritagelse', kolonne) -}}
{%- endmacro %}

{#-
    True when a case's target group (`kolonne`) is one the LÆ265 certificate concerns (the
    theme's `maalgrupper`): fct_rehabiliteringssager.is_omfattet_lae265.
-#}
{% macro er_lae265_maalgruppe(kolonne='maalgruppe') %}
    {{- er_i_maalgrupper('lae265', kolonne) -}}
{%- endmacro %}

{#- `kolonne` in the theme's declared `maalgrupper`. -#}
{% macro er_i_maalgrupper(tema, kolonne) %}
    {{- kolonne }} in (
    {%- for maalgruppe in tema_regler()[tema].maalgrupper -%}
        '{{ maalgruppe }}'{{ ', ' if not loop.last }}
    {%- endfor -%}
    )
{%- endmacro %}

{#- The themes whose cases are in the fact of `sagstype` (sygedagpenge or rehabilitering). -#}
{% macro tema_regler_for_sagstype(sagstype) %}
    {%- set valgte = {} -%}
    {%- for tema, regel in tema_regler().items() if regel.sagstype == sagstype -%}
        {%- do valgte.update({tema: regel}) -%}
    {%- endfor -%}
    {{ return(valgte) }}
{% endmacro %}

{#-
    The themes whose cases come from a source of their own (not the sickness-benefit or
    rehabilitation facts): the source's fact flags its case date with this theme.
-#}
{% macro tema_for_kilde(kilde) %}
    {%- set temaer = {
        'psykologforloeb': 'psykologbehandling',
        'uddannelsespaalaeg': 'uddannelsespaalaeg_fritagelse',
    } -%}
    {{ return(temaer[kilde]) }}
{% endmacro %}

{#- The fact a sagstype's cases are in, and the column holding their quarter. -#}
{% macro fakta_for_sagstype(sagstype) %}
    {%- set fakta = {
        'sygedagpenge': ref('fct_sygedagpengesager'),
        'rehabilitering': ref('fct_rehabiliteringssager'),
    } -%}
    {{ return(fakta[sagstype]) }}
{% endmacro %}

{#-
    Themes whose population is a subset of the sickness-benefit cases without being a
    waiver rule of their own (no entry in tema_regler): the psychologist offer concerns the
    cases with a psychiatric diagnosis. fct_forloeb flags them (is_omfattet_<tema>), so the
    report's Kaplan–Meier for the theme uses the theme's own population.
-#}
{% macro tema_populationer_sygedagpenge() %}
    {{ return({
        'psykologbehandling': "diagnosegruppe = 'psykisk'",
    }) }}
{% endmacro %}
