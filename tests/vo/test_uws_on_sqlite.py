"""TAP's async resource on SQLite, the default database: TAP needs PostgreSQL (its tables are
PostgreSQL views), and says so in a VOTable error rather than failing."""

import pytest

from vo.uws.models import Job


@pytest.mark.sqlite
def test_on_sqlite_the_async_resource_says_tap_needs_postgresql(client, db):
    response = client.post("/tap/async", {"QUERY": "SELECT 1", "PHASE": "RUN"})
    assert response["Content-Type"].startswith("application/x-votable+xml")
    assert b"PostgreSQL" in response.content
    assert not Job.objects.exists()
    assert b"PostgreSQL" in client.get("/tap/async").content
