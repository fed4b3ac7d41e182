"""Danish first, English available: labels for themes, groups, columns and common phrases.

Page text is written as ``tr(lang, "dansk", "English")`` next to where it is used; this module
holds the shared vocabulary (domain codes → words) so every page names things the same way.
"""

from __future__ import annotations

from typing import Literal

from core import vocabulary

Lang = Literal["da", "en"]
LANGS: tuple[Lang, ...] = ("da", "en")


def tr(lang: Lang, da: str, en: str) -> str:
    """The Danish or English text."""
    return en if lang == "en" else da


# Theme and indicator names come from the vocabulary (seeds temaer, indikatorer).
TEMAER: dict[str, tuple[str, str]] = {
    tema.tema: (tema.kortnavn_da, tema.kortnavn_en) for tema in vocabulary.temaer()
}
INDIKATORER: dict[str, tuple[str, str]] = {
    ind.indikator: (ind.navn_da, ind.navn_en) for ind in vocabulary.indikatorer()
}
DEFINITIONER: dict[str, tuple[str, str]] = {
    ind.indikator: (ind.definition_da, ind.definition_en) for ind in vocabulary.indikatorer()
}

# Why an estimate stops at the end of a theme, by the law area the theme concerns (seed
# temaer, lovomraader); the general reason for every other theme.
SLUT_BEGRUNDELSE: dict[str, tuple[str, str]] = {
    "sygedagpenge": (
        "fra 2021 gjorde en landsdækkende lov LÆ285 valgfri i alle kommuner, så "
        "kontrolkommunerne er heller ikke længere uberørte",
        "from 2021 a national law made LÆ285 optional in every municipality, so the control "
        "municipalities are no longer untouched either",
    ),
}
SLUT_BEGRUNDELSE_GENERELT = (
    "efter temaets afslutning er sammenligningen ikke længere ren, og estimatoren "
    "forudsætter, at et forsøg varer ved, når det er begyndt",
    "after the theme ended the comparison is no longer clean, and the estimator assumes "
    "that a trial, once started, lasts",
)

# Under a table of score changes with an empty 95 % interval (mart_psykologbehandling*: the
# t-interval needs a spread, so it is empty with fewer than 2 paired scores).
INTET_INTERVAL = (
    "Tomt 95 %-interval: et interval kræver mindst to forløb med score både før og efter, "
    "fordi spredningen ikke kan beregnes ud fra én måling.",
    "Empty 95% interval: an interval needs at least two courses with a score both before "
    "and after, because the spread cannot be computed from one measurement.",
)

# Where a figure comes from, shown under it.
KILDER: dict[str, tuple[str, str]] = {
    "ankestatistik": (
        "Kun Ankestyrelsens egne tal (ankestatistik); de enkelte ankesager, kommunerne "
        "indberetter, er ikke lagt oven i.",
        "Ankestyrelsen's own figures only (ankestatistik); the individual appeals the "
        "municipalities report are not added on top.",
    ),
}

KONTROLGRUPPER: dict[str, tuple[str, str]] = {
    "alle_oevrige": ("Alle øvrige kommuner", "All other municipalities"),
    "midtjylland": ("Region Midtjylland", "Central Denmark Region"),
    "provinsen": ("Provinskommuner", "Provincial municipalities"),
    "lignende_kommuner": ("Lignende kommuner (antagelse)", "Similar municipalities (assumed)"),
    "store_kommuner": ("Store kommuner (antagelse)", "Large municipalities (assumed)"),
    "store_provinskommuner": (
        "Store provinskommuner (antagelse)",
        "Large provincial municipalities (assumed)",
    ),
}

# The codes of marts.mart_gruppe_kvartal.
Gruppe = Literal["forsoeg", "kontrol"]
Periode = Literal["foer", "under", "efter"]

GRUPPER: dict[Gruppe, tuple[str, str]] = {
    "forsoeg": ("Forsøgskommuner", "Trial municipalities"),
    "kontrol": ("Kontrolgruppe", "Control group"),
}

