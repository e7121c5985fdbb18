"""A valid filter form's HTML kept per query: Django's form templates cost a few ms a page
(a fifth to a quarter of the catalogue and exposure search pages), and a valid form's HTML
depends on the data it was given alone. Both pages' forms go through ``kept_form_html``."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from django.http import QueryDict

Key = tuple[tuple[str, tuple[str, ...]], ...]


def kept_form_html(render: Callable[[QueryDict | None], str], query, accepts) -> str:
    """``render(data)``'s HTML for the parameters of ``query`` that ``accepts(name)``, kept
    per distinct query (LRU of 256 for each ``render``, a module-level function); ``render``
    gets None when no parameter is given (the form as unbound). Call it for a valid form only:
    a form with errors is rendered each time (its messages may depend on the request)."""
    key = tuple((name, tuple(query.getlist(name))) for name in sorted(query) if accepts(name))
    return _kept(render, key)


@lru_cache(maxsize=512)
def _kept(render: Callable[[QueryDict | None], str], key: Key) -> str:
    data = QueryDict(mutable=True)
    for name, values in key:
        data.setlist(name, list(values))
    return render(data or None)
