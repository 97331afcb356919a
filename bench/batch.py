"""Batch throughput: `chapters batch` over benchmark episodes with 1 and with 2 local workers, nothing cached.

Audio hours per hour of wall time, each worker's peak memory and model loads (from the batch's
summary.json), in one run on this machine. Each batch is its own process with its own empty cache
(but for the assembled model), as in bench.speed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from bench.speed import CHAPTERS, _timed

WORKERS = (1, 2)
EPISODES = 6  # the first of the selection: enough for both workers to stay busy, short enough for make bench


def throughput(selected: list[tuple[str, Path, Path, Path]], work: Path) -> list[str]:
    chosen = selected[:EPISODES]
    listing = work / "episodes.txt"
    listing.write_text("".join(f"{mp3}\n" for _name, mp3, _notes, _truth in chosen))
    print(f"\nbatch throughput on {len(chosen)} episodes ({', '.join(name for name, *_ in chosen)}), nothing cached")
    print(f"{'workers':<9}{'audio h':>8}{'wall s':>8}{'audio h per h':>15}  per worker: peak RSS, model loads, episodes")
    missed, rates = [], {}
    for workers in WORKERS:
        out = work / f"batch-{workers}"
        seconds, _rss, code, stderr = _timed([*CHAPTERS, "batch", str(listing), "--out", str(out), "--workers", str(workers)], work / f"batch-cache-{workers}")
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        audio_h = sum(e["audio_seconds"] for e in summary["episodes"]) / 3600
        rates[workers] = audio_h / (seconds / 3600)
        by_worker = {w["worker"]: sum(e["worker"] == w["worker"] for e in summary["episodes"]) for w in summary["workers"]}
        per_worker = "; ".join(f"{w['peak_rss_mb']} MB, {w['model_loads']} load(s), {by_worker[w['worker']]} episodes" for w in summary["workers"])
        print(f"{workers:<9}{audio_h:>8.2f}{seconds:>8.0f}{rates[workers]:>15.1f}  {per_worker}")
        if summary["totals"]["failed"]:
            missed.append(f"batch with {workers} worker(s): {summary['totals']['failed']} episode(s) failed: {stderr[-300:]}")
        if any(w["model_loads"] != 1 for w in summary["workers"]):
            missed.append(f"batch with {workers} worker(s): a worker loaded the speech model more than once")
    print(f"2 workers / 1 worker: {rates[2] / rates[1]:.2f}× the throughput on {os.cpu_count()} cores")
    return missed
