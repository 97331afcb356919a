"""Speed: bare faster-whisper against `chapters run`, `chapters verify` and a cached re-run, one file, one run.

Each `chapters` command runs as its own process with its own empty cache (except the cached
re-run), so nothing is shared but the assembled model; peak RSS is each process's own.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline import modelstore

ROOT = Path(__file__).resolve().parents[1]


def _episode() -> tuple[Path, Path]:
    shared = ROOT.parent / "shared" / "samples" / "oton69_shifted"
    if (shared / "episode.mp3").exists():
        return shared / "episode.mp3", shared / "shownotes.txt"
    longest = max((ROOT / "bench" / "episodes").glob("*.mp3"), key=lambda p: p.stat().st_size)
    return longest, longest.with_suffix(".txt")


def _timed(command: list[str], cache: Path) -> tuple[float, float, int]:
    """(seconds, peak RSS of the child in MB, exit code)."""
    env = {**os.environ, "CHAPTERS_CACHE_DIR": str(cache)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    result = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed: {result.stderr[-500:]}")
    return elapsed, max(peak, before) / 1024, result.returncode


def bare_faster_whisper(mp3: Path) -> float:
    """faster-whisper's defaults (base, int8 on CPU, beam 5) with word timestamps, words consumed."""
    code = (
        "import sys, time\n"
        "from faster_whisper import WhisperModel\n"
        "started = time.perf_counter()\n"
        f"model = WhisperModel({str(modelstore.resolve('base')[0])!r}, device='cpu', compute_type='int8')\n"
        f"segments, info = model.transcribe({str(mp3)!r}, word_timestamps=True)\n"
        "words = sum(len(s.words) for s in segments)\n"
        "print(time.perf_counter() - started)\n"
    )
    return float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split()[-1])


def compare() -> None:
    mp3, notes = _episode()
    chapters = [sys.executable, "-m", "pipeline"]
    print(f"\nspeed on {mp3.name} ({os.cpu_count()} CPU cores)")
    bare = bare_faster_whisper(mp3)
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        run_cache, verify_cache, verify_original_cache = work / "c1", work / "c2", work / "c3"
        run_s, run_rss, _ = _timed([*chapters, "run", str(mp3), "--shownotes", str(notes), "--out", str(work / "out")], run_cache)
        rerun_s, _, _ = _timed([*chapters, "run", str(mp3), "--shownotes", str(notes), "--out", str(work / "out")], run_cache)
        verify_s, verify_rss, verify_code = _timed([*chapters, "verify", str(work / "out" / mp3.name)], verify_cache)
        original_s, _, original_code = _timed([*chapters, "verify", str(mp3), "--shownotes", str(notes)], verify_original_cache)
    rows = [
        ("bare faster-whisper (base, int8, beam 5, words)", bare, None, None),
        ("chapters run (nothing cached)", run_s, run_rss, None),
        ("chapters run again (transcript cached)", rerun_s, None, None),
        ("chapters verify, corrected output (nothing cached)", verify_s, verify_rss, verify_code),
        ("chapters verify, original + shownotes (nothing cached)", original_s, None, original_code),
    ]
    for name, seconds, rss, code in rows:
        extra = (f"  peak RSS {rss:.0f} MB" if rss else "") + (f"  exit {code}" if code is not None else "")
        print(f"{name:<56}{seconds:8.1f} s  {seconds / bare:5.2f}× bare{extra}")
