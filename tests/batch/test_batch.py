"""Batches on a real Dask cluster: a scheduler and two workers on 127.0.0.1, the real speech model."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import FFMPEG, FIXTURES
from pipeline import cli, run
from pipeline.batch import BatchOptions, local_workers, run_batch
from pipeline.batch.manifest import Manifest, Row
from pipeline.transcribe import TranscribeOptions

DASK = Path(sys.executable).parent / "dask"


def variants(folder: Path, bitrates: tuple[str, ...]) -> list[Path]:
    """The committed clip re-encoded at other bitrates: other audio frames, so each is transcribed anew."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for rate in bitrates:
        mp3 = folder / f"clip-{rate}.mp3"
        subprocess.run([FFMPEG, "-v", "error", "-y", "-i", str(FIXTURES / "short-de.mp3"), "-b:a", rate, str(mp3)], check=True)
        mp3.with_suffix(".txt").write_text((FIXTURES / "short-de.txt").read_text(encoding="utf-8"), encoding="utf-8")
        made.append(mp3)
    return made


@pytest.fixture
def cluster(tmp_path):
    """`dask scheduler` and two `dask worker` processes (one thread each) on 127.0.0.1; yields the address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    logs = (tmp_path / "dask.log").open("w")
    common = ["--no-dashboard", "--host", "127.0.0.1"]
    processes = [subprocess.Popen([str(DASK), "scheduler", "--port", str(port), *common], stdout=logs, stderr=logs)]
    processes += [subprocess.Popen([str(DASK), "worker", address, "--nthreads", "1", "--name", f"w{n}", *common], stdout=logs, stderr=logs) for n in (1, 2)]
    from distributed import Client

    with Client(address, timeout="60s") as client:
        client.wait_for_workers(2, timeout=120)
    yield address
    for process in reversed(processes):
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    logs.close()


@pytest.mark.model
def test_a_batch_on_a_cluster_writes_the_good_ones_fails_the_corrupt_one_alone_and_loads_the_model_once_per_worker(cluster, tmp_path):
    source = tmp_path / "catalogue"
    variants(source, ("32k", "40k", "48k", "56k"))
    (source / "broken.mp3").write_bytes(os.urandom(30000))
    (source / "broken.txt").write_text("0:00 Intro\n0:10 Frage?\n")
    out = tmp_path / "out"
    assert cli.main(["batch", str(source), "--out", str(out), "--scheduler", cluster]) == 1  # the clip's corrected chapter needs a look
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    by_key = {episode["key"]: episode for episode in summary["episodes"]}
    assert sorted(by_key) == ["broken", "clip-32k", "clip-40k", "clip-48k", "clip-56k"]
    assert by_key["broken"]["status"] == "failed" and "broken.mp3" in by_key["broken"]["error"] and "\n" not in by_key["broken"]["error"]
    good = [episode for key, episode in by_key.items() if key != "broken"]
    assert all(e["status"] == "done" and (out / e["report"]).is_file() and (out / e["key"] / f"{e['key']}.mp3").is_file() for e in good)
    assert all(e["chapters"] == {"unverifiable": 2, "verified": 1, "corrected": 1} for e in good)  # as `chapters run` says of the clip
    loads: dict[str, set[int]] = {}
    for episode in good:
        loads.setdefault(episode["worker"], set()).add(episode["model_loads"])
    assert len(loads) == 2 and all(seen == {1} for seen in loads.values()), loads  # both workers, one model load each
    assert sorted(w["worker"] for w in summary["workers"]) == sorted(loads)
    assert all(w["model_loads"] == 1 and w["peak_rss_mb"] > 100 for w in summary["workers"])
    assert summary["totals"] == {"episodes": 5, "done": 4, "failed": 1, "need_a_look": 4}
    assert 'href="clip-32k/clip-32k.report.html"' in (out / "index.html").read_text(encoding="utf-8")
    before = Manifest(out / "manifest.sqlite").rows()
    again = run_batch([str(source)], BatchOptions(out_dir=out, scheduler=cluster), say=lambda line: None)
    assert again.ran == 0 and {row.key: row for row in again.rows} == before  # nothing to do: every row as it was
    assert run_batch([str(source)], BatchOptions(out_dir=out, scheduler=cluster, retry_failed=True), say=lambda line: None).ran == 1


@pytest.mark.model
def test_a_worker_killed_mid_batch_leaves_its_episode_to_another_and_the_batch_completes(cluster, tmp_path):
    from distributed import Client

    source = tmp_path / "catalogue"
    variants(source, ("32k", "40k", "48k", "56k"))
    out = tmp_path / "out"
    options = BatchOptions(out_dir=out, scheduler=cluster, run=run.RunOptions(transcribe=TranscribeOptions(use_cache=False)))
    finished = {}
    batch = threading.Thread(target=lambda: finished.update(outcome=run_batch([str(source)], options, say=lambda line: None)))
    batch.start()
    with Client(cluster) as client:
        pids = client.run(os.getpid)
        deadline = time.monotonic() + 120
        while not any(client.processing().values()) and time.monotonic() < deadline:
            time.sleep(0.2)
        busy, keys = next((address, keys) for address, keys in client.processing().items() if keys)
        time.sleep(2.0)  # well into its episode
        os.kill(pids[busy], signal.SIGKILL)
    interrupted = next(iter(keys)).removeprefix("episode-").rsplit("-", 1)[0]  # task keys: episode-KEY-AUDIO8
    batch.join(timeout=600)
    outcome = finished["outcome"]
    assert [row.status for row in outcome.rows] == ["done"] * 4
    (row,) = [row for row in outcome.rows if row.key == interrupted]
    assert row.worker != f"{socket.gethostname()}:{pids[busy]}"  # done again, by a worker that lived


def test_workers_from_cores_and_memory():
    assert local_workers(cores=8, memory_gb=64) == 8
    assert local_workers(cores=8, memory_gb=6) == 2  # 2.5 GB each
    assert local_workers(cores=2, memory_gb=1) == 1


def test_a_damaged_manifest_is_one_clear_line(tmp_path):
    from pipeline.errors import InputError

    (tmp_path / "m.sqlite").write_bytes(b"not a database at all" * 100)
    with pytest.raises(InputError, match="m.sqlite: not a batch manifest"):
        Manifest(tmp_path / "m.sqlite").rows()


def test_a_manifest_row_is_written_whole(tmp_path):
    manifest = Manifest(tmp_path / "m.sqlite")
    row = Row("ep", "/a/ep.mp3", "a" * 64, "b" * 64, "opts", "done", {"verified": 3}, "", "ep/ep.report.html", 12.5, 37.6, "host:1", 1)
    manifest.record(row)
    manifest.record(row)  # again: replaced, not doubled
    assert Manifest(tmp_path / "m.sqlite").rows() == {"ep": row}


@pytest.mark.model
def test_a_feed_from_the_command_line_on_local_workers_with_its_own_chapters_verified(served, tmp_path, capsys):
    root, base = served
    (clip,) = variants(root, ("64k",))
    truth = json.loads((FIXTURES / "short-de.truth.json").read_text(encoding="utf-8"))
    (root / "clip.chapters.json").write_text(json.dumps({"version": "1.2.0", "chapters": [{"startTime": c["start"], "title": c["title"]} for c in truth["chapters"]]}))
    (root / "feed.xml").write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel><title>Podcast-Werkstatt</title><itunes:explicit>false</itunes:explicit>
<item><title>Folge 1</title><guid>pw-1</guid><enclosure url="{clip.name}" length="{clip.stat().st_size}" type="audio/mpeg"/>
<podcast:chapters url="clip.chapters.json" type="application/json+chapters"/>
<description><![CDATA[{(FIXTURES / "short-de.txt").read_text(encoding="utf-8").replace(chr(10), "<br>")}]]></description></item>
</channel></rss>""", encoding="utf-8")
    out = tmp_path / "out"
    copy = tmp_path / "feed-with-chapters.xml"
    code = cli.main(["batch", f"{base}/feed.xml", "--out", str(out), "--workers", "1", "--feed-out", str(copy), "--base-url", "https://cdn.example/out"])
    printed = capsys.readouterr()
    assert code == 1  # the shownotes' second question is off: it needs a look
    assert "1 corrected, 2 unverifiable, 1 verified" in printed.out and "Dask dashboard http://127.0.0.1:" in printed.err
    (episode,) = json.loads((out / "summary.json").read_text(encoding="utf-8"))["episodes"]
    assert episode["status"] == "done" and episode["feed_chapters"] == {"unverifiable": 2, "verified": 2}  # the feed's own times are right
    assert (out / episode["key"] / f"{episode['key']}.feed-chapters.report.json").is_file()
    assert f"<podcast:chapters url=\"https://cdn.example/out/{episode['key']}/{episode['key']}.chapters.json\"" in copy.read_text(encoding="utf-8"), printed.err
    assert cli.main(["batch", f"{base}/feed.xml", "--out", str(out), "--feed-out", str(copy)]) == 2  # no --base-url
    assert cli.main(["batch", str(tmp_path / "nowhere"), "--out", str(out)]) == 2


