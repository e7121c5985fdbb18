"""The direction of dependencies in what import-linter cannot see: URL names and permission
strings. A part names only itself and the parts below it (docs/architecture.md):
portal -> vo -> curation | obsportal -> jmdc | accounts -> lib. The catalogue's pages offer the
write side's actions and the VO's DataLink addresses through jmdc/links.py, and a role's permissions are the project's table
(portal/roles.py), so neither needs to name an app above it."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("portal", "vo", "curation", "obsportal", "jmdc", "accounts", "lib")
# What each part may not name: the parts above it, and its sibling in the same layer.
FORBIDDEN = {
    "lib": {"portal", "vo", "curation", "obsportal", "jmdc", "accounts"},
    "jmdc": {"portal", "vo", "curation", "obsportal", "accounts"},
    "accounts": {"portal", "vo", "curation", "obsportal", "jmdc"},
    "curation": {"portal", "vo", "obsportal"},
    "obsportal": {"portal", "vo", "curation"},
    "vo": {"portal"},
}
# Templates live in one folder, by the part that renders them (registration/: Django's
# account pages, the accounts app's).
TEMPLATE_OWNER = {"jmdc": "jmdc", "accounts": "accounts", "registration": "accounts",
                  "curation": "curation", "obsportal": "obsportal", "vo": "vo"}  # fmt: skip


def python_references(text: str, names: set[str]) -> list[str]:
    """String literals that start with another part's URL namespace or permission:
    "curation:queue", 'obsportal.run_harvests'."""
    alternatives = "|".join(sorted(names))
    pattern = re.compile(r"""["'](?:""" + alternatives + r""")[:.][A-Za-z_]\w*""")
    return pattern.findall(text)


def tag_libraries(names: set[str]) -> set[str]:
    """The template tag libraries the parts ``names`` define (``<part>/templatetags/*.py``)."""
    return {
        path.stem
        for part in names
        for path in (ROOT / part / "templatetags").glob("*.py")
        if path.stem != "__init__"
    }


def template_references(text: str, names: set[str], libraries: set[str] = frozenset()) -> list:
    """{% url 'curation:queue' %}, perms.curation.review_submission, and {% load x %} of a
    tag library that one of those parts defines."""
    alternatives = "|".join(sorted(names))
    urls = re.findall(r"""\{%\s*url\s+["'](?:""" + alternatives + r"""):[\w-]+""", text)
    perms = re.findall(r"\bperms\.(?:" + alternatives + r")\.\w+", text)
    loads = [
        f"{{% load {library} %}}"
        for tags in re.findall(r"\{%\s*load\s+([\w\s]+?)\s*%\}", text)
        for library in tags.split()
        if library in libraries
    ]
    return urls + perms + loads


def python_files(part: str):
    for path in sorted((ROOT / part).rglob("*.py")):
        if "migrations" not in path.parts:  # a migration names the apps it depends on
            yield path


@pytest.mark.parametrize("part", sorted(FORBIDDEN))
def test_no_part_names_a_url_or_permission_of_a_part_above_or_beside_it(part):
    found = {
        str(path.relative_to(ROOT)): hits
        for path in python_files(part)
        if (hits := python_references(path.read_text(), FORBIDDEN[part]))
    }
    assert not found, f"{part} names what it may not know (docs/architecture.md): {found}"


@pytest.mark.parametrize("folder", sorted(TEMPLATE_OWNER))
def test_no_template_names_a_url_or_permission_of_a_part_above_or_beside_its_own(folder):
    names = FORBIDDEN[TEMPLATE_OWNER[folder]]
    libraries = tag_libraries(names)
    found = {
        str(path.relative_to(ROOT)): hits
        for path in sorted((ROOT / "templates" / folder).rglob("*.html"))
        if (hits := template_references(path.read_text(), names, libraries))
    }
    assert not found, f"templates/{folder} names what it may not know: {found}"


def test_the_checks_see_what_they_look_for():
    assert python_references('has_perm("curation.manage_catalogue")', {"curation"})
    assert python_references("reverse('obsportal:search')", {"obsportal"})
    assert not python_references('"jmdc:star"', {"curation", "obsportal"})
    assert template_references("{% url 'curation:correct' m.pk %}", {"curation"})
    assert template_references("{% if perms.obsportal.run_harvests %}", {"obsportal"})
    assert template_references("{% load static datalink %}", {"vo"}, {"datalink"})
    assert not template_references("{% load static measurement_cells %}", {"vo"}, {"datalink"})
    assert "measurement_cells" in tag_libraries({"jmdc"})
