"""Personas of the curation tests, built once per test (invented people)."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group, User

from curation import services
from curation.uploads import parse_row
from tests.builders import verified_user

GOOD_ROW = {
    "ID1": "HD124897",
    "ID2": "alf Boo",
    "UD_DIAM": "19.9",
    "LD_DIAM": "20.91",
    "E_LD_DIAM": "0.07",
    "BAND": "K",
    "MU_LAMBDA": "",
    "METHOD": "1",
    "BANDCODE": "8",
    "NOTES": "",
    "BIBCODE": "2008A&A...485..561L",
    "SINPE": "",
}  # fmt: skip  (invented values in the catalogue's shape)


def row(position: int = 2, **cells):
    return parse_row(position, {**GOOD_ROW, **cells})


@dataclass
class People:
    astronomer: User
    colleague: User
    outsider: User
    curator: User
    manager: User
    group: Group

    def all(self):
        return {
            "anonymous": None,
            "astronomer": self.astronomer,
            "colleague": self.colleague,
            "outsider": self.outsider,
            "curator": self.curator,
            "manager": self.manager,
        }


@pytest.fixture
def people(db) -> People:
    group = Group.objects.create(name="VLTI/PIONIER survey")
    # Each has followed the link of their sign-up e-mail: they may submit and get notified.
    astronomer = verified_user("ada", "ada@example.org", "pw-ada-1234")
    colleague = verified_user("bob", "bob@example.org", "pw-bob-1234")
    outsider = verified_user("eve", "eve@example.org", "pw-eve-1234")
    curator = verified_user("cur", "cur@example.org", "pw-cur-1234")
    manager = verified_user("man", "man@example.org", "pw-man-1234")
    astronomer.groups.add(group)
    colleague.groups.add(group)
    curator.groups.add(Group.objects.get(name="curators"))
    manager.groups.add(Group.objects.get(name="managers"))
    return People(astronomer, colleague, outsider, curator, manager, group)


@pytest.fixture
def draft(people):
    return services.create_submission(
        actor=people.astronomer, rows=[row()], group=people.group, title="alf Boo in K"
    )