PERIODER: dict[Periode, tuple[str, str]] = {
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

# Code lists of the case facts (declared in ingest/schema.py) → words.
MAALGRUPPER: dict[str, tuple[str, str]] = {
    "jobafklaring": ("Jobafklaring", "Job clarification"),
    "ressourceforloeb": ("Ressourceforløb", "Resource course"),
    "fleksjob": ("Fleksjob", "Flexi-job"),
    "fastholdelsesfleksjob": ("Fastholdelsesfleksjob", "Retention flexi-job"),
    "selvstaendig_tilskud": ("Selvstændig med tilskud", "Self-employed with subsidy"),
    "foertidspension": ("Førtidspension", "Disability pension"),
    "seniorfoertidspension": ("Seniorførtidspension", "Senior disability pension"),
    "revalidering": ("Revalidering", "Revalidation"),
    "alle": ("Alle", "All"),
}
BEGRUNDELSER: dict[str, tuple[str, str]] = {
    "indlagt": ("Indlagt", "Hospitalised"),
    "sygehusbehandling": ("I sygehusbehandling", "In hospital treatment"),
    "ingen_arbejdsgiver": ("Ingen arbejdsgiver", "No employer"),
    "ukompliceret": ("Ukompliceret forløb", "Uncomplicated case"),
    "alvorligt_syg": ("Alvorligt syg", "Seriously ill"),
    "kun_arbejdsmarkedsrettet": ("Kun arbejdsmarkedsrettet indsats", "Employment measures only"),
    "plan_ivaerksat": ("Plan allerede iværksat", "Plan already in place"),
    "afventer_behandling": ("Afventer behandling", "Awaiting treatment"),
    "genoptjening": ("Genoptjening af ret", "Re-earning entitlement"),
    "fastholdelse": ("Fastholdelse", "Job retention"),
    "andet": ("Andet", "Other"),
    "ukendt": ("Ukendt", "Unknown"),
}
RAADGIVERE: dict[str, tuple[str, str]] = {
    "klinisk_funktion": ("Regionens kliniske funktion", "The region's clinical function"),
    "anden": ("Anden rådgiver", "Other adviser"),
    "ukendt": ("Ukendt", "Unknown"),
}
# Ankestyrelsen's law areas (contract §1.4 lovomraade): the target groups' words plus the
# two areas that are not target groups.
LOVOMRAADER: dict[str, tuple[str, str]] = {
    "sygedagpenge": ("Sygedagpenge", "Sickness benefit"),
    **{
        code: MAALGRUPPER[code]
        for code in (
            "jobafklaring",
            "ressourceforloeb",
            "fleksjob",
            "foertidspension",
            "seniorfoertidspension",
        )
    },
    "andet": ("Andet", "Other"),
}
# The extract sources (ingest/schema.py SOURCES, and the DREAM register) as the Datakvalitet
# page names them.
KILDENAVNE: dict[str, tuple[str, str]] = {
    "sygedagpengesager": ("Sygedagpengesager", "Sickness-benefit cases"),
    "helbredsdokumentation": ("Helbredsdokumentation", "Health documentation"),
    "rehabiliteringssager": ("Rehabiliteringssager", "Rehabilitation cases"),
    "ankesager": ("Ankesager (kommunernes)", "Appeals (municipalities')"),
    "ankestatistik": ("Ankestatistik (Ankestyrelsen)", "Appeals statistics (Appeals board)"),
    "psykologforloeb": ("Psykologforløb", "Psychologist courses"),
    "uddannelsespaalaeg": ("Uddannelsespålæg", "Education orders"),
    "survey": ("Spørgeskema", "Survey"),
    "sagsgennemgang": ("Sagsgennemgang", "Case review"),
    "dream": ("DREAM", "DREAM"),
}

# Columns holding codes, and the table that words them (tables and chart axes).
CODE_TABLES: dict[str, dict[str, tuple[str, str]]] = {
    "source": KILDENAVNE,
    "maalgruppe": MAALGRUPPER,
    "begrundelse": BEGRUNDELSER,
    "kategori": BEGRUNDELSER | RAADGIVERE,
    "lovomraade": LOVOMRAADER,
}

# The roles of users.toml, as the sidebar names them.
ROLLER: dict[str, tuple[str, str]] = {
    "manager": ("leder", "manager"),
    "evaluator": ("evaluator", "evaluator"),
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
    "lovomraade": ("Lovområde", "Law area"),
    "stadfaestet": ("Stadfæstet", "Upheld"),
    "aendret_ophaevet": ("Ændret eller ophævet", "Changed or annulled"),
    "hjemvist": ("Hjemvist", "Remitted"),
    "afvist_bortfaldet": ("Afvist eller bortfaldet", "Dismissed or lapsed"),
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
    # Beskæftigelse: DREAM week by week (udfald.selvforsoergelse_uger, ydelsesgruppe_uge_52).
    "uge": ("Uge", "Week"),
    "n_observeret": ("Sager i DREAM", "Cases in DREAM"),
    "n_selvforsoergende": ("Selvforsørgende", "Self-supporting"),
    "n_i_risiko": ("I risiko", "At risk"),
    "n_selvforsoerget": ("Blevet varigt selvforsørgende", "Became self-supporting"),
    "andel_selvforsoergende": ("Andel selvforsørgende", "Share self-supporting"),
    "ydelsesgruppe": ("Ydelsesgruppe", "Benefit group"),
    "n_i_alt": ("Sager i alt", "Cases in all"),
    "taeller": ("Tæller", "Numerator"),
    "dage_til_foerste_opfoelgning": ("Dage til 1. opfølgning (median)", "Days to 1st follow-up"),
    "sygedagpengeforloeb_dage": ("Sygedagpengeforløb (dage)", "Sickness-benefit spell (days)"),
    "andel_opfoelgning_inden_frist": ("Andel opfølgning inden frist", "Share followed up in time"),
    "attestudgift_pr_sag_kr": ("Attestudgift pr. sag (kr.)", "Certificate cost per case (DKK)"),
    "aar": ("År", "Year"),
    "naevner": ("Nævner", "Denominator"),
    "maal": ("Mål", "Measure"),
    "vaerdi": ("Værdi", "Value"),
    "enhed": ("Enhed", "Unit"),
    "p_vaerdi": ("p-værdi", "p-value"),
    "placering": ("Placering", "Rank"),
    "psykolog_forloeb": ("Psykologforløb", "Psychologist courses"),
    "gns_sessioner": ("Sessioner (gns.)", "Sessions (mean)"),
    "udgift_kr": ("Udgift (kr.)", "Cost (DKK)"),
    "udgift_pr_forloeb_kr": ("Udgift pr. forløb (kr.)", "Cost per course (DKK)"),
    "n_med_screening": ("Med score før og efter", "With score before and after"),
    "n_parret": ("Med score før og efter", "With score before and after"),
    "screening_instrument": ("Screeningsinstrument", "Screening instrument"),
    "gns_scoreaendring": ("Scoreændring efter − før (gns.)", "Score change after − before (mean)"),
    "gns_scoreaendring_ci_lav": ("95 %-KI, nedre", "95% CI, lower"),
    "gns_scoreaendring_ci_hoej": ("95 %-KI, øvre", "95% CI, upper"),
    "klinisk_relevant_fald": ("Tærskel (point)", "Threshold (points)"),
    "n_klinisk_relevant_fald": ("Klinisk relevant fald", "Clinically relevant drop"),
    "andel_klinisk_relevant_fald": (
        "Andel klinisk relevant fald",
        "Share clinically relevant drop",
    ),
    "ophoert": ("Ophørt", "Ended"),
    "stadig_fritaget": ("Stadig fritaget", "Still exempted"),
    "ophoert_paabegyndt_uddannelse": ("Ophørt: påbegyndt uddannelse", "Ended: started education"),
    "ophoert_beskaeftigelse": ("Ophørt: beskæftigelse", "Ended: employment"),
    "ophoert_anden_ydelse": ("Ophørt: anden ydelse", "Ended: other benefit"),
    "ophoert_fraflyttet": ("Ophørt: fraflyttet", "Ended: moved away"),
    "ophoert_andet": ("Ophørt: andet", "Ended: other"),
    "heraf_paabegyndt_uddannelse": ("Påbegyndt uddannelse", "Started education"),
    "andel_paabegyndt_uddannelse": ("Andel påbegyndt uddannelse", "Share started education"),
    "heraf_paabegyndt_uddannelse_su": (
        "Påbegyndt uddannelse (SU i DREAM)",
        "Started education (SU in DREAM)",
    ),
    "ved_forsoegets_slut_selvforsoergende": (
        "Ved forsøgets slut: selvforsørgende",
        "At the trial's end: self-supporting",
    ),
    "ved_forsoegets_slut_paa_ydelse": (
        "Ved forsøgets slut: på offentlig ydelse",
        "At the trial's end: on public benefits",
    ),
    "ved_forsoegets_slut_ukendt": (
        "Ved forsøgets slut: ukendt",
        "At the trial's end: unknown",
    ),
    # The synthetic control of the uddannelsespålæg theme (report.uddannelseshjaelp).
    "unge_med_kendt_udfald": (
        "Unge på uddannelseshjælp med kendt udfald",
        "Young people on education benefit with a known outcome",
    ),
    "heraf_uddannelse_eller_selvforsoergende_uge_26": (
        "Heraf i uddannelse eller selvforsørgende 26 uger senere",
        "Of whom in education or self-supporting 26 weeks later",
    ),
    "andel_forsoegskommune": ("Andel, forsøgskommunen", "Share, trial municipality"),
    "andel_syntetisk_kontrol": ("Andel, syntetisk kontrol", "Share, synthetic control"),
    "forskel_procentpoint": ("Forskel (procentpoint)", "Gap (percentage points)"),
    "er_i_forsoeg": ("I forsøget", "In the trial"),
    "vaegt": ("Vægt", "Weight"),
}


def label(vocabulary: dict[str, tuple[str, str]], code: str, lang: Lang) -> str:
    """The word for ``code`` in ``lang``; the code itself when unknown."""
    pair = vocabulary.get(code)
    if pair is None:
        return code
    return pair[1] if lang == "en" else pair[0]


def column_label(column: str, lang: Lang) -> str:
    """The header of ``column``; a panel indicator's column not named here gets the
    indicator's name from the vocabulary (seed indikatorer), not its code."""
    return label(COLUMNS if column in COLUMNS else INDIKATORER, column, lang)


# Streamlit's own English screen texts (its frontend has no language setting) → Danish.
# Written into the page by dashboards.skaermtekster; a ``{side}`` is the requested path.
STREAMLIT_TEKSTER: dict[str, str] = {
    "Skip to main content": "Gå til hovedindholdet",
    "Page not found": "Siden findes ikke",
    "The page that you have requested does not seem to exist. Running the app's main page.": (
        "Den side, du har bedt om, findes ikke. Forsiden vises i stedet."
    ),
    "You have requested page /{side}, but no corresponding file was found in the app's "
    "pages/ directory. Running the app's main page.": (
        "Siden /{side} findes ikke. Forsiden vises i stedet."
    ),
}
