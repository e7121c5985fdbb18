"""Our /search.votable against the real answers of the original ObsPortal (from Aspro2's
test resources, ../shared/obsportal/aspro/): the same exposures, asked the way each client
asks, come back with the same fields and the same values."""

import io
import math

import numpy as np
import pytest
from astropy.io.votable import parse
from django.core.management import call_command
from django.test import Client

from jmdc.models import Star
from obsportal.models import Exposure

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::astropy.io.votable.exceptions.VOTableSpecWarning"),
    pytest.mark.filterwarnings("ignore::astropy.io.votable.exceptions.VOWarning"),
]
# The one field the original renamed between its generations; we serve the newer name.
RENAMED = {"exp_header": "exp_header_id"}


def table(content):
    return parse(io.BytesIO(content), verify="ignore").get_first_table()


def cells(votable):
    """{exp_id: {field: value}} with None for empty or masked cells and NaN kept as NaN."""
    rows = {}
    names = [f.name for f in votable.fields]
    for index, row in enumerate(votable.array):
        values = {}
        for name in names:
            masked = votable.array.mask[index][name]
            value = None if masked else row[name]
            if isinstance(value, np.generic):
                value = value.item()
            values[RENAMED.get(name, name)] = None if value == "" else value
        rows[values["exp_id"]] = values
    return rows


def same(ours, theirs) -> bool:
    if isinstance(theirs, float) and math.isnan(theirs):
        return ours is None or (isinstance(ours, float) and math.isnan(ours))
    if isinstance(theirs, str) and isinstance(ours, int):
        return str(ours) == theirs  # obs_id, target_id: text in the old answers, int now
    return ours == theirs


def load(path):
    call_command("import_obsportal_answer", str(path))
    # The original's target ids were its own table's: give our stars the same ids, so the
    # value path of target_id is compared too.
    original = cells(parse(str(path), verify="ignore").get_first_table())
    for exp_id, row in original.items():
        if row.get("target_id") is not None:
            star, _ = Star.objects.get_or_create(
                pk=int(row["target_id"]), defaults={"name": f"original {row['target_id']}"}
            )
            Exposure.objects.filter(exp_id=exp_id).update(star=star)
    return original


@pytest.mark.parametrize(
    "name, ask",
    [
        # Aspro2: POST one cone per target, 30", all_fields=false.
        ("search.votable.xml", "aspro"),
        ("obsportal-output-10.votable.xml", "aspro"),
        # OiDB: GET the whole instrument with all fields.
        ("obsportal-dev-spica.votable.xml", "oidb"),
    ],
)
def test_same_fields_and_values_as_the_original(shared_dir, name, ask):
    original = load(shared_dir / "obsportal" / "aspro" / name)
    theirs_table = parse(str(shared_dir / "obsportal" / "aspro" / name), verify="ignore")
    theirs_table = theirs_table.get_first_table()
    ours = {}
    if ask == "aspro":
        targets = {(row["target_ra"], row["target_dec"]) for row in original.values()}
        for ra, dec in targets:
            params = {"ra": repr(ra), "dec": repr(dec), "radius": "30.0", "all_fields": "false"}
            response = Client().post("/search.votable", params)
            ours_table = table(b"".join(response.streaming_content))
            ours.update(cells(ours_table))
    else:
        response = Client().get("/search.votable", {"instrument": "SPICA", "all_fields": "true"})
        ours_table = table(b"".join(response.streaming_content))
        ours = cells(ours_table)

    our_fields = {f.name: f for f in ours_table.fields}
    for field in theirs_table.fields:
        mine = our_fields.get(RENAMED.get(field.name, field.name))
        assert mine is not None, f"{field.name} is missing from our answer"
        assert mine.ucd == field.ucd or (field.ucd is None and not mine.ucd), field.name
    assert set(ours) == set(original)  # the same exposures, no more, no less
    differences = [
        (exp_id, key, ours[exp_id].get(key), value)
        for exp_id, row in original.items()
        for key, value in row.items()
        if not same(ours[exp_id].get(key), value)
    ]
    assert differences == []


def test_importing_again_changes_nothing_and_a_foreign_file_is_refused(
    shared_dir, tmp_path, capsys
):
    from django.core.management.base import CommandError

    path = shared_dir / "obsportal" / "aspro" / "obsportal-output-10.votable.xml"
    call_command("import_obsportal_answer", str(path))
    call_command("import_obsportal_answer", str(path))
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "obsportal-output-10.votable.xml: 31 exposures created, 0 already here",
        "obsportal-output-10.votable.xml: 0 exposures created, 31 already here",
    ]
    foreign = tmp_path / "catalogue.vot"
    foreign.write_bytes(b"".join(Client().get("/export.vot").streaming_content))
    with pytest.raises(CommandError, match="no exp_id field; not an ObsPortal answer"):
        call_command("import_obsportal_answer", str(foreign))
    assert Exposure.objects.count() == 31


def test_an_answer_with_a_row_without_its_start_is_refused_and_nothing_is_written(
    shared_dir, tmp_path
):
    """A row whose exp_mjd_start is empty (the real answer, that one cell emptied) cannot be
    an exposure: the import names the row and writes none of the others."""
    import re

    from django.core.management.base import CommandError

    text = (shared_dir / "obsportal" / "aspro" / "obsportal-output-10.votable.xml").read_text()
    fields = re.findall(r'<FIELD[^>]*\bname="([^"]+)"', text)
    column = fields.index("exp_mjd_start")
    first = re.search(r"<TR>(.*?)</TR>", text, re.S)
    cells = re.findall(r"<TD>.*?</TD>|<TD/>", first.group(1), re.S)
    cells[column] = "<TD></TD>"
    emptied = tmp_path / "emptied.votable.xml"
    emptied.write_text(text[: first.start(1)] + "".join(cells) + text[first.end(1) :])
    with pytest.raises(CommandError, match="row 1 has no exp_mjd_start"):
        call_command("import_obsportal_answer", str(emptied))
    assert not Exposure.objects.exists()
