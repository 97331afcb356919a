"""One episode of a batch, on whichever Dask worker runs it: exactly `chapters run`, and a manifest row.

The worker process keeps the speech model and the sentence embedder between episodes (both are
loaded once per process); the row says how many speech models its process had loaded by then.
Bad input fails the episode alone, with the one line `chapters run` would print; so does a bug.
"""

from __future__ import annotations

import os
import socket
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline import episode, files, outputs, run
from pipeline.batch.manifest import Row
from pipeline.batch.sources import Job
from pipeline.errors import ChaptersError
from pipeline.report import json_report
from pipeline.transcribe import whisper


@dataclass(frozen=True)
class Task:
    job: Job
    options: run.RunOptions  # out_dir: the episode's own folder
    audio_sha256: str
    shownotes_sha256: str
    options_key: str
    workers_on_host: tuple[tuple[str, int], ...] = ()  # (host, worker processes there): their share of its cores


def chapter_episode(task: Task) -> Row:
    started = time.perf_counter()
    status, counts, feed_counts, error, report, audio_seconds = "done", {}, {}, "", "", 0.0
    try:
        task = _with_share_of_cores(task)
        # the frames' hash the client took to decide what to skip; one episode, decoded once, for both checks
        the_episode = episode.load(task.job.audio, task.audio_sha256)
        outcome = run.run(task.job.audio, task.job.shownotes, task.options, the_episode=the_episode)
        counts = _counted(outcome)
        report = outputs.paths(task.job.audio, Path(task.job.key), ["report_html"])["report_html"].as_posix()  # relative to the batch's folder
        audio_seconds = float(outcome.report["duration"])
        if task.job.chapters is not None:
            feed_counts = _counted(_feed_chapters(task, the_episode))
    except ChaptersError as exc:
        status, error = "failed", str(exc)
    except Exception as exc:  # noqa: BLE001 - a bug in one episode must not stop the batch: its one line, as the CLI says it
        status, error = "failed", f"internal error: {type(exc).__name__}: {exc}"
    return Row(
        key=task.job.key, audio=str(task.job.audio), audio_sha256=task.audio_sha256, shownotes_sha256=task.shownotes_sha256,
        options=task.options_key, status=status, counts=counts, error=error, report=report, seconds=round(time.perf_counter() - started, 3),
        audio_seconds=audio_seconds, worker=_worker_name(), model_loads=whisper.model_loads(), feed_counts=feed_counts,
    )


def _with_share_of_cores(task: Task) -> Task:
    """The client cannot see a cluster's cores: each worker process takes its share of its
    machine's (local workers too), so that the worker processes of one machine do not fight over them."""
    if task.options.transcribe.cpu_threads or not task.workers_on_host:
        return task
    from urllib.parse import urlparse

    from distributed import get_worker

    sharing = dict(task.workers_on_host).get(urlparse(get_worker().address).hostname or "", 1)
    threads = max(1, (os.cpu_count() or 1) // max(1, sharing))
    return replace(task, options=replace(task.options, transcribe=replace(task.options.transcribe, cpu_threads=threads)))


def _counted(outcome: run.Outcome) -> dict[str, int]:
    return dict(Counter(v.status.value for v in outcome.alignment.verdicts))


def _feed_chapters(task: Task, the_episode: episode.Episode) -> run.Outcome:
    """The feed's own chapters (podcast:chapters) verified against the transcript the run just made
    (cached), their report beside the episode's as X.feed-chapters.report.json."""
    chapters = run.chapters_from_file(task.job.chapters)
    outcome = run.verify(the_episode, chapters, " ".join(c.title for c in chapters), task.options)
    files.write_text(task.options.out_dir / f"{task.job.audio.stem}.feed-chapters.report.json", json_report.render(outcome.report))
    return outcome


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def worker_stats() -> dict:
    """What a worker process has used by now (run on every worker at the end of a batch)."""
    import resource

    return {"worker": _worker_name(), "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "model_loads": whisper.model_loads()}
