"""Aggregate truths about what was planted, for tests and for checking the evaluation.

Counts are taken from the master frames (every case as its latest, corrected version, as
the warehouse should reconstruct it from all snapshots), before any row is corrupted.
Rows listed in ``corrupted_rows`` are quarantined by ingest; ``efter_karantaene`` holds the
counts the warehouse must reproduce exactly once they are: each case from the latest extract
in which its row was not corrupted.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from core.format import fmt_int, fmt_num, fmt_pct
from synthetic.params import expected_lae285_waiver_share


def _records(frame: pl.DataFrame) -> list[dict]:
    return [
        {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
        for row in frame.to_dicts()
    ]


def rows_kept(snap: pl.DataFrame, bad: list[dict], extract: date, key: str) -> pl.DataFrame:
    """The rows of one file that ingest accepts: all but the corrupted ones (a duplicated
    ``key`` loses both occurrences), with the file's extract date."""
    lost = pl.Series([r[key] for r in bad], dtype=snap.schema[key])
    return snap.filter(~pl.col(key).is_in(lost.implode())).with_columns(_udtraek=pl.lit(extract))


def _latest(kept: list[pl.DataFrame], key: str) -> pl.DataFrame:
    """Each ``key`` once, from the latest extract that kept its row (the contract's
    supersession rule)."""
    return (
        pl.concat(kept)
        .sort("_udtraek", maintain_order=True)
        .unique(subset=["kommunekode", key], keep="last", maintain_order=True)
    )


def _fee(frame: pl.DataFrame, dokumenttype: pl.Expr, dato: str, takster: pl.DataFrame) -> pl.Series:
    """The fee of ``attest_takster`` valid on ``dato`` for each row (interpreter fee where
    ``tolk``)."""
    rows = frame.with_row_index("_row").with_columns(dokumenttype=dokumenttype)
    fees = (
        rows.select("_row", "dokumenttype", dato, "tolk")  # not a document's own honorar_kr
        .join(takster, on="dokumenttype", how="left")
        .filter(
            (pl.col("gyldig_fra") <= pl.col(dato))
            & (pl.col("gyldig_til").is_null() | (pl.col(dato) <= pl.col("gyldig_til")))
        )
        .select(
            "_row",
            pl.when(pl.col("tolk"))
            .then(pl.col("honorar_med_tolk_kr"))
            .otherwise(pl.col("honorar_kr"))
            .alias("_fee"),
        )
    )
    return rows.join(fees, on="_row", how="left", maintain_order="left")["_fee"]


def after_quarantine(
    kept_cases: list[pl.DataFrame],
    kept_docs: list[pl.DataFrame],
    last_extract: date,
    takster: pl.DataFrame,
) -> dict:
    """What the warehouse holds of sygedagpengesager and their documents once the corrupted
    rows are quarantined: every case and document once, from the latest extract that kept
    its row. ``missing_from_latest`` counts the cases the last extract does not show
    (planted as missing, or their row there corrupted). The LÆ285 net saving per
    municipality is the contract's: for each eligible case in the theme on its date, the
    fee valid that day minus what its LÆ285 and, when waived, its other documents (not
    LÆ285 or LÆ265) cost — every document at its fee (an invoice, when there is one, is the
    fee; a missing invoice is imputed at it)."""
    if not kept_cases:
        return {}
    cases = _latest(kept_cases, "sags_id")
    docs = _latest(kept_docs, "dokument_id").filter(pl.col("sagstype") == "sygedagpenge")
    docs = docs.with_columns(_fee=_fee(docs, pl.col("dokumenttype"), "rekvireret_dato", takster))
    per_case = docs.group_by("kommunekode", "sags_id").agg(
        gebyr_lae285=pl.col("_fee").filter(pl.col("dokumenttype") == "LAE285").sum(),
        andre=pl.col("_fee").filter(~pl.col("dokumenttype").is_in(["LAE285", "LAE265"])).sum(),
    )
    trial = cases.filter(pl.col("er_omfattet") & pl.col("i_tema"))
    saving = (
        trial.with_columns(_fee=_fee(trial, pl.lit("LAE285"), "anmeldt_dato", takster))
        .join(per_case, on=["kommunekode", "sags_id"], how="left")
        .with_columns(
            besparelse=pl.col("_fee")
            - pl.col("gebyr_lae285").fill_null(0.0)
            - pl.when(pl.col("lae285_fravalgt")).then(pl.col("andre").fill_null(0.0)).otherwise(0.0)
        )
        .group_by("kommunekode")
        .agg(nettobesparelse_kr=pl.col("besparelse").sum().round(2))
        .sort("kommunekode")
    )
    return {
        "note": (
            "Counts after the corrupted rows are quarantined: each case and document from "
            "the latest extract in which its row was not corrupted."
        ),
        "sygedagpengesager": {
            "cases": cases.height,
            "missing_from_latest": cases.filter(pl.col("_udtraek") != last_extract).height,
        },
        "lae285_by_kommune_aar": _records(lae285_by_kommune_aar(cases)),
        "lae285_nettobesparelse_by_kommune": _records(saving),
    }


