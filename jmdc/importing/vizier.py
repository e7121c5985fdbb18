"""Fetching the published catalogue from VizieR (II/345/jmdc) through astroquery.

Used only to seed an empty developer's portal when the shared snapshot is absent. The
VizieR table is turned into the portal export layout and read by the same importer, so one
cleaning path serves every source.
"""

from __future__ import annotations

import csv
import io

from ..columns import COLUMNS, Kind

VIZIER_TABLE = "II/345/jmdc"
# VizieR labels of the II/345 ReadMe, in the order of the portal's columns.
VIZIER_LABELS = [column.vizier_label for column in COLUMNS]
FLAG_LABELS = {column.vizier_label for column in COLUMNS if column.kind is Kind.FLAG}


def table_to_export_csv(table) -> bytes:
    """An astropy Table with the II/345 labels, written in the portal's CSV layout."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow([column.name for column in COLUMNS])
    masks = {label: getattr(table[label], "mask", None) for label in VIZIER_LABELS}
    for index, row in enumerate(table):
        cells = []
        for label in VIZIER_LABELS:
            mask = masks[label]
            value = row[label]
            if (mask is not None and bool(mask[index])) or value is None:
                cells.append("")
            elif label in FLAG_LABELS:
                cells.append("True" if str(value).strip() in {"1", "True"} else "")
            else:
                cells.append(str(value).strip())
        writer.writerow(cells)
    return out.getvalue().encode("utf-8")


def fetch_vizier_catalogue(timeout: float = 30) -> bytes:
    """Download II/345/jmdc and return it in the portal's CSV layout (needs the network)."""
    from astroquery.vizier import Vizier

    vizier = Vizier(columns=VIZIER_LABELS, row_limit=-1, timeout=timeout)
    tables = vizier.get_catalogs(VIZIER_TABLE)
    if not tables:
        raise LookupError(f"VizieR returned no table for {VIZIER_TABLE}")
    return table_to_export_csv(tables[0])
