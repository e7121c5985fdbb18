"""The database CI provides is the one production runs on."""

import pytest
from django.db import connection


@pytest.mark.postgresql
@pytest.mark.django_db
def test_postgresql_is_version_15_with_the_q3c_extension_available():
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert cursor.fetchone()[0].startswith("15")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS q3c")
        cursor.execute("SELECT q3c_dist(10.0, 20.0, 10.0, 21.0)")
        assert cursor.fetchone()[0] == pytest.approx(1.0)
