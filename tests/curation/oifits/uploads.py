"""What the OIFITS tests upload: a shared file as an upload, a submission table with its OIFITS
column, a zip of a table and its files, and the zip upload's form post."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.rows import GOOD_ROW

ZIP_ADDRESS = "/submissions/upload/zip/"
ACHERNAR_CELLS = {**GOOD_ROW, "ID1": "HD10144", "ID2": "Achernar", "UD_DIAM": "1.7",
                  "LD_DIAM": "", "BAND": "H", "BANDCODE": "7"}  # fmt: skip


def upload(oifits_dir, name, as_name=None):
    return SimpleUploadedFile(as_name or name, (oifits_dir / name).read_bytes())


def table(*rows: dict) -> bytes:
    header = [*GOOD_ROW, "OIFITS"]
    lines = [",".join(header)] + [",".join(r.get(c, "") for c in header) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def zipped(members: dict[str, bytes], name: str = "batch.zip") -> SimpleUploadedFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in members.items():
            archive.writestr(path, data)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/zip")


def post(client, upload):
    return client.post(ZIP_ADDRESS, {"zip-file": upload, "zip-title": "With data"})


def api_client(user):
    """An API client holding a token of ``user``."""
    from rest_framework.test import APIClient

    from accounts.models import ApiToken

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(user, 'oifits')[1]}")
    return client
