"""Bounds on what an ADQL query may cost before the database's own time limit applies.

queryparser's ANTLR grammar spends CPU in the web worker (or the Celery worker) before any
statement_timeout can stop it: each level of parentheses in an expression costs it about 0.2 s
in each of its two passes on the development machine (2 shared cores, loaded: 6 levels parse in
about 1.4 s, 18 levels in 8 s), and some 35 levels in WHERE exhaust Python's recursion limit.
So the query's length and the nesting of its parentheses are bounded before it is parsed,
and any fault of the parser is a refusal in words, never a 500.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings


def max_characters() -> int:
    return settings.TAP_QUERY_MAX_CHARACTERS


def max_nesting() -> int:
    # 8 levels: real queries reach 2 to 5 (a CONTAINS cone is 3); 8 parse in about 2 s loaded.
    return settings.TAP_QUERY_MAX_NESTING


def nesting_depth(query: str) -> tuple[int, int]:
    """The deepest nesting of parentheses outside quotes, and the character (from 1) where
    it is first reached."""
    depth = deepest = where = 0
    quote = None
    for position, char in enumerate(query):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
            if depth > deepest:
                deepest, where = depth, position + 1
        elif char == ")":
            depth = max(depth - 1, 0)
    return deepest, where


def check_query_size(query: str) -> None:
    """Refuse, before parsing, a query longer or more deeply nested than the service parses."""
    from vo.tap.engine import TapError

    limit = max_characters()
    if len(query) > limit:
        raise TapError(
            f"The query is {len(query):,} characters long; this service reads queries of at "
            f"most {limit:,} characters. Shorten it (fewer literal values: a range, or a join)."
        )
    limit = max_nesting()
    deepest, where = nesting_depth(query)
    if deepest > limit:
        raise TapError(
            f"The query nests parentheses {deepest} deep (at character {where}); this service "
            f"reads at most {limit} levels. Remove parentheses that group nothing, or split "
            "the expression."
        )


@contextmanager
def parser_faults():
    """The parser's own faults on odd input (RecursionError, an IndexError ...) as a
    TapError saying so; the TapErrors raised inside pass as they are."""
    from vo.tap.engine import TapError

    try:
        yield
    except TapError:
        raise
    except RecursionError:
        raise TapError(
            "The query is nested too deeply to be read: remove parentheses that group "
            "nothing, or split the expression."
        ) from None
    except Exception as error:  # whatever the parser trips on is the query's fault
        raise TapError(
            f"The query cannot be read ({type(error).__name__}): is it a single SELECT?"
        ) from None
