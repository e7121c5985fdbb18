"""The changelog between two releases: added, removed, and changed rows by field."""

from collections import Counter

from jmdc.releases import apply_changelog, compare

# Invented rows in the catalogue's shape: id1 id2 ud ld e_ld band mu method bandcode notes bib sinpe
A = ("HD1", "alf X", None, 1.0, 0.1, "H", None, 1, 7, "", "2019A&A...001A...1X", False)
B = ("HD2", "", 2.0, None, 0.2, "K", None, 1, 8, "", "2019A&A...001A...1X", False)
C = ("HD3", "", 3.0, 3.1, 0.3, "K", None, 1, 8, "", "2018A&A...002A...2Y", False)


def with_(row, **changes):
    names = [
        "id1",
        "id2",
        "ud",
        "ld",
        "e_ld",
        "band",
        "mu",
        "method",
        "bandcode",
        "notes",
        "bibcode",
        "sinpe",
    ]
    values = dict(zip(names, row, strict=True))
    values.update(changes)
    return tuple(values[name] for name in names)


def test_identical_releases_have_an_empty_changelog():
    log = compare([(None, A), (None, B)], [(None, B), (None, A)])
    assert log["counts"] == {
        "before": 2, "after": 2, "added": 0, "removed": 0, "changed": 0, "unchanged": 2,
    }  # fmt: skip


def test_a_corrected_value_is_one_changed_row_naming_the_field():
    log = compare([(None, A), (None, B)], [(None, with_(A, ld=1.05)), (None, B)])
    assert log["counts"]["changed"] == 1 and not log["added"] and not log["removed"]
    assert log["changed"][0]["fields"] == {"LD_DIAM": [1.0, 1.05]}
    assert log["changed"][0]["before"]["ID1"] == "HD1"


def test_a_renamed_star_is_a_change_of_id1_not_a_removal_and_an_addition():
    log = compare([(None, C)], [(None, with_(C, id1="HD3A"))])
    assert log["changed"][0]["fields"] == {"ID1": ["HD3", "HD3A"]}


def test_repeated_rows_of_a_time_series_keep_their_multiplicity():
    log = compare([(None, A), (None, A)], [(None, A), (None, A), (None, A)])
    assert log["counts"]["added"] == 1 and log["counts"]["unchanged"] == 2


def test_rows_of_the_same_measurement_are_matched_by_its_id_whatever_changed():
    moved = with_(A, id1="HD9", bibcode="2020A&A...003A...3Z", ld=9.0)
    log = compare([(7, A)], [(7, moved)])
    assert log["counts"]["changed"] == 1
    assert set(log["changed"][0]["fields"]) == {"ID1", "LD_DIAM", "BIBCODE"}


def test_a_new_paper_is_added_and_a_withdrawn_one_removed():
    log = compare([(None, A), (None, C)], [(None, A), (None, B)])
    # B and C share no key: not a change of one into the other.
    assert [r["ID1"] for r in log["added"]] == ["HD2"]
    assert [r["ID1"] for r in log["removed"]] == ["HD3"]


def test_applying_the_changelog_to_the_old_rows_gives_the_new_rows():
    old = [A, B, C, A]
    new = [
        with_(A, notes="binary"),
        B,
        with_(C, id1="HD3A", band="2.2"),
        ("HD4", "", 4.0, None, None, "V", None, 2, 3, "", "1931...............", False),
    ]
    log = compare([(None, r) for r in old], [(None, r) for r in new])
    assert Counter(apply_changelog(old, log)) == Counter(new)
