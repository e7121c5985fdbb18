"""The DataCite metadata record of a release (metadata schema 4.5): what a DOI registration at
DataCite needs, written into the release's bundle.

The record is built as DataCite's JSON (the ``attributes`` of DataCite's REST API) and checked
against the JSON form of the 4.5 schema that the ``datacite`` library (inveniosoftware, the
library InvenioRDM and Zenodo register their DOIs with) ships; the same library writes the XML
of the schema from it. Nothing here is registered: the record is the file a curator sends.

The identifier. A DataCite record is the record of a DOI, and the XML schema makes
``identifier`` (a DOI, pattern ``10.<prefix>/<suffix>``) mandatory. JMMC has no prefix at
DataCite that this portal knows of, and a DOI made up under someone else's prefix (or DataCite's
retired test prefix 10.5072) would be a false statement. So:
- with ``settings.DATACITE_DOI_PREFIX`` set (JMMC's prefix), the release's DOI is
  ``<prefix>/jmdc.<version>``, in the JSON and in ``datacite.xml``;
- without it, only ``datacite.json`` is written, without ``doi``: the schema's JSON form accepts
  that, and DataCite's REST API creates a draft DOI from such a record when it is sent with the
  prefix (DataCite then generates the suffix). The release's page address stands in as its
  ``url`` (the landing page a DOI resolves to) and as an alternate identifier, and a
  description says the DOI is to be registered. No XML is written, since an XML record
  without its DOI is not a DataCite record.

The writer is plain: it takes the facts (``ReleaseFacts``) and returns bytes; the release
build (``jmdc.releases``) gathers them from the database.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field

from lib.bibcodes import ADS_BIBCODE, PSEUDO_BIBCODE

SCHEMA_VERSION = "http://datacite.org/schema/kernel-4"
JSON_TYPE = "application/vnd.datacite.datacite+json"
XML_TYPE = "application/vnd.datacite.datacite+xml"
TITLE = "JMMC Measured stellar Diameters Catalogue (JMDC), release {version}"
PUBLISHER = "Jean-Marie Mariotti Center (JMMC)"
# The VizieR catalogue II/345, as its ReadMe cites it (=2016yCat.2345....0D).
VIZIER_BIBCODE = "2016yCat.2345....0D"
SUBJECTS = [
    # Plain subjects: no subject scheme is claimed for them (the Unified Astronomy Thesaurus
    # has such terms, but a scheme URI we could not check would be worse than none).
    "Stellar diameters",
    "Optical interferometry",
    "Intensity interferometry",
    "Lunar occultation",
    "Fundamental parameters of stars",
]
ABSTRACT = (
    "The JMMC Measured stellar Diameters Catalogue (JMDC) lists the measurements of stellar "
    "angular diameters made with direct techniques (optical interferometry, intensity "
    "interferometry and lunar occultations) published since the first experiments by "
    "Michelson, one uniform-disk and/or limb-darkened diameter per published measurement. "
    "Release {version} of {date} holds {rows} measurements of {stars} stars, drawn from "
    "{publications} publications known to ADS."
)

# Characters XML 1.0 cannot carry at all (C0 controls but tab, line feed and carriage return;
# lone surrogates; U+FFFE, U+FFFF): lxml refuses a text holding one, so a name typed with one
# would fail the whole build. They are dropped: they carry nothing a reader could see.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class DataCiteInvalid(ValueError):
    """The record breaks the DataCite schema: the build stops rather than ship it."""


@dataclass(frozen=True)
class Person:
    """Someone the record credits, named as their account names them."""

    name: str
    given_name: str = ""
    family_name: str = ""
    # An ORCID iD (0000-0002-1825-0097) when the account holds one; accounts hold none yet.
    orcid: str = ""


def person_of(user) -> Person:
    """A portal account as DataCite names people: "Family, Given" with both parts when the
    account has them (sign-up asks for them), else the user name it chose."""
    given, family = (user.first_name or "").strip(), (user.last_name or "").strip()
    if given and family:
        return Person(f"{family}, {given}", given, family)
    return Person(family or given or user.get_username(), given, family)


@dataclass(frozen=True)
class BundleFile:
    name: str
    content_type: str
    size: int


@dataclass
class ReleaseFacts:
    """What the record says of one release, gathered by the release build."""

    version: str
    date: datetime.date
    row_count: int
    star_count: int
    bibcodes: list[str]  # of its rows, repeats and pseudo-bibcodes included
    page_url: str  # the release's page, absolute
    files: list[BundleFile]
    previous_version: str = ""
    previous_page_url: str = ""
    cut_by: Person | None = None
    curators: list[Person] = field(default_factory=list)  # who accepted its rows
    submitters: list[Person] = field(default_factory=list)  # who submitted its rows
    collected: tuple[datetime.date, datetime.date] | None = None  # first and last acceptance
    notes: str = ""
    doi_prefix: str = ""
    rights: str = ""
    rights_uri: str = ""


DOI_PREFIX = re.compile(r"^10\.[0-9]{4,9}$")


def doi_of(version: str, prefix: str) -> str:
    """The release's DOI under JMMC's prefix: the version's characters (letters, digits, dots,
    dashes, underscores) are all allowed in a DOI's suffix as they are."""
    prefix = prefix.strip().rstrip("/")
    if not prefix:
        return ""
    if not DOI_PREFIX.match(prefix):
        raise DataCiteInvalid(
            f"DATACITE_DOI_PREFIX {prefix!r} is not a DOI prefix: write it as DataCite gave it, "
            "10. and 4 to 9 digits (e.g. 10.12345), without doi: or https://doi.org/."
        )
    return f"{prefix}/jmdc.{version}"


