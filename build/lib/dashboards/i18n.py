"""Danish first, English available: labels for themes, groups, columns and common phrases.

Page text is written as ``tr(lang, "dansk", "English")`` next to where it is used; this module
holds the shared vocabulary (domain codes → words) so every page names things the same way.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["da", "en"]
LANGS: tuple[Lang, ...] = ("da", "en")


def tr(lang: Lang, da: str, en: str) -> str:
    """The Danish or English text."""
    return en if lang == "en" else da


TEMAER: dict[str, tuple[str, str]] = {
    "lae285": ("LÆ285 – attest ved sygedagpenge", "LÆ285 – sickness-benefit certificate"),
    "rehab_fritagelse": ("Fritagelse for rehabiliteringsmøde", "Exemption from rehab meeting"),
    "lae265": ("LÆ265 – attest til rehabiliteringsteam", "LÆ265 – rehab-team certificate"),
    "sundhedsfaglig_raadgivning": ("Sundhedsfaglig rådgivning", "Health advice"),
    "akut_fravaer": ("Møde trods akut fravær", "Meeting despite acute absence"),
}

KONTROLGRUPPER: dict[str, tuple[str, str]] = {
    "alle_oevrige": ("Alle øvrige kommuner", "All other municipalities"),
    "midtjylland": ("Region Midtjylland", "Central Denmark Region"),
    "provinsen": ("Provinskommuner", "Provincial municipalities"),
}

GRUPPER: dict[str, tuple[str, str]] = {
    "forsoeg": ("Forsøgskommuner", "Trial municipalities"),
    "kontrol": ("Kontrolgruppe", "Control group"),
}

PERIODER: dict[str, tuple[str, str]] = {
    "foer": ("Før forsøget", "Before the trial"),
    "under": ("Under forsøget", "During the trial"),
    "efter": ("Efter forsøget", "After the trial"),
}

FORLOEB: dict[str, tuple[str, str]] = {
    "anmeldelse_til_foerste_opfoelgning": (
        "Anmeldelse → første opfølgning",
        "Notification → first follow-up",
    ),
    "fravaer_til_foerste_opfoelgning": (
        "Første fraværsdag → første opfølgning",
        "First absence day → first follow-up",
    ),
    "sygedagpengeforloeb": ("Sygedagpengeforløbets varighed", "Sickness-benefit spell"),
    "attest_rekvireret_til_modtaget": ("Attest rekvireret → modtaget", "Certificate turnaround"),
    "rehab_start_til_afgoerelse": ("Rehab-start → afgørelse", "Rehab start → decision"),
    "rehab_start_til_moede": ("Rehab-start → teammøde", "Rehab start → team meeting"),
}

COLUMNS: dict[str, tuple[str, str]] = {
    "kommunekode": ("Kommunekode", "Municipality code"),
    "kommunenavn": ("Kommune", "Municipality"),
    "region": ("Region", "Region"),
    "gruppe": ("Gruppe", "Group"),
    "periode": ("Periode", "Period"),
    "kvartal": ("Kvartal", "Quarter"),
    "maaned": ("Måned", "Month"),
    "dokumenttype": ("Attest", "Certificate"),
    "sager_omfattet": ("Sager omfattet", "Eligible cases"),
    "attest_indhentet": ("Attest indhentet", "Certificate requested"),
    "attest_fravalgt": ("Attest fravalgt", "Certificate waived"),
    "andel_fravalgt": ("Andel fravalgt", "Share waived"),
    "kontrafaktisk_udgift_kr": ("Udgift uden forsøg (kr.)", "Cost without trial (DKK)"),
    "faktisk_attest_udgift_kr": ("Faktisk attestudgift (kr.)", "Actual certificate cost (DKK)"),
    "alternativ_udgift_kr": ("Alternativ dokumentation (kr.)", "Alternative documents (DKK)"),
    "nettobesparelse_kr": ("Nettobesparelse (kr.)", "Net saving (DKK)"),
    "heraf_imputeret_kr": ("Heraf imputeret (kr.)", "Of which imputed (DKK)"),
    "sygedagpengesager_omfattet": ("Sager omfattet", "Eligible cases"),
    "lae285_fravalgt": ("LÆ285 fravalgt", "LÆ285 waived"),
    "andel_lae285_fravalgt": ("Andel fravalgt", "Share waived"),
    "rehab_sager": ("Rehab-sager", "Rehab cases"),
    "rehab_fritaget": ("Fritaget", "Exempted"),
    "andel_rehab_fritaget": ("Andel fritaget", "Share exempted"),
    "maalgruppe": ("Målgruppe", "Target group"),
    "sager": ("Sager", "Cases"),
    "fritaget": ("Fritaget", "Exempted"),
    "andel_fritaget": ("Andel fritaget", "Share exempted"),
    "moeder": ("Møder", "Meetings"),
    "moeder_akut_fravaer": ("Møder trods akut fravær", "Meetings despite acute absence"),
    "andel_akut_fravaer": ("Andel trods akut fravær", "Share despite acute absence"),
    "begrundelse": ("Begrundelse", "Reason"),
    "raadgiver": ("Sundhedsfaglig rådgiver", "Health adviser"),
    "antal": ("Antal", "Count"),
    "forloeb": ("Forløb", "Spell"),
    "n_sager": ("Sager", "Cases"),
    "median_dage": ("Median (dage)", "Median (days)"),
    "andel_inden_frist": ("Andel inden frist", "Share within deadline"),
    "inden_frist": ("Inden frist", "Within deadline"),
    "realitetsbehandlede": ("Realitetsbehandlede", "Decided on merits"),
    "omgjorte": ("Omgjorte", "Reversed"),
    "omgoerelsesprocent": ("Omgørelsesprocent", "Reversal rate (%)"),
    "ci_lav": ("95 %-KI, nedre", "95% CI, lower"),
    "ci_hoej": ("95 %-KI, øvre", "95% CI, upper"),
    "lae285_fravalgt_sag": ("LÆ285 fravalgt i sagen", "LÆ285 waived in the case"),
    "source": ("Kilde", "Source"),
    "filer_indlaest": ("Filer indlæst", "Files loaded"),
    "filer_afvist": ("Filer afvist", "Files rejected"),
    "raekker_indlaest": ("Rækker indlæst", "Rows loaded"),
    "raekker_karantaene": ("Rækker i karantæne", "Rows quarantined"),
    "seneste_udtraek": ("Seneste udtræk", "Latest extract"),
    "source_file": ("Fil", "File"),
    "reason": ("Årsag", "Reason"),
    "rule": ("Regel", "Rule"),
    "status": ("Status", "Status"),
    "indikator": ("Indikator", "Indicator"),
    "estimat": ("Estimat", "Estimate"),
    "andel": ("Andel", "Share"),
    "andel_ci_lav": ("95 %-KI, nedre", "95% CI, lower"),
    "andel_ci_hoej": ("95 %-KI, øvre", "95% CI, upper"),
    "haendelser": ("Hændelser", "Events"),
    "median_ci_lav": ("Median 95 %-KI, nedre", "Median 95% CI, lower"),
    "median_ci_hoej": ("Median 95 %-KI, øvre", "Median 95% CI, upper"),
    "kategori": ("Kategori", "Category"),
    "n_kommuner": ("Kommuner", "Municipalities"),
    "taeller": ("Tæller", "Numerator"),
    "dage_til_foerste_opfoelgning": ("Dage til 1. opfølgning (median)", "Days to 1st follow-up"),
    "sygedagpengeforloeb_dage": ("Sygedagpengeforløb (dage)", "Sickness-benefit spell (days)"),
    "andel_opfoelgning_inden_frist": ("Andel opfølgning inden frist", "Share followed up in time"),
    "attestudgift_pr_sag_kr": ("Attestudgift pr. sag (kr.)", "Certificate cost per case (DKK)"),
    "aar": ("År", "Year"),
    "naevner": ("Nævner", "Denominator"),
    "maal": ("Mål", "Measure"),
    "vaerdi": ("Værdi", "Value"),
}


def label(vocabulary: dict[str, tuple[str, str]], code: str, lang: Lang) -> str:
    """The word for ``code`` in ``lang``; the code itself when unknown."""
    pair = vocabulary.get(code)
    if pair is None:
        return code
    return pair[1] if lang == "en" else pair[0]


def column_label(column: str, lang: Lang) -> str:
    return label(COLUMNS, column, lang)
