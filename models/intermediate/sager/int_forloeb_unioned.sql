{#-
    One row per forløb (a case or document followed from a start event to an end event);
    published as fct_forloeb, which every duration (mart_sagsbehandlingstid, the panel, the
    dashboard, the report) reads. The one censoring rule: a forløb whose end event has not
    happened is censored at the extract date of the case's latest snapshot; for first
    follow-up at the case's end instead if the case closed first (no follow-up can follow).
    Legal deadlines come from the seed frister: the first follow-up within `dage` of
    frist foerste_opfoelgning after the first day of absence, the rehab-team meeting
    within `dage` of frist rehab_moede_jobafklaring for the deadline's maalgruppe, the
    decision within the deadline of forløb rehab_start_til_afgoerelse for its maalgruppe
    (seniorførtidspension), and a requested certificate received within the deadline of
    its dokumenttype (LÆ265 30 days, LÆ125 14 days). Other forløb and document types
    have no legal deadline (frist_dage NULL); the 22-week reassessment is no deadline for
    the sickness-benefit forløb to end.
-#}
with

sygedagpengesager as (
    select * from {{ ref('int_sygedagpengesager_deduplicated') }}
),

rehabiliteringssager as (
    select * from {{ ref('int_rehabiliteringssager_deduplicated') }}
),

dokumenter as (
    select * from {{ ref('int_helbredsdokumenter_priced') }}
),

frister as (
    select * from {{ ref('frister') }}
),

frist_opfoelgning as (
    select dage from frister
    where frist = 'foerste_opfoelgning'
),

frist_rehab_moede as (
    select
        dage,
        maalgruppe
    from frister
    where frist = 'rehab_moede_jobafklaring'
),

frist_rehab_afgoerelse as (
    select
        dage,
        maalgruppe
    from frister
    where forloeb = 'rehab_start_til_afgoerelse' and maalgruppe is not null
),

frist_attest as (
    select
        dage,
        dokumenttype
    from frister
    where forloeb = 'attest_rekvireret_til_modtaget' and dokumenttype is not null
),

opfoelgning_fra_anmeldelse as (
    select
        kommunekode,
        sygedagpengesag_id as forloeb_id,
        'anmeldelse_til_foerste_opfoelgning' as forloeb,
        anmeldt_dato as start_dato,
        foerste_opfoelgning_dato as slut_dato,
        least(coalesce(afsluttet_dato, extract_date), extract_date) as censur_dato,
        cast(null as integer) as frist_dage,
        sygedagpengesag_id,
        cast(null as varchar) as maalgruppe
    from sygedagpengesager
),

opfoelgning_fra_fravaer as (
    select
        kommunekode,
        sygedagpengesag_id as forloeb_id,
        'fravaer_til_foerste_opfoelgning' as forloeb,
        foerste_fravaersdag as start_dato,
        foerste_opfoelgning_dato as slut_dato,
        least(coalesce(afsluttet_dato, extract_date), extract_date) as censur_dato,
        (select frist_opfoelgning.dage from frist_opfoelgning) as frist_dage,
        sygedagpengesag_id,
        cast(null as varchar) as maalgruppe
    from sygedagpengesager
),

sygedagpengeforloeb as (
    select
        kommunekode,
        sygedagpengesag_id as forloeb_id,
        'sygedagpengeforloeb' as forloeb,
        foerste_fravaersdag as start_dato,
        afsluttet_dato as slut_dato,
        extract_date as censur_dato,
        cast(null as integer) as frist_dage,
        sygedagpengesag_id,
        cast(null as varchar) as maalgruppe
    from sygedagpengesager
),

attester as (
    select
        dokumenter.kommunekode,
        dokumenter.helbredsdokument_id as forloeb_id,
        'attest_rekvireret_til_modtaget' as forloeb,
        dokumenter.rekvireret_dato as start_dato,
        dokumenter.modtaget_dato as slut_dato,
        dokumenter.extract_date as censur_dato,
        frist_attest.dage as frist_dage,
        cast(null as varchar) as sygedagpengesag_id,
        cast(null as varchar) as maalgruppe
    from dokumenter
    left join frist_attest
        on dokumenter.dokumenttype = frist_attest.dokumenttype
),

rehab_afgoerelse as (
    select
        rehabiliteringssager.kommunekode,
        rehabiliteringssager.rehabiliteringssag_id as forloeb_id,
        'rehab_start_til_afgoerelse' as forloeb,
        rehabiliteringssager.startdato as start_dato,
        rehabiliteringssager.afgoerelse_dato as slut_dato,
        rehabiliteringssager.extract_date as censur_dato,
        frist_rehab_afgoerelse.dage as frist_dage,
        cast(null as varchar) as sygedagpengesag_id,
        rehabiliteringssager.maalgruppe
    from rehabiliteringssager
    left join frist_rehab_afgoerelse
        on rehabiliteringssager.maalgruppe = frist_rehab_afgoerelse.maalgruppe
),

rehab_moede as (
    select
        rehabiliteringssager.kommunekode,
        rehabiliteringssager.rehabiliteringssag_id as forloeb_id,
        'rehab_start_til_moede' as forloeb,
        rehabiliteringssager.startdato as start_dato,
        rehabiliteringssager.moede_dato as slut_dato,
        rehabiliteringssager.extract_date as censur_dato,
        frist_rehab_moede.dage as frist_dage,
        cast(null as varchar) as sygedagpengesag_id,
        rehabiliteringssager.maalgruppe
    from rehabiliteringssager
    left join frist_rehab_moede
        on rehabiliteringssager.maalgruppe = frist_rehab_moede.maalgruppe
    where not rehabiliteringssager.is_fritaget_rehabmoede
),

alle as (
    select * from opfoelgning_fra_anmeldelse
    union all
    select * from opfoelgning_fra_fravaer
    union all
    select * from sygedagpengeforloeb
    union all
    select * from attester
    union all
    select * from rehab_afgoerelse
    union all
    select * from rehab_moede
),

final as (
    select
        kommunekode,
        forloeb_id,
        forloeb,
        start_dato,
        slut_dato,
        censur_dato,
        frist_dage,
        sygedagpengesag_id,
        maalgruppe,
        cast(date_trunc('quarter', start_dato) as date) as kvartal,
        slut_dato is not null as is_afsluttet,
        {{ dage_mellem('start_dato', 'coalesce(slut_dato, censur_dato)') }} as varighed_dage,
        case
            when frist_dage is null then null
            when slut_dato is not null then {{ dage_mellem('start_dato', 'slut_dato') }} <= frist_dage
            when {{ dage_mellem('start_dato', 'censur_dato') }} > frist_dage then false
        end as is_inden_frist
    from alle
)

select * from final
