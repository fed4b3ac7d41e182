{#-
    The case counts per municipality and period that the panel (periode 'kvartal') and the
    month view (periode 'maaned') share, as two CTEs named sygedagpenge_pr_<periode> and
    rehab_pr_<periode>, read from the calling model's import CTEs sygedagpengesager
    (fct_sygedagpengesager) and rehabiliteringssager (fct_rehabiliteringssager):
    - LÆ285: eligible cases (sygedagpengesager_omfattet) and waived ones (lae285_fravalgt)
      by the period of anmeldt_dato (anmeldt_<periode>);
    - the exemption from the rehabilitation meeting: cases of its target groups
      (rehab_sager) and exempted ones (rehab_fritaget), and the same over all cases
      (rehab_sager_alle, rehab_fritaget_alle), by the period of startdato (start_<periode>).
    The period is the output column `<periode>`.
-#}
{% macro sager_pr_periode(periode) %}
    sygedagpenge_pr_{{ periode }} as (
        select
            kommunekode,
            anmeldt_{{ periode }} as {{ periode }},
            count(*) filter (where is_omfattet_lae285) as sygedagpengesager_omfattet,
            count(*) filter (where is_omfattet_lae285 and is_lae285_fravalgt) as lae285_fravalgt
        from sygedagpengesager
        group by kommunekode, anmeldt_{{ periode }}
    ),

    rehab_pr_{{ periode }} as (
        select
            kommunekode,
            start_{{ periode }} as {{ periode }},
            count(*) filter (where {{ er_rehab_fritagelse_maalgruppe() }}) as rehab_sager,
            count(*) filter (where {{ er_rehab_fritagelse_maalgruppe() }} and is_fritaget_rehabmoede)
                as rehab_fritaget,
            count(*) as rehab_sager_alle,
            count(*) filter (where is_fritaget_rehabmoede) as rehab_fritaget_alle
        from rehabiliteringssager
        group by kommunekode, start_{{ periode }}
    )
{% endmacro %}

{#-
    A count of a panel or month row: `kolonne` where the municipality delivered the source
    (`har_kilde`, e.g. gitter.has_sygedagpengesager), 0 when it delivered but had no cases
    in the period, null when it did not deliver the source.
-#}
{% macro antal_hvis_leveret(har_kilde, kolonne) %}
    {{- 'case when ' ~ har_kilde ~ ' then coalesce(' ~ kolonne ~ ', 0) end' -}}
{%- endmacro %}
