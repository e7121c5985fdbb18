"""The bytes of the OIFITS files attached so far move from the folder they were written to
(``OIFITS_DIR``, ``var/oifits`` by default) into their rows: under compose that folder was the
web container's own, which the worker could not read and no backup held.

A file missing from the folder keeps its row (its name, checksum, fit and history), marked
failed with an error that says to attach it again, and is logged. Under compose, run this
migration where the files are: docs/operations.md, "Upgrading: OIFITS files into the database".
The files themselves are left in the folder, to be removed once the upgrade is checked."""

import hashlib
import logging
import os
from pathlib import Path

from django.conf import settings
from django.db import migrations

logger = logging.getLogger("curation.migrations")


def folder() -> Path:
    # The setting is gone with this change; the folder is where the portal wrote the files.
    configured = getattr(settings, "OIFITS_DIR", None) or os.environ.get("OIFITS_DIR")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "oifits"


def move_bytes_in(apps, schema_editor):
    OifitsFile = apps.get_model("curation", "OifitsFile")
    directory = folder()
    for pk, name, stored, sha256 in OifitsFile.objects.filter(content__isnull=True).values_list(
        "pk", "name", "stored", "sha256"
    ):
        path = directory / stored
        try:
            content = path.read_bytes()
        except OSError as exc:
            error = (
                f"{name} was lost when the portal moved its OIFITS files into the database "
                f"({path}: {exc.strerror or exc}): attach it again to have it fitted."
            )
        else:
            if hashlib.sha256(content).hexdigest() == sha256:
                OifitsFile.objects.filter(pk=pk).update(content=content)
                continue
            error = (
                f"{name} was found changed when the portal moved its OIFITS files into the "
                f"database ({path} no longer has the checksum recorded at upload): attach it "
                "again to have it fitted."
            )
        logger.error("OIFITS file %s (id %s): %s", name, pk, error)
        OifitsFile.objects.filter(pk=pk).update(state="failed", progress=100, error=error)


class Migration(migrations.Migration):
    dependencies = [("curation", "0008_oifitsfile_content")]

    # Back: the bytes stay in the rows (0008's reverse drops them with the column).
    operations = [migrations.RunPython(move_bytes_in, migrations.RunPython.noop)]
