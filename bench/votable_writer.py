"""The catalogue's VOTable: our streaming writer vs astropy's Table.write(format="votable").

The same 100,000 SYNTHETIC rows (from bench.csv_export), read from the database the same way;
astropy is given them as a Table, as a view would have to build it.
"""

import io

from astropy.table import MaskedColumn, Table

from bench.csv_export import ROWS, make_rows, measure
from jmdc.formats.votable import iter_votable
from jmdc.models import CATALOGUE_COLUMNS, CATALOGUE_FIELDS, Measurement


def ours() -> int:
    return sum(len(piece) for piece in iter_votable(Measurement.objects.export_values()))


def astropy_writer() -> int:
    rows = list(Measurement.objects.in_export_order().values_list(*CATALOGUE_FIELDS))
    table = Table()
    for index, (name, _) in enumerate(CATALOGUE_COLUMNS):
        values = [row[index] for row in rows]
        mask = [v is None for v in values]
        filler = "" if name in ("ID1", "ID2", "BAND", "NOTES", "BIBCODE") else 0
        table[name] = MaskedColumn(
            [filler if m else v for v, m in zip(values, mask, strict=True)], mask=mask
        )
    out = io.BytesIO()
    table.write(out, format="votable")
    return len(out.getvalue())


def run() -> None:
    make_rows()
    ours()  # warm the database cache for both
    ours_s, ours_size, ours_peak = measure(ours)
    base_s, base_size, base_peak = measure(astropy_writer)
    print(
        f"rows: {ROWS} (synthetic); output {ours_size / 1e6:.1f} MB ours, {base_size / 1e6:.1f} MB astropy"
    )
    print(f"ours (streamed TABLEDATA): {ROWS / ours_s:,.0f} rows/s, peak {ours_peak / 1e6:.1f} MB")
    print(
        f"baseline (astropy Table.write votable): {ROWS / base_s:,.0f} rows/s, peak {base_peak / 1e6:.1f} MB"
    )
    print(
        f"speed ratio ours/astropy: {base_s / ours_s:.2f}x; peak memory ratio: {ours_peak / base_peak:.3f}x"
    )