def lae285_by_kommune_aar(sdp: pl.DataFrame) -> pl.DataFrame:
    return (
        sdp.filter("er_omfattet")
        .group_by("kommunekode", pl.col("anmeldt_dato").dt.year().alias("aar"))
        .agg(
            sager_omfattet=pl.len(),
            lae285_fravalgt=pl.col("lae285_fravalgt").sum(),
            lae285_rekvireret=pl.col("lae285_rekvireret").sum(),
            alternativ_journaloplysninger=(
                pl.col("alternativ_dokument") == "journaloplysninger"
            ).sum(),
            alternativ_lae125=(pl.col("alternativ_dokument") == "LAE125").sum(),
            i_tema=pl.col("i_tema").sum(),
        )
        .sort("kommunekode", "aar")
    )


def opfoelgning_summary(sdp: pl.DataFrame, trial: list[int]) -> pl.DataFrame:
    """Median days first absence -> first follow-up of eligible cases with a follow-up."""
    return (
        sdp.filter(pl.col("er_omfattet") & pl.col("foerste_opfoelgning_dato").is_not_null())
        .with_columns(
            dage=(
                pl.col("foerste_opfoelgning_dato") - pl.col("foerste_fravaersdag")
            ).dt.total_days(),
            gruppe=pl.when(pl.col("i_tema"))
            .then(pl.lit("forsoeg_i_tema"))
            .when(pl.col("kommunekode").is_in(trial))
            .then(pl.lit("forsoeg_uden_for_tema"))
            .otherwise(pl.lit("kontrol")),
        )
        .group_by("gruppe")
        .agg(n=pl.len(), median_dage=pl.col("dage").median(), middel_dage=pl.col("dage").mean())
        .sort("gruppe")
    )


def rehab_by_kommune_aar(rehab: pl.DataFrame) -> pl.DataFrame:
    return (
        rehab.group_by("kommunekode", pl.col("startdato").dt.year().alias("aar"))
        .agg(
            sager=pl.len(),
            fritagelse_omfattet=pl.col("maalgruppe").is_in(["jobafklaring", "fleksjob"]).sum(),
            fritaget=pl.col("fritaget_rehabmoede").sum(),
            lae265_omfattet=pl.col("lae265_omfattet").sum(),
            lae265_fravalgt=pl.col("lae265_fravalgt").sum(),
            raadgiver_anden=(pl.col("sundhedsfaglig_raadgiver") == "anden").sum(),
            moeder=pl.col("moede_dato").is_not_null().sum(),
            moeder_akut_fravaer=pl.col("moede_akut_fravaer").fill_null(False).sum(),
        )
        .sort("kommunekode", "aar")
    )


def ankesager_by_kommune(anke: pl.DataFrame) -> pl.DataFrame:
    realitet = pl.col("afgoerelsestype").is_in(["stadfaestet", "aendret", "ophaevet", "hjemvist"])
    omgjort = pl.col("afgoerelsestype").is_in(["aendret", "ophaevet", "hjemvist"])
    return (
        anke.group_by("kommunekode")
        .agg(antal=pl.len(), realitetsbehandlede=realitet.sum(), omgjorte=omgjort.sum())
        .sort("kommunekode")
    )


