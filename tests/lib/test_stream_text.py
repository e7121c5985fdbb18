"""lib.sql_rows.stream_text on PostgreSQL: the rows leave by a binary COPY read in a thread.
What a client of the answers relies on: every row once and in order, whatever the pieces; a
client gone half-way stops the database's work and leaves the connection as it was; an error
of the database reaches the reader. The rows' bytes against the Python writers are
tests/obsportal/test_written_rows.py's and tests/jmdc/formats/test_written_rows.py's."""

import threading

import pytest
from django.db import DatabaseError, connection

from lib import sql_rows
from lib.sql_rows import RowText, py_repr, stream_text
from obsportal.models import Exposure
from tests.obsportal.builders import exposure

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the database writes the rows on PostgreSQL"
    ),
]

# Texts the COPY's text format would have escaped (the binary format takes them as they are).
TEXTS = ["plain", "tab\there", "new\nline\r", "back\\slash \\N", "\\", "Ångström 🌟", ""]


@pytest.fixture
def exposures():
    for n in range(60):
        exposure(f"STREAM.{n:03}_1", 10.0, -10.0, target_name=TEXTS[n % len(TEXTS)])
    return Exposure.objects.order_by("exp_id")


def line(expression_sql: str = "{0}") -> RowText:
    return RowText(f"{expression_sql} || chr(10)", "target_name")


@pytest.mark.parametrize("piece_bytes", [1, 100, 1 << 20])
def test_every_row_comes_once_in_order_whatever_the_pieces(exposures, monkeypatch, piece_bytes):
    monkeypatch.setattr(sql_rows, "PIECE_BYTES", piece_bytes)
    pieces = list(stream_text(exposures, line()))
    expected = "".join(f"{t}\n" for t in exposures.values_list("target_name", flat=True))
    assert b"".join(pieces).decode() == expected
    assert len(pieces) > 1 if piece_bytes < 1000 else len(pieces) == 1


def test_doubles_python_writes_are_written_in_every_piece_while_the_copy_runs(
    exposures, monkeypatch
):
    """From 1e16 on the SQL marks a double for Python to write: from the mark alone, as the
    rows come, since no query can run on the connection while the COPY holds it."""
    monkeypatch.setattr(sql_rows, "PIECE_BYTES", 1)
    huge = [1e23, -1.5e16, 1e16, 9.999999999999999e22, 1.7976931348623157e308, 58849.5]
    for n, value in enumerate(huge):
        Exposure.objects.filter(exp_id=f"STREAM.{n * 7:03}_1").update(tau0=value)
    ordered = exposures.exclude(tau0=None)
    pieces = list(stream_text(ordered, RowText(f"{py_repr('{0}')} || chr(10)", "tau0")))
    assert len(pieces) == len(huge)
    assert b"".join(pieces).decode() == "".join(
        f"{v!r}\n" for v in ordered.values_list("tau0", flat=True)
    )


def test_a_query_between_two_pieces_is_refused_in_words_and_the_rows_go_on(exposures, monkeypatch):
    monkeypatch.setattr(sql_rows, "PIECE_BYTES", 1)
    answer = stream_text(exposures, line())
    first = next(answer)
    with pytest.raises(RuntimeError, match="streaming rows by COPY: read every piece"):
        Exposure.objects.count()
    rest = b"".join(answer)
    expected = "".join(f"{t}\n" for t in exposures.values_list("target_name", flat=True))
    assert (first + rest).decode() == expected


def test_an_empty_selection_gives_no_piece(exposures):
    assert list(stream_text(exposures.filter(exp_id="nothing"), line())) == []


def test_a_client_gone_half_way_stops_the_query_and_leaves_the_connection_usable(
    exposures, monkeypatch
):
    """Each row is counted by a sequence (not undone by a rollback) and takes 20 ms: a query
    left to run would count all 60 rows; a cancelled one stops near the pieces taken. Each
    row is longer than the 8 kB the server buffers before sending."""
    monkeypatch.setattr(sql_rows, "PIECE_BYTES", 1)  # a piece a row
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY SEQUENCE rows_evaluated")
    counted = line(
        "{0} || nextval('rows_evaluated')::text || repeat('x', 10000) || pg_sleep(0.02)::text"
    )
    threads = threading.active_count()
    # Not ordered: a sort would evaluate every row before sending the first.
    answer = stream_text(Exposure.objects.all(), counted)
    assert next(answer)
    answer.close()  # what Django does when the client goes away
    assert threading.active_count() == threads  # the COPY's thread has ended
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM rows_evaluated")
        (evaluated,) = cursor.fetchone()
    assert evaluated < 20
    assert Exposure.objects.count() == 60  # the connection answers again, its data intact


def test_an_error_of_the_database_half_way_reaches_the_reader_and_is_rolled_back(exposures):
    failing = line("CASE WHEN {0} = 'Ångström 🌟' THEN (1 / 0)::text ELSE {0} END")
    with pytest.raises(DatabaseError, match="division by zero"):
        list(stream_text(exposures, failing))
    assert Exposure.objects.count() == 60
