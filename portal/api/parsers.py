"""The REST API's request parsers: JSON with a depth limit."""

from __future__ import annotations

from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with a depth limit: JSON nested 100,000 deep overflows Python's
    parser (a RecursionError, a 500), and nesting a little less deep would overflow whatever
    walks the data next (validation, the error handler). No body of the API nests beyond a
    few levels."""

    MAX_DEPTH = 32
    TOO_DEEP = "the JSON is nested too deeply (more than {} levels): send the data as documented."

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(self.TOO_DEEP.format(self.MAX_DEPTH)) from None
        if _depth_over(data, self.MAX_DEPTH):
            raise exceptions.ParseError(self.TOO_DEEP.format(self.MAX_DEPTH))
        return data


def _depth_over(data, limit: int) -> bool:
    """Whether lists and objects nest deeper than ``limit`` (walked without recursion)."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False
