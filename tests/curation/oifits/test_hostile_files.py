"""Files made to hurt the portal, not to carry data: a compressed bomb, thousands of empty
extensions, a header announcing 80 GB, a table announcing rows the file does not hold. Each is
refused from its headers alone, before its data are read, with a message naming the file; and an
upload of one leaves nothing behind. Every file here is invented, written by the test itself."""

import subprocess
import sys
import tracemalloc

import numpy as np
import pytest
from astropy.io import fits
from django.core.files.uploadedfile import SimpleUploadedFile

from curation import services
from curation.models import OifitsFile, Submission
from curation.oifits.validate import BLOCK, validate
from lib.text import ERROR
from tests.rows import row

MB = 1024 * 1024


def padded(header: fits.Header) -> bytes:
    return header.tostring().encode("ascii")  # astropy pads a header to whole blocks


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    """An invented 6000 x 6000 image of zeros, GZIP-compressed: 0.3 MB on disk, 288 MB unpacked.
    The zeros are one broadcast value and the tiles 100 rows high, so that writing it costs the
    test a few MB, not the 288 MB it is made to cost whoever unpacks it."""
    path = tmp_path_factory.mktemp("hostile") / "zeros.fits"
    zeros = np.broadcast_to(np.zeros(1), (6000, 6000))
    image = fits.CompImageHDU(zeros, compression_type="GZIP_1", tile_shape=(100, 6000))
    fits.HDUList([fits.PrimaryHDU(), image]).writeto(path)
    return path


def many_extensions(path, count):
    """An invented file of one empty primary and ``count`` empty image extensions (one header
    block each: 2000 are 5.8 MB)."""
    extension = padded(fits.ImageHDU().header)
    with path.open("wb") as out:
        out.write(padded(fits.PrimaryHDU().header))
        for _ in range(count):
            out.write(extension)
    return path


def huge_primary(path):
    """An invented primary header announcing a 100000 x 100000 image of doubles (80 GB) in a
    file of two blocks."""
    header = fits.PrimaryHDU().header
    header["BITPIX"] = -64
    header["NAXIS"] = 2
    header["NAXIS1"] = 100_000
    header["NAXIS2"] = 100_000
    path.write_bytes(padded(header) + bytes(BLOCK))
    return path


def table_of_too_many_rows(path):
    """An invented OIFITS-like file whose OI_VIS2 announces a million rows of which it holds 3:
    the header is changed after astropy wrote the file, as a file cut short would look."""
    vis2 = fits.BinTableHDU.from_columns(
        [
            fits.Column("VIS2DATA", "D", array=np.full(3, 0.5)),
            fits.Column("VIS2ERR", "D", array=np.full(3, 0.01)),
        ],
        name="OI_VIS2",
    )
    fits.HDUList([fits.PrimaryHDU(), vis2]).writeto(path)
    written = bytearray(path.read_bytes())
    start = written.index(b"NAXIS2  =", BLOCK)  # the table's, after the primary's block
    written[start : start + 80] = f"{'NAXIS2':8}= {1_000_000:>20}".ljust(80).encode("ascii")
    path.write_bytes(bytes(written))
    return path


def messages(path, name=None):
    found = validate(path, name)
    assert found.refused and found.revision is None
    assert {p.severity for p in found.problems} == {ERROR}
    return [str(p) for p in found.problems]


def test_a_compressed_bomb_is_refused_without_being_unpacked(bomb):
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        refused = messages(bomb, "x.fits")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused == [
        "x.fits: x.fits: HDU #1 (COMPRESSED_IMAGE) is a compressed image (FITS tile compression); "
        "an OIFITS file holds uncompressed binary tables: send the file as its pipeline wrote it, "
        "not compressed."
    ]
    # Unpacked, it is 288 MB (numpy's arrays are traced): the headers alone are a few kB.
    assert peak < 50 * MB


def test_two_thousand_empty_extensions_are_refused_by_their_count(tmp_path):
    path = many_extensions(tmp_path / "x.fits", 2000)
    assert messages(path) == [
        "x.fits: x.fits holds 2000 extensions; an OIFITS file has a few dozen at most: is it the "
        "right file?"
    ]


def test_a_few_dozen_empty_extensions_are_read_and_found_not_oifits(tmp_path):
    # Below the bound, empty extensions are harmless: the file is read, and is not OIFITS.
    path = many_extensions(tmp_path / "empty.fits", 40)
    assert messages(path) == [
        "empty.fits: empty.fits is a FITS file but not OIFITS: it has none of the tables "
        "OI_TARGET, OI_WAVELENGTH, OI_VIS2, OI_VIS, OI_T3."
    ]


