"""Trying to break it: bad inputs, killed runs, concurrent runs and mutated files.

Every refusal must be one line on stderr with exit code 2, and the producer's recording must always
be either the old or the new version, both decodable, with identical audio frames.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, make_mp3
from pipeline import audio, cli, id3, shownotes
from pipeline.errors import ChaptersError, ShownotesError
from pipeline.model import ChapterMark
from robustness import record

CLIP = "short-de"


@pytest.fixture(scope="module")
def cached_clip(tmp_path_factory):
    """The short clip with its transcript in the session cache, so runs below skip the model."""
    folder = tmp_path_factory.mktemp("clip")
    for suffix in (".mp3", ".txt"):
        shutil.copy(FIXTURES / f"{CLIP}{suffix}", folder / f"{CLIP}{suffix}")
    assert cli.main(["transcribe", str(folder / f"{CLIP}.mp3"), "--out", str(folder / "t"), "--language", "de"]) == 0
    return folder


def one_error_line(capsys) -> str:
    lines = capsys.readouterr().err.strip().splitlines()
    lines = [line for line in lines if not line.startswith("chapters: warning:")]
    assert len(lines) == 1 and "Traceback" not in lines[0], lines
    return lines[0]


def in_place(folder: Path, *extra: str) -> list[str]:
    return ["run", str(folder / f"{CLIP}.mp3"), "--in-place", "--out", str(folder / "side"), "--language", "de", *extra]


def test_read_only_recording_with_in_place(cached_clip, capsys, tmp_path):
    folder = tmp_path
    for suffix in (".mp3", ".txt"):
        shutil.copy(cached_clip / f"{CLIP}{suffix}", folder / f"{CLIP}{suffix}")
    mp3 = folder / f"{CLIP}.mp3"
    before = mp3.read_bytes()
    mp3.chmod(0o444)
    assert cli.main(in_place(folder)) == 2
    assert "read-only" in one_error_line(capsys)
    assert mp3.read_bytes() == before
    record("bad input", clear_errors=1, intact=1)


def test_read_only_output_folder(cached_clip, capsys, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    assert cli.main(["run", str(cached_clip / f"{CLIP}.mp3"), "--out", str(out), "--language", "de"]) == 2
    assert "not writable" in one_error_line(capsys)
    assert list(out.iterdir()) == []
    record("bad input", clear_errors=1, intact=1)


def test_full_disk(cached_clip, capsys, tmp_path, monkeypatch):
    real_copy = shutil.copyfile

    def no_space(src, dst, *args, **kwargs):
        if str(dst).endswith(".tmp"):
            Path(dst).write_bytes(Path(src).read_bytes()[:1000])
            raise OSError(28, "No space left on device")
        return real_copy(src, dst, *args, **kwargs)

    monkeypatch.setattr(shutil, "copyfile", no_space)
    for suffix in (".mp3", ".txt"):
        real_copy(cached_clip / f"{CLIP}{suffix}", tmp_path / f"{CLIP}{suffix}")
    before = (tmp_path / f"{CLIP}.mp3").read_bytes()
    assert cli.main(in_place(tmp_path)) == 2
    assert "No space left" in one_error_line(capsys)
    assert (tmp_path / f"{CLIP}.mp3").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    record("bad input", clear_errors=1, intact=1)


def test_paths_with_spaces_and_umlauts(cached_clip, tmp_path):
    folder = tmp_path / "Mein Pödcast – Folge 1"
    folder.mkdir()
    shutil.copy(cached_clip / f"{CLIP}.mp3", folder / "Größte Folge.mp3")
    shutil.copy(cached_clip / f"{CLIP}.txt", folder / "Größte Folge.txt")
    assert cli.main(["run", str(folder / "Größte Folge.mp3"), "--out", str(folder / "aus gabe"), "--language", "de"]) == 0
    assert (folder / "aus gabe" / "Größte Folge.mp3").exists()
    record("bad input", intact=1)


def test_a_second_in_place_run_on_the_same_file_is_refused_before_it_transcribes(cached_clip, tmp_path):
    """Two real `chapters run --in-place` processes on one recording: one works, the other is refused at once."""
    for suffix in (".mp3", ".txt"):
        shutil.copy(cached_clip / f"{CLIP}{suffix}", tmp_path / f"{CLIP}{suffix}")
    mp3 = tmp_path / f"{CLIP}.mp3"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    command = [sys.executable, "-m", "pipeline", *in_place(tmp_path, "--no-cache")]  # each would transcribe for seconds
    started = time.monotonic()
    processes = [subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    finished = {}
    while len(finished) < 2:
        for number, process in enumerate(processes):
            if number not in finished and process.poll() is not None:
                finished[number] = (time.monotonic() - started, process.returncode, process.stderr.read())
        time.sleep(0.02)
    (winner_s, winner_code, _), (loser_s, loser_code, loser_err) = sorted(finished.values(), key=lambda f: f[1])
    assert (winner_code, loser_code) == (0, 2), finished
    assert "another chapters run is working on it" in loser_err and len(loser_err.strip().splitlines()) == 1
    assert loser_s < winner_s  # refused while the other was still transcribing, not after doing the same work
    assert audio.frames_hash(mp3) == audio.frames_hash(FIXTURES / f"{CLIP}.mp3")
    assert "Wie wichtig ist die Tonqualität?" in [m.title for m in id3.read(mp3).marks]
    record("concurrent run", clear_errors=1, intact=1, tried=1)


def test_unsorted_and_repeated_times_are_warned_and_handled(cached_clip, capsys, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("0:00 – Intro\n0:16 – Wie wichtig ist die Tonqualität?\n0:14 – Welche Rolle spielen Kapitelmarken?\n0:29 – Outro\n0:29 – Abspann\n", encoding="utf-8")
    code = cli.main(["run", str(cached_clip / f"{CLIP}.mp3"), "--shownotes", str(notes), "--out", str(tmp_path / "o"), "--language", "de"])
    assert code == 0
    err = capsys.readouterr().err
    assert "line 3: time goes back" in err and "line 5: same time" in err
    marks = id3.read(tmp_path / "o" / f"{CLIP}.mp3").marks
    assert len(marks) == 5 and all(a.start_s < b.start_s for a, b in zip(marks, marks[1:]))
    record("bad input", intact=1)


KILLS = 50


def test_killed_in_place_runs_never_damage_the_recording(cached_clip, tmp_path):
    """SIGKILL at random moments of `chapters run --in-place`: the file is always old or new, whole."""
    for suffix in (".mp3", ".txt"):
        shutil.copy(cached_clip / f"{CLIP}{suffix}", tmp_path / f"{CLIP}{suffix}")
    mp3 = tmp_path / f"{CLIP}.mp3"
    from mutagen.id3 import APIC, ID3

    # A 30 MB cover makes the write last long enough to be hit; it leaves the audio (and the cache key) alone.
    tags = ID3(mp3)
    tags.add(APIC(encoding=3, mime="image/jpeg", type=3, desc="cover", data=b"\xff\xd8\xff" + os.urandom(30_000_000)))
    tags.save(mp3)
    old = mp3.read_bytes()
    command = [sys.executable, "-m", "pipeline", *in_place(tmp_path)]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    write_window = _time_the_write(command, env, tmp_path)
    new = mp3.read_bytes()
    assert new != old and audio.frames_hash(mp3) == audio.frames_hash(FIXTURES / f"{CLIP}.mp3")
    rng = random.Random(7)
    outcomes = {"old": 0, "new": 0, "mid-write": 0}
    for number in range(KILLS):
        mp3.write_bytes(old)
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        # aim most kills at the moments the tag is written, some anywhere in the run
        first, last = write_window
        time.sleep(rng.uniform(first - 0.005, last + 0.005) if number % 5 else rng.uniform(0.0, last))
        process.send_signal(signal.SIGKILL)
        process.wait()
        data = mp3.read_bytes()
        assert data in (old, new)
        outcomes["old" if data == old else "new"] += 1
        leftovers = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        outcomes["mid-write"] += bool(leftovers)
        for leftover in leftovers:
            leftover.unlink()
    assert audio.frames_hash(mp3) == audio.frames_hash(FIXTURES / f"{CLIP}.mp3")
    subprocess.run(command, check=True, capture_output=True, env=env)  # a later run cleans up after the killed ones
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert mp3.read_bytes() == new
    record("SIGKILL during --in-place", intact=KILLS, tried=KILLS)
    print(f"killed {KILLS} runs: {outcomes['old']} left the old file, {outcomes['new']} the new one, {outcomes['mid-write']} mid-write")
    assert outcomes["mid-write"] or outcomes["new"], f"no kill reached the write: {outcomes}"


def _time_the_write(command, env, folder: Path) -> tuple[float, float]:
    """Seconds after start at which a run's temporary MP3 first and last exists (watched by polling)."""
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    seen: list[float] = []
    while process.poll() is None:
        if any(name.endswith(".mp3." + str(process.pid) + ".tmp") for name in os.listdir(folder)):
            seen.append(time.monotonic() - started)
    assert process.returncode == 0 and seen, "the run never showed its temporary file"
    return seen[0], seen[-1]


