{{ config(materialized='table') }}  -- read by several models and tests: computed once

with

dokumenter as (
    select * from {{ ref('int_helbredsdokumenter_deduplicated') }}
),

takster as (
    select * from {{ ref('attest_takster') }}
),

prissat as (
    select
        dokumenter.*,
        case
            when dokumenter.har_tolk then takster.honorar_med_tolk_kr
            else takster.honorar_kr
        end as takst_kr,
        dokumenter.honorar_kr is null as is_honorar_imputeret,
        coalesce(
            dokumenter.honorar_kr,
            case
                when dokumenter.har_tolk then takster.honorar_med_tolk_kr
                else takster.honorar_kr
            end
        ) as udgift_kr
    from dokumenter
    left join takster
        on
            dokumenter.dokumenttype = takster.dokumenttype
            and dokumenter.rekvireret_dato >= takster.gyldig_fra
            and (takster.gyldig_til is null or dokumenter.rekvireret_dato <= takster.gyldig_til)
),

final as (
    select
        *,
        case when is_honorar_imputeret then udgift_kr else 0 end as imputeret_udgift_kr
    from prissat
)

select * from final  -- noqa: AM04
