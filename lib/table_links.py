"""Links to a table that a desktop tool fetches by itself: what the "Send to TOPCAT / Aladin"
menu hands over through SAMP (static/js/samp.js, templates/includes/samp_menu.html).

TOPCAT or Aladin downloads the URL it is sent without the browser's cookies. A table anyone may
see is sent as its plain public address, stable and shareable. A selection holding rows only
the signed-in person may see (embargoed measurements of their group) is sent as a signed link
that expires: the signature covers the exact path and query and the person whose visibility it
grants, so changing a filter, the path or the person breaks it. The project's middleware
(portal/table_links.py) checks it, and only for a GET of the VOTable exports.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing

# The query parameter of a signed link; the signer's salt keeps these signatures apart from
# every other use of SECRET_KEY (sessions, password resets).
ACCESS = "signed"
SALT = "lib.table_links"


class LinkRefused(Exception):
    """Why a signed link opens nothing, in the words the desktop tool will show its user."""


class LinkExpired(LinkRefused):
    pass


class LinkAltered(LinkRefused):
    pass


def lifetime_seconds() -> int:
    """How long a signed link opens its table (settings.SIGNED_TABLE_LINK_HOURS, read at each
    use so that an operator may shorten it)."""
    return int(settings.SIGNED_TABLE_LINK_HOURS * 3600)


def _query_without_access(query: str) -> str:
    return "&".join(part for part in query.split("&") if part and not _is_access(part))


def _is_access(part: str) -> bool:
    return part.split("=", 1)[0] == ACCESS


def _signed_value(user_pk: object, path: str, query: str) -> str:
    return f"{user_pk}|{path}?{query}"


class _Signer(signing.TimestampSigner):
    def __init__(self, at: float | None = None):
        super().__init__(salt=SALT)
        self.at = at

    def timestamp(self) -> str:
        if self.at is None:
            return super().timestamp()
        return signing.b62_encode(int(self.at))


def sign(path_and_query: str, user, *, at: float | None = None) -> str:
    """``path_and_query`` with an ``signed=`` parameter that lets anyone holding the link GET it
    with ``user``'s visibility until it expires. Only the person, the time and the signature
    travel in the parameter: the path and the query are the request's own, read back as sent.
    ``at`` (a Unix time) signs as of another moment than now: how a test ages a link."""
    path, _, query = path_and_query.partition("?")
    query = _query_without_access(query)
    token = _Signer(at).sign(_signed_value(user.pk, path, query))
    _, timestamp, signature = token.rsplit(":", 2)
    # Neither base62 timestamps nor URL-safe base64 signatures contain a dot.
    access = f"{ACCESS}={user.pk}.{timestamp}.{signature}"
    return f"{path}?{query}&{access}" if query else f"{path}?{access}"


def verify(path: str, raw_query: str) -> int:
    """The primary key of the user whose visibility the signed link ``path?raw_query`` grants;
    raises LinkExpired or LinkAltered with the words to show."""
    accesses = [part for part in raw_query.split("&") if _is_access(part)]
    pieces = accesses[0].split("=", 1)[1].split(".") if len(accesses) == 1 else []
    if len(pieces) != 3 or not pieces[0].isdigit():
        raise LinkAltered(_ALTERED)
    user_pk, timestamp, signature = pieces
    value = _signed_value(user_pk, path, _query_without_access(raw_query))
    try:
        _Signer().unsign(f"{value}:{timestamp}:{signature}", max_age=lifetime_seconds())
    except signing.SignatureExpired:
        raise LinkExpired(
            "This signed link to a table has expired (signed links open their table for "
            f"{lifetime_seconds() // 3600} hours). Send the table again from the portal's page, "
            "or download it there."
        ) from None
    except signing.BadSignature:
        raise LinkAltered(_ALTERED) from None
    return int(user_pk)


_ALTERED = (
    "This signed link to a table is not valid: its address, its filters or its signature were "
    "changed after the portal signed it. Send the table again from the portal's page, or "
    "download it there."
)


@dataclass(frozen=True)
class TableLink:
    """What the Send menu of one page offers: the table's address for a desktop tool (absolute;
    signed when private), the download for the browser, and, for when no SAMP hub runs, the TAP
    query and the Python that fetch the same rows."""

    url: str
    download: str
    name: str
    signed: bool
    hours: int
    tap_url: str
    adql: str = ""
    python: str = ""
    ra: float | None = None
    dec: float | None = None
    config: str = field(default="", compare=False)


def table_link(
    request,
    path_and_query: str,
    *,
    name: str,
    private: bool,
    adql: str = "",
    ra: float | None = None,
    dec: float | None = None,
) -> TableLink:
    """The menu's table: ``path_and_query`` is the VOTable export of the page's selection;
    ``private`` says whether that selection holds rows the anonymous public cannot see (then
    the link is signed for ``request.user``)."""
    signed = private and request.user.is_authenticated
    url = request.build_absolute_uri(
        sign(path_and_query, request.user) if signed else path_and_query
    )
    tap_url = request.build_absolute_uri("/tap")
    if adql:
        python = (
            "import pyvo\n"
            f'service = pyvo.dal.TAPService("{tap_url}")\n'
            f"table = service.search({adql!r}).to_table()"
        )
    else:
        python = f'from astropy.table import Table\ntable = Table.read({url!r}, format="votable")'
    # What static/js/samp.js reads, as one JSON attribute (the pages run no inline script).
    config = json.dumps({"url": url, "name": name, "ra": ra, "dec": dec}, separators=(",", ":"))
    return TableLink(
        url=url, download=path_and_query, name=name, signed=signed,
        hours=lifetime_seconds() // 3600, tap_url=tap_url, adql=adql, python=python,
        ra=ra, dec=dec, config=config,
    )  # fmt: skip


def adql_literal(text: str) -> str:
    """A string as an ADQL literal (a quote doubled, as SQL writes it)."""
    return "'" + str(text).replace("'", "''") + "'"


# The SAMP Web Profile's hub: the standard's fixed port, on the numeric loopback address (an
# https page may reach 127.0.0.1, not "localhost"). The pages with the Send menu widen their
# Content-Security-Policy by this much, and only they (django-csp's csp_update).
SAMP_HUB = "http://127.0.0.1:21012"
SAMP_POLICY = {"connect-src": [SAMP_HUB]}