def publications(bibcodes: list[str]) -> list[str]:
    """The ADS bibcodes the rows draw on, each once, sorted (a bibcode starts with its year).
    Pseudo-bibcodes (a reference ADS does not know, cited in NOTES) identify nothing; they
    match the ADS pattern too (dots are allowed everywhere in it), hence the second test."""
    found = {(bibcode or "").strip() for bibcode in bibcodes}
    return sorted(b for b in found if ADS_BIBCODE.match(b) and not PSEUDO_BIBCODE.match(b))


def _person(person: Person, **extra) -> dict:
    entry: dict = {"name": person.name, "nameType": "Personal", **extra}
    if person.given_name:
        entry["givenName"] = person.given_name
    if person.family_name:
        entry["familyName"] = person.family_name
    if person.orcid:
        entry["nameIdentifiers"] = [
            {"nameIdentifier": f"https://orcid.org/{person.orcid}",
             "nameIdentifierScheme": "ORCID", "schemeUri": "https://orcid.org"}
        ]  # fmt: skip
    return entry


def _contributors(facts: ReleaseFacts) -> list[dict]:
    contributors = []
    if facts.cut_by:
        # Whoever cut the release answers for it: the one to ask about this version.
        contributors.append(_person(facts.cut_by, contributorType="ContactPerson"))
    # The curators who accepted its rows checked them into the catalogue: DataCurator.
    contributors += [_person(p, contributorType="DataCurator") for p in facts.curators]
    # The astronomers who submitted its rows gathered the published values for the catalogue:
    # DataCite's DataCollector ("responsible for finding, gathering/collecting data"). They
    # are not creators: the values are the publications' authors', cited below.
    contributors += [_person(p, contributorType="DataCollector") for p in facts.submitters]
    return contributors


def _dates(facts: ReleaseFacts) -> list[dict]:
    dates = [{"date": facts.date.isoformat(), "dateType": "Issued"}]
    if facts.collected:
        first, last = facts.collected
        dates.append(
            {"date": f"{first.isoformat()}/{last.isoformat()}", "dateType": "Collected",
             "dateInformation": "when the curators accepted the rows submitted through the portal"}
        )  # fmt: skip
    return dates


def _related(facts: ReleaseFacts, bibcodes: list[str]) -> list[dict]:
    related = [
        # IsDerivedFrom ("B is a source upon which A is based"): each row's diameter is the
        # value a publication measured, copied into the catalogue. References/Cites would say
        # only that the catalogue mentions the paper.
        {"relatedIdentifier": bibcode, "relatedIdentifierType": "bibcode",
         "relationType": "IsDerivedFrom", "resourceTypeGeneral": "JournalArticle"}
        for bibcode in bibcodes
    ]  # fmt: skip
    if facts.previous_page_url:
        # By its page: earlier releases have no DOI to point to (the historical ones never will).
        related.append(
            {"relatedIdentifier": facts.previous_page_url, "relatedIdentifierType": "URL",
             "relationType": "IsNewVersionOf", "resourceTypeGeneral": "Dataset"}
        )  # fmt: skip
    # IsVersionOf ("A is a version of B", B standing for all versions): CDS keeps one entry,
    # II/345, whose content each release sent replaces, as Zenodo's versions point to their
    # concept record. Not IsVariantFormOf, which DataCite keeps for the same content in
    # another form: a release newer than VizieR's copy holds rows VizieR's does not.
    related.append(
        {"relatedIdentifier": VIZIER_BIBCODE, "relatedIdentifierType": "bibcode",
         "relationType": "IsVersionOf", "resourceTypeGeneral": "Dataset"}
    )  # fmt: skip
    return related


