"""The catalogue (or a selection, or a release) as JSON: an array of rows, each as the REST
API's serializer writes it, streamed."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from ..columns import CATALOGUE_FIELDS
from ..serializers import CatalogueRowSerializer

CHUNK_ROWS = 2000


def iter_json(rows: Iterable[tuple]) -> Iterator[str]:
    """``rows`` are the 12 values in export order; yields ``[{...},\\n{...}]`` in pieces."""
    represent = CatalogueRowSerializer().to_representation
    buffer: list[str] = []
    first = True
    for values in rows:
        buffer.append(
            json.dumps(represent(dict(zip(CATALOGUE_FIELDS, values, strict=True))),
                       ensure_ascii=False, allow_nan=False)
        )  # fmt: skip
        if len(buffer) >= CHUNK_ROWS:
            yield ("[\n" if first else ",\n") + ",\n".join(buffer)
            buffer, first = [], False
    if buffer:
        yield ("[\n" if first else ",\n") + ",\n".join(buffer)
        first = False
    yield "[]\n" if first else "\n]\n"
