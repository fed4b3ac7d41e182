-- The Wilson macros against intervals computed independently (statsmodels 0.14,
-- proportion_confint(successes, n, method='wilson'), 95 %): a row is returned when the
-- macro's bound is more than 1e-9 from the known one, so `trialwh build` refuses to
-- publish a wrong interval. n = 2 and n = 5 make z^2 / (4 n^2) differ clearly from
-- z^2 / (4 n); 0 of 5 and 12 of 12 check the ends.
with

kendte as (
    select
        statsmodels.omgjorte,
        statsmodels.realitetsbehandlede,
        statsmodels.ci_lav,
        statsmodels.ci_hoej
    from (
        values
        (1, 2, 0.09453120573423068, 0.9054687942657693),
        (0, 5, 0.0, 0.43448246478317487),
        (3, 10, 0.10779126740630104, 0.6032218525388546),
        (12, 12, 0.7575059933447589, 1.0),
        (45, 120, 0.293524297864468, 0.464230493740208)
    ) as statsmodels (omgjorte, realitetsbehandlede, ci_lav, ci_hoej)
),

beregnet as (
    select
        omgjorte,
        realitetsbehandlede,
        ci_lav,
        ci_hoej,
        {{ wilson_lower('omgjorte::double precision', 'realitetsbehandlede') }} as macro_lav,
        {{ wilson_upper('omgjorte::double precision', 'realitetsbehandlede') }} as macro_hoej
    from kendte
)

select
    omgjorte,
    realitetsbehandlede,
    ci_lav,
    macro_lav,
    ci_hoej,
    macro_hoej
from beregnet
where
    macro_lav is null
    or macro_hoej is null
    or abs(macro_lav - ci_lav) > 1e-9
    or abs(macro_hoej - ci_hoej) > 1e-9
