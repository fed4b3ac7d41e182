{#-
    Contract §4.2: exemptions from the education order per municipality × quarter of
    fritaget_dato (a cohort: what became of the young people exempted in the quarter).
    `ophoert_<aarsag>` split `ophoert` by the municipality's recorded reason;
    heraf_paabegyndt_uddannelse is the municipality's record (ophoer_aarsag).
    With var('trialwh_dream_udfald'): the DREAM benefit group in the week of the trial's end
    (`ved_forsoegets_slut_<ydelsesgruppe>`, persons) and `heraf_su_uger` (any SU week after
    the exemption, from DREAM).
-#}

{%- set aarsager = ['paabegyndt_uddannelse', 'beskaeftigelse', 'anden_ydelse', 'fraflyttet', 'andet'] %}
{%- set grupper = [
    'selvforsoergende', 'sygedagpenge', 'ledighed', 'kontanthjaelp_uddannelseshjaelp',
    'ressourceforloeb_jobafklaring', 'fleksjob_ledighedsydelse', 'foertidspension', 'su_uddannelse',
    'orlov_barsel', 'pension_efterloen', 'doed_udvandret', 'andet'
] %}

with

fritagelser as (
    select * from {{ ref('fct_uddannelsespaalaeg') }}
),

{% if var('trialwh_dream_udfald', false) %}
dream as (
    select * from {{ ref('int_uddannelsespaalaeg_dream') }}
),
{% endif %}

final as (
    select
        fritagelser.kommunekode,
        fritagelser.fritaget_kvartal as kvartal,
        count(*) as fritaget,
        count(*) filter (where fritagelser.is_ophoert) as ophoert,
        count(*) filter (where not fritagelser.is_ophoert) as stadig_fritaget,
        {% for aarsag in aarsager %}
            count(*) filter (where fritagelser.ophoer_aarsag = '{{ aarsag }}') as ophoert_{{ aarsag }},
        {% endfor %}
        count(*) filter (where fritagelser.is_paabegyndt_uddannelse) as heraf_paabegyndt_uddannelse,
        {% if var('trialwh_dream_udfald', false) %}
            count(*) filter (where dream.has_su_uger_efter_fritagelse) as heraf_su_uger,
            {% for gruppe in grupper %}
                count(*) filter (where dream.ydelsesgruppe_ved_forsoegets_slut = '{{ gruppe }}')
                    as ved_forsoegets_slut_{{ gruppe }},
            {% endfor %}
        {% endif %}
        count(*) filter (where fritagelser.is_paabegyndt_uddannelse) / count(*) as andel_paabegyndt_uddannelse
    from fritagelser
    {% if var('trialwh_dream_udfald', false) %}
        left join dream
            on fritagelser.uddannelsespaalaeg_id = dream.uddannelsespaalaeg_id
    {% endif %}
    group by fritagelser.kommunekode, fritagelser.fritaget_kvartal
)

select * from final
