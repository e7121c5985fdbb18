"""Every page a person reaches without data parameters, read as a screen reader reads it: one
h1, a name on every form control, every id that a label, aria-describedby or aria-labelledby
points at present on the page; and the site's favicon."""

import datetime

import pytest
from django.utils import timezone

from curation import services
from jmdc.models import ExportJob
from jmdc.releases import freeze
from tests.builders import measurement
from tests.obsportal.builders import exposure
from tests.pages import page_of, text_of
from tests.rows import row

pytestmark = pytest.mark.django_db

ROW = ("HD360", "", None, 0.906, 0.014, "H", None, 1, 7, "", "2019Natur.567..200P", False)  # fmt: skip
# Controls a person operates (hidden inputs and buttons named by their text aside).
CONTROLS = "//input[not(@type='hidden') and not(@type='submit')] | //select | //textarea"


@pytest.fixture
def pages(people):
    """(who, address) of every page, with the data each needs."""
    m = measurement(id1="HD360")
    release = freeze([(None, ROW)], version="2026.1", date=datetime.date(2026, 11, 23))
    job = ExportJob.objects.create(format="csv", total=12, done=3)
    exposure("PIONI.2020-01-01T00:00:00.000_1", 1.5, -2.5, date_updated=timezone.now())
    draft = services.create_submission(
        actor=people.astronomer, rows=[row(2)], group=people.group, title="one"
    )
    return [
        (None, "/"),
        (None, "/columns"),
        (None, "/statistics"),
        (None, m.star.get_absolute_url()),
        (None, f"/measurement/{m.pk}/"),
        (None, "/releases/"),
        (None, release.get_absolute_url()),
        (None, job.get_absolute_url()),
        (None, "/search"),
        (None, "/detail/exposure/PIONI.2020-01-01T00:00:00.000_1"),
        (None, "/accounts/signup/"),
        (None, "/accounts/login/"),
        ("astronomer", "/submissions/"),
        ("astronomer", "/submissions/new/"),
        ("astronomer", "/submissions/upload/"),
        ("astronomer", draft.get_absolute_url()),
        ("astronomer", f"{draft.get_absolute_url()}rows/2/oifits/"),
        ("astronomer", "/accounts/tokens/"),
        ("curator", "/review/"),
        ("curator", "/review/stars/"),
        ("curator", draft.get_absolute_url()),
        ("manager", "/releases/new/cut/"),
        ("manager", "/harvests/"),
    ]


def problems_of(page) -> list[str]:
    found = []
    headings = [text_of(h) for h in page.xpath("//h1")]
    if len(headings) != 1:
        found.append(f"{len(headings)} h1: {headings}")
    labelled = set(page.xpath("//label/@for"))
    for control in page.xpath(CONTROLS):
        named = (
            control.get("id") in labelled
            or control.get("aria-label", "").strip()
            or control.get("aria-labelledby")
            or control.xpath("ancestor::label")
        )
        if not named:
            found.append(f"no name: <{control.tag} name={control.get('name')!r}>")
    for attribute in ("aria-describedby", "aria-labelledby", "for"):
        for element in page.xpath(f"//*[@{attribute}]"):
            for target in element.get(attribute).split():
                if not page.xpath(f"//*[@id='{target}']"):
                    found.append(f"{attribute}={target!r} points nowhere (<{element.tag}>)")
    return found


def test_every_page_has_one_h1_named_controls_and_no_dangling_ids(client, people, pages):
    found = {}
    for who, address in pages:
        client.logout()
        if who:
            client.force_login(getattr(people, who))
        response = client.get(address)
        assert response.status_code == 200, (who, address, response.status_code)
        if problems := problems_of(page_of(response)):
            found[address] = problems
    assert found == {}


def test_every_page_names_the_favicon(client):
    page = page_of(client.get("/columns"))
    (icon,) = page.xpath("//head/link[@rel='icon']")
    assert icon.get("href") == "/static/jmdc/favicon.svg"
    # The file the address names is among the static files (collectstatic serves it; the test
    # server serves no static files).
    from django.contrib.staticfiles import finders

    assert finders.find("jmdc/favicon.svg")
