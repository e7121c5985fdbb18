"""The HTTP server every stand-in runs on: 127.0.0.1, a free port, one thread per request."""

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def start_server(handle: Callable[[BaseHTTPRequestHandler, str], None]) -> ThreadingHTTPServer:
    """Serve GET and POST with ``handle(handler, method)`` until ``server.shutdown()``."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # keep test output quiet
            pass

        def do_GET(self):
            handle(self, "GET")

        def do_POST(self):
            handle(self, "POST")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class StandIn:
    """The life cycle every stand-in shares: ``start()`` (or ``with``) serves ``_handle`` on a
    free port of 127.0.0.1, ``base`` is its address, ``url`` the address of the service
    (``base`` and the class's ``PATH``), ``stop()`` ends it."""

    PATH = ""
    _server: ThreadingHTTPServer | None = None

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        raise NotImplementedError

    def start(self) -> str:
        self._server = start_server(self._handle)
        return self.url

    @property
    def base(self) -> str:
        if self._server is None:
            raise RuntimeError("the stand-in is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        return self.base + self.PATH

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
