{#-
    Professional working time saved by the trials, per municipality, quarter (of the case's
    start / notification) and theme, from the parameters in seed ressource_parametre (each
    with kilde or ANTAGELSE). Only cases in the trial that used the exemption count:
    (Which exemption saves what is the themes' rule in macros/tema_regler.sql.)
    - rehab_fritagelse: a case exempted from the team meeting saves its share of a meeting
      (1 / sager_pr_moede), the meeting time of every professional (minutter_pr_sag ×
      fagpersoner_pr_moede) and the caseworker's presentation (forberedelse_minutter_pr_sag).
    - akut_fravaer: a meeting held despite acute absence would otherwise have been postponed
      (ANTAGELSE): the attending professionals' time for the case is saved once.
    - lae265 / lae285: a waived certificate is neither written (laege_minutter_pr_attest, the
      doctor's time, paid through the fee in mart_attestbesparelse and so not priced here)
      nor requested and read (laesetid_minutter_pr_attest, the caseworker's time).
    Kroner = municipal hours (team and caseworker) × timepris_kr. Beside it, for the
    certificate themes, the fee saving of the same municipality and quarter
    (mart_attestbesparelse.nettobesparelse_kr for the theme's dokumenttype in
    macros/tema_regler.sql), so the two savings are shown side by side.
-#}

with

parametre as (
    select * from {{ ref('ressource_parametre') }}
),

attestbesparelse as (
    select * from {{ ref('mart_attestbesparelse') }}
),

-- The fee saving per quarter of the certificate themes (rules: macros/tema_regler.sql).
honorarbesparelse as (
    {% for tema, regel in tema_regler().items() if regel.dokumenttype is defined %}
        select
            kommunekode,
            date_trunc('quarter', maaned)::date as kvartal,
            '{{ tema }}' as tema,
            sum(nettobesparelse_kr) as honorarbesparelse_kr
        from attestbesparelse
        where dokumenttype = '{{ regel.dokumenttype }}'
        group by kommunekode, date_trunc('quarter', maaned)::date
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

-- One row per case and theme whose exemption saved time (rules: macros/tema_regler.sql).
sager as (
    {% for tema, regel in tema_regler().items() if regel.besparelse != 'ingen' %}
        select
            kommunekode,
            {{ regel.kvartal }} as kvartal,
            '{{ tema }}' as tema,
            {{ regel.maalgruppe }} as maalgruppe,
            {{ regel.besparelse == 'moede' }} as is_moede_sparet,
            {{ regel.besparelse == 'attest' }} as is_attest_sparet
        from {{ fakta_for_sagstype(regel.sagstype) }}
        where is_i_forsoeg_paa_sagsdato_{{ tema }} and ({{ regel.sparet }})
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

tema_maalgrupper as (
    select distinct
        tema,
        maalgruppe
    from sager
),

-- The parameters per theme and target group (a blank maalgruppe/tema in the seed = all).
vaerdier as (
    select
        tema_maalgrupper.tema,
        tema_maalgrupper.maalgruppe,
        {{ ressource_parameter(
            'parametre', 'sager_pr_moede', 'tema_maalgrupper.tema', 'tema_maalgrupper.maalgruppe'
        ) }}
            as sager_pr_moede,
        {{ ressource_parameter(
            'parametre', 'fagpersoner_pr_moede', 'tema_maalgrupper.tema', 'tema_maalgrupper.maalgruppe'
        ) }}
            as fagpersoner_pr_moede,
        {{ ressource_parameter(
            'parametre', 'minutter_pr_sag', 'tema_maalgrupper.tema', 'tema_maalgrupper.maalgruppe'
        ) }}
            as minutter_pr_sag,
        {{ ressource_parameter(
            'parametre', 'forberedelse_minutter_pr_sag', 'tema_maalgrupper.tema', 'tema_maalgrupper.maalgruppe'
        ) }}
            as forberedelse_minutter_pr_sag,
        {{ ressource_parameter(
            'parametre', 'laege_minutter_pr_attest', 'tema_maalgrupper.tema', 'tema_maalgrupper.maalgruppe'
        ) }}
            as laege_minutter_pr_attest,
        {{ ressource_parameter(
            'parametre', 'laesetid_minutter_pr_attest', 'tema_maalgrupper.tema', 'tema_maalgrupper.maalgruppe'
        ) }}
            as laesetid_minutter_pr_attest,
        {{ ressource_parameter(
            'parametre', 'timepris_kr', 'tema_maalgrupper.tema', 'tema_maalgrupper.maalgruppe'
        ) }}
            as timepris_kr
    from tema_maalgrupper
),

pr_sag as (
    select
        sager.kommunekode,
        sager.kvartal,
        sager.tema,
        sager.is_attest_sparet,
        vaerdier.timepris_kr,
        case when sager.is_moede_sparet then 1.0 / vaerdier.sager_pr_moede else 0.0 end as moeder_sparet,
        case
            when sager.is_moede_sparet then vaerdier.minutter_pr_sag * vaerdier.fagpersoner_pr_moede / 60.0
            else 0.0
        end as timer_rehabiliteringsteam,
        (
            case when sager.is_moede_sparet then vaerdier.forberedelse_minutter_pr_sag else 0.0 end
            + case when sager.is_attest_sparet then vaerdier.laesetid_minutter_pr_attest else 0.0 end
        ) / 60.0 as timer_sagsbehandler,
        case when sager.is_attest_sparet then vaerdier.laege_minutter_pr_attest / 60.0 else 0.0 end as timer_laege
    from sager
    inner join vaerdier
        on sager.tema = vaerdier.tema and sager.maalgruppe = vaerdier.maalgruppe
),

optalt as (
    select
        kommunekode,
        kvartal,
        tema,
        count(*) as sager,
        sum(moeder_sparet) as moeder_sparet,
        count(*) filter (where is_attest_sparet) as attester_sparet,
        sum(timer_rehabiliteringsteam) as timer_rehabiliteringsteam,
        sum(timer_sagsbehandler) as timer_sagsbehandler,
        sum(timer_laege) as timer_laege,
        sum(timer_rehabiliteringsteam + timer_sagsbehandler + timer_laege) as timer_i_alt,
        sum((timer_rehabiliteringsteam + timer_sagsbehandler) * timepris_kr) as besparelse_kr,
        {{ dato_del('year', 'kvartal') }} as aar,
        {{ dato_del('quarter', 'kvartal') }} as kvartal_nr
    from pr_sag
    group by kommunekode, kvartal, tema
),

final as (
    select
        optalt.*,
        honorarbesparelse.honorarbesparelse_kr
    from optalt
    left join honorarbesparelse
        on
            optalt.kommunekode = honorarbesparelse.kommunekode
            and optalt.kvartal = honorarbesparelse.kvartal
            and optalt.tema = honorarbesparelse.tema
)

select * from final
