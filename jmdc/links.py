"""Where the catalogue's pages (and the exposures') send people to the apps above them: to
change the catalogue (curation) or to read a row from a VO tool (vo's DataLink). Those apps are
not named here: each tells, in its AppConfig.ready(), the address of each action known by name.
An action nobody provides is simply not offered on the page."""

from __future__ import annotations

from collections.abc import Callable

ACTIONS = {
    "correct_measurement": "correct one published measurement (its id)",
    "cut_release": "cut a new release",
    "build_release": "build a release's files again (its version)",
    "datalink_measurement": "the DataLink document of one measurement (its id)",
    "datalink_exposure": "the DataLink document of one exposure (its ESO exposure id)",
}
_ADDRESSES: dict[str, Callable[..., str]] = {}


def provide(action: str, address: Callable[..., str]) -> None:
    """``address(*args)`` gives the URL of ``action`` (one of ACTIONS)."""
    if action not in ACTIONS:
        raise ValueError(f"The catalogue knows no action {action!r}: one of {sorted(ACTIONS)}.")
    _ADDRESSES[action] = address


def address_of(action: str, *args) -> str | None:
    address = _ADDRESSES.get(action)
    return address(*args) if address else None
