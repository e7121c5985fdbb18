"""The portal's record for the IVOA Registry: one VOResource 1.1 resource of type
vs:CatalogService (VODataService 1.2) with a capability for each VO service the portal runs:
TAP (/tap), the Simple Cone Search of exposures (/scs) and DataLink (/datalink/links).

A registry (or a person filling in a publishing registry's form) harvests it from
/vo/resource.xml. The addresses are the request's own host, so a mirror or a test server
describes itself. What the record says of the services is written once, in
templates/vo/resource.xml; ``RECORD_UPDATED`` is the date of its last change, which
harvesters compare: move it when the template changes.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from vo.identifiers import DATALINK_PATH
from vo.tap.vosi import language_xml, output_formats_xml

RECORD_CREATED = "2026-11-30T00:00:00Z"
RECORD_UPDATED = "2026-11-30T21:00:00Z"
# The public tables TAP publishes (vo/tap), named here only: the tableset stays with TAP's
# own /tap/tables, which describes their columns.
TAP_TABLES = ("jmdc.measurements", "jmdc.stars", "obsportal.exposures", "ivoa.ObsCore")


def tap_schemas() -> dict[str, list[str]]:
    schemas: dict[str, list[str]] = {}
    for table in TAP_TABLES:
        schemas.setdefault(table.split(".")[0], []).append(table)
    return schemas


def resource_record(request: HttpRequest) -> HttpResponse:
    base = request.build_absolute_uri("/").rstrip("/")
    record = render_to_string(
        "vo/resource.xml",
        {
            "identifier": settings.VO_IVOID_BASE,
            "created": RECORD_CREATED,
            "updated": RECORD_UPDATED,
            "home": base + "/",
            "tap": base + "/tap",
            "scs": base + "/scs",
            "scs_maxrec": settings.SCS_MAXREC,
            "datalink": base + DATALINK_PATH,
            "contact_name": settings.VO_CONTACT_NAME,
            "contact_email": settings.VO_CONTACT_EMAIL,
            "tap_schemas": tap_schemas(),
            # The same language, features and formats as /tap/capabilities (one description).
            "tap_language": language_xml(),
            "tap_output_formats": output_formats_xml(),
        },
        request=request,
    )
    return HttpResponse(record, content_type="application/xml; charset=utf-8")
