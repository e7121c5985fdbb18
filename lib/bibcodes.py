"""What a bibcode looks like: the 19 characters of an ADS bibcode, or the catalogue's
pseudo-bibcode for a reference ADS does not know (the year and 15 dots, or 19 dots), whose
citation is then in NOTES. The submission rules and the catalogue file reader read the same
patterns."""

from __future__ import annotations

import re

# YYYYJJJJJVVVVMPPPPA: year, journal, volume, qualifier, page, first author's initial.
ADS_BIBCODE = re.compile(r"^\d{4}[A-Za-z&.]{5}[\w.]{4}[A-Za-z.][\w.]{4}[A-Z.]$")
PSEUDO_BIBCODE = re.compile(r"^(\d{4}\.{15}|\.{19})$")