@pytest.mark.model
def test_ctrl_c_leaves_the_manifest_consistent_and_a_rerun_finishes_the_rest(tmp_path):
    source = tmp_path / "catalogue"
    variants(source, ("24k", "72k", "80k"))
    out = tmp_path / "out"
    command = [sys.executable, "-m", "pipeline", "batch", str(source), "--out", str(out), "--workers", "1", "--no-cache"]
    # as from a terminal: a shell that started these tests in the background may have left SIGINT ignored
    batch = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not ((out / "manifest.sqlite").exists() and Manifest(out / "manifest.sqlite").rows()):
        time.sleep(0.2)
    batch.send_signal(signal.SIGINT)
    _out, err = batch.communicate(timeout=120)
    assert batch.returncode == 130 and "interrupted" in err.splitlines()[-1]
    rows = Manifest(out / "manifest.sqlite").rows()
    assert 1 <= len(rows) < 3 and all(row.status == "done" and row.counts for row in rows.values())  # whole rows only
    rest = run_batch([str(source)], BatchOptions(out_dir=out, workers=1, run=run.RunOptions(transcribe=TranscribeOptions(use_cache=False))), say=lambda line: None)
    assert rest.ran == 3 - len(rows) and [row.status for row in rest.rows] == ["done"] * 3


