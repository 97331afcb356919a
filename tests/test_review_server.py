"""The review server refuses what is not this page's own: no token, a foreign Host, other paths, big bodies."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from pipeline import cli, review_server
from pipeline.model import Chapter, Status, Verdict

TOKEN = "s3cret-token"


@pytest.fixture
def client(tone_mp3):
    verdicts = (Verdict(Chapter("Frage", 10.0), 10.0, Status.MISSING, 1.0, ""),)
    desk = SimpleNamespace(source=tone_mp3, aligned=SimpleNamespace(alignment=SimpleNamespace(verdicts=verdicts)),
                           episode=SimpleNamespace(duration_s=30.0, frames_sha256="a" * 64))
    return review_server.create_app(desk, TOKEN).test_client()


def test_the_audio_is_served_with_the_token_and_in_ranges(client):
    response = client.get(f"/audio?token={TOKEN}", headers={"Range": "bytes=0-99"}, base_url="http://127.0.0.1:8765")
    assert response.status_code == 206 and len(response.data) == 100
    assert response.headers["Cache-Control"] == "no-store" and response.headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("path, headers", [("/audio", {}), ("/audio?token=wrong", {}), ("/", {}), ("/save", {"X-Review-Token": "s3cret"})])
def test_a_request_without_the_token_is_refused(client, path, headers):
    assert client.get(path, headers=headers, base_url="http://127.0.0.1:8765").status_code == 403


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "127.0.0.1.evil.example", "192.168.1.5:8765"])
def test_a_foreign_host_header_is_refused(client, host):
    # a page of another site whose name was pointed at 127.0.0.1 (DNS rebinding) sends its own name
    assert client.get(f"/audio?token={TOKEN}", headers={"Host": host}).status_code == 400


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765"])
def test_this_machines_names_are_accepted(client, host):
    assert client.get(f"/audio?token={TOKEN}", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("path", ["/../../etc/passwd", "/audio/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/static/..%2f..%2fpipeline/run.py",
                                  "/tone.mp3", "/audio/tone.mp3"])
def test_no_other_path_is_served(client, path):
    sep = "&" if "?" in path else "?"
    response = client.get(f"{path}{sep}token={TOKEN}", base_url="http://127.0.0.1:8765")
    assert response.status_code == 404 and b"root:" not in response.data


def test_a_big_body_is_refused_before_it_is_read(client):
    body = b'{"chapters": "' + b"a" * (review_server.MAX_REQUEST_BYTES + 10) + b'"}'
    response = client.post("/save", data=body, headers={"X-Review-Token": TOKEN, "Content-Type": "application/json"}, base_url="http://127.0.0.1:8765")
    assert response.status_code == 413


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"chapters": [{"title": "x", "start": 999, "source": 0}]}'])
def test_a_malformed_save_is_refused_with_a_reason_and_writes_nothing(client, body, tone_mp3):
    before = tone_mp3.read_bytes()
    response = client.post("/save", data=body, headers={"X-Review-Token": TOKEN, "Content-Type": "application/json"}, base_url="http://127.0.0.1:8765")
    assert response.status_code == 400 and response.get_json()["error"]
    assert tone_mp3.read_bytes() == before and sorted(p.name for p in tone_mp3.parent.iterdir()) == ["tone.mp3"]


def test_a_save_that_cannot_be_written_is_a_json_error_for_the_page(tone_mp3, monkeypatch):
    from pipeline import review
    from pipeline.errors import OutputError, TagError

    desk = SimpleNamespace(source=tone_mp3)
    client = review_server.create_app(desk, TOKEN).test_client()
    for error, status in ((TagError("chapter 2 has an empty title"), 400), (OutputError("out/tone.mp3: file is read-only"), 500)):
        monkeypatch.setattr(review, "save", lambda _desk, _edits, error=error: (_ for _ in ()).throw(error))
        response = client.post("/save", json={"chapters": []}, headers={"X-Review-Token": TOKEN}, base_url="http://127.0.0.1:8765")
        assert response.status_code == status and response.get_json() == {"error": str(error)}


def test_only_get_and_post_where_meant(client):
    assert client.post(f"/audio?token={TOKEN}", base_url="http://127.0.0.1:8765").status_code == 405
    assert client.get(f"/save?token={TOKEN}", base_url="http://127.0.0.1:8765").status_code == 405


def test_a_busy_port_is_one_clear_line(tone_mp3, tmp_path, capsys):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(Exception) as refused:
            review_server.start(SimpleNamespace(source=tone_mp3), port)
    assert f"port {port}" in str(refused.value) and type(refused.value).__name__ == "InputError"


@pytest.mark.parametrize("args, message", [(["nowhere.mp3"], "nowhere.mp3"), (["--port", "70000", "{mp3}"], "argument --port: expected a port number")])
def test_review_on_bad_input_is_one_line_and_exit_2(args, message, tone_mp3, capsys):
    try:
        code = cli.main(["review", *[a.format(mp3=tone_mp3) for a in args], "--no-browser"])
    except SystemExit as usage:  # argparse's own exit for an option's value
        code = usage.code
    error = capsys.readouterr().err
    assert code == 2 and message in error and "Traceback" not in error and error.count("\n") == 1


def test_ctrl_c_stops_the_server_cleanly(monkeypatch):
    closed, said = [], []

    class Interrupted:
        def serve_forever(self):
            raise KeyboardInterrupt

        def server_close(self):
            closed.append(True)

    monkeypatch.setattr(review_server, "start", lambda desk, port: (Interrupted(), "http://127.0.0.1:1/?token=t"))
    review_server.serve(SimpleNamespace(source=SimpleNamespace(name="x.mp3")), open_browser=False, say=said.append)
    assert closed == [True] and said[-1] == "stopped" and "http://127.0.0.1:1/?token=t" in said[0]
