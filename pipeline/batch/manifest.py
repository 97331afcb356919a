"""The batch's memory: one SQLite row per episode in OUT/manifest.sqlite.

A row records what the episode was made from (audio frames' and shownotes' SHA-256, the options),
how it ended (done or failed, with its one error line), its verdict counts and its timings. A
row is written, in one transaction, only when an episode has ended: a batch stopped with Ctrl-C
or killed leaves every row as it was or complete. A re-run skips the episodes done from the same
inputs; failures are tried again only with --retry-failed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError

SCHEMA = """
CREATE TABLE IF NOT EXISTS episodes (
    key TEXT PRIMARY KEY,
    audio TEXT NOT NULL,
    audio_sha256 TEXT NOT NULL,
    shownotes_sha256 TEXT NOT NULL,
    options TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('done', 'failed')),
    counts TEXT NOT NULL,
    error TEXT NOT NULL,
    report TEXT NOT NULL,
    seconds REAL NOT NULL,
    audio_seconds REAL NOT NULL,
    worker TEXT NOT NULL,
    model_loads INTEGER NOT NULL,
    feed_counts TEXT NOT NULL,
    finished TEXT NOT NULL DEFAULT (datetime('now'))
)
"""


@dataclass(frozen=True)
class Row:
    key: str
    audio: str
    audio_sha256: str
    shownotes_sha256: str
    options: str
    status: str  # done | failed
    counts: dict  # verdict status -> chapters
    error: str  # "" when done
    report: str  # the episode's report.html, relative to the output folder ("" when failed)
    seconds: float
    audio_seconds: float
    worker: str  # host:pid of the worker process
    model_loads: int  # speech models that worker process had loaded by the end of this episode
    feed_counts: dict = field(default_factory=dict)  # verdicts on the feed's own chapters (podcast:chapters), when it has some


class Manifest:
    def __init__(self, path: Path):
        self.path = path

    @contextmanager
    def _connected(self) -> Iterator[sqlite3.Connection]:
        try:
            with closing(sqlite3.connect(self.path, timeout=30)) as connection:
                connection.execute(SCHEMA)
                with connection:  # one transaction: committed whole or not at all
                    yield connection
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{self.path}: not a batch manifest of this version ({exc}); move it away to start afresh") from None

    def rows(self) -> dict[str, Row]:
        with self._connected() as connection:
            found = connection.execute(
                "SELECT key, audio, audio_sha256, shownotes_sha256, options, status, counts, error, report, seconds, audio_seconds, worker, model_loads,"
                " feed_counts FROM episodes"
            ).fetchall()
        return {r[0]: Row(*r[:6], json.loads(r[6]), *r[7:13], json.loads(r[13])) for r in found}

    def record(self, row: Row) -> None:
        with self._connected() as connection:
            connection.execute(
                "INSERT OR REPLACE INTO episodes (key, audio, audio_sha256, shownotes_sha256, options, status, counts, error, report, seconds, audio_seconds,"
                " worker, model_loads, feed_counts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (row.key, row.audio, row.audio_sha256, row.shownotes_sha256, row.options, row.status, json.dumps(row.counts), row.error, row.report,
                 row.seconds, row.audio_seconds, row.worker, row.model_loads, json.dumps(row.feed_counts)),
            )
