"""What DataLink answers for each publisher DID: the rows of a {links} document (DataLink 1.1,
section 3.2), built from the addresses the portal already defines (the exposure's pages at
ESO in obsportal/models.py, ADS's in jmdc/outside_links.py, the portal's own pages by their
URL names), never written a second time here.

Semantics are terms of the DataLink core vocabulary (http://www.ivoa.net/rdf/datalink/core).
An exposure's data (#this) is its raw file at the ESO archive; a measurement has no file of
its own: the row of the catalogue, on its page, is its #this.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse

from curation.models import OifitsFile
from jmdc.models import Measurement, Star
from jmdc.outside_links import ads_abstract
from lib.votable import VOField
from obsportal.models import Exposure
from vo.identifiers import (
    EXPOSURE,
    MEASUREMENT,
    Did,
    ForeignIdentifier,
    MalformedIdentifier,
    parse_did,
)

# DataLink 1.1's columns, with the UCDs its section 3.2 gives them, in its order.
FIELDS = [
    VOField("ID", "char", ucd="meta.id;meta.main", description="The identifier asked for."),
    VOField("access_url", "char", ucd="meta.ref.url", description="Where the resource is."),
    VOField("service_def", "char", ucd="meta.ref", description="A service descriptor's ID."),
    VOField("error_message", "char", ucd="meta.code.error", description="Why there is no link."),
    VOField("semantics", "char", ucd="meta.code", description="What the link is to the ID."),
    VOField("description", "char", ucd="meta.note", description="What the link gives."),
    VOField("content_type", "char", ucd="meta.code.mime", description="Its MIME type."),
    VOField(
        "content_length", "long", unit="byte", ucd="phys.size;meta.file", description="Its size."
    ),
]

HTML = "text/html"
DATALINK = "application/x-votable+xml;content=datalink"
OIFITS = "application/fits"


@dataclass(frozen=True)
class LinkRow:
    id: str
    access_url: str | None = None
    error_message: str | None = None
    semantics: str = "#this"
    description: str = ""
    content_type: str | None = None
    content_length: int | None = None
    service_def: str | None = None

    def cells(self) -> tuple:
        return (
            self.id,
            self.access_url,
            self.service_def,
            self.error_message,
            self.semantics,
            self.description,
            self.content_type,
            self.content_length,
        )


def not_found(did: str, why: str) -> LinkRow:
    # DataLink 1.1, 3.2.3: an error row carries the ID, no access_url and the fault's name
    # first; #this because the fault is about the identified thing itself.
    return LinkRow(did, error_message=f"NotFoundFault: {why}")


def usage_fault(did: str, why: str) -> LinkRow:
    return LinkRow(did, error_message=f"UsageFault: {why}")


def links_for(ids: Iterable[str], *, user, absolute: Callable[[str], str]) -> list[LinkRow]:
    """The rows for ``ids`` in the order asked (each ID's rows together, as DataLink asks),
    an ID asked twice answered once. Only what ``visible_to(user)`` allows is found: anything
    else, unknown or hidden alike, is one NotFoundFault row, so an embargoed measurement's
    existence is not revealed. ``absolute`` turns the portal's paths into full URLs."""
    asked: dict[str, Did | LinkRow] = {}
    for text in ids:
        if text in asked:
            continue
        try:
            asked[text] = parse_did(text)
        except MalformedIdentifier as exc:
            asked[text] = usage_fault(text, str(exc))
        except ForeignIdentifier as exc:
            asked[text] = not_found(text, str(exc))
    dids = [did for did in asked.values() if isinstance(did, Did)]
    exposures = {
        e.exp_id: e
        for e in Exposure.objects.visible_to(user)
        .select_related("star")
        .filter(exp_id__in=[d.key for d in dids if d.kind == EXPOSURE])
    }
    measurements = {
        str(m.pk): m
        for m in Measurement.objects.visible_to(user)
        .select_related("star")
        # A number past the database's 64-bit keys names nothing (and would overflow the query).
        .filter(pk__in=[int(d.key) for d in dids if d.kind == MEASUREMENT and len(d.key) < 19])
    }
    # The OIFITS files behind the measurements, those the user may download (their embargo is
    # the measurement's, in OifitsFile.visible_to), in one query.
    files: dict[int, list[OifitsFile]] = {}
    for stored in (
        OifitsFile.objects.visible_to(user)
        .filter(measurement_id__in=[m.pk for m in measurements.values()])
        .order_by("uploaded_at", "pk")
    ):
        files.setdefault(stored.measurement_id, []).append(stored)
    rows: list[LinkRow] = []
    for text, did in asked.items():
        if isinstance(did, LinkRow):
            rows.append(did)
        elif did.kind == EXPOSURE and did.key in exposures:
            rows += exposure_links(text, exposures[did.key], absolute)
        elif did.kind == MEASUREMENT and did.key in measurements:
            measurement = measurements[did.key]
            rows += measurement_links(text, measurement, absolute, files.get(measurement.pk, []))
        else:
            rows.append(not_found(text, f"no {did.kind} {did.key} is published here"))
    return rows


def exposure_links(did: str, e: Exposure, absolute: Callable[[str], str]) -> list[LinkRow]:
    rows = [
        LinkRow(
            did,
            e.archive_url,
            semantics="#this",
            description=f"The raw file {e.header_id} at the ESO archive: ESO's DataLink, "
            "with the file and what goes with it",
            content_type=DATALINK,
        ),
        LinkRow(
            did,
            e.header_url,
            semantics="#detached-header",
            description=f"The FITS header of {e.header_id} at the ESO archive's header "
            "service (an HTML page)",
            content_type=HTML,
        ),
        LinkRow(
            did,
            absolute(e.get_absolute_url()),
            semantics="#documentation",
            description=f"Exposure {e.exp_id} in the JMMC ObsPortal: target, instrument "
            "setup, conditions, projected baselines",
            content_type=HTML,
        ),
    ]
    if e.star is not None:
        # The exposure reveals its star to whoever sees the exposure (Star.visible_to).
        rows.append(star_link(did, e.star, absolute))
    return rows


def measurement_links(
    did: str,
    m: Measurement,
    absolute: Callable[[str], str],
    oifits: Iterable[OifitsFile] = (),
) -> list[LinkRow]:
    rows = [
        LinkRow(
            did,
            absolute(m.get_absolute_url()),
            semantics="#this",
            description=f"Measurement {m.pk} of {m.id1} ({m.bibcode}) in the JMDC, "
            "with every change made to it and why",
            content_type=HTML,
        )
    ]
    ads = ads_abstract(m.bibcode)
    if ads is not None:
        rows.append(
            LinkRow(
                did,
                ads.url,
                semantics="#documentation",
                description=f"The publication of the measurement, {m.bibcode}, at ADS",
                content_type=HTML,
            )
        )
    # A visible measurement reveals its star (Star.visible_to).
    rows.append(star_link(did, m.star, absolute))
    # The data the diameter was measured from: what it was derived from, DataLink's progenitor.
    rows += [
        LinkRow(
            did,
            absolute(oifits_url(stored)),
            semantics="#progenitor",
            description=f"{stored.name}: OIFITS data the diameter of measurement {m.pk} was "
            "measured from (the JMDC fits a uniform and a limb-darkened disc to it)",
            content_type=OIFITS,
            content_length=stored.size,
        )
        for stored in oifits
    ]
    return rows


def oifits_url(stored: OifitsFile) -> str:
    """The portal's download address of an OIFITS file (curation's, by its URL name)."""
    return reverse("curation:oifits_download", args=[stored.pk])


def star_link(did: str, star: Star, absolute: Callable[[str], str]) -> LinkRow:
    return LinkRow(
        did,
        absolute(star.get_absolute_url()),
        semantics="#auxiliary",
        description=f"The JMDC's page of {star.name}: its measured diameters and exposures",
        content_type=HTML,
    )
