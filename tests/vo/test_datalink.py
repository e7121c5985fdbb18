"""DataLink {links} (/datalink/links): what a VO client (pyvo, TOPCAT) reads for an exposure
and a measurement, the faults of IDs it cannot answer, and the document's validity."""

import shutil
import subprocess
from io import BytesIO
from pathlib import Path
from urllib.parse import urlencode

import astropy.io.votable
import pytest
from astropy.io.votable import parse
from lxml import etree
from pyvo.dal.adhoc import DatalinkResults

from tests.builders import measurement, tomorrow
from tests.obsportal.builders import exposure
from tests.parts import missing_part
from vo.identifiers import exposure_did, links_path, measurement_did

VOTABLE_SCHEMA = Path(astropy.io.votable.__file__).parent / "data" / "VOTable.v1.4.xsd"
EXP_ID = "PIONI.2020-01-01T01:02:03.456_1"


def ask(client, *ids, **params):
    return client.get(
        "/datalink/links?" + urlencode([("ID", i) for i in ids] + list(params.items()))
    )


def rows_of(response) -> DatalinkResults:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/x-votable+xml;content=datalink"
    return DatalinkResults(parse(BytesIO(b"".join(response.streaming_content))))


def links(results: DatalinkResults) -> dict[str, str]:
    """semantics -> access_url, for an answer about one ID."""
    return {str(row["semantics"]): str(row["access_url"]) for row in results}


def error_of(results: DatalinkResults) -> str:
    (row,) = list(results)
    return str(row["error_message"])


@pytest.fixture
def public_exposure(db):
    star = measurement(id1="HD360").star
    return exposure(EXP_ID, 1.5, -20.0, star=star)


def test_the_address_of_an_exposures_links_is_the_one_obscore_writes(db):
    assert links_path(exposure_did(EXP_ID)) == (
        "/datalink/links?ID=ivo%3A%2F%2Fjmmc.fr%2Fjmdc%2Fexposure%3FPIONI.2020-01-01T01%3A02%3A03.456_1"
    )


def test_an_exposure_links_to_its_raw_file_its_header_its_page_and_its_star(
    client, public_exposure
):
    did = exposure_did(EXP_ID)
    results = rows_of(client.get(links_path(did)))

    assert {str(row["ID"]) for row in results} == {did}
    assert links(results) == {
        "#this": "https://archive.eso.org/datalink/links?ID=ivo://eso.org/ID?PIONI.2020-01-01T01:02:03.456",
        # The header service's host is the tests' stand-in address (settings.ESO_HEADER_URL).
        "#detached-header": public_exposure.header_url,
        "#documentation": f"http://testserver/detail/exposure/{EXP_ID}",
        "#auxiliary": f"http://testserver/star/{public_exposure.star_id}/",
    }
    (file,) = [row for row in results if row["semantics"] == "#this"]
    assert file["content_type"] == "application/x-votable+xml;content=datalink"
    assert all(not row["error_message"] for row in results)
    for row in results:
        if row["access_url"].startswith("http://testserver/"):
            assert client.get(row["access_url"]).status_code == 200, row["access_url"]


def test_a_public_measurement_links_to_its_page_its_publication_and_its_star(client, db):
    m = measurement(id1="HD360", bibcode="2016A&A...587A.117B")
    results = rows_of(ask(client, measurement_did(m.pk)))

    assert links(results) == {
        "#this": f"http://testserver/measurement/{m.pk}/",
        "#documentation": "https://ui.adsabs.harvard.edu/abs/2016A%26A...587A.117B/abstract",
        "#auxiliary": f"http://testserver/star/{m.star_id}/",
    }
    (page,) = [row for row in results if row["semantics"] == "#this"]
    assert page["content_type"] == "text/html"
    assert "2016A&A...587A.117B" in page["description"]
    for row in results:
        if row["access_url"].startswith("http://testserver/"):
            assert client.get(row["access_url"]).status_code == 200, row["access_url"]


def test_a_pseudo_bibcode_gets_no_ads_link(client, db):
    m = measurement(bibcode="1931...............")
    assert "#documentation" not in links(rows_of(ask(client, measurement_did(m.pk))))


