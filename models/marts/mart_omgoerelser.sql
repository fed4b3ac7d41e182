with

ankestatistik as (
    select * from {{ ref('int_ankestatistik_superseded') }}
    where is_seneste_offentliggoerelse
),

ankesager as (
    select * from {{ ref('fct_ankesager') }}
    where afgoerelsestype is not null and afgoerelse_dato is not null
),

fra_ankestatistik as (
    select
        kommunekode,
        kvartal,
        lovomraade,
        'ankestatistik' as kilde,
        coalesce(sum(antal) filter (where afgoerelsestype = 'stadfaestet'), 0) as stadfaestet,
        coalesce(sum(antal) filter (where afgoerelsestype in ('aendret', 'ophaevet')), 0) as aendret_ophaevet,
        coalesce(sum(antal) filter (where afgoerelsestype = 'hjemvist'), 0) as hjemvist,
        coalesce(sum(antal) filter (where afgoerelsestype in ('afvist', 'bortfaldet')), 0) as afvist_bortfaldet
    from ankestatistik
    group by kommunekode, kvartal, lovomraade
),

fra_ankesager as (
    select
        kommunekode,
        afgoerelse_kvartal as kvartal,
        lovomraade,
        'ankesager' as kilde,
        count(*) filter (where afgoerelsestype = 'stadfaestet') as stadfaestet,
        count(*) filter (where afgoerelsestype in ('aendret', 'ophaevet')) as aendret_ophaevet,
        count(*) filter (where afgoerelsestype = 'hjemvist') as hjemvist,
        count(*) filter (where afgoerelsestype in ('afvist', 'bortfaldet')) as afvist_bortfaldet
    from ankesager
    group by kommunekode, afgoerelse_kvartal, lovomraade
),

begge as (
    select * from fra_ankestatistik
    union all
    select * from fra_ankesager
),

optalt as (
    select
        kommunekode,
        kvartal,
        lovomraade,
        kilde,
        stadfaestet::bigint as stadfaestet,
        aendret_ophaevet::bigint as aendret_ophaevet,
        hjemvist::bigint as hjemvist,
        afvist_bortfaldet::bigint as afvist_bortfaldet,
        (stadfaestet + aendret_ophaevet + hjemvist)::bigint as realitetsbehandlede,
        (aendret_ophaevet + hjemvist)::bigint as omgjorte
    from begge
),

final as (
    select
        kommunekode,
        kvartal,
        lovomraade,
        realitetsbehandlede,
        stadfaestet,
        aendret_ophaevet,
        hjemvist,
        afvist_bortfaldet,
        case when realitetsbehandlede > 0 then 100.0 * omgjorte / realitetsbehandlede end as omgoerelsesprocent,
        -- Clamped to 0-100 (at 0 or all omgjorte the formula can miss the bound by a rounding
        -- error); greatest/least skip NULL, hence the explicit case.
        case
            when realitetsbehandlede > 0
                then greatest(0.0, 100.0 * {{ wilson_lower('omgjorte', 'realitetsbehandlede') }})
        end as ci_lav,
        case
            when realitetsbehandlede > 0
                then least(100.0, 100.0 * {{ wilson_upper('omgjorte', 'realitetsbehandlede') }})
        end as ci_hoej,
        kilde,
        omgjorte,
        {{ dato_del('year', 'kvartal') }} as aar,
        {{ dato_del('quarter', 'kvartal') }} as kvartal_nr
    from optalt
)

select * from final
