"""Report sections for ansøgning 1 and 3's evaluation plans, beside the DiD estimates:
omgørelsesprocent on the theme's own law areas against the national rate, appeals of
exempted/waived cases against the others (Newcombe), working time saved with its
assumptions, the rehabilitation indicators (deadlines, guardrails, meetings despite acute
absence), surveys and the case review. Each section reads one mart of the published
snapshot; small counts are suppressed as everywhere in the report."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from evaluation.suppression import display, suppress

_FORSOEG = "select distinct kommunekode from reference.forsoeg_deltagelse where tema = $tema"

# Columns worked out from every count of their table (the difference of two shares, hours and
# kroner of the cases counted): hidden when any of those counts is.
FOLLOWS = {
    "Anker_efter_fritagelse": ("forskel", "forskel_ci_lav", "forskel_ci_hoej"),
    "Ressourcebesparelse": ("timer_i_alt", "besparelse_kr", "honorarbesparelse_kr"),
}


def _frame(con: duckdb.DuckDBPyConnection, sql: str, tema: str) -> pl.DataFrame:
    return pl.from_arrow(con.sql(sql, params={"tema": tema}).to_arrow_table())


def ansoegning_tables(published: Path, tema: str) -> dict[str, pl.DataFrame]:
    """The sections' tables (suppressed), keyed by an Excel-safe sheet name. A mart missing
    from the snapshot is left out."""
    queries = {
        "Omgoerelse_tema_aar": f"""
            select year(kvartal) as aar,
                sum(realitetsbehandlede) filter (where kommunekode in ({_FORSOEG}))
                    as realitetsbehandlede,
                sum(omgjorte) filter (where kommunekode in ({_FORSOEG})) as omgjorte,
                100.0 * sum(omgjorte) filter (where kommunekode in ({_FORSOEG}))
                    / nullif(sum(realitetsbehandlede)
                        filter (where kommunekode in ({_FORSOEG})), 0) as omgoerelsesprocent,
                100.0 * sum(omgjorte) / nullif(sum(realitetsbehandlede), 0)
                    as omgoerelsesprocent_landet
            from marts.mart_omgoerelser_tema
            where tema = $tema
            group by all order by aar
        """,
        "Anker_efter_fritagelse": """
            select * exclude (tema) from marts.mart_anker_efter_fritagelse where tema = $tema
        """,
        "Ressourcebesparelse": """
            select year(kvartal) as aar, sum(sager) as sager, sum(moeder_sparet) as moeder_sparet,
                sum(attester_sparet) as attester_sparet, sum(timer_i_alt) as timer_i_alt,
                sum(besparelse_kr) as besparelse_kr,
                sum(honorarbesparelse_kr) as honorarbesparelse_kr
            from marts.mart_ressourcebesparelse
            where tema = $tema
            group by all order by aar
        """,
        "Ressource_parametre": """
            select parameter, coalesce(maalgruppe, 'alle') as maalgruppe, vaerdi, enhed, kilde
            from reference.ressource_parametre
            where tema = $tema or tema is null
            order by parameter, maalgruppe
        """,
        "Rehab_indikatorer": f"""
            select year(kvartal) as aar,
                case when kommunekode in ({_FORSOEG}) then 'forsoeg' else 'kontrol' end as gruppe,
                sum(fritaget_fleksjob_med_timer) as fritaget_fleksjob_med_timer,
                sum(fritaget_fleksjob_0_10_timer) as fritaget_fleksjob_0_10_timer,
                sum(fritaget_jobafklaring) as fritaget_jobafklaring,
                sum(fritaget_gentaget_jobafklaring) as fritaget_gentaget_jobafklaring,
                sum(rehab_moeder) as rehab_moeder,
                sum(rehab_moeder_akut_fravaer) as rehab_moeder_akut_fravaer,
                sum(lae265_svar_frist_kendt) as lae265_svar_frist_kendt,
                sum(lae265_svar_inden_frist) as lae265_svar_inden_frist,
                sum(lae265_svar_inden_frist) / nullif(sum(lae265_svar_frist_kendt), 0)
                    as andel_lae265_svar_inden_frist
            from marts.mart_rehab_kvartal
            group by all order by aar, gruppe
        """,
        "Survey": """
            select boelge, respondenttype, spoergsmaal, gruppe, n_svar, n_positiv, andel_positiv,
                ci_lav as andel_ci_lav, ci_hoej as andel_ci_hoej
            from marts.mart_survey_andele
            where tema = $tema
            order by boelge, respondenttype, spoergsmaal, gruppe
        """,
        "Sagsgennemgang": """
            select gruppe, n_vurderet, n_korrekt, n_forkert, andel_korrekt,
                andel_korrekt_ci_lav, andel_korrekt_ci_hoej
            from marts.mart_sagsgennemgang
            where tema = $tema
        """,
    }
    counts = {
        "Omgoerelse_tema_aar": (
            ["realitetsbehandlede", "omgjorte"],
            {"omgoerelsesprocent": ("omgjorte", "realitetsbehandlede")},
        ),
        "Anker_efter_fritagelse": (
            [
                "realitetsbehandlede_fritaget",
                "omgjorte_fritaget",
                "realitetsbehandlede_ikke_fritaget",
                "omgjorte_ikke_fritaget",
            ],
            {
                **{
                    c: ("omgjorte_fritaget", "realitetsbehandlede_fritaget")
                    for c in ("andel_fritaget", "andel_fritaget_ci_lav", "andel_fritaget_ci_hoej")
                },
                **{
                    c: ("omgjorte_ikke_fritaget", "realitetsbehandlede_ikke_fritaget")
                    for c in (
                        "andel_ikke_fritaget",
                        "andel_ikke_fritaget_ci_lav",
                        "andel_ikke_fritaget_ci_hoej",
                    )
                },
            },
        ),
        "Ressourcebesparelse": (["sager", "attester_sparet"], {}),
        "Rehab_indikatorer": (
            [
                "fritaget_fleksjob_med_timer",
                "fritaget_fleksjob_0_10_timer",
                "fritaget_jobafklaring",
                "fritaget_gentaget_jobafklaring",
                "rehab_moeder",
                "rehab_moeder_akut_fravaer",
                "lae265_svar_frist_kendt",
                "lae265_svar_inden_frist",
            ],
            {
                "andel_lae265_svar_inden_frist": (
                    "lae265_svar_inden_frist",
                    "lae265_svar_frist_kendt",
                )
            },
        ),
        "Survey": (
            ["n_svar", "n_positiv"],
            {
                c: ("n_positiv", "n_svar")
                for c in ("andel_positiv", "andel_ci_lav", "andel_ci_hoej")
            },
        ),
        "Sagsgennemgang": (
            ["n_vurderet", "n_korrekt", "n_forkert"],
            {
                c: ("n_korrekt", "n_vurderet")
                for c in ("andel_korrekt", "andel_korrekt_ci_lav", "andel_korrekt_ci_hoej")
            },
        ),
    }
    tables: dict[str, pl.DataFrame] = {}
    with duckdb.connect(str(published), read_only=True) as con:
        for name, sql in queries.items():
            try:
                frame = _frame(con, sql, tema)
            except duckdb.CatalogException:
                continue
            count_columns, rates = counts.get(name, ([], {}))
            follows = {c: tuple(count_columns) for c in FOLLOWS.get(name, ()) if c in frame.columns}
            tables[name] = suppress(frame, count_columns, rates, totals_by=[], follows=follows).data
    return tables


_TITLER = {
    "Omgoerelse_tema_aar": "Omgørelsesprocent på temaets lovområder mod hele landet",
    "Anker_efter_fritagelse": "Anker af sager med og uden fritagelse (Newcombe-interval)",
    "Ressourcebesparelse": "Sparet fagpersontid ved siden af sparede attesthonorarer",
    "Ressource_parametre": "Forudsætninger for sparet fagpersontid (kilde eller ANTAGELSE)",
    "Rehab_indikatorer": "Værn, møder trods akut fravær og LÆ265 besvaret inden 30 dage",
    "Survey": "Spørgeskemaer: vægtet andel svar 4–5",
    "Sagsgennemgang": "Sagsgennemgang: vægtet andel korrekt",
    # Ansøgning 4 (report.uddannelseshjaelp).
    "Synt_kontrol_uddhjaelp": "Syntetisk kontrol: unge på uddannelseshjælp mod store kommuner",
    "Synt_kontrol_forloeb": "Syntetisk kontrol pr. kvartal (forskel i procentpoint)",
    "Synt_kontrol_donorvaegte": "Syntetisk kontrol: donorkommunernes vægte",
}


def ansoegning_sections(tables: dict[str, pl.DataFrame]) -> list[tuple[str, pl.DataFrame]]:
    """(Danish title, table in Danish number format) for every non-empty section."""
    return [
        (_TITLER.get(name, name), display(suppress(frame, [], {}, None)))
        for name, frame in tables.items()
        if frame.height
    ]
