"""Speed: bare faster-whisper against `chapters run`, `chapters verify` and a cached re-run, one file, one run.

Each `chapters` command runs as its own process with its own empty cache (except the cached
re-run), so nothing is shared but the assembled model; peak RSS is each process's own.
"""

from __future__ import annotations

import os
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
    """(seconds, peak RSS of this child in MB, exit code)."""
    env = {**os.environ, "CHAPTERS_CACHE_DIR": str(cache)}
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stderr = child.stderr.read()
    _pid, status, usage = os.wait4(child.pid, 0)  # this child's own rusage, not the maximum over all children
    elapsed = time.perf_counter() - started
    code = child.returncode = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed: {stderr[-500:]}")
    return elapsed, usage.ru_maxrss / 1024, code


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


def long_file_memory(copies: int = 11) -> None:
    """Peak RSS of `chapters run` on a long episode: the 16-minute sample joined `copies` times."""
    import imageio_ffmpeg

    mp3, notes = _episode()
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        listing = work / "list.txt"
        listing.write_text("".join(f"file '{mp3}'\n" for _ in range(copies)))
        long = work / "long.mp3"
        subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy", str(long)], check=True)
        command = [sys.executable, "-m", "pipeline", "run", str(long), "--shownotes", str(notes), "--out", str(work / "out")]
        seconds, rss, _ = _timed(command, work / "cache")
    print(f"\nchapters run on {copies} × {mp3.name} ({copies * 16} min): {seconds:.0f} s, peak RSS {rss:.0f} MB")
