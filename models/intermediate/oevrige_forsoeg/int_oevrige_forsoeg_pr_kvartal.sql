{#-
    The panel's indicators for the themes psykologbehandling (ansøgning 2) and
    uddannelsespaalaeg_fritagelse (ansøgning 4), per municipality × quarter; joined into
    mart_panel_kommune_kvartal.
    - Sickness-benefit cases with diagnosegruppe psykisk (the cases the psychologist offer
      concerns) in the quarter of anmeldt_dato, as the LÆ285 indicators; their spell
      duration is the Kaplan–Meier median of int_forloeb_unioned's sygedagpengeforloeb.
      Every municipality has such cases, so DiD/RI/WCR compare the three trial
      municipalities with the controls.
    - Courses and exemptions, counted in the quarter of henvist_dato / fritaget_dato.
    - The DREAM outcomes of the psykisk cases from fct_sygedagpengeudfald (contract §4.1),
      by the quarter of anmeldt_dato like the duration: the share self-supporting in week
      13/26/52 (cases whose week is known), sick-listed again within 6/12 months (closed
      cases), mean benefit weeks in weeks 0–51; persons not in DREAM are left out.
    - A mean beside the median for the DiD of the planted shortening: days on sickness
      benefit in the first year, min(varighed_dage, 365), averaged over the psykisk cases
      whose first year ends by their censoring date (the extract date), so every such case's
      value is known (open after a year = 365) and whether a case counts does not depend on
      its outcome. The generator's realised effect on it is
      synthetic.oevrige_forsoeg.realised_aarsdage_effect (same horizon, AARSHORISONT_DAGE).
-#}

{%- set aarshorisont_dage = 365 %}

with

sygedagpengesager as (
    select * from {{ ref('fct_sygedagpengesager') }}
    where diagnosegruppe = 'psykisk'
),

forloeb as (
    select * from {{ ref('int_forloeb_unioned') }}
    where forloeb = 'sygedagpengeforloeb'
),

psykologforloeb as (
    select * from {{ ref('fct_psykologforloeb') }}
),

fritagelser as (
    select * from {{ ref('fct_uddannelsespaalaeg') }}
),

udfald as (
    select * from {{ ref('fct_sygedagpengeudfald') }}
),

udfald_pr_kvartal as (
    select
        sygedagpengesager.kommunekode,
        sygedagpengesager.anmeldt_kvartal as kvartal,
        avg(udfald.er_selvforsoergende_uge_13::int) as andel_selvforsoergende_uge_13_psykisk,
        avg(udfald.er_selvforsoergende_uge_26::int) as andel_selvforsoergende_uge_26_psykisk,
        avg(udfald.er_selvforsoergende_uge_52::int) as andel_selvforsoergende_uge_52_psykisk,
        avg(udfald.is_gensygemeldt_6_mdr::int) as andel_gensygemeldt_6_mdr_psykisk,
        avg(udfald.is_gensygemeldt_12_mdr::int) as andel_gensygemeldt_12_mdr_psykisk,
        avg(udfald.ydelsesuger_52) as gns_ydelsesuger_52_psykisk
    from sygedagpengesager
    inner join udfald
        on sygedagpengesager.sygedagpengesag_id = udfald.sygedagpengesag_id
    where udfald.has_dream
    group by sygedagpengesager.kommunekode, sygedagpengesager.anmeldt_kvartal
),

psykisk_forloeb as (
    select
        sygedagpengesager.kommunekode,
        sygedagpengesager.anmeldt_kvartal as kvartal,
        forloeb.varighed_dage,
        forloeb.is_afsluttet,
        {{ dage_mellem('forloeb.start_dato', 'forloeb.censur_dato') }} >= {{ aarshorisont_dage }}
            as is_foerste_aar_kendt
    from forloeb
    inner join sygedagpengesager
        on forloeb.forloeb_id = sygedagpengesager.sygedagpengesag_id
),

kaplan_meier as (
    {{ kaplan_meier_quartiles('psykisk_forloeb', ['kommunekode', 'kvartal'], 'varighed_dage', 'is_afsluttet') }}
),

aarsdage_pr_kvartal as (
    select
        kommunekode,
        kvartal,
        avg(least(varighed_dage, {{ aarshorisont_dage }})) as gns_sygedagpengedage_365_psykisk
    from psykisk_forloeb
    where is_foerste_aar_kendt
    group by kommunekode, kvartal
),

psykisk_pr_kvartal as (
    select
        kommunekode,
        anmeldt_kvartal as kvartal,
        count(*) as psykisk_sager
    from sygedagpengesager
    group by kommunekode, anmeldt_kvartal
),

psykolog_pr_kvartal as (
    select
        kommunekode,
        henvist_kvartal as kvartal,
        count(*) as psykolog_forloeb
    from psykologforloeb
    group by kommunekode, henvist_kvartal
),

fritagelser_pr_kvartal as (
    select
        kommunekode,
        fritaget_kvartal as kvartal,
        count(*) as uddannelsespaalaeg_fritaget
    from fritagelser
    group by kommunekode, fritaget_kvartal
),

noegler as (
    select
        kommunekode,
        kvartal
    from psykisk_pr_kvartal
    union
    select
        kommunekode,
        kvartal
    from psykolog_pr_kvartal
    union
    select
        kommunekode,
        kvartal
    from fritagelser_pr_kvartal
),

final as (
    select
        noegler.kommunekode,
        noegler.kvartal,
        udfald_pr_kvartal.andel_selvforsoergende_uge_13_psykisk,
        udfald_pr_kvartal.andel_selvforsoergende_uge_26_psykisk,
        udfald_pr_kvartal.andel_selvforsoergende_uge_52_psykisk,
        udfald_pr_kvartal.andel_gensygemeldt_6_mdr_psykisk,
        udfald_pr_kvartal.andel_gensygemeldt_12_mdr_psykisk,
        udfald_pr_kvartal.gns_ydelsesuger_52_psykisk,
        psykisk_pr_kvartal.psykisk_sager,
        kaplan_meier.median_dage as sygedagpengeforloeb_dage_psykisk,
        aarsdage_pr_kvartal.gns_sygedagpengedage_365_psykisk,
        psykolog_pr_kvartal.psykolog_forloeb,
        fritagelser_pr_kvartal.uddannelsespaalaeg_fritaget
    from noegler
    left join psykisk_pr_kvartal
        on noegler.kommunekode = psykisk_pr_kvartal.kommunekode and noegler.kvartal = psykisk_pr_kvartal.kvartal
    left join kaplan_meier
        on noegler.kommunekode = kaplan_meier.kommunekode and noegler.kvartal = kaplan_meier.kvartal
    left join psykolog_pr_kvartal
        on noegler.kommunekode = psykolog_pr_kvartal.kommunekode and noegler.kvartal = psykolog_pr_kvartal.kvartal
    left join fritagelser_pr_kvartal
        on
            noegler.kommunekode = fritagelser_pr_kvartal.kommunekode
            and noegler.kvartal = fritagelser_pr_kvartal.kvartal
    left join udfald_pr_kvartal
        on noegler.kommunekode = udfald_pr_kvartal.kommunekode and noegler.kvartal = udfald_pr_kvartal.kvartal
    left join aarsdage_pr_kvartal
        on noegler.kommunekode = aarsdage_pr_kvartal.kommunekode and noegler.kvartal = aarsdage_pr_kvartal.kvartal
)

select * from final
