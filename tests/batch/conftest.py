"""A folder served over HTTP on 127.0.0.1, for feeds and their enclosures."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest


@pytest.fixture
def served(tmp_path):
    """A folder served over HTTP on 127.0.0.1 (quietly), and its base URL."""
    root = tmp_path / "site"
    root.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
