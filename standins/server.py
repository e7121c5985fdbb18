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
