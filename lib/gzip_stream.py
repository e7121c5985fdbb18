"""Gzip for the streamed answers (the ObsPortal's VOTables, the catalogue's exports), at a
level that keeps up with the stream.

Why not Django's ``gzip_page``: it compresses at level 6. Measured on OiDB's 300,000-exposure
all-fields answer (361 MB of TABLEDATA, in process, on a loaded machine): level 6 packs it 8.7
times at 25-42 MB/s, level 1 6.8 times at 76-111 MB/s (in CPU time 90 and 235 MB/s). The
stream aims at the pace of the database's own COPY of the same rows (5.7 s: 63 MB/s of it):
level 6 could not keep up with that, level 1 does with room to spare
(bench/obsportal_votable.py measures the levels against the writer in each run).
Each piece is flushed as it comes (Z_SYNC_FLUSH), so the client reads rows as they are written
and the compressor holds no more than its window: memory stays flat whatever the row count.
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import AsyncIterator, Iterable, Iterator

from django.utils.cache import patch_vary_headers

GZIP_LEVEL = 1  # the fastest: see the module's docstring and the benchmark
_GZIP_WBITS = 31  # zlib's window of 2**15 with a gzip header and trailer
SMALLEST = 200  # below this, a whole (not streamed) response is sent as it is


def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header accepts gzip (RFC 9110 12.5.3): named, or covered by
    ``*`` when not named, with a weight above 0 (``gzip;q=0`` refuses it)."""
    weights: dict[str, float] = {}
    for item in header.split(","):
        coding, *parameters = (part.strip() for part in item.split(";"))
        weight = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if coding:
            weights[coding.lower()] = weight
    for coding in ("gzip", "x-gzip", "*"):
        if coding in weights:
            return weights[coding] > 0
    return False


def gzip_pieces(pieces: Iterable[bytes | str], level: int = GZIP_LEVEL) -> Iterator[bytes]:
    """One gzip member of ``pieces``, compressed and flushed piece by piece."""
    packer = zlib.compressobj(level, zlib.DEFLATED, _GZIP_WBITS)
    for piece in pieces:
        if not piece:
            continue  # a sync flush of nothing would still send 5 bytes
        data = piece.encode() if isinstance(piece, str) else piece
        yield packer.compress(data) + packer.flush(zlib.Z_SYNC_FLUSH)
    yield packer.flush()


async def _gzip_async(pieces: AsyncIterator[bytes], level: int) -> AsyncIterator[bytes]:
    packer = zlib.compressobj(level, zlib.DEFLATED, _GZIP_WBITS)
    async for piece in pieces:
        if piece:
            yield packer.compress(piece) + packer.flush(zlib.Z_SYNC_FLUSH)
    yield packer.flush()


def compress_response(request, response, level: int = GZIP_LEVEL):
    """``response`` gzipped when ``request`` accepts it, with ``Vary: Accept-Encoding`` either
    way (a cache must not hand the gzipped answer to a client that cannot read it)."""
    if response.has_header("Content-Encoding"):
        return response
    patch_vary_headers(response, ("Accept-Encoding",))
    if not accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        return response
    if response.streaming:
        if response.is_async:
            response.streaming_content = _gzip_async(response.streaming_content, level)
        else:
            response.streaming_content = gzip_pieces(response.streaming_content, level)
        del response.headers["Content-Length"]
    else:
        if len(response.content) < SMALLEST:
            return response
        packed = b"".join(gzip_pieces([response.content], level))
        if len(packed) >= len(response.content):
            return response
        response.content = packed
        response.headers["Content-Length"] = str(len(packed))
    etag = response.get("ETag")
    if etag and etag.startswith('"'):  # RFC 9110 8.8.1: another encoding, a weak validator
        response.headers["ETag"] = "W/" + etag
    response.headers["Content-Encoding"] = "gzip"
    return response


def gzip_stream(view):
    """View decorator: the view's answer gzipped at ``GZIP_LEVEL`` when the client accepts it
    (in place of Django's ``gzip_page``, level 6)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        return compress_response(request, view(request, *args, **kwargs))

    return wrapped
