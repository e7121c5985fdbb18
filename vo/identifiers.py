"""The publisher DIDs of what the portal publishes to the Virtual Observatory, and the DataLink
address of each: one definition, read by the DataLink service (vo/datalink) and by the ObsCore
view, whose SQL writes the same ``access_url`` (see ``links_path``).

    ivo://jmmc.fr/jmdc/exposure?<exp_id>      an exposure (ESO's DP.ID and its number)
    ivo://jmmc.fr/jmdc/measurement?<pk>       a published measurement of the catalogue

The base is ``settings.VO_IVOID_BASE``. IVOA Identifiers 2.0 make the part before ``?``
case-insensitive (it names a registry record) and the part after it the publisher's own key,
compared as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings

EXPOSURE = "exposure"
MEASUREMENT = "measurement"
KINDS = (EXPOSURE, MEASUREMENT)
# The DataLink {links} endpoint's path (URL name ``datalink-links``). Written out here, not
# reversed, because the ObsCore view's SQL writes it as a literal and both must agree.
DATALINK_PATH = "/datalink/links"


class MalformedIdentifier(ValueError):
    """Not a DID of this portal's shape: DataLink's UsageFault."""


class ForeignIdentifier(ValueError):
    """A well-formed IVOID this portal does not publish: DataLink's NotFoundFault."""


@dataclass(frozen=True)
class Did:
    kind: str  # EXPOSURE or MEASUREMENT
    key: str  # the exposure's exp_id, or the measurement's primary key as text

    def __str__(self) -> str:
        return f"{settings.VO_IVOID_BASE}/{self.kind}?{self.key}"


def exposure_did(exp_id: str) -> str:
    return str(Did(EXPOSURE, exp_id))


def measurement_did(pk: int) -> str:
    return str(Did(MEASUREMENT, str(pk)))


def links_path(did: str) -> str:
    """The relative DataLink address of a DID: ``/datalink/links?ID=`` and the DID with every
    reserved character percent-encoded (``ivo%3A%2F%2Fjmmc.fr%2Fjmdc%2Fexposure%3F...``)."""
    return f"{DATALINK_PATH}?ID={quote(did, safe='')}"


def parse_did(text: str) -> Did:
    """The kind and key of one of our DIDs; ``MalformedIdentifier`` or ``ForeignIdentifier``
    (with the reason in the user's words) for anything else."""
    text = text.strip()
    if not text.lower().startswith("ivo://"):
        raise MalformedIdentifier(
            f"{text!r} is not an IVOA identifier: it should start with ivo://, "
            f"like {exposure_did('GRAVI.2019-02-16T04:26:53.206_1')}"
        )
    resource, question, key = text.partition("?")
    base = settings.VO_IVOID_BASE.lower()
    prefix, _, kind = resource.lower().rpartition("/")
    if prefix != base or kind not in KINDS:
        raise ForeignIdentifier(
            f"{text} is not published here: this service knows {base}/exposure?<exp_id> "
            f"and {base}/measurement?<number>"
        )
    if not question or not key:
        raise MalformedIdentifier(
            f"{text!r} names no {kind}: the {kind}'s key follows a '?', "
            f"like {base}/{kind}?{'1' if kind == MEASUREMENT else 'GRAVI.2019-02-16T04:26:53.206_1'}"
        )
    if kind == MEASUREMENT and not (key.isascii() and key.isdigit()):
        raise MalformedIdentifier(
            f"{text!r}: a measurement is named by its number (as in /measurement/<number>/), "
            f"not {key!r}"
        )
    return Did(kind, str(int(key)) if kind == MEASUREMENT else key)
