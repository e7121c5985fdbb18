"""The publisher DIDs (vo/identifiers.py): what DataLink reads back from what it and the
ObsCore view write."""

import pytest

from vo.identifiers import (
    Did,
    ForeignIdentifier,
    MalformedIdentifier,
    exposure_did,
    measurement_did,
    parse_did,
)


def test_a_did_written_is_read_back():
    assert parse_did(exposure_did("GRAVI.2019-02-16T04:26:53.206_1")) == Did(
        "exposure", "GRAVI.2019-02-16T04:26:53.206_1"
    )
    assert parse_did(measurement_did(42)) == Did("measurement", "42")


def test_the_part_before_the_key_is_read_whatever_its_case_the_key_as_written():
    assert parse_did("IVO://JMMC.fr/jmdc/Exposure?PIONI.x_1") == Did("exposure", "PIONI.x_1")
    assert parse_did("ivo://jmmc.fr/jmdc/measurement?007") == Did("measurement", "7")


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("42", MalformedIdentifier),
        ("ivo://jmmc.fr/jmdc/exposure", MalformedIdentifier),
        ("ivo://jmmc.fr/jmdc/exposure?", MalformedIdentifier),
        ("ivo://jmmc.fr/jmdc/measurement?-1", MalformedIdentifier),
        ("ivo://jmmc.fr/jmdc/star?1", ForeignIdentifier),
        ("ivo://eso.org/ID?GRAVI.2019-02-16T04:26:53.206", ForeignIdentifier),
    ],
)
def test_what_is_not_one_of_our_dids_says_why(text, fault):
    with pytest.raises(fault):
        parse_did(text)
