with

dokumenter as (
    select * from {{ ref('int_helbredsdokumenter_priced') }}
),

summeret as (
    select
        sagstype,
        sag_id,
        count(*) filter (where dokumenttype = 'LAE285') as antal_lae285,
        coalesce(sum(udgift_kr) filter (where dokumenttype = 'LAE285'), 0) as lae285_udgift_kr,
        coalesce(sum(imputeret_udgift_kr) filter (where dokumenttype = 'LAE285'), 0) as lae285_imputeret_kr,
        count(*) filter (where dokumenttype = 'LAE265') as antal_lae265,
        coalesce(sum(udgift_kr) filter (where dokumenttype = 'LAE265'), 0) as lae265_udgift_kr,
        coalesce(sum(imputeret_udgift_kr) filter (where dokumenttype = 'LAE265'), 0) as lae265_imputeret_kr,
        count(*) filter (where dokumenttype not in ('LAE285', 'LAE265')) as antal_andre_dokumenter,
        coalesce(sum(udgift_kr) filter (where dokumenttype not in ('LAE285', 'LAE265')), 0)
            as andre_dokumenter_udgift_kr,
        coalesce(sum(imputeret_udgift_kr) filter (where dokumenttype not in ('LAE285', 'LAE265')), 0)
            as andre_dokumenter_imputeret_kr,
        bool_or(har_tolk) as har_tolk_paa_dokument
    from dokumenter
    group by sagstype, sag_id
)

select * from summeret
