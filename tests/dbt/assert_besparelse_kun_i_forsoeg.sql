-- Rows of mart_attestbesparelse whose net saving is not the one worked out here from the
-- documents one by one (fct_helbredsdokumenter) and the fee seed read directly: for each
-- case in the trial on its case date, the fee valid that day (with interpreter where tolk)
-- minus what its certificate cost and, when the certificate was waived, what its other
-- documentation cost; a case outside the trial saves nothing. Also rows with a saving
-- outside the trial, imputed spend larger than the spend it is part of, or more
-- certificates requested or waived than cases.
with

besparelse as (
    select * from {{ ref('mart_attestbesparelse') }}
),

takster as (
    select * from {{ ref('attest_takster') }}
),

sygedagpengesager as (
    select * from {{ ref('fct_sygedagpengesager') }}
    where is_omfattet_lae285
),

rehabiliteringssager as (
    select * from {{ ref('fct_rehabiliteringssager') }}
    where is_omfattet_lae265
),

dokumenter as (
    select * from {{ ref('fct_helbredsdokumenter') }}
    where has_kendt_sag
),

sager as (
    select
        kommunekode,
        anmeldt_maaned as maaned,
        'LAE285' as dokumenttype,
        'sygedagpenge' as sagstype,
        sygedagpengesag_id as sag_id,
        anmeldt_dato as sagsdato,
        har_tolk,
        is_i_forsoeg_paa_sagsdato_lae285 as is_i_forsoeg,
        is_lae285_fravalgt as is_fravalgt
    from sygedagpengesager
    union all
    select
        kommunekode,
        start_maaned as maaned,
        'LAE265' as dokumenttype,
        'rehabilitering' as sagstype,
        rehabiliteringssag_id as sag_id,
        startdato as sagsdato,
        har_tolk,
        is_i_forsoeg_paa_sagsdato_lae265 as is_i_forsoeg,
        is_lae265_fravalgt as is_fravalgt
    from rehabiliteringssager
),

dokument_udgift as (
    select
        sagstype,
        dokumenttype,
        udgift_kr,
        coalesce(sygedagpengesag_id, rehabiliteringssag_id) as sag_id
    from dokumenter
),

besparelse_pr_sag as (
    select
        sager.kommunekode,
        sager.maaned,
        sager.dokumenttype,
        case when sager.har_tolk then takster.honorar_med_tolk_kr else takster.honorar_kr end
        - coalesce(sum(dokument_udgift.udgift_kr) filter (
            where dokument_udgift.dokumenttype = sager.dokumenttype
        ), 0)
        - case
            when sager.is_fravalgt
                then coalesce(sum(dokument_udgift.udgift_kr) filter (
                    where dokument_udgift.dokumenttype not in ('LAE285', 'LAE265')
                ), 0)
            else 0
        end as besparelse_kr
    from sager
    inner join takster
        on
            sager.dokumenttype = takster.dokumenttype
            and sager.sagsdato >= takster.gyldig_fra
            and (takster.gyldig_til is null or sager.sagsdato <= takster.gyldig_til)
    left join dokument_udgift
        on sager.sagstype = dokument_udgift.sagstype and sager.sag_id = dokument_udgift.sag_id
    where sager.is_i_forsoeg
    group by
        sager.kommunekode,
        sager.maaned,
        sager.dokumenttype,
        sager.sag_id,
        sager.har_tolk,
        sager.is_fravalgt,
        takster.honorar_kr,
        takster.honorar_med_tolk_kr
),

forventet as (
    select
        kommunekode,
        maaned,
        dokumenttype,
        sum(besparelse_kr) as nettobesparelse_kr
    from besparelse_pr_sag
    group by kommunekode, maaned, dokumenttype
)

select
    besparelse.kommunekode,
    besparelse.maaned,
    besparelse.dokumenttype,
    besparelse.nettobesparelse_kr,
    forventet.nettobesparelse_kr as forventet_nettobesparelse_kr
from besparelse
left join forventet
    on
        besparelse.kommunekode = forventet.kommunekode
        and besparelse.maaned = forventet.maaned
        and besparelse.dokumenttype = forventet.dokumenttype
where
    abs(besparelse.nettobesparelse_kr - coalesce(forventet.nettobesparelse_kr, 0)) > 0.005
    or (besparelse.sager_i_forsoeg = 0 and besparelse.nettobesparelse_kr != 0)
    or besparelse.heraf_imputeret_kr > besparelse.faktisk_attest_udgift_kr + besparelse.alternativ_udgift_kr
    or besparelse.attest_indhentet > besparelse.sager_omfattet
    or besparelse.attest_fravalgt > besparelse.sager_omfattet