def test_a_header_announcing_80_gb_in_a_small_file_is_refused_by_size(tmp_path):
    path = huge_primary(tmp_path / "huge.fits")
    assert path.stat().st_size == 2 * BLOCK
    assert messages(path) == [
        "huge.fits: huge.fits was cut: its primary HDU announces 80000000000 bytes of data, the "
        "file holds 2880 of them (79999997120 bytes are missing). The file was cut (in a transfer, "
        "a copy, or a full disk): upload it again, whole."
    ]


def test_a_table_announcing_more_rows_than_the_file_holds_is_refused(tmp_path):
    path = table_of_too_many_rows(tmp_path / "cut.fits")
    assert messages(path) == [
        "cut.fits: cut.fits was cut: its table OI_VIS2 (HDU 1) announces 16000000 bytes of data, "
        "the file holds 2880 of them (15997120 bytes are missing). The file was cut (in a "
        "transfer, a copy, or a full disk): upload it again, whole."
    ]


def test_a_header_of_more_cards_than_an_oifits_file_has_is_refused_unparsed(tmp_path):
    header = fits.PrimaryHDU().header
    for _ in range(100_001):
        header.add_comment("invented")
    path = tmp_path / "talkative.fits"
    path.write_bytes(padded(header))
    assert messages(path) == [
        "talkative.fits: talkative.fits has more than 100000 header cards; an OIFITS file has a "
        "few thousand at most: is it the right file?"
    ]


def test_an_image_extension_with_data_is_refused_unread(tmp_path):
    path = tmp_path / "image.fits"
    fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(np.zeros((4, 5)), name="SKY")]).writeto(path)
    assert messages(path) == [
        "image.fits: image.fits: HDU #1 (SKY) is an image of 5 × 4 values; an OIFITS file holds "
        "binary tables, not images: is it the right file?"
    ]


def test_a_file_that_exhausts_memory_while_read_is_refused_not_a_server_error(tmp_path):
    """A sound file of 24 MB of table read by a process allowed 16 MB more memory than it holds:
    the reader's MemoryError becomes a refusal naming the file. (A subprocess: the limit is the
    whole process's.)"""
    path = tmp_path / "big.fits"
    column = fits.Column("VIS2DATA", "D", array=np.zeros(3_000_000))
    fits.HDUList([fits.PrimaryHDU(), fits.BinTableHDU.from_columns([column])]).writeto(path)
    script = f"""
import resource
from curation.oifits.validate import validate
size = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize()
resource.setrlimit(resource.RLIMIT_AS, (size + 16 * 1024 * 1024, resource.RLIM_INFINITY))
print(validate({str(path)!r}).problems[0])
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "big.fits: big.fits could not be read within the portal's limits (MemoryError): it is "
        "not an OIFITS file the portal can check; is it the right file?"
    )


@pytest.fixture
def draft(people):
    return services.create_submission(
        actor=people.astronomer, rows=[row(1), row(2)], group=people.group, title="Hostile"
    )


@pytest.mark.parametrize("kind", ["bomb", "extensions", "huge", "rows"])
def test_an_upload_of_a_hostile_file_is_refused_and_leaves_nothing(
    kind, people, draft, bomb, tmp_path, stored_oifits
):
    path = {
        "bomb": lambda: bomb,
        "extensions": lambda: many_extensions(tmp_path / "many.fits", 2000),
        "huge": lambda: huge_primary(tmp_path / "huge.fits"),
        "rows": lambda: table_of_too_many_rows(tmp_path / "cut.fits"),
    }[kind]()
    before = Submission.objects.get(pk=draft.pk).updated_at
    rows_before = list(draft.rows.values())
    upload = SimpleUploadedFile("data.fits", path.read_bytes())
    with pytest.raises(services.SubmissionInvalid) as refused:
        services.attach_oifits(draft, 1, actor=people.astronomer, files=[upload])
    assert str(refused.value).startswith(
        "data.fits was not attached: it is not an OIFITS file the portal can fit."
    )
    assert refused.value.problems[0].startswith("data.fits: ")
    assert not OifitsFile.objects.exists()
    assert not stored_oifits.exists() or not any(stored_oifits.iterdir())
    assert Submission.objects.get(pk=draft.pk).updated_at == before
    assert list(draft.rows.values()) == rows_before
    assert draft.audit.count() == 1  # its creation only
