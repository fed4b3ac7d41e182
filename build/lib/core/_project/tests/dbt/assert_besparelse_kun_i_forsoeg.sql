-- Rows of mart_attestbesparelse that break its rules: a saving outside the trial, or a
-- net saving that is not kontrafaktisk - faktisk - alternativ, or imputed spend larger
-- than the spend it is part of.
with

besparelse as (
    select * from {{ ref('mart_attestbesparelse') }}
)

select
    kommunekode,
    maaned,
    dokumenttype,
    nettobesparelse_kr
from besparelse
where
    (sager_i_forsoeg = 0 and nettobesparelse_kr != 0)
    or nettobesparelse_kr != kontrafaktisk_udgift_kr - faktisk_attest_udgift_kr - alternativ_udgift_kr
    or heraf_imputeret_kr > faktisk_attest_udgift_kr + alternativ_udgift_kr
    or attest_indhentet > sager_omfattet
    or attest_fravalgt > sager_omfattet