def mutations(data: bytes, count: int, seed: int):
    rng = random.Random(seed)
    for number in range(count):
        mutated = bytearray(data)
        kind = number % 3
        if kind == 0:  # flips in the tag, where parsers are most fragile
            for _ in range(rng.randint(1, 12)):
                mutated[rng.randrange(min(len(mutated), 4096))] = rng.randrange(256)
        elif kind == 1:  # flips anywhere
            for _ in range(rng.randint(1, 40)):
                mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        else:  # truncation
            del mutated[rng.randrange(1, len(mutated)) :]
        yield bytes(mutated)


@pytest.fixture(scope="module")
def seed_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seeds")
    ours = make_mp3(folder / "ours.mp3", 3.0)
    id3.write(ours, ours, [ChapterMark("Eins", 0.0), ChapterMark("Zwei ü", 1.5)], duration_s=audio.decode(ours).duration_s, toc_title="T")
    theirs = make_mp3(folder / "theirs.mp3", 3.0)
    from mutagen.id3 import APIC, CHAP, ID3, TIT2

    tags = ID3(theirs)
    tags.add(APIC(encoding=3, mime="image/png", type=3, desc="c", data=b"\x89PNG\r\n\x1a\n" + b"x" * 300))
    tags.add(CHAP(element_id="c0", start_time=0, end_time=2000, sub_frames=[TIT2(encoding=3, text=["x" * 150])]))
    tags.save(theirs, v2_version=4)
    return [ours.read_bytes(), theirs.read_bytes()]


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


CASES = 600


def test_mutated_mp3s_give_results_or_clear_errors(seed_files, tmp_path):
    """Byte flips and truncations of real MP3s: no hang, no traceback, the input never changed."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    clear = 0
    try:
        for number, data in enumerate(m for seed, base in enumerate(seed_files) for m in mutations(base, CASES // 2, seed)):
            path = tmp_path / "case.mp3"
            path.write_bytes(data)
            signal.alarm(10)
            try:
                try:
                    duration = audio.published_duration_s(path, audio.decode(path).duration_s)
                    id3.read(path)
                    id3.lint(path, duration)
                    id3.write(path, tmp_path / "out.mp3", [ChapterMark("A", 0.0)], duration_s=duration, toc_title="T")
                except ChaptersError:
                    clear += 1
            except Hang:
                pytest.fail(f"case {number} hung")
            finally:
                signal.alarm(0)
            assert path.read_bytes() == data, f"case {number} changed its input"
    finally:
        signal.signal(signal.SIGALRM, previous)
    record("mutated MP3s", clear_errors=clear, intact=CASES, tried=CASES)


LINE_BREAKS = st.sampled_from(["\n", "\r\n", "\r", "\f", "\v", "\x1c", "\x85", "\u2028"])
SHOWNOTE_LINE = st.one_of(
    st.text(max_size=40),
    st.builds("{}:{:02d} {} {}".format, st.integers(0, 200), st.integers(0, 59), st.sampled_from(["–", "-", ":", "|", ""]), st.text(min_size=1, max_size=30)),
)
SHOWNOTES_TEXT = st.one_of(st.text(), st.lists(st.tuples(SHOWNOTE_LINE, LINE_BREAKS), max_size=12).map(lambda parts: "".join(a + b for a, b in parts)))


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(SHOWNOTES_TEXT)
def test_shownotes_parser_and_rewriter_never_fail_otherwise(text):
    """Any text: chapters or a clear error; and the corrected-shownotes writer (which once crashed on a
    lone carriage return after the MP3 was written) puts the new times exactly where parse found them."""
    try:
        chapters = shownotes.parse(text)
    except ShownotesError:
        record("shownotes fuzz", clear_errors=1, intact=1)
        return
    record("shownotes fuzz", intact=1)
    assert all(c.title.strip() and c.line_no for c in chapters)
    shownotes.problems(chapters)
    moved = {c.line_no: (c.claimed_s or 0) // 1 + 61 for c in chapters}  # a list without times ("- 0") gets them put in
    rewritten = shownotes.rewrite(text, moved)
    again = shownotes.parse(rewritten)
    assert [(c.line_no, c.title) for c in again] == [(c.line_no, c.title) for c in chapters]
    assert [c.claimed_s for c in again] == [moved[c.line_no] for c in chapters]
    if not shownotes._looks_like_html(text):
        assert shownotes.rewrite(text, {}) == text  # nothing to move: the producer's text, byte for byte


TITLE = st.text(alphabet=st.characters(whitelist_categories=("L", "N", "Zs"), whitelist_characters="?!.,;'„“*-–&/"), min_size=1)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 59), st.integers(0, 59), TITLE.filter(lambda t: t.strip())), min_size=1, max_size=8))
def test_generated_chapter_lines_parse_back(entries):
    text = "Beschreibung der Folge.\n" + "\n".join(f"{h}:{m:02d}:{s:02d} – {title}" for h, m, s, title in entries)
    chapters = shownotes.parse(text)
    assert [(c.claimed_s, c.title) for c in chapters] == [(h * 3600 + m * 60 + s, title.strip()) for h, m, s, title in entries]
    record("shownotes fuzz", intact=1)


def test_shownotes_with_a_unicode_link_and_odd_line_breaks_are_run_through(cached_clip, capsys, tmp_path):
    """Both used to crash after minutes of work: a link outside Latin-1 when the tag was written, a lone
    carriage return or form feed in the corrected-shownotes writer (after the MP3 was written)."""
    notes = tmp_path / "notes.txt"
    notes.write_text(
        "Eine Folge.\r0:00 – Intro\f0:14 – Welche Rolle spielen Kapitelmarken?\r"
        "0:16 – Wie wichtig ist die Tonqualität? https://de.wikipedia.org/wiki/Antonín_Dvořák\r\n0:29 – Outro\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert cli.main(["run", str(cached_clip / f"{CLIP}.mp3"), "--shownotes", str(notes), "--out", str(out), "--language", "de"]) == 0
    links = [m.url for m in id3.read(out / f"{CLIP}.mp3").marks if m.url]
    assert links == ["https://de.wikipedia.org/wiki/Anton%C3%ADn_Dvo%C5%99%C3%A1k"]
    corrected = (out / f"{CLIP}.shownotes.txt").read_bytes().decode("utf-8")
    assert corrected.startswith("Eine Folge.\r0:00 – Intro\f0:14 – Welche Rolle spielen Kapitelmarken?\r0:22 – Wie")  # 0:16 corrected
    assert corrected.endswith("Dvořák\r\n0:29 – Outro\n")  # the producer's own text keeps the link as written
    record("bad input", intact=1)
