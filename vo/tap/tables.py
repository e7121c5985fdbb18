"""The tables TAP publishes, described once.

Each published table is a PostgreSQL view (``jmdc.measurements``, ``jmdc.stars``,
``obsportal.exposures``, ``ivoa.ObsCore``) whose rows are exactly what an anonymous visitor
may see, and whose columns carry their unit, UCD, utype and description. From this one
description come the views themselves, the rows of ``TAP_SCHEMA``, the ``/tap/tables``
document and the FIELDs of a query's result. The catalogue's twelve columns take their facts
from ``jmdc.columns`` (no second copy of a unit or a UCD); the star's and the exposure's
columns, which that table does not hold, are written here.

The visibility rules in SQL mirror ``visible_to(AnonymousUser())`` of each model;
``tests/vo/test_published_tables.py`` holds them equal on rows that are embargoed or hidden.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings

from jmdc.columns import COLUMNS, Kind
from vo.identifiers import exposure_did, links_path


@dataclass(frozen=True)
class PubColumn:
    name: str  # as ADQL names it (lower case: PostgreSQL folds unquoted names)
    sql: str  # the expression in the view's SELECT, over the model tables
    datatype: str  # VOTable datatype: char, double, int, long, short, boolean
    description: str
    unit: str = ""
    ucd: str = ""
    utype: str = ""
    arraysize: str | None = None  # "*" for variable-length text
    xtype: str = ""
    principal: bool = False
    indexed: bool = False
    std: bool = False  # defined by a standard (ObsCore, TAP_SCHEMA)


@dataclass(frozen=True)
class PubTable:
    schema: str  # as TAP names it (TAP_SCHEMA, ivoa)
    name: str  # without the schema (ObsCore)
    description: str
    columns: tuple[PubColumn, ...]
    from_sql: str = ""  # FROM ... WHERE ... of the view; "" for a TAP_SCHEMA table
    utype: str = ""
    # (column, target table's qualified name, target column): TAP_SCHEMA.keys
    foreign_keys: tuple[tuple[str, str, str], ...] = ()

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def sql_name(self) -> str:
        """The name PostgreSQL holds it under: unquoted, so folded to lower case."""
        return self.qualified.lower()

    def column(self, name: str) -> PubColumn | None:
        # A name that is an ADQL reserved word is published delimited ("size").
        wanted = name.lower().strip('"')
        return next((c for c in self.columns if c.name.strip('"') == wanted), None)


@dataclass(frozen=True)
class PubSchema:
    name: str
    description: str
    tables: tuple[PubTable, ...] = field(default_factory=tuple)


def text(name: str, sql: str, description: str, **facts) -> PubColumn:
    return PubColumn(name, sql, "char", description, arraysize="*", **facts)


def double(name: str, sql: str, description: str, **facts) -> PubColumn:
    return PubColumn(name, sql, "double", description, **facts)


def long(name: str, sql: str, description: str, **facts) -> PubColumn:
    return PubColumn(name, sql, "long", description, **facts)


# -- the catalogue ---------------------------------------------------------------------------
# What the catalogue's Kind is in a VOTable, and the SQL type the view casts to, so that the
# column's declared datatype is what the database returns on every backend version. A flag is
# 1 or 0, as in VizieR's jmdc.dat: ADQL has no boolean literal, so `sinpe = 1` must work.
KIND_TYPES = {
    Kind.TEXT: ("char", "text"),
    Kind.REAL: ("double", "double precision"),
    Kind.CODE: ("short", "smallint"),
    Kind.FLAG: ("short", "int::smallint"),
}


def catalogue_column(column) -> PubColumn:
    datatype, sql_type = KIND_TYPES[column.kind]
    return PubColumn(
        name=column.field,
        sql=f"m.{column.field}::{sql_type}",
        datatype=datatype,
        description=f"{column.description} ({column.name})",
        unit=column.unit,
        ucd=column.ucd,
        arraysize="*" if datatype == "char" else None,
        principal=True,
        indexed=column.field in ("id1", "bibcode"),
    )


# The date "today" of the embargo rule, in the portal's time zone as timezone.localdate() reads
# it (PostgreSQL's CURRENT_DATE would follow the session's time zone instead).
def today_sql() -> str:
    return f"(CURRENT_TIMESTAMP AT TIME ZONE '{settings.TIME_ZONE}')::date"


def public_measurement_sql(alias: str = "m") -> str:
    """MeasurementQuerySet.public(): no embargo, or one that has ended."""
    return f"({alias}.embargo_until IS NULL OR {alias}.embargo_until <= {today_sql()})"


# The position the star page shows (jmdc.star_identity.shown_identity): SIMBAD's when SIMBAD
# identified the star, else JMMC's cross-match's (a fresh install loads the catalogue without
# SIMBAD, and the cross-match places 923 of its 924 stars). Mirrored here in SQL, since the
# views cannot call Python; tests/vo/test_published_tables.py holds the two equal.
# ``x`` is the star's cross-match row (one per star and source), joined by STAR_FACTS_JOIN.
STAR_FACTS_JOIN = "LEFT JOIN jmdc_sourcefacts x ON x.star_id = s.id AND x.source = 'crossmatch'"
SIMBAD_SAYS = "s.status = 'resolved'"


def shown_sql(simbad: str, crossmatch: str) -> str:
    return f"(CASE WHEN {SIMBAD_SAYS} THEN {simbad} ELSE {crossmatch} END)"


SHOWN_RA = shown_sql("s.ra", "x.ra")
SHOWN_DEC = shown_sql("s.dec", "x.dec")
POSITION_SOURCE = (
    f"(CASE WHEN {SHOWN_RA} IS NULL OR {SHOWN_DEC} IS NULL THEN NULL "
    f"WHEN {SIMBAD_SAYS} THEN 'simbad' ELSE 'crossmatch' END)"
)
# SIMBAD's main identifier only once SIMBAD named the star (as the page); unknown is NULL.
MAIN_ID = f"(CASE WHEN {SIMBAD_SAYS} THEN NULLIF(s.main_id, '') END)"
SHOWN_SP_TYPE = f"NULLIF({shown_sql('s.sp_type', 'x.sp_type')}, '')"
# The cross-match lists its types as "PM*,*"; the page shows "PM*, *".
CROSSMATCH_TYPES = "replace(x.object_types, ',', ', ')"
SHOWN_OTYPE = f"NULLIF({shown_sql('s.otype', CROSSMATCH_TYPES)}, '')"

STAR_POSITION = (
    double("ra", SHOWN_RA, "Right ascension of the star (ICRS): SIMBAD's, else JMMC's "
           "cross-match's (pos_source)", unit="deg", ucd="pos.eq.ra;meta.main", principal=True),
    double("dec", SHOWN_DEC, "Declination of the star (ICRS): SIMBAD's, else JMMC's "
           "cross-match's (pos_source)", unit="deg", ucd="pos.eq.dec;meta.main", principal=True),
    text("pos_source", POSITION_SOURCE, "Who gives ra and dec: simbad, or crossmatch (JMMC's "
         "cross-match of the catalogue, when SIMBAD has not identified the star)",
         ucd="meta.ref;pos.eq"),
)  # fmt: skip


def measurements() -> PubTable:
    return PubTable(
        "jmdc",
        "measurements",
        "The public measurements of the JMMC Measured stellar Diameters Catalogue (JMDC): "
        "one row per published angular diameter, with its star's identity and position.",
        columns=(
            long(
                "measurement_id",
                "m.id",
                "Identifier of the measurement in the portal",
                ucd="meta.id",
                principal=True,
                indexed=True,
            ),
            long(
                "star_id",
                "m.star_id",
                "Identifier of the star (jmdc.stars.star_id)",
                ucd="meta.id.cross",
                indexed=True,
            ),
            text(
                "main_id",
                MAIN_ID,
                "SIMBAD's main identifier of the star (NULL until SIMBAD identified it)",
                ucd="meta.id",
                principal=True,
            ),
            text(
                "designation",
                "s.designation",
                "Canonical designation of the star (HD 10700)",
                ucd="meta.id",
            ),
            *STAR_POSITION,
            *(catalogue_column(column) for column in COLUMNS),
        ),
        from_sql="FROM jmdc_measurement m JOIN jmdc_star s ON s.id = m.star_id "
        f"{STAR_FACTS_JOIN} WHERE {public_measurement_sql('m')}",
        foreign_keys=(("star_id", "jmdc.stars", "star_id"),),
    )


def stars() -> PubTable:
    # Star.objects.visible_to(anonymous): a public measurement, or an exposure (exposures are
    # all public, ExposureQuerySet.visible_to) reveals the star.
    return PubTable(
        "jmdc",
        "stars",
        "The stars of the public catalogue and of the exposures, as SIMBAD identified them.",
        columns=(
            long(
                "star_id",
                "s.id",
                "Identifier of the star in the portal",
                ucd="meta.id;meta.main",
                principal=True,
                indexed=True,
            ),
            text(
                "name",
                "s.name",
                "The star's name as first met (a submission, a header)",
                ucd="meta.id",
            ),
            text(
                "main_id",
                MAIN_ID,
                "SIMBAD's main identifier (NULL until SIMBAD identified the star)",
                ucd="meta.id",
                principal=True,
            ),
            text("designation", "s.designation", "Canonical designation (HD 10700)", ucd="meta.id"),
            *STAR_POSITION,
            text(
                "otype",
                SHOWN_OTYPE,
                "Object type: SIMBAD's, else the types JMMC's cross-match lists",
                ucd="src.class",
            ),
            text(
                "sp_type",
                SHOWN_SP_TYPE,
                "Spectral type: SIMBAD's, else JMMC's cross-match's",
                ucd="src.spType",
            ),
            text(
                "hd",
                f"NULLIF({shown_sql('s.hd', 'x.hd')}, '')",
                "HD identifier: SIMBAD's, else JMMC's cross-match's",
                ucd="meta.id",
            ),
            text(
                "hip",
                f"NULLIF({shown_sql('s.hip', 'x.hip')}, '')",
                "HIPPARCOS identifier: SIMBAD's, else JMMC's cross-match's",
                ucd="meta.id",
            ),
        ),
        # Built from this module's own constants (no user input): S608 does not apply.
        from_sql=f"FROM jmdc_star s {STAR_FACTS_JOIN} WHERE (EXISTS (SELECT 1 "  # noqa: S608
        "FROM jmdc_measurement m "
        f"WHERE m.star_id = s.id AND {public_measurement_sql('m')}) "
        "OR EXISTS (SELECT 1 FROM obsportal_exposure e WHERE e.star_id = s.id))",
    )


def exposures() -> PubTable:
    return PubTable(
        "obsportal",
        "exposures",
        "Exposures taken at the interferometers (VLTI), as the ESO archive's headers describe "
        "them: their public fields.",
        columns=(
            text(
                "exp_id",
                "e.exp_id",
                "The archive's DP.ID and the exposure number",
                ucd="meta.id;meta.main",
                principal=True,
                indexed=True,
            ),
            text(
                "dp_id",
                "e.header_id",
                "The archive's file identifier (DP.ID)",
                ucd="meta.id;meta.file",
            ),
            double(
                "mjd_start",
                "e.mjd_start",
                "Start of the exposure (MJD)",
                unit="d",
                ucd="time.start;obs.exposure",
                principal=True,
                indexed=True,
            ),
            double(
                "mjd_end",
                "e.mjd_end",
                "End of the exposure (MJD)",
                unit="d",
                ucd="time.end;obs.exposure",
            ),
            text("category", "e.category", "science or calibrator", ucd="meta.code.class"),
            long("ob_id", "e.obs_id", "Observing block identifier", ucd="meta.id;obs"),
            text(
                "program",
                "e.program",
                "ESO programme identifier",
                ucd="meta.id;obs.proposal",
                principal=True,
            ),
            text("program_title", "e.program_title", "Title of the programme", ucd="meta.title"),
            text(
                "program_pi_coi",
                "e.program_pi_coi",
                "PI and CoIs of the programme",
                ucd="obs.observer",
            ),
            text(
                "interferometer",
                "e.interferometer",
                "Interferometer (VLTI)",
                ucd="meta.id;instr.tel",
            ),
            text(
                "stations",
                "e.stations",
                "Stations of the telescopes, in header order",
                ucd="instr.setup",
            ),
            text(
                "instrument",
                "e.instrument",
                "Instrument",
                ucd="meta.id;instr",
                principal=True,
                indexed=True,
            ),
            text("mode", "e.mode", "Instrument mode", ucd="instr.setup"),
            text("submode", "e.submode", "Instrument submode", ucd="instr.setup"),
            double("em_min", "e.em_min", "Shortest wavelength", unit="m", ucd="em.wl;stat.min"),
            double("em_max", "e.em_max", "Longest wavelength", unit="m", ucd="em.wl;stat.max"),
            double("res_power", "e.res_power", "Spectral resolving power", ucd="spect.resolution"),
            double(
                "tau0", "e.tau0", "Atmospheric coherence time", unit="s", ucd="obs.atmos.turbulence"
            ),
            double("seeing", "e.seeing", "Seeing", unit="arcsec", ucd="instr.obsty.seeing"),
            text(
                "target_name",
                "e.target_name",
                "Target name in the header",
                ucd="meta.id;src",
                principal=True,
            ),
            double(
                "ra",
                "e.ra",
                "Right ascension of the pointing (J2000)",
                unit="deg",
                ucd="pos.eq.ra;meta.main",
                principal=True,
                indexed=True,
            ),
            double(
                "dec",
                "e.dec",
                "Declination of the pointing (J2000)",
                unit="deg",
                ucd="pos.eq.dec;meta.main",
                principal=True,
                indexed=True,
            ),
            long(
                "star_id",
                "e.star_id",
                "The target's star (jmdc.stars.star_id), once SIMBAD identified it",
                ucd="meta.id.cross",
            ),
            text(
                "date_release",
                "to_char(e.date_release AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')",
                "End of the proprietary period (UTC)",
                ucd="time.release",
                xtype="timestamp",
            ),
        ),
        # ExposureQuerySet.visible_to: every exposure's metadata is public.
        from_sql="FROM obsportal_exposure e",
        foreign_keys=(("star_id", "jmdc.stars", "star_id"),),
    )


def datalink_url_sql(did_prefix: str, value_sql: str) -> str:
    """``/datalink/links?ID=<url-encoded DID>`` in SQL: relative (the view cannot know the
    host), made absolute by the output with the request's base URL."""
    encoded_prefix = links_path(did_prefix)
    encoded = value_sql
    for char in "%:/?#&+= ":
        encoded = f"replace({encoded}, '{char}', '{quote(char, safe='')}')"
    return f"'{encoded_prefix}' || {encoded}"


