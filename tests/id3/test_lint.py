"""Lint: every way a file's chapters (ours or another tool's) break a player."""

from __future__ import annotations


from mutagen.id3 import CHAP, ID3, TIT2

from tag_makers import ffmpeg_written
from pipeline import audio, id3

from .test_write import write


def test_lint_flags_ffmpeg_written_chapters(tmp_path):
    out = ffmpeg_written(tmp_path, 8.0, [("Eins", 0, 4000), ("Zwei", 4000, 8000)])
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
