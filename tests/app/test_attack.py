"""The onlooker of tests/app/attack.py finds what it should: the issue's own examples
(Vesthimmerland omfattet 93 − indhentet 82 = fravalgt 11; Læsø 10 − 9 = 1) are recomputed
from a table protected without its relation, and nothing is from the table protected with
it (as the Lægeattester page declares it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from dashboards.tables import TableSpec, protect
from tests.app.attack import attack, equations, learn

PAGES_DIR = Path(__file__).resolve().parents[2] / "dashboards" / "app_pages"


def _page_namespace(page: str) -> dict:
    """A page module's names (the module without its final ``render()``, which needs a
    running app)."""
    source = (PAGES_DIR / f"{page}.py").read_text(encoding="utf-8").rstrip()
    assert source.endswith("\nrender()")
    namespace: dict = {"__name__": f"spec_of_{page}"}
    exec(compile(source.removesuffix("render()"), page, "exec"), namespace)
    return namespace


def _page_spec(page: str, name: str) -> TableSpec:
    """A page's module-level ``TableSpec``."""
    return _page_namespace(page)[name]


TABLE = pl.DataFrame(
    {
        "kommune": ["Vesthimmerland", "Læsø", "Aalborg", "Rebild", "Thisted"],
        "sager_omfattet": [93, 10, 400, 60, 75],
        "attest_indhentet": [82, 9, 300, 48, 50],
        "attest_fravalgt": [11, 1, 100, 12, 25],
    }
)
# Vesthimmerland's 11 is made a complementary cell by the total of the column.
COUNTS = ["sager_omfattet", "attest_indhentet", "attest_fravalgt"]
RELATION = [("sager_omfattet", ("attest_indhentet", "attest_fravalgt"))]


def _attack(spec: TableSpec):
    manager = protect(TABLE, spec, True).data
    relations = learn([TABLE])
    return attack([manager], [TABLE], equations(relations, [manager]))


def test_without_the_relation_hidden_cells_are_recomputed():
    recomputed, n_hidden = _attack(TableSpec(counts=COUNTS, totals_by=[]))
    cells = {(r.cell[1], TABLE["kommune"][r.cell[2]]): r.low for r in recomputed}
    assert n_hidden >= 2
    assert cells[("attest_fravalgt", "Læsø")] == 1
    assert cells[("attest_fravalgt", "Vesthimmerland")] == 11


def test_with_the_relation_nothing_hidden_can_be_recomputed():
    recomputed, n_hidden = _attack(TableSpec(counts=COUNTS, totals_by=[], relations=RELATION))
    assert n_hidden >= 4
    assert recomputed == []


def _exposed(table: pl.DataFrame, spec: TableSpec) -> tuple[list[tuple[str, int]], list]:
    """(counts 1–4 shown, hidden counts recomputed) for a manager's view of ``table``."""
    manager = protect(table, spec, True).data
    small = [
        (c, i)
        for c in table.columns
        if table[c].dtype.is_integer()
        for i, v in enumerate(manager[c].to_list())
        if v is not None and 1 <= v <= 4
    ]
    recomputed, _ = attack([manager], [table], equations(learn([table]), [manager]))
    return small, recomputed


def test_oevrige_forsoeg_exemptions_hide_the_reasons_and_their_sums():
    # The reasons and their sums only: the DREAM places at the trial's end (a relation of
    # their own) are checked on the real pipeline's page by test_suppression_pages.
    full = _page_spec("oevrige_forsoeg", "UDDANNELSE_SPEC")
    dream = {c for c in full.counts if c.startswith("ved_forsoegets_slut_") or c.endswith("_su")}
    spec = TableSpec(
        counts=[c for c in full.counts if c not in dream],
        rates=full.rates,
        relations=[r for r in full.relations if not dream & set(r[1])],
        follows=full.follows,
    )
    table = pl.DataFrame(
        {
            "kommunekode": [851, 840, 849, 773],
            "fritaget": [40, 22, 30, 9],
            "ophoert": [25, 12, 20, 6],
            "stadig_fritaget": [15, 10, 10, 3],
            "ophoert_paabegyndt_uddannelse": [10, 3, 8, 2],
            "ophoert_beskaeftigelse": [8, 6, 7, 2],
            "ophoert_anden_ydelse": [4, 2, 5, 1],
            "ophoert_fraflyttet": [1, 0, 0, 0],
            "ophoert_andet": [2, 1, 0, 1],
            "heraf_paabegyndt_uddannelse": [10, 3, 8, 2],
            "andel_paabegyndt_uddannelse": [0.25, 3 / 22, 8 / 30, 2 / 9],
        }
    )
    assert _exposed(table, spec) == ([], [])
    # The former declaration showed the reasons (1 moved away) and let sums give cells back.
    before = TableSpec(
        counts=["fritaget", "ophoert", "stadig_fritaget", "heraf_paabegyndt_uddannelse"],
        rates={"andel_paabegyndt_uddannelse": ("heraf_paabegyndt_uddannelse", "fritaget")},
    )
    small, recomputed = _exposed(table, before)
    assert ("ophoert_fraflyttet", 0) in small and recomputed