def obscore() -> PubTable:
    did = exposure_did("")  # the DID of an exposure without its key: the SQL appends exp_id
    # ObsCore 1.1's columns (its appendix B), mapped from an exposure as OiDB maps ObsPortal's:
    # a granule of calibration level 0, the log of an observation.
    core = "obscore:"
    return PubTable(
        "ivoa",
        "ObsCore",
        "The exposures as ObsCore 1.1 granules (calibration level 0: an observation log), "
        "mapped as JMMC's OiDB maps ObsPortal's exposures; access_url is each exposure's "
        "DataLink.",
        utype="ivo://ivoa.net/std/ObsCore#core-1.1",
        columns=(
            text(
                "dataproduct_type",
                "'visibility'::text",
                "Data product type",
                ucd="meta.code.class",
                utype=core + "ObsDataset.dataProductType",
                std=True,
            ),
            PubColumn(
                "calib_level",
                "0::integer",
                "int",
                "Calibration level (0: raw)",
                ucd="meta.code;obs.calib",
                utype=core + "ObsDataset.calibLevel",
                std=True,
            ),
            text(
                "obs_collection",
                "e.interferometer || '/' || e.instrument",
                "Collection: interferometer and instrument",
                ucd="meta.id",
                utype=core + "DataID.Collection",
                std=True,
            ),
            text(
                "obs_id",
                "e.exp_id",
                "Exposure identifier",
                ucd="meta.id",
                utype=core + "DataID.observationID",
                std=True,
                principal=True,
            ),
            text(
                "obs_publisher_did",
                f"'{did}' || e.exp_id",
                "Publisher's identifier",
                ucd="meta.ref.ivoid",
                utype=core + "Curation.PublisherDID",
                std=True,
            ),
            text(
                "access_url",
                datalink_url_sql(did, "e.exp_id"),
                "The exposure's DataLink",
                ucd="meta.ref.url",
                utype=core + "Access.Reference",
                std=True,
            ),
            text(
                "access_format",
                "'application/x-votable+xml;content=datalink'::text",
                "Format of access_url",
                ucd="meta.code.mime",
                utype=core + "Access.Format",
                std=True,
            ),
            long(
                "access_estsize",
                "NULL::bigint",
                "Estimated size of the dataset",
                unit="kbyte",
                ucd="phys.size;meta.file",
                utype=core + "Access.Size",
                std=True,
            ),
            text(
                "target_name",
                "COALESCE(NULLIF(e.target_name, ''), '-')",
                "Target name",
                ucd="meta.id;src",
                utype=core + "Target.Name",
                std=True,
                principal=True,
            ),
            double(
                "s_ra",
                "e.ra",
                "Right ascension of the pointing",
                unit="deg",
                ucd="pos.eq.ra",
                utype=core + "Char.SpatialAxis.Coverage.Location.Coord.Position2D.Value2.C1",
                std=True,
                principal=True,
            ),
            double(
                "s_dec",
                "e.dec",
                "Declination of the pointing",
                unit="deg",
                ucd="pos.eq.dec",
                utype=core + "Char.SpatialAxis.Coverage.Location.Coord.Position2D.Value2.C2",
                std=True,
                principal=True,
            ),
            double(
                "s_fov",
                "NULL::double precision",
                "Field of view",
                unit="deg",
                ucd="phys.angSize;instr.fov",
                utype=core + "Char.SpatialAxis.Coverage.Bounds.Extent.diameter",
                std=True,
            ),
            text(
                "s_region",
                "NULL::text",
                "Region covered",
                ucd="pos.outline;obs.field",
                utype=core + "Char.SpatialAxis.Coverage.Support.Area",
                xtype="adql:REGION",
                std=True,
            ),
            double(
                "s_resolution",
                "NULL::double precision",
                "Spatial resolution",
                unit="arcsec",
                ucd="pos.angResolution",
                utype=core + "Char.SpatialAxis.Resolution.Refval.value",
                std=True,
            ),
            long(
                "s_xel1",
                "NULL::bigint",
                "Number of elements along the first axis",
                ucd="meta.number",
                utype=core + "Char.SpatialAxis.numBins1",
                std=True,
            ),
            long(
                "s_xel2",
                "NULL::bigint",
                "Number of elements along the second axis",
                ucd="meta.number",
                utype=core + "Char.SpatialAxis.numBins2",
                std=True,
            ),
            double(
                "t_min",
                "e.mjd_start",
                "Start of the exposure (MJD)",
                unit="d",
                ucd="time.start;obs.exposure",
                utype=core + "Char.TimeAxis.Coverage.Bounds.Limits.StartTime",
                std=True,
                principal=True,
            ),
            double(
                "t_max",
                "e.mjd_end",
                "End of the exposure (MJD)",
                unit="d",
                ucd="time.end;obs.exposure",
                utype=core + "Char.TimeAxis.Coverage.Bounds.Limits.StopTime",
                std=True,
            ),
            double(
                "t_exptime",
                "(e.mjd_end - e.mjd_start) * 86400",
                "Exposure time",
                unit="s",
                ucd="time.duration;obs.exposure",
                utype=core + "Char.TimeAxis.Coverage.Support.Extent",
                std=True,
            ),
            double(
                "t_resolution",
                "NULL::double precision",
                "Temporal resolution",
                unit="s",
                ucd="time.resolution",
                utype=core + "Char.TimeAxis.Resolution.Refval.value",
                std=True,
            ),
            long(
                "t_xel",
                "NULL::bigint",
                "Number of elements along the time axis",
                ucd="meta.number",
                utype=core + "Char.TimeAxis.numBins",
                std=True,
            ),
            double(
                "em_min",
                "e.em_min",
                "Shortest wavelength",
                unit="m",
                ucd="em.wl;stat.min",
                utype=core + "Char.SpectralAxis.Coverage.Bounds.Limits.LoLimit",
                std=True,
            ),
            double(
                "em_max",
                "e.em_max",
                "Longest wavelength",
                unit="m",
                ucd="em.wl;stat.max",
                utype=core + "Char.SpectralAxis.Coverage.Bounds.Limits.HiLimit",
                std=True,
            ),
            double(
                "em_res_power",
                "e.res_power",
                "Spectral resolving power",
                ucd="spect.resolution",
                utype=core + "Char.SpectralAxis.Resolution.ResolPower.refVal",
                std=True,
            ),
            long(
                "em_xel",
                "NULL::bigint",
                "Number of elements along the spectral axis",
                ucd="meta.number",
                utype=core + "Char.SpectralAxis.numBins",
                std=True,
            ),
            text(
                "o_ucd",
                "'phot.flux'::text",
                "UCD of the observable",
                ucd="meta.ucd",
                utype=core + "Char.ObservableAxis.ucd",
                std=True,
            ),
            text(
                "pol_states",
                "NULL::text",
                "Polarization states",
                ucd="meta.code;phys.polarization",
                utype=core + "Char.PolarizationAxis.stateList",
                std=True,
            ),
            long(
                "pol_xel",
                "NULL::bigint",
                "Number of polarization states",
                ucd="meta.number",
                utype=core + "Char.PolarizationAxis.numBins",
                std=True,
            ),
            text(
                "facility_name",
                "e.interferometer",
                "Facility (the interferometer)",
                ucd="meta.id;instr.tel",
                utype=core + "Provenance.ObsConfig.Facility.name",
                std=True,
                principal=True,
            ),
            text(
                "instrument_name",
                "e.instrument",
                "Instrument",
                ucd="meta.id;instr",
                utype=core + "Provenance.ObsConfig.Instrument.name",
                std=True,
                principal=True,
            ),
            text(
                "proposal_id",
                "NULLIF(e.program, '')",
                "ESO programme identifier",
                ucd="meta.id;obs.proposal",
                utype=core + "Provenance.Proposal.identifier",
                std=True,
            ),
            text(
                "obs_release_date",
                "to_char(e.date_release AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')",
                "End of the proprietary period (UTC)",
                ucd="time.release",
                utype=core + "Curation.releaseDate",
                xtype="timestamp",
                std=True,
            ),
            text(
                "data_rights",
                "CASE WHEN e.date_release IS NULL OR e.date_release <= CURRENT_TIMESTAMP "
                "THEN 'public' ELSE 'proprietary' END",
                "public once released, else proprietary",
                ucd="meta.code",
                utype=core + "Curation.Rights",
                std=True,
            ),
            text(
                "instrument_mode",
                "concat_ws('_', NULLIF(e.mode, ''), NULLIF(e.submode, ''))",
                "Instrument mode and submode (OiDB's instrument_mode)",
                ucd="instr.setup",
            ),
            text(
                "datapi",
                "e.program_pi_coi",
                "PI and CoIs of the programme (OiDB's datapi)",
                ucd="obs.observer",
            ),
        ),
        from_sql="FROM obsportal_exposure e",
    )


