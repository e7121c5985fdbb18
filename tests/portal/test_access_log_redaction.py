"""gunicorn's access lines (portal/logs.py) never carry a credential: a signed table link's
``signed`` value (it opens a private selection for hours), or a token or key, is replaced."""

import datetime
import json
from types import SimpleNamespace

from gunicorn.config import Config

from portal.logs import GunicornLogger


def test_the_access_line_redacts_a_signed_link_and_tokens_and_keeps_the_rest(capsys):
    config = Config()
    config.set("accesslog", "-")
    logger = GunicornLogger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/catalogue.votable",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": "/catalogue.votable",
        "QUERY_STRING": "band=K&signed=eyJzZWwiOjF9:1abc:XYZ&api_token=s3cret&VERSION=1.4",
        "HTTP_REFERER": "https://jmdc.example/search?signed=eyJ:1abc:XYZ",
        "REMOTE_ADDR": "192.0.2.1",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    logger.access(response, SimpleNamespace(headers=[]), environ, datetime.timedelta(0, 1))
    written = capsys.readouterr().out  # gunicorn's access log: "-", standard output
    line = json.loads(written.strip().splitlines()[-1])
    assert line["query"] == "band=K&signed=REDACTED&api_token=REDACTED&VERSION=1.4"
    assert line["referer"] == "https://jmdc.example/search?signed=REDACTED"
    assert "XYZ" not in written and "s3cret" not in written
