"""The streaming VOTable writer, which knows no app."""

from lib import votable


def test_the_writer_streams_in_pieces():
    fields = [votable.VOField("x", "int")]
    pieces = list(
        votable.write_votable(fields, ((n,) for n in range(5)), table_name="t", chunk_rows=2)
    )
    assert len(pieces) == 1 + 3 + 1  # head, three pieces of rows, tail
    assert "".join(pieces).count("<TR>") == 5
