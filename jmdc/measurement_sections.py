"""What other apps add to a published measurement's page, without the catalogue naming them
(as jmdc/links.py does for actions): an app registers, in its AppConfig.ready(), a function
``section(measurement, user)`` answering None (nothing to show this user) or a dict holding
``template`` (the include to draw) and what that template reads, and ``charts`` (true when the
page must load the chart scripts). Curation shows the OIFITS files behind the measurement."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Section = Callable[[Any, Any], dict[str, Any] | None]
_SECTIONS: list[Section] = []


def show_on_measurement_page(section: Section) -> None:
    """Register ``section``; registering twice keeps one."""
    if section not in _SECTIONS:
        _SECTIONS.append(section)


def sections_of(measurement, user) -> list[dict[str, Any]]:
    return [shown for section in _SECTIONS if (shown := section(measurement, user)) is not None]
