"""Gzip of the streamed answers: what the client's Accept-Encoding allows, piece by piece."""

import gzip
import zlib

import pytest

from lib.gzip_stream import accepts_gzip, gzip_pieces


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("deflate, GZIP;q=0.5", True),
        ("*", True),
        ("", False),
        ("identity", False),
        ("br", False),
        ("gzip;q=0", False),  # the client refuses gzip by name
        ("gzip;q=0, *", False),  # named, so the * does not cover it
        ("*;q=0", False),
        ("x-gzip", True),
    ],
)
def test_gzip_is_used_only_where_the_client_accepts_it(header, accepted):
    assert accepts_gzip(header) is accepted


def test_each_piece_is_readable_as_soon_as_it_is_sent():
    pieces = ["<TR><TD>1</TD></TR>\n" * 50, b"<TR><TD>2</TD></TR>\n" * 50, "", "end\n"]
    sent = list(gzip_pieces(pieces))
    reader = zlib.decompressobj(31)
    # The first piece alone is readable whole: the client need not wait for the rest.
    assert reader.decompress(sent[0]) == pieces[0].encode()
    whole = gzip.decompress(b"".join(sent))
    assert whole == b"".join(p.encode() if isinstance(p, str) else p for p in pieces)
