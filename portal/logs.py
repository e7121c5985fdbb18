"""Structured logs: one JSON object per line, for production's log collector.

`LOG_FORMAT=json` (the default with DEBUG off) selects `JsonFormatter` for everything Django,
Celery and our code log; gunicorn's access lines come through `GunicornLogger` in the same
shape. Developers keep plain text lines.
"""

import json
import logging
import re
from datetime import UTC, datetime

from gunicorn import glogging

from lib.numbers import whole_number

# Attributes every LogRecord has; anything else was passed in `extra=` and is kept.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def _jsonable(value):
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = _jsonable(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


# gunicorn's access-log atoms, under names a reader understands.
ACCESS_FIELDS = {
    "remote": "h",
    "method": "m",
    "path": "U",
    "query": "q",
    "status": "s",
    "bytes": "B",
    "duration_ms": "M",
    "referer": "f",
    "agent": "a",
}


# Query parameters that carry a credential: a signed table link (lib/table_links.py, valid
# for hours: a log reader could open the private selection), or any token or key.
SECRET_PARAMETER = re.compile(
    r"(^|[?&])((?:signed|[^&=]*token|[^&=]*key|[^&=]*secret|password)=)[^&]*", re.I
)


def redacted(query: str) -> str:
    """The query string with the values of credential-like parameters replaced."""
    return SECRET_PARAMETER.sub(r"\1\2REDACTED", query)


class GunicornLogger(glogging.Logger):
    """gunicorn's logger with each access line as one JSON object (`gunicorn.conf.py`)."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        line = {"time": datetime.now(UTC).isoformat(timespec="milliseconds")}
        line["logger"] = "gunicorn.access"
        line.update({name: atoms.get(atom, "-") for name, atom in ACCESS_FIELDS.items()})
        line["query"], line["referer"] = (
            redacted(str(line["query"])),
            redacted(str(line["referer"])),
        )
        for name in ("status", "bytes", "duration_ms"):
            value = line[name]
            line[name] = whole_number(str(value))
        self.access_log.info(json.dumps(line, ensure_ascii=False))
