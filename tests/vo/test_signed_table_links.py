"""A signed table link: what the SAMP menu sends TOPCAT for a selection holding embargoed rows.
TOPCAT fetches it without the browser's cookies (the test client here, logged out)."""

import time

import pytest

from lib.table_links import sign
from tests.builders import measurement, tomorrow

pytestmark = pytest.mark.django_db

SELECTION = "/export.vot?method=1&sort=-ld_diam"


def table(answer) -> bytes:
    assert answer.status_code == 200, answer
    return b"".join(answer.streaming_content)


@pytest.fixture
def rows(people):
    measurement(id1="HD360")
    measurement(id1="HD3750", group=people.group, embargo_until=tomorrow())


def test_a_link_signed_for_a_member_opens_the_embargoed_rows_without_cookies(client, people, rows):
    assert b"HD3750" not in table(client.get(SELECTION))  # the public table lacks the row
    body = table(client.get(sign(SELECTION, people.astronomer)))
    assert b"HD3750" in body and b"HD360" in body


def test_the_signed_link_keeps_the_selection_it_was_signed_for(client, people, rows):
    measurement(id1="HD4000", method=2)
    body = table(client.get(sign(SELECTION, people.astronomer)))
    assert b"HD4000" not in body  # method=1 still filters; signed= is no filter


def test_a_changed_path_is_refused_with_the_reason(client, people, rows):
    link = sign(SELECTION, people.astronomer).replace("/export.vot", "/search.votable")
    answer = client.get(link)
    assert answer.status_code == 403
    assert "not valid" in answer.content.decode() and "changed" in answer.content.decode()


def test_a_changed_filter_is_refused(client, people, rows):
    link = sign(SELECTION, people.astronomer).replace("method=1", "method=2")
    answer = client.get(link)
    assert answer.status_code == 403 and b"filters" in answer.content


def test_an_added_filter_is_refused(client, people, rows):
    answer = client.get(sign(SELECTION, people.astronomer) + "&bibcode=2019")
    assert answer.status_code == 403


def test_an_expired_link_says_it_expired_and_what_to_do(client, people, rows, settings):
    settings.SIGNED_TABLE_LINK_HOURS = 2
    link = sign(SELECTION, people.astronomer, at=time.time() - 3 * 3600)
    answer = client.get(link)
    assert answer.status_code == 403
    text = answer.content.decode()
    assert "expired" in text and "2 hours" in text and "Send the table again" in text


def test_a_link_within_its_lifetime_still_opens(client, people, rows, settings):
    settings.SIGNED_TABLE_LINK_HOURS = 2
    link = sign(SELECTION, people.astronomer, at=time.time() - 3600)
    assert b"HD3750" in table(client.get(link))


def test_another_persons_id_in_the_link_does_not_grant_their_visibility(client, people, rows):
    link = sign(SELECTION, people.outsider)
    forged = link.replace(f"signed={people.outsider.pk}.", f"signed={people.astronomer.pk}.")
    assert client.get(forged).status_code == 403


def test_a_link_signed_for_an_outsider_shows_only_what_the_outsider_sees(client, people, rows):
    body = table(client.get(sign(SELECTION, people.outsider)))
    assert b"HD3750" not in body


def test_a_post_with_a_valid_signature_is_refused(client, people, rows):
    answer = client.post(sign(SELECTION, people.astronomer))
    assert answer.status_code == 403 and b"GET" in answer.content


def test_a_signed_link_opens_only_votable_exports(client, people, rows):
    answer = client.get(sign("/export_csv?method=1", people.astronomer))
    assert answer.status_code == 403 and b"VOTable" in answer.content


def test_a_closed_account_link_opens_nothing(client, people, rows):
    link = sign(SELECTION, people.astronomer)
    people.astronomer.is_active = False
    people.astronomer.save()
    assert client.get(link).status_code == 403


def test_a_signed_link_stands_for_its_signer_not_for_whoever_is_logged_in(client, people, rows):
    client.force_login(people.curator)  # sees every row, but the link is the outsider's
    body = table(client.get(sign(SELECTION, people.outsider)))
    assert b"HD3750" not in body
