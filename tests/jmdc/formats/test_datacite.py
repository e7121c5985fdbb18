"""A release's DataCite record: valid against DataCite's 4.5 schema (the datacite library's
validator), saying what the release holds, what it draws on and who brought its rows in."""

import datetime
import json

import pytest
from datacite import schema45
from django.test import override_settings
from lxml import etree

from curation import services
from jmdc.formats.datacite import DataCiteInvalid, validate
from jmdc.models import CATALOGUE_FIELDS, Measurement, Release
from jmdc.releases import build, freeze
from tests.builders import measurement, tomorrow
from tests.rows import row

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 23)
KERNEL = "{http://datacite.org/schema/kernel-4}"
PAPER = "2019Natur.567..200P"
OTHER_PAPER = "2008A&A...485..561L"  # the submitted row's (tests/rows.py)
PSEUDO = "2005..............."  # a reference ADS does not know: its citation is in NOTES


def cut(version: str, date=DAY, created_by=None, notes="") -> Release:
    rows = Measurement.objects.public().in_export_order().values_list("pk", *CATALOGUE_FIELDS)
    release = freeze(
        ((pk, tuple(v)) for pk, *v in rows),
        version=version, date=date, created_by=created_by, notes=notes,
    )  # fmt: skip
    return build(release.pk).release


def record_of(release: Release, name="datacite.json"):
    content = bytes(release.files.get(name=name).content)
    return json.loads(content) if name.endswith(".json") else etree.fromstring(content)


def related(record, relation):
    return [
        r["relatedIdentifier"]
        for r in record["relatedIdentifiers"]
        if r["relationType"] == relation
    ]


def contributors(record, kind):
    return [c["name"] for c in record.get("contributors", []) if c["contributorType"] == kind]


def accepted_submission(people):
    """Ada Lovelace (the astronomer) submits alf Boo in K; the curator accepts it."""
    people.astronomer.first_name, people.astronomer.last_name = "Ada", "Lovelace"
    people.astronomer.save()
    submission = services.create_submission(actor=people.astronomer, rows=[row()])
    services.submit(submission, actor=people.astronomer)
    services.start_review(submission, actor=people.curator)
    services.accept(submission, actor=people.curator, acknowledge_warnings=True)
    return submission


def test_the_record_of_a_cut_release_validates_and_says_what_the_release_holds(people):
    accepted_submission(people)
    measurement(id1="HD360", bibcode=PAPER)
    measurement(id1="HD3750", bibcode=PAPER)  # a second row from the same paper
    measurement(id1="HD4628", bibcode=PSEUDO, notes="Smith, private communication")
    first = cut("2026.1", date=DAY - datetime.timedelta(days=30))
    release = cut("2026.2", created_by=people.manager)

    record = record_of(release)
    assert schema45.validator.is_valid(record)
    assert record["version"] == "2026.2" and record["publicationYear"] == "2026"
    assert record["titles"] == [
        {"title": "JMMC Measured stellar Diameters Catalogue (JMDC), release 2026.2", "lang": "en"}
    ]
    assert record["types"] == {"resourceTypeGeneral": "Dataset", "resourceType": "Catalogue"}
    assert {"date": "2026-11-23", "dateType": "Issued"} in record["dates"]
    abstract = next(d for d in record["descriptions"] if d["descriptionType"] == "Abstract")
    assert "holds 4 measurements of 4 stars, drawn from 2 publications" in abstract["description"]
    assert record["sizes"][:2] == ["4 measurements", "4 stars"]
    # Each publication once, however many rows it gave; a pseudo-bibcode identifies nothing.
    assert related(record, "IsDerivedFrom") == [OTHER_PAPER, PAPER]
    assert related(record, "IsNewVersionOf") == ["http://127.0.0.1:8000/releases/2026.1/"]
    assert related(record, "IsVersionOf") == ["2016yCat.2345....0D"]  # VizieR's II/345
    assert related(record_of(first), "IsNewVersionOf") == []
    # The people, named as their accounts name them.
    assert contributors(record, "ContactPerson") == ["man"]
    assert contributors(record, "DataCurator") == ["cur"]
    assert contributors(record, "DataCollector") == ["Lovelace, Ada"]
    ada = next(c for c in record["contributors"] if c["name"] == "Lovelace, Ada")
    assert (ada["givenName"], ada["familyName"], ada["nameType"]) == ("Ada", "Lovelace", "Personal")
    today = datetime.date.today().isoformat()
    assert {"date": f"{today}/{today}", "dateType": "Collected"}.items() <= next(
        d for d in record["dates"] if d["dateType"] == "Collected"
    ).items()
    assert record["rightsList"][0]["rightsUri"] == "https://www.gnu.org/licenses/gpl-3.0.html"
    assert record["formats"] == [
        "text/plain", "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/x-votable+xml",
    ]  # fmt: skip


