{#- What "fritaget" means per theme, and which cases it concerns: macro tema_regler. -#}
with

-- Named as the rules' sagstype, so a rule selects its fact by name.
rehabilitering as (
    select * from {{ ref('fct_rehabiliteringssager') }}
),

sygedagpenge as (
    select * from {{ ref('fct_sygedagpengesager') }}
),

pr_sag as (
    {% for tema, regel in tema_regler().items() %}
        select
            kommunekode,
            {{ regel.kvartal }} as kvartal,
            '{{ tema }}' as tema,
            {{ regel.maalgruppe }} as maalgruppe,
            is_i_forsoeg_paa_sagsdato_{{ tema }} as i_forsoeg,
            {{ regel.fritaget }} as is_fritaget,
            {{ regel.has_moede }} as has_moede,
            {{ regel.moede_akut_fravaer }} as is_moede_akut_fravaer,
            {{ regel.has_moedetal }} as has_moedetal
        from {{ regel.sagstype }}
        where {{ regel.omfattet }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        kommunekode,
        kvartal,
        tema,
        maalgruppe,
        count(*) as sager,
        count(*) filter (where is_fritaget) as fritaget,
        {{ flydende('count(*) filter (where is_fritaget)') }} / count(*) as andel_fritaget,
        case when bool_or(has_moedetal) then count(*) filter (where has_moede) end as moeder,
        case when bool_or(has_moedetal) then count(*) filter (where is_moede_akut_fravaer) end
            as moeder_akut_fravaer,
        count(*) filter (where i_forsoeg) as sager_i_forsoeg,
        bool_or(i_forsoeg) as i_forsoeg,
        {{ dato_del('year', 'kvartal') }} as aar,
        {{ dato_del('quarter', 'kvartal') }} as kvartal_nr
    from pr_sag
    group by kommunekode, kvartal, tema, maalgruppe
)

select * from final
