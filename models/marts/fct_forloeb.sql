{#-
    The one duration model: one row per case (or document) × forløb, with its start, its end
    or censoring date and the event flag. The censoring rule is written once, in
    int_forloeb_unioned (documented in _marts__models.yml); mart_sagsbehandlingstid, the
    panel, the dashboard's Kaplan–Meier curves and the report all read this model.
-#}
with

forloeb as (
    select * from {{ ref('int_forloeb_unioned') }}
),

sygedagpengesager as (
    select
        sygedagpengesag_id,
        {% for tema, population in tema_populationer_sygedagpenge().items() %}
            {{ population }} as is_omfattet_{{ tema }},
        {% endfor %}
        is_omfattet_lae285
    from {{ ref('fct_sygedagpengesager') }}
),

final as (
    select
        forloeb.forloeb_id,
        forloeb.forloeb,
        forloeb.kommunekode,
        forloeb.kvartal as start_kvartal,
        forloeb.start_dato,
        forloeb.slut_dato,
        forloeb.censur_dato,
        forloeb.varighed_dage,
        forloeb.is_afsluttet,
        forloeb.frist_dage,
        forloeb.is_inden_frist,
        sygedagpengesager.is_omfattet_lae285,
        {% for tema in tema_populationer_sygedagpenge() %}
            sygedagpengesager.is_omfattet_{{ tema }},
        {% endfor %}
        forloeb.maalgruppe
    from forloeb
    left join sygedagpengesager
        on forloeb.sygedagpengesag_id = sygedagpengesager.sygedagpengesag_id
)

select * from final
