"""What the canonical designations (lib/designations.py) make of the catalogue's star names.

    .venv/bin/python -m ops.designations_report [FILE ...]

Without FILE: the 14 real catalogue files of <shared data>/jmdc (the 2020 export and the 13
spreadsheet versions of 2016-2019), first all together, then the 2020 export alone. For each
set: how many distinct names (ID1 and ID2), how many canonical designations they form, the
designations that join several spellings, and the names left to SIMBAD. The files are read by
the catalogue's own reader (jmdc.importing.catalogue_file), so the names are cleaned as an import cleans them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

NEWEST = "JMDC_full_20200730.csv"


def catalogue_files(shared_dir: Path) -> list[Path]:
    """The 14 real catalogue files: the 2020 export, then the spreadsheet versions by date."""
    folder = shared_dir / "jmdc"
    return [folder / NEWEST, *sorted((folder / "xls_versions_csv").glob("JMDC_*.csv"))]


def names_in(paths: Iterable[Path]) -> tuple[set[str], set[str]]:
    """The distinct ID1 (the catalogue's stars), and every distinct ID1 and ID2, of the files,
    as the importer reads them."""
    from jmdc.importing.catalogue_file import read_catalogue_file

    stars: set[str] = set()
    names: set[str] = set()
    for path in paths:
        for _line, row in read_catalogue_file(path).rows:
            stars.add(row.id1)
            names.update(name for name in (row.id1, row.id2) if name)
    return stars, names


def main(arguments: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django
    from django.conf import settings

    django.setup()
    from lib.designations import group, report_lines

    if arguments:
        sets = {"the files given": [Path(a) for a in arguments]}
    else:
        files = catalogue_files(Path(settings.SHARED_DATA_DIR))
        missing = [str(p) for p in files if not p.is_file()]
        if missing:
            sys.exit(f"the real catalogue files are absent: {', '.join(missing)}")
        sets = {
            f"the {len(files)} catalogue files": files,
            f"the 2020 catalogue ({NEWEST})": files[:1],
        }
    for title, paths in sets.items():
        stars, names = names_in(paths)
        grouping = group(stars)
        print(f"== {title}")
        print(
            f"ID1 (the stars): {len(stars)} distinct names, "
            f"{len(grouping.groups) + len(grouping.unrecognised)} distinct stars offline "
            f"({len(grouping.groups)} canonical designations, {len(grouping.unrecognised)} "
            "names kept as typed)"
        )
        print("ID1 and ID2: " + "\n".join(report_lines(names)))


if __name__ == "__main__":
    main(sys.argv[1:])