def test_case_review_verdicts_add_up_to_the_cases_reviewed():
    spec = _page_spec("retssikkerhed_ressourcer", "SAGSGENNEMGANG_SPEC")
    table = pl.DataFrame(
        {
            "gruppe": ["fritaget", "sammenligning", "fritaget_2", "sammenligning_2"],
            "n_vurderet": [30, 28, 40, 25],
            "n_kan_ikke_vurderes": [2, 0, 5, 1],
            "n_korrekt": [20, 18, 25, 14],
            "n_delvist_korrekt": [5, 6, 7, 6],
            "n_forkert": [3, 4, 3, 4],
            "andel_korrekt": [0.7, 0.64, 0.66, 0.58],
            "andel_korrekt_ci_lav": [0.5, 0.45, 0.5, 0.4],
            "andel_korrekt_ci_hoej": [0.85, 0.8, 0.8, 0.75],
            "andel_forkert": [0.1, 0.14, 0.08, 0.17],
            "andel_forkert_ci_lav": [0.03, 0.05, 0.02, 0.06],
            "andel_forkert_ci_hoej": [0.25, 0.3, 0.2, 0.35],
        }
    )
    assert _exposed(table, spec) == ([], [])
    before = TableSpec(counts=list(table.columns[1:6]), totals_by=[])
    assert _exposed(table, before)[1]


def test_working_time_saved_hides_hours_and_kroner_with_the_cases():
    spec = _page_spec("retssikkerhed_ressourcer", "RESSOURCE_SPEC")
    sager = [40, 3, 25, 12, 30]
    table = pl.DataFrame(
        {
            "kommunenavn": ["Aalborg", "Læsø", "Rebild", "Thisted", "Hjørring"],
            "sager": sager,
            "moeder_sparet": [0] * 5,
            "attester_sparet": sager,
            "timer_rehabiliteringsteam": [0.0] * 5,
            "timer_sagsbehandler": [0.5 * s for s in sager],
            "timer_laege": [0.25 * s for s in sager],
            "timer_i_alt": [0.75 * s for s in sager],
            "besparelse_kr": [450.0 * 0.5 * s for s in sager],
            # the certificate fee saved beside it: one fee per certificate not written
            "honorarbesparelse_kr": [715.0 * s for s in sager],
        }
    )
    assert _exposed(table, spec) == ([], [])
    before = TableSpec(counts=["sager"], totals_by=[])
    small, recomputed = _exposed(table, before)
    assert ("attester_sparet", 1) in small and recomputed


def test_kommune_quarters_cannot_be_recomputed_from_the_ranking_total():
    # The Kommune page shows the municipality's quarters and, in the ranking below, its
    # numerator and denominator summed over the same quarters. One small quarter (3 waived)
    # hidden alone would be the ranking's 34 minus the quarters shown (12 + 9 + 10).
    namespace = _page_namespace("kommune")
    spec, rates = namespace["SPEC"], namespace["RATES"]
    quarters = [dt.date(2020, m, 1) for m in (1, 4, 7, 10)]
    naevner, taeller = [40, 35, 38, 42], [12, 3, 9, 10]
    egen = pl.DataFrame({"kvartal": quarters})
    for k, i in enumerate(rates):  # each indicator its own counts, one small quarter each
        n = [v + 5 * k for v in naevner]
        t = [v + k if v != 3 else v for v in taeller]
        egen = egen.with_columns(
            pl.Series(i.naevner, n) if i.naevner not in egen.columns else pl.col(i.naevner),
            pl.Series(i.taeller, t),
        ).with_columns((pl.col(i.taeller) / pl.col(i.naevner)).alias(i.kolonne))
    if "dage_til_foerste_opfoelgning" in spec.rates:
        egen = egen.with_columns(
            pl.Series("dage_til_foerste_opfoelgning", [20.0, 25.0, 22.5, 21.0])
        )
    indikator = rates[0]
    placering = pl.DataFrame(
        {
            "placering": [1, 2, 3],
            "kommunenavn": ["Læsø", "Aalborg", "Rebild"],
            indikator.taeller: [sum(taeller), 100, 12],
            indikator.naevner: [sum(naevner), 400, 60],
        }
    ).with_columns((pl.col(indikator.taeller) / pl.col(indikator.naevner)).alias(indikator.kolonne))
    tables = [egen, placering]
    specs = [spec, namespace["_spec"](indikator)]
    manager = [protect(t, s, True).data for t, s in zip(tables, specs, strict=True)]
    recomputed, n_hidden = attack(manager, tables, equations(learn(tables), manager))
    assert n_hidden >= 2
    assert recomputed == []


