"""The people of the tests, defined once (invented): an astronomer, a colleague in the same
group, an outsider, a curator, a manager. A pytest plugin (tests/conftest.py): any test asks for
``people`` (or ``matrix_people``) by name, and no test module imports another's fixtures."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group, User

from accounts.verification import mark_verified


def verified_user(username: str, email: str = "", password: str | None = None) -> User:
    """An account that has followed its e-mail link: it may submit and receives e-mail."""
    user = User.objects.create_user(username, email or f"{username}@example.org", password)
    assert mark_verified(user)
    return user


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


def user_of(people: People, role: str) -> User | None:
    """The persona playing ``role``, as docs/permissions.md names the roles: the author is the
    astronomer, anonymous is nobody, "group curator" and "editing curator" are those of
    ``matrix_people``."""
    if role == "anonymous":
        return None
    return people.astronomer if role == "author" else getattr(people, role.replace(" ", "_"))


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
def matrix_people(people):
    """The personas, plus two curators who are members of the submissions' group (invented):
    the columns "group curator" and "editing curator" of docs/permissions.md."""
    curators = Group.objects.get(name="curators")
    for name in ("cora", "ed"):
        user = verified_user(name, password=f"pw-{name}-1234")
        user.groups.add(curators, people.group)
    people.group_curator = User.objects.get(username="cora")
    people.editing_curator = User.objects.get(username="ed")
    return people
