"""The extract sources of contract §1, as data: columns, types, enums and row rules.

This module is the single description of what a valid extract row is. The generator
writes files that follow it, ingest reads, validates and casts by it, the Great
Expectations suites are derived from it, and the raw tables are created from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from core.vocabulary import tema_koder

# Logical types and the DuckDB type each is stored as in the raw layer.
DUCKDB_TYPES: dict[str, str] = {
    "text": "VARCHAR",
    "int": "INTEGER",
    "date": "DATE",
    "bool": "BOOLEAN",
    "decimal": "DECIMAL(12, 2)",
    "enum": "VARCHAR",
}

DIAGNOSEGRUPPER = ("bevaegeapparat", "psykisk", "kraeft", "hjerte_kar", "andet", "ukendt")
FRAVALG_BEGRUNDELSER = (
    "indlagt",
    "sygehusbehandling",
    "ingen_arbejdsgiver",
    "ukompliceret",
    "alvorligt_syg",
    "andet",
)
AFSLUTNINGSAARSAGER = (
    "raskmeldt",
    "delvist_raskmeldt",
    "jobafklaring",
    "fleksjob",
    "ressourceforloeb",
    "foertidspension",
    "bortfald",
    "doed",
    "fraflyttet",
    "andet",
)
SAGSTYPER = ("sygedagpenge", "rehabilitering")
DOKUMENTTYPER = (
    "LAE285",
    "LAE265",
    "LAE125",
    "LAE135",
    "LAE145",
    "LAE271",
    "journaloplysninger",
    "andet",
)
UDSTEDERE = ("egen_laege", "sygehus", "speciallaege", "klinisk_funktion", "anden")
MAALGRUPPER = (
    "jobafklaring",
    "ressourceforloeb",
    "fleksjob",
    "fastholdelsesfleksjob",
    "selvstaendig_tilskud",
    "foertidspension",
    "seniorfoertidspension",
    "revalidering",
)
FRITAGELSE_BEGRUNDELSER = (
    "kun_arbejdsmarkedsrettet",
    "plan_ivaerksat",
    "afventer_behandling",
    "genoptjening",
    "fastholdelse",
    "andet",
)
SUNDHEDSFAGLIGE_RAADGIVERE = ("klinisk_funktion", "anden")
REHAB_AFGOERELSER = (
    "jobafklaring",
    "ressourceforloeb",
    "fleksjob",
    "foertidspension",
    "seniorfoertidspension",
    "selvstaendig_tilskud",
    "revalidering",
    "afslag",
    "andet",
)
LOVOMRAADER = (
    "sygedagpenge",
    "jobafklaring",
    "ressourceforloeb",
    "fleksjob",
    "foertidspension",
    "seniorfoertidspension",
    "andet",
)
AFGOERELSESTYPER = ("stadfaestet", "aendret", "ophaevet", "hjemvist", "afvist", "bortfaldet")
# Ansøgning 2 (psykologbehandling): the ICD-10 groups offered treatment and the screening
# instruments named in the application (contract §1.7).
PSYKOLOG_DIAGNOSER = ("F32", "F33", "F40", "F41", "F42", "F43")
SCREENING_INSTRUMENTER = ("BDI", "BAI", "PSS", "SCL90R")
# Ansøgning 4 (fritagelse for uddannelsespålæg), contract §1.8.
FRITAGELSE_UDDANNELSE_BEGRUNDELSER = (
    "kan_ikke_gennemfoere_uddannelse",
    "egu_ikke_realistisk",
    "andet",
)
OPHOER_AARSAGER = ("paabegyndt_uddannelse", "beskaeftigelse", "anden_ydelse", "fraflyttet", "andet")


# Plausibility bounds: a value outside is impossible, and its row is quarantined
# (``out_of_range``, the bound named in the reason). Declared here once; validate.py
# builds both the polars rule and the Great Expectations suite from them.
EARLIEST_DATE = dt.date(1990, 1, 1)  # no case, document or appeal in an extract predates it
HONORAR_MAX_KR = 25_000  # a health certificate's fee; the dearest (LÆ271) is 2.600 kr.
UGENTLIGE_TIMER_MAX = 37  # weekly hours of a flexjob: at most a full-time week


@dataclass(frozen=True)
class Column:
    """One column of an extract.

    ``in_file``: the column must be present in the file (else the file is rejected).
    ``required``: every row must have a value (else the row is quarantined).
    """

    name: str
    dtype: str
    in_file: bool = True
    required: bool = False
    enum: tuple[str, ...] | None = None
    min_value: int | None = None
    max_value: int | None = None
    description: str = ""
    # Date columns: a date before this is impossible (None: no lower bound). The upper
    # bound of every date column is the file's extract date (``future_date``).
    earliest_date: dt.date | None = EARLIEST_DATE


@dataclass(frozen=True)
class DateOrder:
    """Row rule: ``later`` must not be before ``earlier`` when both are present."""

    earlier: str
    later: str
    message: str


@dataclass(frozen=True)
class RequiredWhen:
    """Row rule: ``column`` must have a value when boolean ``condition`` is true."""

    column: str
    condition: str
    message: str
    # True: the condition is that column ``condition`` has a value (of any type), not
    # that a boolean is true (e.g. a score after the course needs the score before it).
    when_present: bool = False


@dataclass(frozen=True)
class Source:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    per_municipality: bool = True
    date_orders: tuple[DateOrder, ...] = ()
    required_when: tuple[RequiredWhen, ...] = ()
    # Columns that hold a CPR number and are replaced by ``person_id`` at ingest.
    cpr_columns: tuple[str, ...] = field(default=())

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def raw_columns(self) -> list[tuple[str, str]]:
        """(name, DuckDB type) of the raw table: CPR replaced by person_id, metadata added."""
        cols: list[tuple[str, str]] = []
        for c in self.columns:
            if c.name in self.cpr_columns:
                cols.append(("person_id", "VARCHAR"))
            else:
                cols.append((c.name, DUCKDB_TYPES[c.dtype]))
        if self.name == "ankestatistik":
            cols.append(("kommunekode", "INTEGER"))
        return cols + LOAD_METADATA_COLUMNS


LOAD_METADATA_COLUMNS: list[tuple[str, str]] = [
    ("load_id", "VARCHAR"),
    ("source_file", "VARCHAR"),
    ("file_sha256", "VARCHAR"),
    ("extract_date", "DATE"),
    ("source_row_number", "INTEGER"),
    ("loaded_at", "TIMESTAMP"),
]

KOMMUNEKODE = Column("kommunekode", "int", required=True, min_value=101, max_value=999)

SOURCES: dict[str, Source] = {
    "sygedagpengesager": Source(
        name="sygedagpengesager",
        key=("sags_id",),
        cpr_columns=("cpr",),
        columns=(
            Column("sags_id", "text", required=True),
            Column("cpr", "text", required=True),
            KOMMUNEKODE,
            Column("foerste_fravaersdag", "date", required=True),
            Column("anmeldt_dato", "date", required=True),
            Column("visitationskategori", "int", required=True, min_value=1, max_value=3),
            Column("forventet_over_8_uger", "bool"),
            Column("har_arbejdsgiver", "bool"),
            Column("diagnosegruppe", "enum", enum=DIAGNOSEGRUPPER),
            Column("tolk", "bool"),
            Column("lae285_fravalgt", "bool", in_file=False),
            Column("fravalg_begrundelse", "enum", in_file=False, enum=FRAVALG_BEGRUNDELSER),
            Column("foerste_opfoelgning_dato", "date"),
            Column("afsluttet_dato", "date"),
            Column("afslutningsaarsag", "enum", enum=AFSLUTNINGSAARSAGER),
        ),
        date_orders=(
            DateOrder(
                "foerste_fravaersdag",
                "anmeldt_dato",
                "sygemeldingen er anmeldt før første fraværsdag",
            ),
            DateOrder(
                "foerste_fravaersdag",
                "foerste_opfoelgning_dato",
                "første opfølgningssamtale ligger før første fraværsdag",
            ),
            DateOrder(
                "foerste_fravaersdag",
                "afsluttet_dato",
                "sagen er afsluttet før første fraværsdag",
            ),
        ),
        required_when=(
            RequiredWhen(
                "fravalg_begrundelse",
                "lae285_fravalgt",
                "LÆ285 er fravalgt, men begrundelsen mangler",
            ),
        ),
    ),
    "helbredsdokumentation": Source(
        name="helbredsdokumentation",
        key=("dokument_id",),
        columns=(
            Column("dokument_id", "text", required=True),
            Column("sags_id", "text", required=True),
            Column("sagstype", "enum", required=True, enum=SAGSTYPER),
            KOMMUNEKODE,
            Column("dokumenttype", "enum", required=True, enum=DOKUMENTTYPER),
            Column("udsteder", "enum", enum=UDSTEDERE),
            Column("rekvireret_dato", "date", required=True),
            Column("modtaget_dato", "date"),
            Column("honorar_kr", "decimal", min_value=0, max_value=HONORAR_MAX_KR),
            Column("tolk", "bool"),
        ),
        date_orders=(
            DateOrder(
                "rekvireret_dato",
                "modtaget_dato",
                "dokumentet er modtaget før det er rekvireret",
            ),
        ),
    ),
    "rehabiliteringssager": Source(
        name="rehabiliteringssager",
        key=("sags_id",),
        cpr_columns=("cpr",),
        columns=(
            Column("sags_id", "text", required=True),
            Column("cpr", "text", required=True),
            KOMMUNEKODE,
            Column("maalgruppe", "enum", required=True, enum=MAALGRUPPER),
            Column("startdato", "date", required=True),
            Column("fritaget_rehabmoede", "bool", in_file=False),
            Column("fritagelse_begrundelse", "enum", in_file=False, enum=FRITAGELSE_BEGRUNDELSER),
            Column("lae265_fravalgt", "bool", in_file=False),
            Column(
                "sundhedsfaglig_raadgiver", "enum", in_file=False, enum=SUNDHEDSFAGLIGE_RAADGIVERE
            ),
            Column("moede_dato", "date"),
            Column("moede_akut_fravaer", "bool", in_file=False),
            Column("indstilling_dato", "date"),
            Column("afgoerelse_dato", "date"),
            Column("afgoerelse", "enum", enum=REHAB_AFGOERELSER),
            Column("fleksjob_timer", "decimal", min_value=0, max_value=UGENTLIGE_TIMER_MAX),
        ),
        date_orders=(
            DateOrder("startdato", "moede_dato", "rehabiliteringsmødet ligger før sagens start"),
            DateOrder("startdato", "afgoerelse_dato", "afgørelsen ligger før sagens start"),
        ),
        required_when=(
            RequiredWhen(
                "fritagelse_begrundelse",
                "fritaget_rehabmoede",
                "sagen er fritaget for rehabiliteringsmødet, men begrundelsen mangler",
            ),
        ),
    ),
    "ankesager": Source(
        name="ankesager",
        key=("anke_id",),
        columns=(
            Column("anke_id", "text", required=True),
            KOMMUNEKODE,
            Column("sags_id", "text"),
            Column("lovomraade", "enum", required=True, enum=LOVOMRAADER),
            Column("modtaget_dato", "date", required=True),
            Column("afgoerelse_dato", "date"),
            Column("afgoerelsestype", "enum", enum=AFGOERELSESTYPER),
        ),
        date_orders=(
            DateOrder(
                "modtaget_dato",
                "afgoerelse_dato",
                "anken er afgjort før den er modtaget",
            ),
        ),
    ),
    "ankestatistik": Source(
        name="ankestatistik",
        key=("aar", "kvartal", "kommune", "lovomraade", "afgoerelsestype"),
        per_municipality=False,
        columns=(
            Column("aar", "int", required=True, min_value=2007, max_value=2100),
            Column("kvartal", "int", required=True, min_value=1, max_value=4),
            Column("kommune", "text", required=True),
            Column("lovomraade", "enum", required=True, enum=LOVOMRAADER),
            Column("afgoerelsestype", "enum", required=True, enum=AFGOERELSESTYPER),
            Column("antal", "int", required=True, min_value=0, max_value=1_000_000),
        ),
    ),
    "psykologforloeb": Source(
        name="psykologforloeb",
        key=("forloeb_id",),
        cpr_columns=("cpr",),
        columns=(
            Column("forloeb_id", "text", required=True),
            Column("cpr", "text", required=True),
            KOMMUNEKODE,
            Column("sags_id", "text", required=True),
            Column("henvist_dato", "date", required=True),
            Column("diagnose", "enum", required=True, enum=PSYKOLOG_DIAGNOSER),
            # The trial offers at most 12 sessions (ansøgning 2): more is a registration error.
            Column("antal_sessioner", "int", required=True, min_value=0, max_value=12),
            Column("udgift_kr", "decimal"),
            Column("afsluttet_dato", "date"),
            Column("screening_instrument", "enum", enum=SCREENING_INSTRUMENTER),
            Column("score_foer", "decimal"),
            Column("score_efter", "decimal"),
        ),
        date_orders=(
            DateOrder(
                "henvist_dato",
                "afsluttet_dato",
                "forløbet er afsluttet før henvisningen",
            ),
        ),
        required_when=(
            RequiredWhen(
                "score_foer",
                "score_efter",
                "der er en score efter forløbet, men ingen score før (ændringen kan ikke beregnes)",
                when_present=True,
            ),
            RequiredWhen(
                "screening_instrument",
                "score_foer",
                "der er en screeningsscore, men screeningsinstrumentet mangler",
                when_present=True,
            ),
        ),
    ),
    "uddannelsespaalaeg": Source(
        name="uddannelsespaalaeg",
        key=("sags_id",),
        cpr_columns=("cpr",),
        columns=(
            Column("sags_id", "text", required=True),
            Column("cpr", "text", required=True),
            KOMMUNEKODE,
            Column("fritaget_dato", "date", required=True),
            Column("begrundelse", "enum", enum=FRITAGELSE_UDDANNELSE_BEGRUNDELSER),
            Column("ophoert_dato", "date"),
            Column("ophoer_aarsag", "enum", enum=OPHOER_AARSAGER),
        ),
        date_orders=(
            DateOrder(
                "fritaget_dato",
                "ophoert_dato",
                "fritagelsen er ophørt før den blev givet",
            ),
        ),
        required_when=(
            RequiredWhen(
                "ophoer_aarsag",
                "ophoert_dato",
                "fritagelsen er ophørt, men årsagen mangler",
                when_present=True,
            ),
        ),
    ),
}

# Questionnaire responses and case-review verdicts (contract §1.9, §1.10).
RESPONDENTTYPER = ("borger", "sagsbehandler", "rehabiliteringsteam", "laege")
VURDERINGER = ("korrekt", "delvist_korrekt", "forkert", "kan_ikke_vurderes")
SOURCES["survey"] = Source(
    name="survey",
    key=("svar_id",),
    cpr_columns=("cpr",),
    columns=(
        Column("svar_id", "text", required=True),
        Column("respondenttype", "enum", required=True, enum=RESPONDENTTYPER),
        Column("cpr", "text", in_file=False),
        KOMMUNEKODE,
        Column("tema", "enum", required=True, enum=tema_koder()),
        Column("boelge", "text", required=True),
        Column("spoergsmaal", "text", required=True),
        Column("svar", "int", min_value=1, max_value=5),
        Column("stratum", "text"),
        Column("vaegt", "decimal", min_value=0, max_value=1_000_000),
    ),
)
SOURCES["sagsgennemgang"] = Source(
    name="sagsgennemgang",
    key=("sags_id", "tema"),
    columns=(
        Column("sags_id", "text", required=True),
        KOMMUNEKODE,
        Column("tema", "enum", required=True, enum=tema_koder()),
        Column("vurdering", "enum", required=True, enum=VURDERINGER),
        Column("bemaerkning", "text"),
    ),
)

SOURCE_NAMES: tuple[str, ...] = tuple(SOURCES)

# The rule codes a quarantined row is tagged with; the generator records its corruptions
# with the same codes (interfaces between generator, ingest and audit.quarantine).
RULES: tuple[str, ...] = (
    "required_missing",
    "invalid_date",
    "invalid_value",
    "invalid_enum",
    "out_of_range",
    "date_order",
    "required_when",
    "duplicate_key",
    "kommunekode_mismatch",
    "unknown_kommune",
    "invalid_cpr",
    "future_date",
)


def raw_table_ddl(source: str) -> str:
    """CREATE TABLE statement for ``raw.<source>``."""
    cols = ",\n    ".join(f"{name} {typ}" for name, typ in SOURCES[source].raw_columns())
    return f"create table if not exists raw.{source} (\n    {cols}\n)"


def create_raw_tables(con: duckdb.DuckDBPyConnection) -> None:  # noqa: F821
    """Create the ``raw`` schema and one empty table per source (idempotent)."""
    con.execute("create schema if not exists raw")
    for source in SOURCES:
        con.execute(raw_table_ddl(source))
    create_wide_raw_tables(con)


# --- DREAM (contract §1.6) ------------------------------------------------------------
# STAR's weekly benefit register is delivered wide (one `y_YYWW` column per ISO week) and
# national. It is read and validated by ingest/dream.py, not by the column rules above,
# and stored long: one row per person and spell of equal codes (weeks as the Monday of the
# ISO week, the code as a small integer). A person with no benefit week in the file gets
# one row with a blank code spanning the register, so every person read has a row.
DREAM_WEEK_PREFIX = "y_"


@dataclass(frozen=True)
class WideSource(Source):
    """A source delivered wide (one column per week) and stored long in ``raw``."""

    long_columns: tuple[tuple[str, str], ...] = ()

    def raw_columns(self) -> list[tuple[str, str]]:
        return list(self.long_columns) + LOAD_METADATA_COLUMNS


WIDE_SOURCES: dict[str, WideSource] = {
    "dream": WideSource(
        name="dream",
        key=("cpr",),
        per_municipality=False,
        cpr_columns=("cpr",),
        columns=(
            Column("cpr", "text", required=True),
            Column("bopaelskommune", "int", in_file=False, min_value=101, max_value=999),
        ),
        long_columns=(
            ("person_id", "VARCHAR"),
            ("bopaelskommune", "INTEGER"),
            ("fra_uge_dato", "DATE"),
            ("til_uge_dato", "DATE"),
            ("kode", "SMALLINT"),
            ("register_fra_uge_dato", "DATE"),
            ("register_til_uge_dato", "DATE"),
        ),
    ),
}


def source_spec(name: str) -> Source:
    """The declared source ``name``: a column source of ``SOURCES`` or a wide one."""
    return SOURCES[name] if name in SOURCES else WIDE_SOURCES[name]


def create_wide_raw_tables(con: duckdb.DuckDBPyConnection) -> None:  # noqa: F821
    """``raw.<source>`` for the wide sources (idempotent)."""
    con.execute("create schema if not exists raw")
    for source in WIDE_SOURCES.values():
        cols = ",\n    ".join(f"{name} {typ}" for name, typ in source.raw_columns())
        con.execute(f"create table if not exists raw.{source.name} (\n    {cols}\n)")