def test_the_resource_tracker_of_a_batch_says_nothing_of_what_an_interrupted_run_left_it():
    """The Ctrl-C test above reads stderr's last line; the tracker, a process of its own, warned
    after it at times ("There appear to be 1 leaked semaphore objects")."""
    leak = ("import sys{quiet}; from multiprocessing import resource_tracker; "
            "resource_tracker.register('/chapters-test-leak', 'semaphore'); print('chapters: interrupted', file=sys.stderr)")
    loud = subprocess.run([sys.executable, "-c", leak.format(quiet="")], capture_output=True, text=True, timeout=60)
    assert "leaked semaphore" in loud.stderr  # what the tracker says unless told otherwise
    quiet = subprocess.run([sys.executable, "-c", leak.format(quiet="; from pipeline.batch import quiet_resource_tracker; quiet_resource_tracker()")],
                           capture_output=True, text=True, timeout=60)
    assert quiet.stderr.splitlines() == ["chapters: interrupted"]


def test_worker_processes_of_one_machine_share_its_cores(monkeypatch, tmp_path):
    import distributed

    from pipeline.batch import sources, work

    monkeypatch.setattr(distributed, "get_worker", lambda: type("W", (), {"address": "tcp://10.0.0.7:40123"})())
    monkeypatch.setattr(os, "cpu_count", lambda: 16)
    job = sources.Job("ep", tmp_path / "ep.mp3", None)
    task = work.Task(job, run.RunOptions(), "a", "b", "k", workers_on_host=(("10.0.0.7", 4), ("10.0.0.8", 1)))
    assert work._with_share_of_cores(task).options.transcribe.cpu_threads == 4
    chosen = replace(task, options=run.RunOptions(transcribe=TranscribeOptions(cpu_threads=3)))
    assert work._with_share_of_cores(chosen).options.transcribe.cpu_threads == 3  # set explicitly: kept