def record(facts: ReleaseFacts) -> dict:
    """The release's record as DataCite's JSON, checked against the 4.5 schema."""
    bibcodes = publications(facts.bibcodes)
    doi = doi_of(facts.version, facts.doi_prefix)
    descriptions = [
        {"description": ABSTRACT.format(version=facts.version, date=facts.date.isoformat(),
                                        rows=facts.row_count, stars=facts.star_count,
                                        publications=len(bibcodes)),
         "descriptionType": "Abstract", "lang": "en"},
        {"description": "Files: " + ", ".join(f.name for f in facts.files)
         + ". ReadMe and jmdc.dat are in the byte layout of the VizieR catalogue II/345; "
         "SHA256SUMS holds the SHA-256 checksum of each file.",
         "descriptionType": "TechnicalInfo", "lang": "en"},
    ]  # fmt: skip
    if facts.notes.strip():
        descriptions.append({"description": facts.notes.strip(), "descriptionType": "Other"})
    if not doi:
        descriptions.append(
            {"description": "No DOI has been registered for this release yet: this record is "
             "the draft to register it with, and the release's page identifies it until then.",
             "descriptionType": "Other", "lang": "en"}
        )  # fmt: skip
    data: dict = {
        "schemaVersion": SCHEMA_VERSION,
        "types": {"resourceTypeGeneral": "Dataset", "resourceType": "Catalogue"},
        "titles": [{"title": TITLE.format(version=facts.version), "lang": "en"}],
        "creators": [{"name": PUBLISHER, "nameType": "Organizational"}],
        "publisher": {"name": PUBLISHER},
        "publicationYear": f"{facts.date.year:04d}",
        "version": facts.version,
        "language": "en",
        "url": facts.page_url,
        "alternateIdentifiers": [
            {"alternateIdentifier": facts.page_url, "alternateIdentifierType": "URL"}
        ],
        "subjects": [{"subject": subject, "lang": "en"} for subject in SUBJECTS],
        "contributors": _contributors(facts),
        "dates": _dates(facts),
        "relatedIdentifiers": _related(facts, bibcodes),
        "sizes": [
            f"{facts.row_count} measurements",
            f"{facts.star_count} stars",
            *(f"{f.name}: {f.size} bytes" for f in facts.files),
        ],
        "formats": list(dict.fromkeys(f.content_type.split(";")[0] for f in facts.files)),
        "descriptions": descriptions,
    }
    if doi:
        data["doi"] = doi
    if facts.rights:
        rights = {"rights": facts.rights, "lang": "en"}
        if facts.rights_uri:
            rights["rightsUri"] = facts.rights_uri
        data["rightsList"] = [rights]
    if not data["contributors"]:
        del data["contributors"]  # the schema allows none, not an empty list's element
    data = _xml_safe(data)
    validate(data)
    return data


def _xml_safe(value):
    if isinstance(value, str):
        return NOT_XML.sub("", value)
    if isinstance(value, dict):
        return {key: _xml_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_xml_safe(item) for item in value]
    return value


def validate(data: dict) -> None:
    """Raise DataCiteInvalid listing what the schema refuses (where, and why)."""
    # Imported here: the library takes nearly a second to import (its identifier helpers),
    # which every process would pay at start-up for a file written once per release.
    from datacite import schema45

    problems = sorted(schema45.validator.iter_errors(data), key=lambda e: list(e.path))
    if problems:
        raise DataCiteInvalid(
            "The DataCite record breaks the 4.5 schema: "
            + "; ".join(f"{'/'.join(map(str, p.path)) or 'record'}: {p.message}" for p in problems)
        )


def write_json(data: dict) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_xml(data: dict) -> bytes:
    """The XML form, for a record with its DOI (the XML schema requires one)."""
    if not data.get("doi"):
        raise DataCiteInvalid("DataCite's XML needs the release's DOI: set DATACITE_DOI_PREFIX.")
    from datacite import schema45  # see validate()

    return schema45.tostring(data).encode("utf-8")
