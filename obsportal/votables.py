"""The ObsPortal VOTables: the Aspro2/OiDB answer of /search.votable and the IVOA Simple Cone
Search, written by the portal's one streaming TABLEDATA writer."""

from __future__ import annotations

import json
from collections.abc import Iterator

from jmdc.votable import VOField, write_votable

from .headers import baselines_string

# The clients' namespace: OiDB checks it exactly.
OBSPORTAL_NAMESPACE = "http://www.ivoa.net/xml/VOTable/v1.4"


def _double(name, ucd, unit=""):
    return VOField(name, "double", unit, ucd, nan_for_null=True)


def _text(name, ucd=""):
    # unicodeChar as the original service: PI names and titles from the archive are not ASCII.
    return VOField(name, "unicodeChar", ucd=ucd)


# (field, how to read it from an exposure, in the answer without all_fields)
COLUMNS = [
    (_text("exp_id", "meta.id"), lambda e: e.exp_id, True),
    (_text("exp_header_id", "meta.id"), lambda e: e.header_id, True),
    (_double("exp_mjd_start", "time.start;obs.exposure", "d"), lambda e: e.mjd_start, True),
    (_double("exp_mjd_end", "time.end;obs.exposure", "d"), lambda e: e.mjd_end, True),
    (
        _text("exp_projected_baselines", "instr.baseline"),
        lambda e: baselines_string(e.baselines),
        True,
    ),
    (
        VOField("exp_validation_level", "int", ucd="meta.code.qual"),
        lambda e: e.validation_level,
        True,
    ),
    (_text("exp_validation_log"), lambda e: json.dumps(e.validation_log), False),
    (_double("exp_tau0", "time.processing", "s"), lambda e: e.tau0, True),
    (_double("exp_temperature", "phys.temperature", "Cel"), lambda e: e.temperature, True),
    (_double("exp_seeing", "instr.obsty.seeing", "arcsec"), lambda e: e.seeing, True),
    (_text("exp_date_updated", "time.processing"), lambda e: _date(e.date_updated), False),
    (_text("exp_date_release", "time.release;obs"), lambda e: _date(e.date_release), False),
    (VOField("obs_id", "int", ucd="meta.id"), lambda e: e.obs_id, True),
    (_text("obs_type", "meta.id;class"), lambda e: e.category, True),
    (_text("obs_program", "meta.id"), lambda e: e.program, True),
    (_text("obs_program_title", "meta.title"), lambda e: e.program_title, False),
    (_text("obs_program_pi_coi", "meta.curation;obs.observer"), lambda e: e.program_pi_coi, False),
    (_text("interferometer_name", "meta.id"), lambda e: e.interferometer, True),
    (_text("interferometer_stations"), lambda e: e.stations, True),
    (_text("instrument_name", "meta.id;instr"), lambda e: e.instrument, True),
    (_text("instrument_mode", "meta.id;instr.setup"), lambda e: e.mode, True),
    (_text("instrument_submode", "meta.id;instr.setup"), lambda e: e.submode, True),
    (_double("instrument_em_min", "em.wl;stat.min", "m"), lambda e: e.em_min, False),
    (_double("instrument_em_max", "em.wl;stat.max", "m"), lambda e: e.em_max, False),
    (_double("instrument_em_res_power", "spect.resolution"), lambda e: e.res_power, False),
    (VOField("target_id", "int", ucd="meta.id"), lambda e: e.star_id, True),
    (_text("target_name", "meta.id;meta.main"), lambda e: e.target_name, True),
    (_double("target_ra", "pos.eq.ra;meta.main", "deg"), lambda e: e.ra, True),
    (_double("target_dec", "pos.eq.dec;meta.main", "deg"), lambda e: e.dec, True),
]


def _date(value) -> str:
    return "" if value is None else value.isoformat(sep=" ", timespec="seconds")


def search_votable(queryset, *, all_fields: bool, last_mod_date: str = "") -> Iterator[str]:
    columns = [(f, read) for f, read, short in COLUMNS if all_fields or short]
    rows = (
        tuple(read(e) for _, read in columns)
        for e in queryset.order_by("mjd_start", "pk").iterator(chunk_size=2000)
    )
    params = {"status": "OK"}
    if last_mod_date:
        params["last_mod_date"] = last_mod_date
    return write_votable(
        [f for f, _ in columns], rows, table_name="exposures",
        description="Interferometric exposures (ObsPortal of the JMDC portal)",
        params=params, namespace=OBSPORTAL_NAMESPACE,
    )  # fmt: skip


SCS_FIELDS = [
    VOField("exp_id", "char", ucd="ID_MAIN", description="Exposure id (DP.ID and number)"),
    VOField("target_ra", "double", "deg", "POS_EQ_RA_MAIN", "Pointing RA (J2000)"),
    VOField("target_dec", "double", "deg", "POS_EQ_DEC_MAIN", "Pointing Dec (J2000)"),
    VOField("target_name", "char", ucd="ID_TARGET", description="Target name in the header"),
    VOField("instrument_name", "char", ucd="INST_ID", description="Instrument"),
    VOField("obs_type", "char", ucd="CLASS_OBJECT", description="science or calibrator"),
    VOField("exp_mjd_start", "double", "d", "TIME_DATE", description="Start of the exposure (MJD)"),
]


def scs_votable(queryset) -> Iterator[str]:
    rows = queryset.order_by("mjd_start", "pk").values_list(
        "exp_id", "ra", "dec", "target_name", "instrument", "category", "mjd_start"
    )
    return write_votable(SCS_FIELDS, rows.iterator(chunk_size=2000), table_name="results",
                         description="Simple Cone Search 1.03 of the VLTI exposures")  # fmt: skip


def scs_error(message: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">\n'
        "<DESCRIPTION>Simple Cone Search error</DESCRIPTION>\n"
        f'<INFO name="Error" value="{_attr(message)}"/>\n'
        '<RESOURCE type="results"><INFO name="QUERY_STATUS" value="ERROR">'
        f"{_attr(message)}</INFO></RESOURCE>\n</VOTABLE>\n"
    )


def _attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )
