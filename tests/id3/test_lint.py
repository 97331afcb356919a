"""Lint: every way a file's chapters (ours or another tool's) break a player."""

from __future__ import annotations

import subprocess

from mutagen.id3 import CHAP, ID3, TIT2

from conftest import FFMPEG, make_mp3
from pipeline import audio, id3

from .test_write import write


def test_lint_flags_ffmpeg_written_chapters(tmp_path):
    meta = tmp_path / "meta.txt"
    meta.write_text(";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=4000\ntitle=Eins\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=4000\nEND=8000\ntitle=Zwei\n")
    source = make_mp3(tmp_path / "src.mp3", 8.0)
    out = tmp_path / "ffmpeg.mp3"
    subprocess.run([FFMPEG, "-v", "error", "-i", str(source), "-i", str(meta), "-map_metadata", "1", "-map_chapters", "1", "-c", "copy", str(out)], check=True)
    findings = id3.lint(out, audio.decode(out).duration_s)
    assert any("top-level CTOC has no title" in f for f in findings), findings


def test_lint_flags_mutagen_defaults(tone_mp3):
    tags = ID3()
    tags.add(CHAP(element_id="a", start_time=0, end_time=10000, sub_frames=[TIT2(text=["Ein langer Titel " * 4])]))
    tags.add(CHAP(element_id="b", start_time=10000, end_time=9000, sub_frames=[TIT2(text=["B"])]))
    tags.save(tone_mp3, v2_version=4)
    findings = " | ".join(id3.lint(tone_mp3, 30.0))
    for expected in ("ID3v2.4", "not in time order", "no CTOC", "ends before it starts", "last chapter ends"):
        assert expected in findings


def test_lint_flags_stacked_tags(tone_mp3):
    write(tone_mp3)
    data = tone_mp3.read_bytes()
    first_tag = data[: audio.audio_region(tone_mp3).start]
    tone_mp3.write_bytes(first_tag + data)  # two tags back to back
    assert any("stacked" in f for f in id3.lint(tone_mp3, 30.0))
