"""`chapters batch`: a back catalogue through `chapters run`, one episode per Dask task.

The client (this process) gathers the episodes (sources.py), hashes each one's audio frames and
shownotes, skips those the manifest has done from the same inputs and options, and submits the
rest to Dask: a LocalCluster of worker processes (one thread each, the speech model's threads
split between them) or an existing cluster (`--scheduler tcp://HOST:8786`). Each task is exactly
`run.run` into OUT/KEY/ (work.py); its row reaches the manifest as soon as it ends. Dask gives an
episode whose worker died to another worker. At the end: OUT/summary.json and OUT/index.html.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlparse

from pipeline import audio, files, run
from pipeline.batch import feed_out, sources, work
from pipeline.batch.manifest import Manifest, Row
from pipeline.errors import ChaptersError, InputError
from pipeline.model import Status

MEMORY_PER_WORKER_GB = 2.5  # peak RSS of `chapters run` on a 26-minute episode was 1.7 GB (README, speed)
NEEDS_A_LOOK = tuple(s.value for s in Status if s.needs_a_look)
# Interrupted, the worker processes leave semaphores that multiprocessing's resource tracker cleans
# up, saying so on stderr after the one line that tells of the interruption; its process takes its
# warning filters from ours (-W), so this keeps it quiet
QUIET_RESOURCE_TRACKER = "ignore:resource_tracker:UserWarning"


@dataclass(frozen=True)
class BatchOptions:
    out_dir: Path
    run: run.RunOptions = run.RunOptions()  # per episode (its out_dir is replaced by OUT/KEY)
    scheduler: str | None = None  # an existing Dask scheduler; None: a LocalCluster
    workers: int = 0  # LocalCluster worker processes; 0: from the cores and memory
    retry_failed: bool = False
    feed_out: Path | None = None  # a copy of the (one) feed source, linked to what was written under base_url
    base_url: str | None = None


@dataclass(frozen=True)
class BatchOutcome:
    rows: tuple[Row, ...]  # every episode of the batch, done now or before
    ran: int  # episodes worked on in this run
    skipped_without_shownotes: tuple[Path, ...]

    @property
    def all_verified(self) -> bool:
        return all(r.status == "done" and not _needs_a_look(r) for r in self.rows)


def _needs_a_look(row: Row) -> bool:
    return any(row.counts.get(s) or row.feed_counts.get(s) for s in NEEDS_A_LOOK)


# (done, failed, running, total) after each episode ends
Progress = Callable[[int, int, int, int], None]


def run_batch(
    source_args: Sequence[str], options: BatchOptions, on_progress: Progress | None = None, say: Callable[[str], None] = print
) -> BatchOutcome:
    feed_text = _feed_for_copy(source_args, options)  # before any work: a usage error costs nothing
    files.ensure_folder(options.out_dir)
    found = sources.gather(source_args, options.out_dir / ".downloads", outside=options.out_dir, feeds_read={source_args[0]: feed_text} if feed_text else None)
    manifest = Manifest(options.out_dir / "manifest.sqlite")
    kept = manifest.rows()
    options_key = _options_key(options.run)
    tasks, rows = [], {}
    for job in found.jobs:
        task_or_row = _task(job, options, options_key)
        if isinstance(task_or_row, Row):  # could not even be read: failed here, without a worker
            manifest.record(task_or_row)
            rows[job.key] = task_or_row
            continue
        before = kept.get(job.key)
        if before and _same_inputs(before, task_or_row) and (before.status == "done" or not options.retry_failed):
            rows[job.key] = before
            continue
        tasks.append(task_or_row)
    workers: list[dict] = []
    if tasks:
        for row in _on_dask(tasks, options, on_progress, say, workers):
            manifest.record(row)
            rows[row.key] = row
    ordered = tuple(rows[job.key] for job in found.jobs if job.key in rows)
    _write_summary(options.out_dir, ordered, workers)
    if feed_text is not None:
        done = {job.item: job.key for job in found.jobs if job.item and job.key in rows and rows[job.key].status == "done"}
        text, linked = feed_out.rewrite(feed_text, source_args[0], done, options.base_url or "")
        files.write_text(options.feed_out, text)
        say(f"batch: {options.feed_out} links {linked} episode(s) to their chapters and transcripts under {options.base_url}")
    return BatchOutcome(ordered, len(tasks), found.skipped)


def _feed_for_copy(source_args: Sequence[str], options: BatchOptions) -> str | None:
    if options.feed_out is None:
        return None
    if not options.base_url or not options.base_url.startswith(("http://", "https://")):
        raise InputError("--feed-out needs --base-url http(s)://… (where the output folder is published)")
    if len(source_args) != 1:
        raise InputError("--feed-out copies one feed: give that feed as the only SOURCE")
    text = feed_out.read(source_args[0])
    if "<rss" not in text[:4096]:
        raise InputError(f"{source_args[0]}: --feed-out needs an RSS feed as SOURCE")
    return text


def _task(job: sources.Job, options: BatchOptions, options_key: str) -> work.Task | Row:
    try:
        if job.problem:
            raise ChaptersError(job.problem)
        if job.shownotes is None:
            raise ChaptersError(f"{job.audio}: no shownotes beside it (X.txt, .md or .html)")
        audio.check_readable(job.audio)
        audio_sha = audio.frames_hash(job.audio)
        notes_sha = hashlib.sha256(job.shownotes.read_bytes()).hexdigest()
    except (ChaptersError, OSError) as exc:
        error = str(exc) if isinstance(exc, ChaptersError) else f"{job.audio}: cannot read ({exc.strerror or exc})"
        return _failed(job, options_key, error, worker="client")
    return work.Task(job, replace(options.run, out_dir=options.out_dir / job.key), audio_sha, notes_sha, options_key)


def _failed(job: sources.Job, options_key: str, error: str, *, audio_sha256: str = "", shownotes_sha256: str = "", worker: str = "") -> Row:
    return Row(job.key, str(job.audio), audio_sha256, shownotes_sha256, options_key, "failed", {}, error, "", 0.0, 0.0, worker, 0)


def _same_inputs(row: Row, task: work.Task) -> bool:
    return (row.audio_sha256, row.shownotes_sha256, row.options) == (task.audio_sha256, task.shownotes_sha256, task.options_key)


def _options_key(options: run.RunOptions) -> str:
    """What in the options changes an episode's outputs (not where they go, not the threads)."""
    described = {
        "transcribe": options.transcribe.cache_fields() | {"model": options.transcribe.model},
        "tolerance": options.align.tolerance_s, "id3": options.id3_version, "language_from_shownotes": options.language_from_shownotes,
        "listen_again": options.listen_again,
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()[:16]


def local_workers(cores: int | None = None, memory_gb: float | None = None) -> int:
    """Worker processes for this machine: one per core, as many as the memory holds."""
    cores = cores or os.cpu_count() or 1
    if memory_gb is None:
        memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return max(1, min(cores, int(memory_gb // MEMORY_PER_WORKER_GB)))


def _on_dask(tasks: list[work.Task], options: BatchOptions, on_progress: Progress | None, say: Callable[[str], None], stats: list[dict]):
    """Each task's row as it ends; a task whose workers kept dying is a failed row. `stats` gets
    each worker's stats (work.worker_stats) once every task has ended."""
    from distributed import Client, LocalCluster, as_completed
    from distributed.client import FutureCancelledError

    cluster = None
    if options.scheduler:
        client = Client(options.scheduler, timeout="30s")
        hosts = Counter(urlparse(address).hostname for address in client.scheduler_info().get("workers", {}))
    else:
        workers = options.workers or local_workers()
        quiet_resource_tracker()
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0",
                               silence_logs=logging.ERROR)
        client = Client(cluster)
        hosts = Counter({"127.0.0.1": workers})
    tasks = [replace(t, workers_on_host=tuple(sorted(hosts.items()))) for t in tasks]  # each worker takes its share of its machine's cores
    try:
        say(f"batch: {len(tasks)} episode(s) on {sum(hosts.values())} worker(s); Dask dashboard {client.dashboard_link}")
        futures = {client.submit(work.chapter_episode, task, key=f"episode-{task.job.key}-{task.audio_sha256[:8]}", pure=False): task for task in tasks}
        done = failed = 0
        for future in as_completed(futures):
            task = futures[future]
            try:
                row = future.result()
            except (FutureCancelledError, Exception) as exc:  # noqa: BLE001 - KilledWorker and the like: this episode only
                row = _failed(task.job, task.options_key, f"{task.job.audio}: its worker died ({type(exc).__name__}: {exc})",
                              audio_sha256=task.audio_sha256, shownotes_sha256=task.shownotes_sha256)
            done += row.status == "done"
            failed += row.status == "failed"
            if on_progress:
                on_progress(done, failed, len(futures) - done - failed, len(futures))
            yield row
        stats += sorted(client.run(work.worker_stats).values(), key=lambda worker: worker["worker"])
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def quiet_resource_tracker() -> None:
    """Before the first worker process starts: multiprocessing's resource tracker, started then,
    will not warn about what an interrupted run leaves it to clean up (QUIET_RESOURCE_TRACKER)."""
    if QUIET_RESOURCE_TRACKER not in sys.warnoptions:
        sys.warnoptions.append(QUIET_RESOURCE_TRACKER)


def _write_summary(out_dir: Path, rows: Sequence[Row], workers: Sequence[dict]) -> None:
    episodes = [
        {"key": r.key, "audio": r.audio, "status": r.status, "chapters": r.counts, "error": r.error or None, "report": r.report or None,
         "feed_chapters": r.feed_counts or None, "seconds": r.seconds, "audio_seconds": r.audio_seconds, "worker": r.worker, "model_loads": r.model_loads}
        for r in rows
    ]
    totals = {
        "episodes": len(rows), "done": sum(r.status == "done" for r in rows), "failed": sum(r.status == "failed" for r in rows),
        "need_a_look": sum(r.status == "done" and _needs_a_look(r) for r in rows),
    }
    summary = {"totals": totals, "episodes": episodes, "workers": list(workers)}  # workers: of this run (none when nothing ran)
    files.write_text(out_dir / "summary.json", json.dumps(summary, ensure_ascii=False, indent=1) + "\n")
    files.write_text(out_dir / "index.html", _index(rows, totals))


def _index(rows: Sequence[Row], totals: dict) -> str:
    e = html.escape
    statuses = [s.value for s in Status]
    lines = []
    for r in rows:
        link = f'<a href="{e(r.report, quote=True)}">{e(r.key)}</a>' if r.report else e(r.key)
        cells = "".join(f"<td>{r.counts.get(s, 0) or ''}</td>" for s in statuses)
        lines.append(f'<tr class="{e(r.status)}"><td>{link}</td><td>{e(r.status)}</td>{cells}<td>{e(r.error)}</td></tr>')
    head = "".join(f"<th>{s}</th>" for s in statuses)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>Chapters: batch of {totals["episodes"]} episodes</title>
<style>body{{font:15px/1.4 system-ui,sans-serif;margin:1.5rem auto;padding:0 1rem;max-width:1200px;color:#222}}
table{{border-collapse:collapse;width:100%}} th,td{{border-bottom:1px solid #e3e3e3;padding:.3rem .4rem;text-align:left}}
tr.failed td{{color:#c62828}}</style></head><body>
<h1>Batch: {totals["episodes"]} episodes</h1>
<p>{totals["done"]} done · {totals["failed"]} failed · {totals["need_a_look"]} with chapters that need a look</p>
<table><thead><tr><th>episode</th><th>status</th>{head}<th>error</th></tr></thead><tbody>
{chr(10).join(lines)}
</tbody></table></body></html>
"""
