{#-
    Time from a rehabilitation case's readiness (startdato) to the team meeting and to the
    decision, per municipality × quarter of start × target group × forløb, with the legal
    deadline from seed frister (matched on forloeb and maalgruppe; a frist with blank
    maalgruppe applies to every target group). Only cases that met the team count toward
    rehab_start_til_moede. Open forløb are censored at the extract date; medians are
    Kaplan–Meier. A case counts toward andel_inden_frist once its deadline is known: the
    event came (inside or after the deadline), or the case was still open after it.
    The doctor's answer to LÆ265 (forloeb attest_rekvireret_til_modtaget, only LÆ265
    requested for a rehabilitation case) runs from the request to the receipt, censored at
    the document's extract date, against the one deadline named for it in frister
    (frist lae265_svar, 30 days: day 30 is in time, day 31 late); it counts in the quarter
    and target group of the case it was requested for.
-#}

with

rehabiliteringssager as (
    select * from {{ ref('fct_rehabiliteringssager') }}
),

helbredsdokumenter as (
    select * from {{ ref('fct_helbredsdokumenter') }}
),

frister as (
    select * from {{ ref('frister') }}
),

lae265 as (
    select
        rehabiliteringssager.kommunekode,
        rehabiliteringssager.start_kvartal as kvartal,
        rehabiliteringssager.maalgruppe,
        'attest_rekvireret_til_modtaget' as forloeb,
        helbredsdokumenter.rekvireret_dato as startdato,
        helbredsdokumenter.modtaget_dato as slut_dato,
        helbredsdokumenter.extract_date as censur_dato,
        rehabiliteringssager.is_fritaget_rehabmoede,
        'lae265_svar' as frist
    from helbredsdokumenter
    inner join rehabiliteringssager
        on helbredsdokumenter.rehabiliteringssag_id = rehabiliteringssager.rehabiliteringssag_id
    where helbredsdokumenter.dokumenttype = 'LAE265'
),

forloeb_raa as (
    select
        kommunekode,
        start_kvartal as kvartal,
        maalgruppe,
        'rehab_start_til_moede' as forloeb,
        startdato,
        moede_dato as slut_dato,
        extract_date as censur_dato,
        is_fritaget_rehabmoede,
        cast(null as varchar) as frist
    from rehabiliteringssager
    where moede_dato is not null or not is_fritaget_rehabmoede
    union all
    select
        kommunekode,
        start_kvartal as kvartal,
        maalgruppe,
        'rehab_start_til_afgoerelse' as forloeb,
        startdato,
        afgoerelse_dato as slut_dato,
        extract_date as censur_dato,
        is_fritaget_rehabmoede,
        cast(null as varchar) as frist
    from rehabiliteringssager
    union all
    select * from lae265
),

med_frist as (
    select
        forloeb_raa.*,
        greatest(
            {{ dage_mellem('forloeb_raa.startdato', 'coalesce(forloeb_raa.slut_dato, forloeb_raa.censur_dato)') }}, 0
        )
            as varighed_dage,
        forloeb_raa.slut_dato is not null as is_afsluttet,
        (
            select min(frister.dage)
            from frister
            where
                frister.frist = forloeb_raa.frist
                or (
                    forloeb_raa.frist is null
                    and frister.forloeb = forloeb_raa.forloeb
                    and (frister.maalgruppe is null or frister.maalgruppe = forloeb_raa.maalgruppe)
                )
        ) as frist_dage
    from forloeb_raa
),

markeret as (
    select
        *,
        case
            when frist_dage is null then null
            when is_afsluttet then varighed_dage <= frist_dage
            when varighed_dage > frist_dage then false
        end as is_inden_frist
    from med_frist
),

kaplan_meier as (
    {{ kaplan_meier_quartiles(
        'markeret', ['kommunekode', 'kvartal', 'maalgruppe', 'forloeb'], 'varighed_dage', 'is_afsluttet'
    ) }}
),

optalt as (
    select
        kommunekode,
        kvartal,
        maalgruppe,
        forloeb,
        count(*) as n_sager,
        count(*) filter (where is_afsluttet) as n_afsluttet,
        count(*) filter (where not is_afsluttet) as n_aabne,
        count(*) filter (where is_fritaget_rehabmoede) as n_fritaget,
        max(frist_dage) as frist_dage,
        count(*) filter (where is_inden_frist) as n_inden_frist,
        count(*) filter (where is_inden_frist is not null) as n_frist_kendt
    from markeret
    group by kommunekode, kvartal, maalgruppe, forloeb
),

final as (
    select
        optalt.kommunekode,
        optalt.kvartal,
        optalt.maalgruppe,
        optalt.forloeb,
        optalt.n_sager,
        optalt.n_afsluttet,
        optalt.n_aabne,
        optalt.n_fritaget,
        kaplan_meier.median_dage,
        kaplan_meier.p25_dage,
        kaplan_meier.p75_dage,
        optalt.frist_dage,
        optalt.n_inden_frist,
        optalt.n_frist_kendt,
        {{ flydende('optalt.n_inden_frist') }} / nullif(optalt.n_frist_kendt, 0) as andel_inden_frist,
        {{ dato_del('year', 'optalt.kvartal') }} as aar,
        {{ dato_del('quarter', 'optalt.kvartal') }} as kvartal_nr
    from optalt
    inner join kaplan_meier
        on
            optalt.kommunekode = kaplan_meier.kommunekode
            and optalt.kvartal = kaplan_meier.kvartal
            and optalt.maalgruppe = kaplan_meier.maalgruppe
            and optalt.forloeb = kaplan_meier.forloeb
)

select * from final
