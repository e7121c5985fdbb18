"""What every VOTable test checks: the document is valid against the IVOA schema of the version
it says it is (the schemas astropy ships), and astropy's parser reads it back without a
warning. Shared by the writer's, the catalogue's and the ObsPortal's tests."""

import io
import warnings
from functools import cache
from pathlib import Path

import astropy.io.votable
from astropy.io.votable import exceptions
from lxml import etree

SCHEMAS = Path(astropy.io.votable.__file__).parent / "data"
VERSIONS = ("1.1", "1.2", "1.3", "1.4")
NAMESPACES = {
    "1.1": "http://www.ivoa.net/xml/VOTable/v1.1",
    "1.2": "http://www.ivoa.net/xml/VOTable/v1.2",
    "1.3": "http://www.ivoa.net/xml/VOTable/v1.3",
    "1.4": "http://www.ivoa.net/xml/VOTable/v1.3",  # 1.4 kept 1.3's namespace
}


@cache
def schema(version: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / f"VOTable.v{version}.xsd")))


def assert_valid(data: bytes, version: str) -> None:
    """Valid against ``version``'s schema, and saying it is that version in that namespace."""
    document = etree.fromstring(data)
    assert document.get("version") == version
    assert etree.QName(document).namespace == NAMESPACES[version]
    checker = schema(version)
    assert checker.validate(document), checker.error_log


def parse(data: bytes, *, ignore: tuple[str, ...] = ()):
    """astropy's reading of the document, any VOTable warning an error except the ``ignore``d
    ones (by code, e.g. W06 for the UCD1 words of the Simple Cone Search)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for code in ignore:
            warnings.filterwarnings("ignore", category=getattr(exceptions, code))
        return astropy.io.votable.parse(io.BytesIO(data), verify="warn")
