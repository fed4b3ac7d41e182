-- The Kaplan–Meier macro against quartiles worked out by hand: six forløb of 5 (ended),
-- 5 (open), 8 (ended), 12 (open), 15 (ended) and 20 (ended) days. At risk and events:
-- t = 5: 6 at risk, 1 event, S = 5/6; t = 8: 4 at risk (the open forløb of 5 days left
-- the risk set after day 5), S = 5/6 * 3/4 = 0.625; t = 12: no event; t = 15: 2 at risk,
-- S = 0.3125; t = 20: S = 0. So p25 = 8 (first S <= 0.75), median = 15 (first S <= 0.5),
-- p75 = 20, on 6 forløb with 4 events. Counting an open forløb as ended would give
-- S(5) = 4/6 and p25 = 5. A second group whose curve never reaches 0.5 has no median.
with

forloeb as (
    select
        haandregnet.gruppe,
        haandregnet.varighed_dage,
        haandregnet.is_afsluttet
    from (
        values
        ('a', 5, true),
        ('a', 5, false),
        ('a', 8, true),
        ('a', 12, false),
        ('a', 15, true),
        ('a', 20, true),
        ('b', 10, true),
        ('b', 30, false),
        ('b', 40, false)
    ) as haandregnet (gruppe, varighed_dage, is_afsluttet)
),

kvartiler as (
    {{ kaplan_meier_quartiles('forloeb', ['gruppe'], 'varighed_dage', 'is_afsluttet') }}
),

kendte as (
    select
        kvartiler_i_haanden.gruppe,
        kvartiler_i_haanden.km_n,
        kvartiler_i_haanden.km_haendelser,
        kvartiler_i_haanden.p25_dage,
        kvartiler_i_haanden.median_dage,
        kvartiler_i_haanden.p75_dage
    from (
        values
        ('a', 6, 4, 8, 15, 20),
        ('b', 3, 1, 10, null, null)
    ) as kvartiler_i_haanden (gruppe, km_n, km_haendelser, p25_dage, median_dage, p75_dage)
)

select
    kendte.gruppe,
    kvartiler.p25_dage,
    kvartiler.median_dage,
    kvartiler.p75_dage
from kendte
left join kvartiler on kendte.gruppe = kvartiler.gruppe
where
    kvartiler.gruppe is null
    or kvartiler.km_n != kendte.km_n
    or kvartiler.km_haendelser != kendte.km_haendelser
    or kvartiler.p25_dage is distinct from kendte.p25_dage
    or kvartiler.median_dage is distinct from kendte.median_dage
    or kvartiler.p75_dage is distinct from kendte.p75_dage
