"""The review desk's local web server (Flask on Werkzeug's threaded server), for one episode and one person.

Bound to 127.0.0.1 on a free port. Every request must carry the random token from the printed URL
(in the query for the page and the audio, which an <audio> element cannot give a header; in the
X-Review-Token header for a save, which a page of another site cannot send); the Host header must
name this machine (no DNS rebinding); there are three routes and none takes a path, so nothing but
this episode's page, audio and save can be reached; request bodies are capped.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import sys
import webbrowser
from collections.abc import Callable

from flask import Flask, Response, abort, jsonify, request, send_file
from werkzeug.serving import BaseWSGIServer, make_server

from pipeline import review
from pipeline.errors import ChaptersError, InputError, TagError

MAX_REQUEST_BYTES = 1 << 20  # a thousand chapters' JSON is far below this
TOKEN_HEADER = "X-Review-Token"


def create_app(desk: review.Desk, token: str) -> Flask:
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES, TRUSTED_HOSTS=["127.0.0.1", "localhost"])
    saving = threading.Lock()  # one save at a time: two tabs must not interleave the MP3 and its sidecars

    @app.before_request
    def only_with_the_token():
        given = request.headers.get(TOKEN_HEADER) or request.args.get("token") or ""
        if not secrets.compare_digest(given.encode(), token.encode()):
            abort(403)

    @app.get("/")
    def page():
        nonce = secrets.token_urlsafe(16)
        text = review.page(desk, save_url="/save", token=token, audio_href=f"/audio?token={token}", nonce=nonce)
        response = Response(text, mimetype="text/html")
        response.headers["Content-Security-Policy"] = (
            f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; media-src 'self'; connect-src 'self'; "
            "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )
        return response

    @app.get("/audio")
    def audio():
        return send_file(desk.source.resolve(), mimetype="audio/mpeg", conditional=True, max_age=0)  # ranges: the player seeks

    @app.post("/save")
    def save():
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict):
            return jsonify(error="expected a JSON object"), 400
        try:
            with saving:
                chapters, written = review.save(desk, payload.get("chapters"))
        except (InputError, TagError) as exc:  # edits the chapters cannot be written as
            return jsonify(error=str(exc)), 400
        except ChaptersError as exc:  # the writing failed (a read-only file, a full disk): said on the page, not a bare 500
            return jsonify(error=str(exc)), 500
        return jsonify(chapters=chapters, written=[str(path) for path in written])

    @app.after_request
    def private(response: Response) -> Response:
        response.headers.update({"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"})
        return response

    return app


def start(desk: review.Desk, port: int = 0) -> tuple[BaseWSGIServer, str]:
    """A server for the desk (not yet serving) and the URL to open."""
    token = secrets.token_urlsafe(24)
    # bound here, not by Werkzeug, which prints a paragraph and exits when the port is taken
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listening.bind(("127.0.0.1", port))
        listening.listen(64)
    except OSError as exc:
        listening.close()
        raise InputError(f"cannot listen on 127.0.0.1 port {port}: {exc.strerror or exc}") from None
    with listening:
        server = make_server("127.0.0.1", port, create_app(desk, token), threaded=True, fd=listening.fileno())
    return server, f"http://127.0.0.1:{server.socket.getsockname()[1]}/?token={token}"


def serve(desk: review.Desk, port: int = 0, open_browser: bool = True, say: Callable[[str], None] = print) -> None:
    """Serve until Ctrl-C."""
    server, url = start(desk, port)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
    say(f"review desk for {desk.source.name}: {url}")
    say("Ctrl-C stops it (unsaved changes in the page are lost)")
    if open_browser and _has_display():
        webbrowser.open(url)
    try:
        server.serve_forever()  # Werkzeug's returns on Ctrl-C by itself
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    say("stopped")


def _has_display() -> bool:
    return sys.platform in ("darwin", "win32") or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