def omgoerelsesprocent(counts: pl.DataFrame) -> float:
    """(ændret + ophævet + hjemvist) / realitetsbehandlede x 100 of ankestatistik counts."""
    by_type = dict(counts.group_by("afgoerelsestype").agg(pl.col("antal").sum()).iter_rows())
    omgjort = sum(by_type.get(t, 0) for t in ("aendret", "ophaevet", "hjemvist"))
    realitet = omgjort + by_type.get("stadfaestet", 0)
    return round(100.0 * omgjort / realitet, 2) if realitet else 0.0


def persons_summary(sdp: pl.DataFrame, rehab: pl.DataFrame) -> dict:
    per_person = sdp.group_by("person_nr").len()
    both = (
        sdp.select("person_nr")
        .unique()
        .join(rehab.select("person_nr").unique(), on="person_nr", how="inner")
    )
    return {
        "personer_i_alt": int(
            pl.concat([sdp.select("person_nr"), rehab.select("person_nr")]).n_unique()
        ),
        "personer_med_flere_sygedagpengesager": int(per_person.filter(pl.col("len") > 1).height),
        "personer_med_sygedagpenge_og_rehab": int(both.height),
    }


def expected_section(
    sdp: pl.DataFrame,
    rehab: pl.DataFrame,
    anke: pl.DataFrame,
    stats_final: pl.DataFrame,
    trial: list[int],
    effects: dict,
) -> dict:
    return {
        "note": (
            "Counts from the generator's master data: each case in its latest, corrected "
            "version, across all snapshots (cases missing from the latest snapshot included), "
            "before rows were corrupted."
        ),
        "lae285_forventet_fravalgsandel_i_tema": round(expected_lae285_waiver_share(effects), 6),
        "lae285_by_kommune_aar": _records(lae285_by_kommune_aar(sdp)),
        "foerste_opfoelgning": _records(opfoelgning_summary(sdp, trial)),
        "rehab_by_kommune_aar": _records(rehab_by_kommune_aar(rehab)),
        "ankesager_by_kommune": _records(ankesager_by_kommune(anke)),
        "ankestatistik_omgoerelsesprocent": omgoerelsesprocent(stats_final),
        "persons": persons_summary(sdp, rehab),
    }


def summary_lines(truth: dict, out: Path, seconds: float) -> list[str]:
    """What `trialwh generate` prints: files and rows per source, bad rows, planted effects."""
    rows: dict[str, int] = {}
    for entry in truth["files"]:
        rows[entry["source"]] = rows.get(entry["source"], 0) + entry["rows"]
    lines = [
        f"Skrev {fmt_int(len(truth['files']))} filer ({fmt_int(sum(rows.values()))} rækker) "
        f"til {out} på {fmt_num(seconds)} s (skala {truth['scale']}, seed {truth['seed']}).",
        *(f"  {source}: {fmt_int(n)} rækker" for source, n in rows.items()),
        f"  rækker med fejl (til karantæne): {fmt_int(len(truth['corrupted_rows']))}",
    ]
    if truth["bad_files"]:
        lines.append(f"  filer der skal afvises: {fmt_int(len(truth['bad_files']))}")
    planted = truth["effects"]
    if planted["placebo"]:
        lines.append("Placebo: ingen plantet forsøgseffekt.")
    else:
        share = truth["expected"]["lae285_forventet_fravalgsandel_i_tema"]
        lines.append(
            f"Plantet: LÆ285 fravalgt i {fmt_pct(share)} af de omfattede sager i temaet, "
            f"første opfølgning {planted['foerste_opfoelgning_dage']:+.0f} dage, "
            f"rehab-fritagelse {fmt_pct(planted['rehab_fritagelse_andel'])}, "
            f"LÆ265 fravalgt {fmt_pct(planted['lae265_fravalg_andel'])}."
        )
    lines.append(f"Facit (plantede effekter, fejlrækker): {out / 'truth.json'}")
    return lines