def test_the_onlooker_adds_up_quarters_to_the_period_totals_shown_beside_them():
    # Control for the part totals the onlooker learns: a period table (before/during) beside
    # the quarters gives back a quarter hidden alone in its period (3 = 30 − 12 − 15).
    quarters = [dt.date(y, m, 1) for y in (2019, 2020) for m in (1, 4, 7, 10)]
    taeller = {
        "forsoeg": [10, 11, 9, 12, 12, 3, 15, 11],
        "kontrol": [20, 21, 19, 22, 18, 17, 16, 15],
    }
    naevner = {g: [t + 30 for t in v] for g, v in taeller.items()}
    kvartaler = pl.DataFrame(
        {
            "gruppe": [g for g in taeller for _ in quarters],
            "kvartal": quarters * 2,
            "taeller": [t for g in taeller for t in taeller[g]],
            "naevner": [n for g in naevner for n in naevner[g]],
        }
    )
    perioder = (
        kvartaler.with_columns(
            pl.when(pl.col("kvartal").dt.year() == 2019)
            .then(pl.lit("foer"))
            .otherwise(pl.lit("under"))
            .alias("periode")
        )
        .group_by("gruppe", "periode", maintain_order=True)
        .agg(pl.col("taeller").sum(), pl.col("naevner").sum())
    )
    spec = TableSpec(counts=["taeller", "naevner"])
    tables = [kvartaler, perioder]
    manager = [protect(t, spec, True).data for t in tables]
    recomputed, n_hidden = attack(manager, tables, equations(learn(tables), manager))
    assert n_hidden == 1
    assert [(r.cell, r.low) for r in recomputed] == [((0, "taeller", 5), 3.0)]


def _recomputed(tables: list[pl.DataFrame], specs: list[TableSpec]) -> list:
    manager = [protect(t, s, True).data for t, s in zip(tables, specs, strict=True)]
    recomputed, n_hidden = attack(manager, tables, equations(learn(tables), manager))
    assert n_hidden >= 1
    return [(r.cell, r.true_value) for r in recomputed]


def test_a_waiver_reason_cannot_be_recomputed_from_the_municipalities_total():
    # Lægeattester shows the waived certificates per municipality (274 in all) and per
    # reason (274 in all): one reason hidden alone (3) would be 274 minus the others.
    kommuner = pl.DataFrame(
        {
            "kommunekode": [851, 860, 813, 820, 846],
            "kommunenavn": [
                "Aalborg",
                "Hjørring",
                "Frederikshavn",
                "Vesthimmerland",
                "Mariagerfjord",
            ],
            "sager_omfattet": [678, 242, 300, 260, 280],
            "attest_indhentet": [571, 206, 250, 220, 239],
            "attest_fravalgt": [107, 36, 50, 40, 41],
        }
    ).with_columns(
        (pl.col("attest_fravalgt") / pl.col("sager_omfattet")).alias("andel_fravalgt"),
        (1140.0 * pl.col("sager_omfattet")).alias("kontrafaktisk_udgift_kr"),
        (1140.0 * pl.col("attest_indhentet")).alias("faktisk_attest_udgift_kr"),
        (210.0 * pl.col("attest_fravalgt")).alias("alternativ_udgift_kr"),
        (930.0 * pl.col("attest_fravalgt")).alias("nettobesparelse_kr"),
        pl.lit(0.0).alias("heraf_imputeret_kr"),
    )
    begrundelser = pl.DataFrame(
        {
            "begrundelse": ["ingen_arbejdsgiver", "sygehus", "andet", "kendt", "kort"],
            "antal": [110, 79, 3, 40, 42],
        }
    )
    specs = [
        _page_spec("laegeattester", "KOMMUNE_SPEC"),
        _page_spec("laegeattester", "BEGRUNDELSE_SPEC"),
    ]
    assert _recomputed([kommuner, begrundelser], specs) == []
    before = [specs[0], TableSpec(counts=["antal"])]
    assert _recomputed([kommuner, begrundelser], before) == [((1, "antal", 2), 3.0)]


