"""The REST API's own exceptions and the one JSON shape of every error (DRF's EXCEPTION_HANDLER).

Kept apart from authentication.py and throttling.py: DRF imports its authentication classes
while rest_framework.views is being imported, and this module needs rest_framework.views.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "The object is not in a state that allows this."
    default_code = "conflict"


class RowProblems(exceptions.APIException):
    """Rows that block an action (submit, accept), each named by row and column."""

    status_code = 400
    default_code = "row_problems"

    def __init__(self, message: str, problems: list[dict]):
        super().__init__(message)
        self.problems = problems


class TooLarge(exceptions.APIException):
    status_code = 413
    default_code = "too_large"


def _flatten(detail, path: str = "") -> list[dict]:
    """DRF's nested error detail as a flat list, each naming its field (and row)."""
    if isinstance(detail, dict):
        return [e for key, value in detail.items() for e in _flatten(value, _join(path, str(key)))]
    if isinstance(detail, list):
        if all(isinstance(item, (str, exceptions.ErrorDetail)) for item in detail):
            return [_entry(path, str(item), getattr(item, "code", "invalid")) for item in detail]
        return [
            e
            for index, item in enumerate(detail)
            for e in _flatten(item, f"{path}[{index}]")
            if item
        ]
    return [_entry(path, str(detail), getattr(detail, "code", "invalid"))]


def _join(path: str, key: str) -> str:
    if key == "non_field_errors":
        return path
    if key.isdigit() and path:  # an item of a list (DRF keys list errors by index)
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _entry(path: str, message: str, code: str) -> dict:
    entry: dict[str, str | int | None] = {
        "field": path or None,
        "code": code or "invalid",
        "message": message,
    }
    if path.startswith("rows["):
        entry["row"] = int(path[5 : path.index("]")]) + 1  # as people count rows
    return entry


def error_handler(exc, context):
    """Every error of the API in one shape:
    ``{"status": 400, "code": "invalid", "message": "...", "errors": [{"field", "row", "code",
    "message"}]}``."""
    if isinstance(exc, RequestDataTooBig):
        exc = TooLarge(
            f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2**20} MB: "
            f"send fewer rows per submission ({settings.SUBMISSION_MAX_ROWS} at most)."
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found, or not yours to see.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, RowProblems):
        response.data = {"status": 400, "code": "row_problems", "message": str(exc.detail),
                         "errors": exc.problems}  # fmt: skip
        return response
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        message = "The request is not valid: " + "; ".join(
            (f"{e['field']}: " if e["field"] else "") + e["message"] for e in errors[:5]
        )
        code = "invalid"
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        message = str(detail)
        code = str(getattr(detail, "code", None) or getattr(exc, "default_code", "error"))
        errors = []
    response.data = {
        "status": response.status_code,
        "code": code,
        "message": message,
        "errors": errors,
    }
    return response
