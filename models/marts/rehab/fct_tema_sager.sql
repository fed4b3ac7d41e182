{#-
    One row per case and trial theme the case belongs to, with whether the theme's
    exemption was used: the population `trialwh sample` draws the case review from and
    mart_sagsgennemgang weights it back to. Which cases a theme concerns (`population`),
    its case date, target group and what "exempted" means are the theme's rules in
    macros/tema_regler.sql, the one place themes differ in SQL.
-#}

with

alle as (
    {% for tema, regel in tema_regler().items() %}
        select
            kommunekode,
            sags_id,
            '{{ tema }}' as tema,
            {{ regel.maalgruppe }} as maalgruppe,
            {{ regel.sagsdato }} as sagsdato,
            is_i_forsoeg_paa_sagsdato_{{ tema }} as i_forsoeg,
            coalesce({{ regel.fritaget }}, false) as is_fritaget
        from {{ fakta_for_sagstype(regel.sagstype) }}
        where {{ regel.population }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        kommunekode,
        sags_id,
        tema,
        maalgruppe,
        sagsdato,
        i_forsoeg,
        is_fritaget,
        case when is_fritaget then 'fritaget' else 'sammenligning' end as gruppe
    from alle
)

select * from final
