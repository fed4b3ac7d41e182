with

afgoerelser as (
    select * from {{ ref('stg_ankestatistik__afgoerelser') }}
),

pr_offentliggoerelse as (
    select
        aar,
        kvartal_nr,
        kvartal,
        kommunekode,
        lovomraade,
        afgoerelsestype,
        extract_date as offentliggjort_dato,
        sum(antal) as antal
    from afgoerelser
    where kommunekode is not null
    group by aar, kvartal_nr, kvartal, kommunekode, lovomraade, afgoerelsestype, extract_date
),

markeret as (
    select
        *,
        offentliggjort_dato = max(offentliggjort_dato) over (
            partition by aar, kvartal_nr, kommunekode, lovomraade, afgoerelsestype
        ) as is_seneste_offentliggoerelse,
        count(*) over (
            partition by aar, kvartal_nr, kommunekode, lovomraade, afgoerelsestype
        ) as antal_offentliggoerelser
    from pr_offentliggoerelse
)

select * from markeret
