{#-
    The headline indicators are measured on the cases a theme concerns, so that a trial
    effect is not diluted by cases the trial never touched:
    - LÆ285: sickness-benefit cases covered by the LÆ285 rule (is_omfattet_lae285 in
      fct_sygedagpengesager), in the quarter the case was reported (anmeldt_dato: the date
      that puts a case in the theme, and the quarter sygedagpengesager_omfattet counts in).
      Durations run from the first day of absence; open forløb are censored by the one rule
      in fct_forloeb; medians are Kaplan–Meier (the macro mart_sagsbehandlingstid uses).
    - Exemption from the rehabilitation meeting: its target groups, jobafklaring and fleksjob.
    The same indicators over all cases are kept in the columns ending in `_alle`.
-#}

-- depends_on: {{ ref('temaer') }}

with

kommuner as (
    select * from {{ ref('kommuner') }}
),

kommuner_i_data as (
    select * from {{ ref('int_kommuner_i_data') }}
),

forsoeg as (
    select * from {{ ref('forsoeg_deltagelse') }}
),

forsoeg_kvartaler as (
    select * from {{ ref('int_forsoeg_kvartaler_expanded') }}
),

kalender as (
    select * from {{ ref('dim_kalender') }}
    where is_i_panel
),

sygedagpengesager as (
    select * from {{ ref('fct_sygedagpengesager') }}
),

rehabiliteringssager as (
    select * from {{ ref('fct_rehabiliteringssager') }}
),

forloeb as (
    select * from {{ ref('fct_forloeb') }}
    where forloeb in ('fravaer_til_foerste_opfoelgning', 'sygedagpengeforloeb')
),

attestbesparelse as (
    select * from {{ ref('mart_attestbesparelse') }}
    where dokumenttype = 'LAE285'
),

udfald_pr_kvartal as (
    select * from {{ ref('int_sygedagpengeudfald_pr_kvartal') }}
),

rehab_udfald_pr_kvartal as (
    select * from {{ ref('int_rehabiliteringsudfald_pr_kvartal') }}
),

omgoerelser as (
    select * from {{ ref('mart_omgoerelser') }}
    where kilde = 'ankestatistik'
),

omgoerelser_tema as (
    select * from {{ ref('mart_omgoerelser_tema') }}
),

rehab_kvartal as (
    select * from {{ ref('mart_rehab_kvartal') }}
),

oevrige_forsoeg as (
    select * from {{ ref('int_oevrige_forsoeg_pr_kvartal') }}
),

kvartaler as (
    select
        kvartal,
        min(aar) as aar,
        min(kvartal_nr) as kvartal_nr,
        min(periode_index) as periode_index,
        max(dato) as kvartal_slut
    from kalender
    group by kvartal
),

gitter as (
    select
        kommuner_i_data.*,
        kvartaler.*,
        kommuner.kommunenavn,
        kommuner.region
    from kommuner_i_data
    inner join kommuner
        on kommuner_i_data.kommunekode = kommuner.kommunekode
    cross join kvartaler
),

-- A municipality is in a theme during a quarter when a trial period overlaps the quarter
-- (the rule is in int_forsoeg_kvartaler_expanded).
forsoeg_pr_kvartal as (
    select
        kommunekode,
        kvartal,
        {% for tema in forsoeg_temaer() %}
            bool_or(is_i_forsoeg) filter (where tema = '{{ tema }}') as i_forsoeg_{{ tema }},
        {% endfor %}
        count(*) filter (where is_i_forsoeg) as antal_forsoegstemaer
    from forsoeg_kvartaler
    group by kommunekode, kvartal
),

forsoeg_start as (
    select
        kommunekode,
        {% for tema in forsoeg_temaer() %}
            min({{ kvartaler_mellem("date '" ~ var("panel_start") ~ "'", "date_trunc('quarter', startdato)") }} + 1)
            filter (where tema = '{{ tema }}') as forsoeg_start_index_{{ tema }},
        {% endfor %}
        min(startdato) as foerste_forsoegsdato
    from forsoeg
    group by kommunekode
),

-- LÆ285-eligible and waived cases; the exemption from the rehabilitation meeting's cases
-- (its target groups, and all cases): sygedagpenge_pr_kvartal and rehab_pr_kvartal, the
-- same counts as mart_kommune_maaned's by month.
{{ sager_pr_periode('kvartal') }},

attestudgift_pr_kvartal as (
    select
        kommunekode,
        kvartal,
        sum(sager_omfattet) as sager_omfattet,
        sum(faktisk_attest_udgift_kr + alternativ_udgift_kr) as attestudgift_kr
    from attestbesparelse
    group by kommunekode, kvartal
),

-- Every sickness-benefit forløb once among all cases ('alle') and, when the case is covered
-- by the LÆ285 rule, once more among the covered cases ('omfattet').
forloeb_pr_sagsgruppe as (
    select
        sygedagpengesager.kommunekode,
        sygedagpengesager.anmeldt_kvartal as kvartal,
        sagsgrupper.sagsgruppe,
        forloeb.forloeb,
        forloeb.varighed_dage,
        forloeb.is_afsluttet,
        forloeb.is_inden_frist
    from forloeb
    inner join sygedagpengesager
        on forloeb.forloeb_id = sygedagpengesager.sygedagpengesag_id
    inner join (values ('omfattet'), ('alle')) as sagsgrupper (sagsgruppe)
        on sagsgrupper.sagsgruppe = 'alle' or forloeb.is_omfattet_lae285
),

kaplan_meier as (
    {{ kaplan_meier_quartiles(
        'forloeb_pr_sagsgruppe', ['kommunekode', 'kvartal', 'sagsgruppe', 'forloeb'], 'varighed_dage', 'is_afsluttet'
    ) }}
),

inden_frist as (
    select
        kommunekode,
        kvartal,
        sagsgruppe,
        {{ flydende('count(*) filter (where is_inden_frist)') }}
        / nullif(count(*) filter (where is_inden_frist is not null), 0) as andel_inden_frist
    from forloeb_pr_sagsgruppe
    where forloeb = 'fravaer_til_foerste_opfoelgning'
    group by kommunekode, kvartal, sagsgruppe
),

tider_pr_kvartal as (
    select
        kaplan_meier.kommunekode,
        kaplan_meier.kvartal,
        max(kaplan_meier.median_dage) filter (
            where kaplan_meier.sagsgruppe = 'omfattet' and kaplan_meier.forloeb = 'fravaer_til_foerste_opfoelgning'
        ) as dage_til_foerste_opfoelgning,
        max(kaplan_meier.median_dage) filter (
            where kaplan_meier.sagsgruppe = 'omfattet' and kaplan_meier.forloeb = 'sygedagpengeforloeb'
        ) as sygedagpengeforloeb_dage,
        max(inden_frist.andel_inden_frist) filter (where inden_frist.sagsgruppe = 'omfattet')
            as andel_opfoelgning_inden_frist,
        max(kaplan_meier.median_dage) filter (
            where kaplan_meier.sagsgruppe = 'alle' and kaplan_meier.forloeb = 'fravaer_til_foerste_opfoelgning'
        ) as dage_til_foerste_opfoelgning_alle,
        max(kaplan_meier.median_dage) filter (
            where kaplan_meier.sagsgruppe = 'alle' and kaplan_meier.forloeb = 'sygedagpengeforloeb'
        ) as sygedagpengeforloeb_dage_alle,
        max(inden_frist.andel_inden_frist) filter (where inden_frist.sagsgruppe = 'alle')
            as andel_opfoelgning_inden_frist_alle
    from kaplan_meier
    left join inden_frist
        on
            kaplan_meier.kommunekode = inden_frist.kommunekode
            and kaplan_meier.kvartal = inden_frist.kvartal
            and kaplan_meier.sagsgruppe = inden_frist.sagsgruppe
    group by kaplan_meier.kommunekode, kaplan_meier.kvartal
),

omgoerelser_pr_kvartal as (
    select
        kommunekode,
        kvartal,
        sum(realitetsbehandlede) as realitetsbehandlede,
        sum(omgjorte) as omgjorte
    from omgoerelser
    group by kommunekode, kvartal
),

-- Omgørelsesprocent per theme on its own law areas (mart_omgoerelser_tema).
omgoerelser_tema_pr_kvartal as (
    select
        kommunekode,
        kvartal,
        {% for tema in forsoeg_temaer() %}
            max(realitetsbehandlede) filter (where tema = '{{ tema }}') as realitetsbehandlede_{{ tema }},
            max(omgoerelsesprocent) filter (where tema = '{{ tema }}') as omgoerelsesprocent_{{ tema }}
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from omgoerelser_tema
    group by kommunekode, kvartal
),

samlet as (
    select
        gitter.kommunekode,
        gitter.kommunenavn,
        gitter.region,
        gitter.kvartal,
        gitter.aar,
        gitter.kvartal_nr,
        gitter.periode_index,
        {% for tema in forsoeg_temaer() %}
            coalesce(forsoeg_pr_kvartal.i_forsoeg_{{ tema }}, false) as i_forsoeg_{{ tema }},
            forsoeg_start.forsoeg_start_index_{{ tema }},
        {% endfor %}
        {{ antal_hvis_leveret(
            'gitter.has_sygedagpengesager',
            'sygedagpenge_pr_kvartal.sygedagpengesager_omfattet',
        ) }} as sygedagpengesager_omfattet,
        {{ antal_hvis_leveret(
            'gitter.has_sygedagpengesager',
            'sygedagpenge_pr_kvartal.lae285_fravalgt',
        ) }} as lae285_fravalgt,
        attestudgift_pr_kvartal.attestudgift_kr / nullif(attestudgift_pr_kvartal.sager_omfattet, 0)
            as attestudgift_pr_sag_kr,
        tider_pr_kvartal.dage_til_foerste_opfoelgning,
        tider_pr_kvartal.sygedagpengeforloeb_dage,
        tider_pr_kvartal.andel_opfoelgning_inden_frist,
        udfald_pr_kvartal.andel_selvforsoergende_uge_26,
        udfald_pr_kvartal.andel_selvforsoergende_uge_52,
        udfald_pr_kvartal.andel_gensygemeldt_6_mdr,
        udfald_pr_kvartal.gns_ydelsesuger_52,
        rehab_udfald_pr_kvartal.andel_selvforsoergende_uge_52_efter_afgoerelse,
        {{ antal_hvis_leveret('gitter.has_rehabiliteringssager', 'rehab_pr_kvartal.rehab_sager') }} as rehab_sager,
        {{ antal_hvis_leveret(
            'gitter.has_rehabiliteringssager',
            'rehab_pr_kvartal.rehab_fritaget',
        ) }} as rehab_fritaget,
        {{ antal_hvis_leveret(
            'gitter.has_ankestatistik',
            'omgoerelser_pr_kvartal.realitetsbehandlede',
        ) }} as realitetsbehandlede,
        {{ antal_hvis_leveret('gitter.has_ankestatistik', 'omgoerelser_pr_kvartal.omgjorte') }} as omgjorte,
        tider_pr_kvartal.dage_til_foerste_opfoelgning_alle,
        tider_pr_kvartal.sygedagpengeforloeb_dage_alle,
        tider_pr_kvartal.andel_opfoelgning_inden_frist_alle,
        {{ antal_hvis_leveret(
            'gitter.has_rehabiliteringssager',
            'rehab_pr_kvartal.rehab_sager_alle',
        ) }} as rehab_sager_alle,
        {{ antal_hvis_leveret(
            'gitter.has_rehabiliteringssager',
            'rehab_pr_kvartal.rehab_fritaget_alle',
        ) }} as rehab_fritaget_alle,
        {% for tema in forsoeg_temaer() %}
            {{ antal_hvis_leveret(
                'gitter.has_ankestatistik',
                'omgoerelser_tema_pr_kvartal.realitetsbehandlede_' ~ tema,
            ) }} as realitetsbehandlede_{{ tema }},
            omgoerelser_tema_pr_kvartal.omgoerelsesprocent_{{ tema }},
        {% endfor %}
        rehab_kvartal.andel_jobafklaring_moede_inden_frist,
        rehab_kvartal.andel_seniorfoertidspension_inden_frist,
        rehab_kvartal.dage_til_afgoerelse_jobafklaring,
        rehab_kvartal.dage_til_afgoerelse_fleksjob,
        rehab_kvartal.andel_fritaget_fleksjob_0_10_timer,
        rehab_kvartal.andel_fritaget_gentaget_jobafklaring,
        {{ antal_hvis_leveret(
            'gitter.has_rehabiliteringssager',
            'rehab_kvartal.rehab_moeder_akut_fravaer',
        ) }} as rehab_moeder_akut_fravaer,
        rehab_kvartal.andel_moeder_akut_fravaer,
        {{ antal_hvis_leveret(
            'gitter.has_rehabiliteringssager',
            'rehab_kvartal.lae265_svar_frist_kendt',
        ) }} as lae265_svar_frist_kendt,
        {{ antal_hvis_leveret(
            'gitter.has_rehabiliteringssager',
            'rehab_kvartal.lae265_svar_inden_frist',
        ) }} as lae265_svar_inden_frist,
        rehab_kvartal.andel_lae265_svar_inden_frist,
        rehab_kvartal.dage_til_moede_jobafklaring
    from gitter
    left join forsoeg_pr_kvartal
        on gitter.kommunekode = forsoeg_pr_kvartal.kommunekode and gitter.kvartal = forsoeg_pr_kvartal.kvartal
    left join forsoeg_start
        on gitter.kommunekode = forsoeg_start.kommunekode
    left join sygedagpenge_pr_kvartal
        on gitter.kommunekode = sygedagpenge_pr_kvartal.kommunekode and gitter.kvartal = sygedagpenge_pr_kvartal.kvartal
    left join attestudgift_pr_kvartal
        on gitter.kommunekode = attestudgift_pr_kvartal.kommunekode and gitter.kvartal = attestudgift_pr_kvartal.kvartal
    left join tider_pr_kvartal
        on gitter.kommunekode = tider_pr_kvartal.kommunekode and gitter.kvartal = tider_pr_kvartal.kvartal
    left join rehab_pr_kvartal
        on gitter.kommunekode = rehab_pr_kvartal.kommunekode and gitter.kvartal = rehab_pr_kvartal.kvartal
    left join rehab_udfald_pr_kvartal
        on gitter.kommunekode = rehab_udfald_pr_kvartal.kommunekode and gitter.kvartal = rehab_udfald_pr_kvartal.kvartal
    left join omgoerelser_pr_kvartal
        on gitter.kommunekode = omgoerelser_pr_kvartal.kommunekode and gitter.kvartal = omgoerelser_pr_kvartal.kvartal
    left join omgoerelser_tema_pr_kvartal
        on
            gitter.kommunekode = omgoerelser_tema_pr_kvartal.kommunekode
            and gitter.kvartal = omgoerelser_tema_pr_kvartal.kvartal
    left join rehab_kvartal
        on gitter.kommunekode = rehab_kvartal.kommunekode and gitter.kvartal = rehab_kvartal.kvartal
    left join udfald_pr_kvartal
        on gitter.kommunekode = udfald_pr_kvartal.kommunekode and gitter.kvartal = udfald_pr_kvartal.kvartal
),

final as (
    select
        {{ med_kolonner_sidst([
            'realitetsbehandlede',
            'omgjorte',
            'dage_til_foerste_opfoelgning_alle',
            'sygedagpengeforloeb_dage_alle',
            'andel_opfoelgning_inden_frist_alle',
            'rehab_sager_alle',
            'rehab_fritaget_alle',
        ]) }},
        {{ flydende('lae285_fravalgt') }} / nullif(sygedagpengesager_omfattet, 0) as andel_lae285_fravalgt,
        {{ flydende('rehab_fritaget') }} / nullif(rehab_sager, 0) as andel_rehab_fritaget,
        100.0 * omgjorte / nullif(realitetsbehandlede, 0) as omgoerelsesprocent,
        {{ flydende('rehab_fritaget_alle') }} / nullif(rehab_sager_alle, 0) as andel_rehab_fritaget_alle
    from samlet
),

-- The indicators of the themes psykologbehandling and uddannelsespaalaeg_fritagelse.
med_oevrige_forsoeg as (
    select
        final.*,
        {{ alle_kolonner_undtagen(
            ref('int_oevrige_forsoeg_pr_kvartal'), 'oevrige_forsoeg', ['kommunekode', 'kvartal']
        ) }}  -- noqa: RF02
    from final
    left join oevrige_forsoeg
        on final.kommunekode = oevrige_forsoeg.kommunekode and final.kvartal = oevrige_forsoeg.kvartal
)

select * from med_oevrige_forsoeg  -- noqa: AM04
