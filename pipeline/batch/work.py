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
from dataclasses import dataclass

from pipeline import run
from pipeline.batch.manifest import Row
from pipeline.batch.sources import Job
from pipeline.errors import ChaptersError
from pipeline.transcribe import whisper


@dataclass(frozen=True)
class Task:
    job: Job
    options: run.RunOptions  # out_dir: the episode's own folder
    audio_sha256: str
    shownotes_sha256: str
    options_key: str


def chapter_episode(task: Task) -> Row:
    started = time.perf_counter()
    status, counts, error, report, audio_seconds = "done", {}, "", "", 0.0
    try:
        outcome = run.run(task.job.audio, task.job.shownotes, task.options)
        counts = dict(Counter(v.status.value for v in outcome.alignment.verdicts))
        report = f"{task.job.key}/{task.job.audio.stem}.report.html"
        audio_seconds = float(outcome.report["duration"])
    except ChaptersError as exc:
        status, error = "failed", str(exc)
    except Exception as exc:  # noqa: BLE001 - a bug in one episode must not stop the batch: its one line, as the CLI says it
        status, error = "failed", f"internal error: {type(exc).__name__}: {exc}"
    return Row(
        key=task.job.key, audio=str(task.job.audio), audio_sha256=task.audio_sha256, shownotes_sha256=task.shownotes_sha256,
        options=task.options_key, status=status, counts=counts, error=error, report=report, seconds=round(time.perf_counter() - started, 3),
        audio_seconds=audio_seconds, worker=f"{socket.gethostname()}:{os.getpid()}", model_loads=whisper.model_loads(),
    )