def test_an_exemption_reason_cannot_be_recomputed_from_the_exemptions_total():
    # Rehabilitering shows the exemptions by group, period and target group (188 in all)
    # and by reason (188 in all).
    fritagelser = pl.DataFrame(
        {
            "gruppe": ["forsoeg"] * 4,
            "periode": ["under"] * 4,
            "maalgruppe": ["fleksjob", "jobafklaring", "ressourceforloeb", "foertidspension"],
            "sager": [300, 400, 250, 200],
            "fritaget": [50, 60, 40, 38],
        }
    ).with_columns((pl.col("fritaget") / pl.col("sager")).alias("andel_fritaget"))
    begrundelser = pl.DataFrame(
        {"kategori": ["plan", "arbejdsmarked", "helbred", "andet"], "antal": [58, 54, 74, 2]}
    )
    specs = [
        _page_spec("rehabilitering", "FRITAGELSE_SPEC"),
        _page_spec("rehabilitering", "BEGRUNDELSE_SPEC"),
    ]
    assert _recomputed([fritagelser, begrundelser], specs) == []
    before = [specs[0], TableSpec(counts=["antal"])]
    assert _recomputed([fritagelser, begrundelser], before) == [((1, "antal", 3), 2.0)]


def test_appeals_by_law_area_cannot_be_recomputed_from_the_quarters():
    # Ankestyrelsen shows each group's decisions by quarter and by law area: the same group
    # totals broken down two ways (trial: 160 decided, 40 reversed in both tables).
    serie = pl.DataFrame(
        {
            "gruppe": ["forsoeg"] * 4 + ["kontrol"] * 4,
            "kvartal": [dt.date(2020, m, 1) for m in (1, 4, 7, 10)] * 2,
            "realitetsbehandlede": [40, 42, 38, 40, 60, 55, 65, 70],
            "omgjorte": [10, 11, 9, 10, 15, 14, 16, 15],
        }
    ).with_columns(
        (pl.col("omgjorte") / pl.col("realitetsbehandlede")).alias("andel"),
        (pl.col("omgjorte") / pl.col("realitetsbehandlede") - 0.1).alias("andel_ci_lav"),
        (pl.col("omgjorte") / pl.col("realitetsbehandlede") + 0.1).alias("andel_ci_hoej"),
    )
    lovomraader = pl.DataFrame(
        {
            "gruppe": ["forsoeg"] * 3 + ["kontrol"] * 3,
            "lovomraade": ["sygedagpenge", "fleksjob", "andet"] * 2,
            "realitetsbehandlede": [100, 57, 3, 120, 100, 30],
            "stadfaestet": [70, 47, 3, 90, 80, 30],
            "aendret_ophaevet": [20, 5, 0, 20, 10, 0],
            "hjemvist": [10, 5, 0, 10, 10, 0],
            "afvist_bortfaldet": [5, 6, 7, 8, 9, 10],
            "omgjorte": [30, 10, 0, 30, 20, 0],
        }
    ).with_columns(
        (100 * pl.col("omgjorte") / pl.col("realitetsbehandlede")).alias("omgoerelsesprocent")
    )
    tables = [serie, lovomraader]
    specs = [
        _page_spec("ankestyrelsen", "SERIE_SPEC"),
        _page_spec("ankestyrelsen", "LOVOMRAADE_SPEC"),
    ]
    assert _recomputed(tables, specs) == []
    lovomraade_before = TableSpec(
        counts=specs[1].counts, rates=specs[1].rates, relations=specs[1].relations
    )
    before = [_page_spec("ankestyrelsen", "SHARE_SPEC"), lovomraade_before]
    assert _recomputed(tables, before) != []


