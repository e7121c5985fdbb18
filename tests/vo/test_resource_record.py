"""The VOResource record of the portal's VO services (/vo/resource.xml), as a registry reads
it: valid against the IVOA schemas (tests/vo/schemas, see its PROVENANCE.md), and pointing
at the services that answer."""

from pathlib import Path

import pytest
from django.test import Client
from lxml import etree

SCHEMAS = Path(__file__).parent / "schemas"
NS = {
    "ri": "http://www.ivoa.net/xml/RegistryInterface/v1.0",
    "vr": "http://www.ivoa.net/xml/VOResource/v1.0",
    "vs": "http://www.ivoa.net/xml/VODataService/v1.1",
    "tr": "http://www.ivoa.net/xml/TAPRegExt/v1.0",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
# Each namespace from its local file, in the order they import each other; then RegistryInterface's
# one declaration (its schema is not on the machine: PROVENANCE.md).
DRIVER = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:vr="{NS["vr"]}" targetNamespace="{NS["ri"]}" elementFormDefault="unqualified">
  <xs:import namespace="http://www.w3.org/XML/1998/namespace" schemaLocation="{SCHEMAS}/xmlnamespace.xsd"/>
  <xs:import namespace="http://www.w3.org/1999/xlink" schemaLocation="{SCHEMAS}/xlink.xsd"/>
  <xs:import namespace="{NS["vr"]}" schemaLocation="{SCHEMAS}/VOResource-v1.1.xsd"/>
  <xs:import namespace="http://www.ivoa.net/xml/STC/stc-v1.30.xsd" schemaLocation="{SCHEMAS}/stc-v1.30.xsd"/>
  <xs:import namespace="{NS["vs"]}" schemaLocation="{SCHEMAS}/VODataService-v1.2.xsd"/>
  <xs:import namespace="{NS["tr"]}" schemaLocation="{SCHEMAS}/TAPRegExt-v1.0-Erratum1.xsd"/>
  <xs:element name="Resource" type="vr:Resource"/>
</xs:schema>"""


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.fromstring(DRIVER.encode()))


def record(client: Client) -> etree._Element:
    response = client.get("/vo/resource.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def capability(root, standard_id: str):
    (found,) = root.xpath(f"capability[@standardID='{standard_id}']")
    return found


def test_the_record_validates_against_voresource_vodataservice_and_tapregext(client, schema):
    root = record(client)
    assert schema.validate(root), schema.error_log
    assert root.get(f"{{{NS['xsi']}}}type") == "vs:CatalogService"


def test_the_schemas_refuse_a_record_that_breaks_them(client, schema):
    """The validation can fail: a record without its identifier is refused."""
    root = record(client)
    root.remove(root.find("identifier"))
    assert not schema.validate(root)
    assert "identifier" in str(schema.error_log)


def test_the_record_names_the_portal_and_its_three_services(client, db):
    root = record(client)
    assert root.findtext("identifier") == "ivo://jmmc.fr/jmdc"
    assert root.findtext("content/referenceURL") == "http://testserver/"
    urls = {
        c.get("standardID"): c.findtext("interface/accessURL") for c in root.findall("capability")
    }
    assert urls == {
        "ivo://ivoa.net/std/TAP": "http://testserver/tap",
        "ivo://ivoa.net/std/ConeSearch": "http://testserver/scs",
        "ivo://ivoa.net/std/DataLink#links-1.1": "http://testserver/datalink/links",
    }
    tap = capability(root, "ivo://ivoa.net/std/TAP")
    assert tap.findtext("dataModel") == "ObsCore-1.1"
    assert [t.findtext("name") for t in root.findall("tableset/schema/table")] == [
        "jmdc.measurements",
        "jmdc.stars",
        "obsportal.exposures",
        "ivoa.ObsCore",
    ]


def test_the_cone_search_it_describes_answers_its_test_query(client, db):
    scs = capability(record(client), "ivo://ivoa.net/std/ConeSearch")
    assert [p.findtext("name") for p in scs.findall("interface/param")] == [
        "RA", "DEC", "SR", "MAXREC"
    ]  # fmt: skip
    query = scs.findtext("interface/testQuery")
    response = client.get(f"{scs.findtext('interface/accessURL')}?{query}")
    assert response.status_code == 200
    assert b'<INFO name="Error"' not in b"".join(response.streaming_content)


def test_the_datalink_it_describes_answers_its_id_parameter(client, db):
    datalink = capability(record(client), "ivo://ivoa.net/std/DataLink#links-1.1")
    (param,) = datalink.findall("interface/param")
    assert param.findtext("name") == "ID"
    url = datalink.findtext("interface/accessURL")
    response = client.get(url, {"ID": "ivo://jmmc.fr/jmdc/measurement?1"})
    assert response.status_code == 200
    assert b"NotFoundFault: no measurement 1 is published here" in b"".join(
        response.streaming_content
    )


def test_the_contact_email_is_written_when_configured(client, settings):
    settings.VO_CONTACT_EMAIL = "user-support@example.org"
    assert record(client).findtext("curation/contact/email") == "user-support@example.org"


@pytest.mark.postgresql
@pytest.mark.django_db
def test_the_tap_capability_declares_what_tap_capabilities_declares(client):
    # A registry's reader chooses the service by the language features the record lists:
    # they must be those /tap/capabilities declares (ADQL 2.0 and 2.1, geometry, ILIKE ...).
    def described(root, path):
        (tap,) = root.xpath(path, namespaces=NS)
        return [
            etree.tostring(part, method="c14n", exclusive=True)
            for part in tap
            if etree.QName(part).localname in ("language", "outputFormat")
        ]

    capabilities = etree.fromstring(client.get("/tap/capabilities").content)
    in_record = described(record(client), "capability[@standardID='ivo://ivoa.net/std/TAP']")
    in_tap = described(capabilities, "capability[@standardID='ivo://ivoa.net/std/TAP']")
    assert in_record == in_tap
    assert b"<form>DISTANCE</form>" in b"".join(in_record)
    assert b"ADQL#v2.0" in b"".join(in_record)