# -- TAP_SCHEMA, described like any other table (taplint reads it through itself) ----------
def tap_schema_tables() -> tuple[PubTable, ...]:
    def c(name, datatype, description, sql_type, arraysize=None):
        return PubColumn(name, sql_type, datatype, description, arraysize=arraysize, std=True,
                         principal=True)  # fmt: skip

    def t(name, description):
        return c(name, "char", description, "text", "*")

    def i(name, description):
        return c(name, "int", description, "integer")

    s = "TAP_SCHEMA"
    return (
        PubTable(s, "schemas", "The schemas of this service", columns=(
            t("schema_name", "schema name"), t("utype", "utype of the schema"),
            t("description", "what the schema holds"), i("schema_index", "order of display"),
        )),
        PubTable(s, "tables", "The tables of this service", columns=(
            t("schema_name", "the table's schema"), t("table_name", "qualified table name"),
            t("table_type", "table or view"), t("utype", "utype of the table"),
            t("description", "what the table holds"), i("table_index", "order of display"),
        ), foreign_keys=(("schema_name", "TAP_SCHEMA.schemas", "schema_name"),)),
        PubTable(s, "columns", "The columns of this service's tables", columns=(
            t("table_name", "qualified table name"), t("column_name", "column name"),
            t("datatype", "VOTable datatype"), t("arraysize", "VOTable arraysize"),
            t("xtype", "VOTable xtype"), i('"size"', "deprecated: the arraysize as a number"),
            t("description", "what the column holds"), t("utype", "utype of the column"),
            t("unit", "VOUnit of the column"), t("ucd", "UCD of the column"),
            i("indexed", "1 when the column is indexed"),
            i("principal", "1 when the column is principal"),
            i("std", "1 when a standard defines the column"),
            i("column_index", "order of display"),
        ), foreign_keys=(("table_name", "TAP_SCHEMA.tables", "table_name"),)),
        PubTable(s, "keys", "The foreign keys between this service's tables", columns=(
            t("key_id", "key identifier"), t("from_table", "the table holding the key"),
            t("target_table", "the table the key points to"),
            t("description", "what the key means"), t("utype", "utype of the key"),
        ), foreign_keys=(("from_table", "TAP_SCHEMA.tables", "table_name"),
                         ("target_table", "TAP_SCHEMA.tables", "table_name"))),
        PubTable(s, "key_columns", "The columns of the foreign keys", columns=(
            t("key_id", "key identifier"), t("from_column", "column of from_table"),
            t("target_column", "column of target_table"),
        ), foreign_keys=(("key_id", "TAP_SCHEMA.keys", "key_id"),)),
    )  # fmt: skip


def published_schemas() -> tuple[PubSchema, ...]:
    """Every schema TAP publishes, with its tables, in display order."""
    return (
        PubSchema(
            "jmdc", "The JMMC Measured stellar Diameters Catalogue", (measurements(), stars())
        ),
        PubSchema("obsportal", "Exposures of the VLTI (ObsPortal)", (exposures(),)),
        PubSchema("ivoa", "IVOA standard tables (ObsCore)", (obscore(),)),
        PubSchema("TAP_SCHEMA", "What this service publishes (TAP 1.1)", tap_schema_tables()),
    )


def published_tables() -> dict[str, PubTable]:
    """Every published table by its lower-case qualified name (jmdc.measurements)."""
    return {table.sql_name: table for schema in published_schemas() for table in schema.tables}