def test_a_deadline_quarter_cannot_be_recomputed_from_the_period_totals():
    # Sagsbehandlingstid shows each group's cases before and during the trial (Kaplan–Meier)
    # and the same cases per quarter: a quarter hidden alone in its period (3) would be the
    # period's 102 minus its other quarters.
    namespace = _page_namespace("sagsbehandlingstid")
    quarters = [dt.date(y, m, 1) for y in (2017, 2018) for m in (1, 4, 7, 10)]
    n_sager = {
        "forsoeg": [30, 28, 31, 27, 40, 3, 30, 29],
        "kontrol": [50, 52, 48, 51, 49, 47, 53, 50],
    }
    inden = {
        "forsoeg": [20, 18, 21, 17, 30, 0, 20, 19],
        "kontrol": [40, 41, 38, 40, 39, 37, 42, 40],
    }
    kvartaler = pl.DataFrame(
        {
            "gruppe": [g for g in n_sager for _ in quarters],
            "kvartal": quarters * 2,
            "n_sager": [n for g in n_sager for n in n_sager[g]],
            "inden_frist": [n for g in inden for n in inden[g]],
        }
    ).with_columns((pl.col("inden_frist") / pl.col("n_sager")).alias("andel_inden_frist"))
    andele = namespace["med_periode"](kvartaler, dt.date(2018, 1, 1), dt.date(2021, 10, 1))
    assert andele.columns[:3] == ["gruppe", "periode", "kvartal"]
    assert andele["periode"].to_list() == (["foer"] * 4 + ["under"] * 4) * 2
    km = (
        andele.group_by("gruppe", "periode", maintain_order=True)
        .agg(pl.col("n_sager").sum(), (pl.col("n_sager").sum() * 2 // 3).alias("haendelser"))
        .with_columns(pl.lit(40.0).alias("median_dage"))
    )
    km_spec = TableSpec(
        counts=["n_sager", "haendelser"], rates={"median_dage": ("n_sager", "n_sager")}
    )
    frist_spec = namespace["FRIST_SPEC"]
    assert _recomputed([km, andele], [km_spec, frist_spec]) == []
    before = TableSpec(counts=frist_spec.counts, rates=frist_spec.rates)
    assert _recomputed([km, andele.drop("periode")], [km_spec, before]) == [
        ((1, "n_sager", 5), 3.0)
    ]


def test_a_municipality_cannot_be_recomputed_from_its_groups_quarterly_total():
    # Ankestyrelsen's funnel table lists every municipality over the period, and the
    # quarterly table above it shows each group's total. A control municipality with 3
    # decisions (1 reversed) hidden alone among the controls would be the control total
    # (200 decided, 40 reversed) minus the other controls (197, 39). Protected against its
    # table's grand total only (as before), the complementary cell is Læsø, in neither
    # group, and Herning is the one hidden control; with the group as a margin a second
    # control is hidden, and no group has a single hidden count.
    kommuner = pl.DataFrame(
        {
            "kommunenavn": ["Aalborg", "Rebild", "Herning", "Horsens", "Viborg", "Læsø"],
            "gruppe": ["forsoeg", "forsoeg", "kontrol", "kontrol", "kontrol", None],
            "realitetsbehandlede": [100, 50, 3, 97, 100, 40],
            "omgjorte": [25, 10, 1, 19, 20, 8],
        }
    ).with_columns(
        (100 * pl.col("omgjorte") / pl.col("realitetsbehandlede")).alias("omgoerelsesprocent")
    )
    spec = _page_spec("ankestyrelsen", "KOMMUNE_SPEC")

    def single_hidden_in_a_group(spec: TableSpec) -> list[tuple[str, str]]:
        shown = protect(kommuner, spec, True).data
        return [
            (gruppe, column)
            for gruppe in ("forsoeg", "kontrol")
            for column in ("realitetsbehandlede", "omgjorte")
            if shown.filter(pl.col("gruppe") == gruppe)[column].null_count() == 1
        ]

    assert single_hidden_in_a_group(spec) == []
    hidden = protect(kommuner, spec, True).data.filter(pl.col("realitetsbehandlede").is_null())
    assert hidden["kommunenavn"].to_list() == ["Herning", "Horsens"]
    grand_total_only = TableSpec(counts=spec.counts, rates=spec.rates, totals_by=[])
    assert single_hidden_in_a_group(grand_total_only) == [
        ("kontrol", "realitetsbehandlede"),
        ("kontrol", "omgjorte"),
    ]
