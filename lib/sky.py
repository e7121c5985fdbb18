"""Sky geometry shared by the rules (a 2MASS name against SIMBAD's position) and the cone
search of exposures: one formula for the distance between two positions."""

from __future__ import annotations

import math


def separation(ra1: float, dec1: float, ra2: float, dec2: float) -> float:
    """Angular distance in degrees between two ICRS positions given in degrees (haversine:
    well-conditioned at the small angles both users measure, exact at the RA wrap too)."""
    ra1, dec1, ra2, dec2 = map(math.radians, (ra1, dec1, ra2, dec2))
    h = (
        math.sin((dec2 - dec1) / 2) ** 2
        + math.cos(dec1) * math.cos(dec2) * math.sin((ra2 - ra1) / 2) ** 2
    )
    return math.degrees(2 * math.asin(min(1.0, math.sqrt(h))))
