"""The documented backup procedure (docs/operations.md): `ops/backup` dumps the database,
`ops/restore` loads the dump into a fresh database, where every measurement, release and
release file, and every attached OIFITS file, is found as it was. On PostgreSQL, as in
production."""

import datetime
import hashlib
import subprocess
import uuid
from contextlib import closing

import psycopg2
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from curation import services
from jmdc.models import CATALOGUE_FIELDS, Measurement
from jmdc.releases import DATA_FILES, build, freeze
from tests.builders import measurement
from tests.curation.oifits.files import SIMULATED
from tests.parts import missing_part
from tests.rows import row

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def url_of(database: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{database}"


def run(*command: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": url_of(connection.settings_dict["NAME"])}
    return subprocess.run(
        command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )


def contents(database: str) -> dict[str, list]:
    """What a user would look for after a restore, read with plain SQL."""
    with closing(psycopg2.connect(url_of(database))) as conn, conn.cursor() as cursor:
        columns = ", ".join(CATALOGUE_FIELDS)
        cursor.execute(f"SELECT id, {columns} FROM jmdc_measurement ORDER BY id")  # noqa: S608
        measurements = cursor.fetchall()
        cursor.execute("SELECT version, date, row_count, status FROM jmdc_release ORDER BY version")
        releases = cursor.fetchall()
        cursor.execute(
            "SELECT r.version, f.name, f.sha256, f.content FROM jmdc_releasefile f "
            "JOIN jmdc_release r ON r.id = f.release_id ORDER BY r.version, f.name"
        )
        files = [(v, n, s, hashlib.sha256(bytes(c)).hexdigest()) for v, n, s, c in cursor]
        cursor.execute("SELECT count(*) FROM jmdc_historicalmeasurement")
        history = cursor.fetchone()
    return {"measurements": measurements, "releases": releases, "files": files, "history": history}


@pytest.fixture
def restored_name():
    name = f"jmdc_restored_{uuid.uuid4().hex[:8]}"
    yield name
    with closing(psycopg2.connect(url_of("postgres"))) as conn:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_a_dump_restored_into_a_fresh_database_has_every_measurement_and_release(
    tmp_path, restored_name
):
    # Invented rows, one with characters a dump must carry unchanged, and a corrected one.
    first = measurement(id1="HD 360", ld_diam=0.906, notes="μλ from Claret; «quoted»")
    measurement(id1="alf Boo", ld_diam=21.05, e_ld_diam=0.21, bandcode=8)
    rows = Measurement.objects.public().in_export_order().values_list("pk", *CATALOGUE_FIELDS)
    release = freeze(
        ((pk, tuple(v)) for pk, *v in rows), version="2026.1", date=datetime.date(2026, 11, 24)
    )
    build(release.pk)
    first.ld_diam = 0.911
    first.save()
    measurement(id1="HD 3750", ld_diam=1.003)
    before = contents(connection.settings_dict["NAME"])
    assert len(before["measurements"]) == 3
    assert {name for _, name, *_ in before["files"]} == {*DATA_FILES, "datacite.json", "SHA256SUMS"}

    dump = tmp_path / "jmdc.dump"
    backed_up = run("ops/backup", str(dump))
    assert backed_up.returncode == 0, backed_up.stderr
    restored = run("ops/restore", str(dump), url_of(restored_name))
    assert restored.returncode == 0, restored.stderr

    after = contents(restored_name)
    assert after == before
    for version, name, stored, recomputed in after["files"]:
        assert stored == recomputed, f"{version}/{name} changed in the restore"


def test_restore_refuses_a_database_that_already_exists(tmp_path):
    dump = tmp_path / "jmdc.dump"
    assert run("ops/backup", str(dump)).returncode == 0
    existing = connection.settings_dict["NAME"]
    refused = run("ops/restore", str(dump), url_of(existing))
    assert refused.returncode == 1
    assert f"database {existing} already exists" in refused.stderr


def test_an_attached_oifits_file_is_in_the_restored_database_byte_for_byte(
    tmp_path, restored_name, people, shared_dir, django_capture_on_commit_callbacks
):
    original = shared_dir / "oifits" / SIMULATED
    if not original.is_file():
        missing_part(f"{original} is absent (see ../shared/oifits/PROVENANCE.md)")
    data = original.read_bytes()
    draft = services.create_submission(actor=people.astronomer, rows=[row(1)], title="Achernar")
    with django_capture_on_commit_callbacks(execute=True):
        services.attach_oifits(
            draft, 1, actor=people.astronomer, files=[SimpleUploadedFile("ud2mas.fits", data)]
        )

    dump = tmp_path / "jmdc.dump"
    assert run("ops/backup", str(dump)).returncode == 0
    restored = run("ops/restore", str(dump), url_of(restored_name))
    assert restored.returncode == 0, restored.stderr

    with closing(psycopg2.connect(url_of(restored_name))) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT name, size, sha256, content FROM curation_oifitsfile")
        ((name, size, sha256, content),) = cursor.fetchall()
    assert (name, size) == ("ud2mas.fits", len(data))
    assert hashlib.sha256(bytes(content)).hexdigest() == sha256 == hashlib.sha256(data).hexdigest()