def test_without_a_doi_prefix_the_record_is_a_draft_without_xml(people):
    measurement(bibcode=PAPER)
    release = cut("2026.1")
    record = record_of(release)
    assert "doi" not in record
    assert record["url"] == "http://127.0.0.1:8000/releases/2026.1/"
    assert any("No DOI has been registered" in d["description"] for d in record["descriptions"])
    assert not release.files.filter(name="datacite.xml").exists()
    assert "contributors" not in record  # nobody known: rows imported, release cut by no one


@override_settings(DATACITE_DOI_PREFIX="10.99999")
def test_with_a_doi_prefix_the_xml_carries_the_doi_and_the_same_relations(people):
    accepted_submission(people)
    measurement(bibcode=PAPER)
    measurement(id1="HD3750", bibcode=PAPER)
    release = cut("2026.1", created_by=people.manager)
    record = record_of(release)
    assert record["doi"] == "10.99999/jmdc.2026.1"
    assert not any("No DOI" in d["description"] for d in record["descriptions"])
    xml = record_of(release, "datacite.xml")
    assert xml.tag == f"{KERNEL}resource"
    identifier = xml.find(f"{KERNEL}identifier")
    assert (identifier.text, identifier.get("identifierType")) == ("10.99999/jmdc.2026.1", "DOI")
    bibcodes = [
        r.text
        for r in xml.iter(f"{KERNEL}relatedIdentifier")
        if r.get("relationType") == "IsDerivedFrom"
    ]
    assert bibcodes == [OTHER_PAPER, PAPER]
    names = [n.text for n in xml.iter(f"{KERNEL}contributorName")]
    assert names == ["man", "cur", "Lovelace, Ada"]
    assert xml.find(f"{KERNEL}version").text == "2026.1"


def test_hostile_names_and_notes_still_give_a_valid_record(people):
    manager = people.manager
    manager.first_name = 'Zoë <b>&amp;</b> "Ω" ]]>\x01'
    manager.last_name = "O'Brien\x08 李 \U0001f52d"
    manager.save()
    measurement(bibcode=PAPER)
    notes = "</description><script>alert(1)</script> & \x0b\x1f Ünïcode"
    with override_settings(DATACITE_DOI_PREFIX="10.99999"):
        release = cut("2026.1", created_by=manager, notes=notes)
    assert release.status == "ready", release.error
    record = record_of(release)
    assert schema45.validator.is_valid(record)
    name = contributors(record, "ContactPerson")[0]
    assert name == 'O\'Brien 李 \U0001f52d, Zoë <b>&amp;</b> "Ω" ]]>'
    xml = record_of(release, "datacite.xml")  # parses: the text is escaped, not markup
    assert [n.text for n in xml.iter(f"{KERNEL}contributorName")] == [name]
    descriptions = [d.text for d in xml.iter(f"{KERNEL}description")]
    assert "</description><script>alert(1)</script> &  Ünïcode" in descriptions


def test_a_doi_prefix_that_is_no_prefix_fails_the_build_saying_how_to_write_it():
    measurement(bibcode=PAPER)
    with override_settings(DATACITE_DOI_PREFIX="https://doi.org/10.99999"):
        release = cut("2026.1")
    assert release.status == "failed"
    assert release.error == (
        "DATACITE_DOI_PREFIX 'https://doi.org/10.99999' is not a DOI prefix: write it as "
        "DataCite gave it, 10. and 4 to 9 digits (e.g. 10.12345), without doi: or https://doi.org/."
    )


def test_the_schema_check_refuses_what_datacite_does_not_know():
    measurement(bibcode=PAPER)
    record = record_of(cut("2026.1"))
    validate(record)  # the record as written passes
    record["relatedIdentifiers"][0]["relationType"] = "DrawsOn"
    with pytest.raises(DataCiteInvalid, match=r"relatedIdentifiers/0/relationType: 'DrawsOn'"):
        validate(record)


def test_only_the_people_of_the_released_rows_are_credited(people, matrix_people):
    accepted_submission(people)
    # bob's rows are accepted by another curator, but embargoed: not in the release.
    hidden = services.create_submission(
        actor=people.colleague, rows=[row(ID1="HD3750")], group=people.group,
        embargo_until=tomorrow(),
    )  # fmt: skip
    services.submit(hidden, actor=people.colleague)
    services.start_review(hidden, actor=people.group_curator)
    services.accept(hidden, actor=people.group_curator, acknowledge_warnings=True)
    record = record_of(cut("2026.1"))
    assert contributors(record, "DataCollector") == ["Lovelace, Ada"]
    assert contributors(record, "DataCurator") == ["cur"]
