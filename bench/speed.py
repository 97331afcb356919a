"""Speed: bare faster-whisper against `chapters run`, `chapters verify` and a cached re-run, measured in the same run.

Each `chapters` command runs as its own process with its own empty cache (except the cached
re-run): nothing is shared but the assembled model. Peak RSS is each process's own.
`chapters verify` is timed on every benchmark episode, on a copy that carries the true chapter
times (the CI case: an upload whose chapters are right), each against bare faster-whisper on
the same file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline import audio, id3, modelstore
from pipeline.model import ChapterMark

ROOT = Path(__file__).resolve().parents[1]
RUN_AT_MOST, RERUN_AT_MOST_S, VERIFY_AT_MOST = 0.6, 2.0, 0.25  # × bare faster-whisper, seconds, × bare


def _timed(command: list[str], cache: Path) -> tuple[float, float, int, str]:
    """(seconds, peak RSS of this child in MB, exit code, stderr). The cache starts empty but for
    the assembled model (as in a CI job that caches it), so that only the work on the episode counts."""
    if not cache.exists():
        cache.mkdir(parents=True)
        (cache / "models").symlink_to(modelstore.cache_root() / "models", target_is_directory=True)
    env = {**os.environ, "CHAPTERS_CACHE_DIR": str(cache)}
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stderr = child.stderr.read()
    _pid, status, usage = os.wait4(child.pid, 0)  # this child's own rusage, not the maximum over all children
    elapsed = time.perf_counter() - started
    code = child.returncode = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed: {stderr[-500:]}")
    return elapsed, usage.ru_maxrss / 1024, code, stderr


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


CHAPTERS = [sys.executable, "-m", "pipeline"]


def compare(selected: list[tuple[str, Path, Path, Path]], work: Path) -> list[str]:
    """The whole comparison; returns the targets missed."""
    return _run_against_bare(*joined_episode(selected, work)) + _verify_per_episode(selected) + show_on_a_long_file(selected[0][1], work)


SHOW_AT_MOST_S, SHOW_AT_MOST_MB = 1.0, 200


def show_on_a_long_file(mp3: Path, work: Path, hours: float = 3.0) -> list[str]:
    """`chapters show` on a file of `hours` (the episode joined without re-encoding: ffmpeg writes
    a Xing header for the whole), with an empty cache: it reads headers, it decodes nothing."""
    import imageio_ffmpeg

    copies = int(hours * 3600 // audio.header_duration_s(mp3)) + 1
    listing = work / "show-list.txt"
    listing.write_text(f"file '{mp3.resolve()}'\n" * copies)
    long = work / "show-long.mp3"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "quiet", "-y", "-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy", str(long)], check=True)
    seconds, rss, _code, _err = _timed([*CHAPTERS, "show", str(long)], work / "show-cache")
    length_h = audio.header_duration_s(long) / 3600
    print(f"\nchapters show on a {length_h:.1f}-hour file, empty cache: {seconds:.2f} s, peak RSS {rss:.0f} MB (targets ≤ {SHOW_AT_MOST_S:.0f} s, ≤ {SHOW_AT_MOST_MB} MB)")
    missed = []
    if seconds > SHOW_AT_MOST_S or rss > SHOW_AT_MOST_MB:
        missed.append(f"chapters show on a {length_h:.1f}-hour file took {seconds:.2f} s and {rss:.0f} MB (targets ≤ {SHOW_AT_MOST_S:.0f} s, ≤ {SHOW_AT_MOST_MB} MB)")
    return missed


def joined_episode(selected: list[tuple[str, Path, Path, Path]], work: Path, at_least_s: float = 20 * 60) -> tuple[Path, Path]:
    """An episode of at least `at_least_s` made of benchmark episodes one after another, with their
    chapters as one list of shownotes (times offset): `chapters run` against bare faster-whisper is
    measured on a podcast's length, not on a 4-minute clip, from the repository alone."""
    from pipeline import run

    parts, lines, offset = [], [], 0.0
    for _name, mp3, notes, _truth in sorted(selected, key=lambda e: -e[1].stat().st_size):
        chapters, _text = run.read_shownotes(notes)
        lines += [f"{_clock(offset + c.claimed_s)} – {c.title}" for c in chapters]
        parts.append(mp3)
        offset += audio.decode(mp3).duration_s
        if offset >= at_least_s:
            break
    import imageio_ffmpeg

    listing = work / "parts.txt"
    listing.write_text("".join(f"file '{p}'\n" for p in parts))
    joined = work / "joined.mp3"
    # re-encoded, not copied: the parts' sample rates may differ
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", str(listing),
                    "-ac", "1", "-b:a", "48k", str(joined)], check=True)
    notes = work / "joined.txt"
    notes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return joined, notes


