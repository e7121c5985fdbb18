"""ObsPortal's answer to OiDB (all fields) on 300,000 SYNTHETIC exposures: our streaming
TABLEDATA writer vs astropy's VOTable writer (what the original service used, ~70 s), on the
same rows read the same way. Each runs in its own child process for a fair peak memory."""

import io

import numpy as np
from astropy.table import MaskedColumn, Table

from bench.obsportal_data import EXPOSURES, ensure_exposures, in_child
from obsportal.models import Exposure
from obsportal.votable_answers import COLUMNS, answer_rows, search_votable


def ours() -> int:
    body = search_votable(Exposure.objects.all(), all_fields=True, last_mod_date="")
    return sum(len(piece) for piece in body)


def astropy_writer() -> int:
    rows = list(answer_rows(Exposure.objects.all(), COLUMNS))  # the same cells as ours
    table = Table()
    for index, column in enumerate(COLUMNS):
        values = [row[index] for row in rows]
        if column.field.datatype == "double":
            table[column.field.name] = np.array([np.nan if v is None else v for v in values])
        elif column.field.datatype == "int":
            mask = [v is None for v in values]
            filled = [0 if m else v for v, m in zip(values, mask, strict=True)]
            table[column.field.name] = MaskedColumn(filled, mask=mask)
        else:
            table[column.field.name] = values
    out = io.BytesIO()
    table.write(out, format="votable", tabledata_format="tabledata")
    return len(out.getvalue())


def run() -> None:
    ensure_exposures()
    ours()  # warm the database cache for both
    ours_s, ours_size, ours_mb = in_child(ours)
    astro_s, astro_size, astro_mb = in_child(astropy_writer)
    print(f"rows: {EXPOSURES:,} (synthetic), {len(COLUMNS)} fields (all_fields=true); "
          f"output {ours_size / 1e6:.0f} MB ours, {astro_size / 1e6:.0f} MB astropy")  # fmt: skip
    print(f"ours (streamed TABLEDATA): {ours_s:.1f} s, {EXPOSURES / ours_s:,.0f} rows/s, "
          f"peak memory +{ours_mb:.0f} MB")  # fmt: skip
    print(f"baseline (astropy Table.write votable): {astro_s:.1f} s, "
          f"{EXPOSURES / astro_s:,.0f} rows/s, peak memory +{astro_mb:.0f} MB")  # fmt: skip
    print(f"speed ratio ours/astropy: {astro_s / ours_s:.1f}x; peak memory ratio: "
          f"{ours_mb / max(astro_mb, 1):.3f}x (resident memory grown above the process's start)")  # fmt: skip