def test_an_embargoed_measurement_is_not_found_by_anonymous_but_its_owners_see_it(client, people):
    m = measurement(embargo_until=tomorrow(), group=people.group)
    did = measurement_did(m.pk)

    assert error_of(rows_of(ask(client, did))) == (
        f"NotFoundFault: no measurement {m.pk} is published here"
    )
    client.force_login(people.outsider)
    assert error_of(rows_of(ask(client, did))).startswith("NotFoundFault: ")

    client.force_login(people.astronomer)
    assert links(rows_of(ask(client, did)))["#this"] == f"http://testserver/measurement/{m.pk}/"


def test_an_unknown_id_is_a_notfoundfault_row_not_a_failed_document(client, db):
    assert error_of(rows_of(ask(client, exposure_did("GRAVI.2099-01-01T00:00:00.000_1")))) == (
        "NotFoundFault: no exposure GRAVI.2099-01-01T00:00:00.000_1 is published here"
    )
    assert error_of(rows_of(ask(client, "ivo://eso.org/ID?GRAVI.2019-02-16T04:26:53.206"))) == (
        "NotFoundFault: ivo://eso.org/ID?GRAVI.2019-02-16T04:26:53.206 is not published here: "
        "this service knows ivo://jmmc.fr/jmdc/exposure?<exp_id> and "
        "ivo://jmmc.fr/jmdc/measurement?<number>"
    )


def test_a_measurement_number_past_any_key_is_not_found(client, db):
    huge = "9" * 30
    assert error_of(rows_of(ask(client, f"ivo://jmmc.fr/jmdc/measurement?{huge}"))) == (
        f"NotFoundFault: no measurement {huge} is published here"
    )


def test_a_malformed_id_is_a_usagefault_row(client, db):
    assert error_of(rows_of(ask(client, "HD 360"))) == (
        "UsageFault: 'HD 360' is not an IVOA identifier: it should start with ivo://, like "
        "ivo://jmmc.fr/jmdc/exposure?GRAVI.2019-02-16T04:26:53.206_1"
    )
    assert error_of(rows_of(ask(client, "ivo://jmmc.fr/jmdc/measurement?HD360"))) == (
        "UsageFault: 'ivo://jmmc.fr/jmdc/measurement?HD360': a measurement is named by its "
        "number (as in /measurement/<number>/), not 'HD360'"
    )


def test_several_ids_are_answered_in_one_document_each_ids_rows_together(
    client, people, public_exposure
):
    public = measurement(id1="HD360")
    hidden = measurement(embargo_until=tomorrow(), group=people.group)
    asked = [
        measurement_did(public.pk),
        "not an id",
        exposure_did(EXP_ID),
        measurement_did(hidden.pk),
        measurement_did(public.pk),  # asked twice, answered once
    ]
    results = rows_of(ask(client, *asked))

    ids = [str(row["ID"]) for row in results]
    assert list(dict.fromkeys(ids)) == asked[:4]
    assert ids == sorted(ids, key=asked.index), "an ID's rows follow each other"
    faults = {str(row["ID"]): str(row["error_message"]).split(":")[0] for row in results}
    assert faults == {
        asked[0]: "",
        asked[1]: "UsageFault",
        asked[2]: "",
        asked[3]: "NotFoundFault",
    }


def test_ids_may_be_posted_and_parameter_names_are_case_insensitive(client, public_exposure):
    results = rows_of(client.post("/datalink/links", {"id": exposure_did(EXP_ID)}))
    assert "#detached-header" in links(results)


@pytest.mark.parametrize("value", ["votable", "application/x-votable+xml; content=datalink"])
def test_the_datalink_votable_may_be_asked_for_by_name(client, public_exposure, value):
    assert "#this" in links(rows_of(ask(client, exposure_did(EXP_ID), RESPONSEFORMAT=value)))


def test_another_responseformat_or_no_id_is_an_error_document(client, db):
    response = ask(client, exposure_did(EXP_ID), RESPONSEFORMAT="text/csv")
    assert response.status_code == 400
    table = parse(BytesIO(response.content))
    (status,) = [i for i in table.resources[0].infos if i.name == "QUERY_STATUS"]
    assert status.value == "ERROR"
    assert status.content == (
        "UsageFault: RESPONSEFORMAT=text/csv is not written here: this service answers "
        "application/x-votable+xml;content=datalink only (leave RESPONSEFORMAT out, or give votable)"
    )
    response = client.get("/datalink/links")
    assert response.status_code == 400
    assert b"UsageFault: no ID given" in response.content