def _clock(seconds: float) -> str:
    total = int(round(seconds))
    return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"


def _run_against_bare(mp3: Path, notes: Path) -> list[str]:
    print(f"\nspeed on {mp3.name}, {audio.decode(mp3).duration_s / 60:.0f} minutes ({os.cpu_count()} CPU cores)")
    bare = bare_faster_whisper(mp3)
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        run_s, run_rss, _, _ = _timed([*CHAPTERS, "run", str(mp3), "--shownotes", str(notes), "--out", str(work / "out")], work / "c1")
        rerun_s, _, _, _ = _timed([*CHAPTERS, "run", str(mp3), "--shownotes", str(notes), "--out", str(work / "out")], work / "c1")
        verify_s, verify_rss, verify_code, _ = _timed([*CHAPTERS, "verify", str(work / "out" / mp3.name)], work / "c2")
        original_s, _, original_code, _ = _timed([*CHAPTERS, "verify", str(mp3), "--shownotes", str(notes)], work / "c3")
    rows = [
        ("bare faster-whisper (base, int8, beam 5, words)", bare, None, None),
        ("chapters run (nothing cached)", run_s, run_rss, None),
        ("chapters run again (transcript cached)", rerun_s, None, None),
        ("chapters verify, run's output (nothing cached)", verify_s, verify_rss, verify_code),
        ("chapters verify, original + shownotes (nothing cached)", original_s, None, original_code),
    ]
    for name, seconds, rss, code in rows:
        extra = (f"  peak RSS {rss:.0f} MB" if rss else "") + (f"  exit {code}" if code is not None else "")
        print(f"{name:<56}{seconds:8.1f} s  {seconds / bare:5.2f}× bare{extra}")
    missed = []
    if run_s / bare > RUN_AT_MOST:
        missed.append(f"chapters run took {run_s / bare:.2f}× bare faster-whisper (target ≤ {RUN_AT_MOST})")
    if rerun_s > RERUN_AT_MOST_S:
        missed.append(f"a cached re-run took {rerun_s:.1f} s (target ≤ {RERUN_AT_MOST_S:.0f} s)")
    return missed


def _verify_per_episode(selected) -> list[str]:
    """`chapters verify` of each episode carrying its true chapter times, against bare faster-whisper."""
    print(f"\n{'verify of a file whose chapters are right':<34}{'audio s':>8}{'bare s':>8}{'verify s':>9}{'ratio':>7}  exit  decided on")
    missed, ratios = [], []
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        for name, mp3, _notes, truth_path in selected:
            truth = json.loads(truth_path.read_text(encoding="utf-8"))
            marked = work / mp3.name
            duration = audio.decode(mp3).duration_s
            marks = [ChapterMark(c["title"], round(c["start"], 3)) for c in truth["chapters"] if c.get("start") is not None]
            id3.write(mp3, marked, marks, duration_s=duration, toc_title=name)
            bare = bare_faster_whisper(mp3)
            seconds, _, code, stderr = _timed([*CHAPTERS, "verify", str(marked)], work / f"cache-{name}")
            decided = next((line.removeprefix("decided on ") for line in stderr.splitlines() if line.startswith("decided on")), "?")
            ratios.append(seconds / bare)
            print(f"{name[:33]:<34}{duration:>8.0f}{bare:>8.1f}{seconds:>9.1f}{seconds / bare:>7.2f}  {code:>4}  {decided}")
            if seconds / bare > VERIFY_AT_MOST:
                missed.append(f"verify of {name} took {seconds / bare:.2f}× bare faster-whisper (target ≤ {VERIFY_AT_MOST})")
            if code != 0:
                missed.append(f"verify of {name} with its true chapter times exited {code} (a chapter not verified)")
    if ratios:
        print(f"{'worst':<34}{'':>8}{'':>8}{'':>9}{max(ratios):>7.2f}")
    return missed


def long_file_memory(mp3: Path, notes: Path, copies: int = 9) -> list[str]:
    """Peak RSS of `chapters run` on a long episode: `mp3` joined `copies` times."""
    import imageio_ffmpeg

    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        listing = work / "list.txt"
        listing.write_text("".join(f"file '{mp3}'\n" for _ in range(copies)))
        long = work / "long.mp3"
        subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy", str(long)], check=True)
        command = [*CHAPTERS, "run", str(long), "--shownotes", str(notes), "--out", str(work / "out")]
        seconds, rss, _, _ = _timed(command, work / "cache")
    print(f"\nchapters run on {copies} × {mp3.name}: {seconds:.0f} s, peak RSS {rss:.0f} MB")
    return [f"peak RSS {rss:.0f} MB on a long file (target ≤ 2048 MB)"] if rss > 2048 else []