def test_too_many_ids_are_refused_with_what_to_do(client, db, settings):
    settings.DATALINK_MAX_IDS = 2
    response = ask(client, *[measurement_did(n) for n in (1, 2, 3)])
    assert response.status_code == 400
    assert b"3 IDs in one request; at most 2: send them in several requests" in response.content


def test_the_links_and_the_error_documents_validate_against_the_votable_schema(
    client, people, public_exposure
):
    schema = etree.XMLSchema(etree.parse(str(VOTABLE_SCHEMA)))
    hidden = measurement(embargo_until=tomorrow(), group=people.group)
    answers = [
        b"".join(
            ask(client, exposure_did(EXP_ID), measurement_did(hidden.pk), "x").streaming_content
        ),
        ask(client, exposure_did(EXP_ID), RESPONSEFORMAT="text/csv").content,
    ]
    for answer in answers:
        document = etree.parse(BytesIO(answer))
        assert schema.validate(document), schema.error_log


def test_stilts_datalinklint_finds_no_error(client, public_exposure, tmp_path):
    if shutil.which("stilts") is None:
        missing_part("STILTS (Debian package stilts) is not installed")
    answer = tmp_path / "links.xml"
    answer.write_bytes(
        b"".join(
            ask(client, exposure_did(EXP_ID), "ivo://jmmc.fr/jmdc/measurement?0").streaming_content
        )
    )
    report = subprocess.run(
        ["stilts", "datalinklint", f"votable={answer}"],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    ).stdout
    errors = [line for line in report.splitlines() if line.startswith(("E-", "F-"))]
    # Debian's STILTS 3.4.7, offline, checks semantics against a list of 2017: the core
    # vocabulary's later terms #detached-header and #documentation are unknown to it. Any
    # other error is ours.
    newer_terms = ("Unknown predicate 'detached-header'", "Unknown predicate 'documentation'")
    ours = [e for e in errors if not any(term in e for term in newer_terms)]
    assert ours == [], report
    assert 'Row 5: error message "NotFoundFault: no measurement 0 is published here"' in report


def test_the_exposure_and_measurement_pages_link_to_their_datalink(client, public_exposure):
    m = measurement(id1="HD360")
    page = client.get(public_exposure.get_absolute_url()).content.decode()
    assert f'href="{links_path(exposure_did(EXP_ID))}"' in page
    page = client.get(m.get_absolute_url()).content.decode()
    assert f'href="{links_path(measurement_did(m.pk))}"' in page


def published_with_oifits(people, shared_dir, **sharing):
    """A measurement accepted with the shared simulated OIFITS file attached to its row."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from curation import services
    from tests.curation.oifits.files import SIMULATED
    from tests.rows import row

    data = (shared_dir / "oifits" / SIMULATED).read_bytes()
    draft = services.create_submission(
        actor=people.astronomer, rows=[row(1, UD_DIAM="2.0", LD_DIAM="2.05")], **sharing
    )
    services.attach_oifits(
        draft, 1, actor=people.astronomer, files=[SimpleUploadedFile("ud2mas.fits", data)]
    )
    services.submit(draft, actor=people.astronomer)
    services.start_review(draft, actor=people.curator)
    services.accept(draft, actor=people.curator, acknowledge_warnings=True)
    return draft.rows.get().measurement, data


def test_a_measurement_lists_its_oifits_files_as_progenitors_to_download(
    client, people, shared_dir
):
    m, data = published_with_oifits(people, shared_dir)
    results = rows_of(ask(client, measurement_did(m.pk)))
    (progenitor,) = [row for row in results if row["semantics"] == "#progenitor"]
    stored = m.oifits_files.get()
    assert progenitor["access_url"] == f"http://testserver/oifits/{stored.pk}/download/"
    assert progenitor["content_type"] == "application/fits"
    assert progenitor["content_length"] == len(data)
    assert progenitor["description"].startswith("ud2mas.fits: OIFITS data the diameter of")
    download = client.get(progenitor["access_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data


def test_an_embargoed_measurements_files_are_listed_to_its_group_only(client, people, shared_dir):
    m, _ = published_with_oifits(people, shared_dir, group=people.group, embargo_until=tomorrow())
    did = measurement_did(m.pk)
    client.force_login(people.colleague)
    assert "#progenitor" in links(rows_of(ask(client, did)))
    client.force_login(people.outsider)
    assert error_of(rows_of(ask(client, did))).startswith("NotFoundFault: ")
    assert client.get(f"/oifits/{m.oifits_files.get().pk}/download/").status_code == 404
