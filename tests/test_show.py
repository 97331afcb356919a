"""`chapters show` on files other tools wrote: it reads, never writes, and decodes only when no header gives the length."""

from __future__ import annotations

import subprocess

import pytest
from mutagen.id3 import CHAP, CTOC, ID3, TIT2, CTOCFlags

from conftest import FFMPEG, make_mp3
from tag_makers import behind_a_plain_tag, tagged, unsynchronise
from pipeline import audio, cli


@pytest.fixture
def three_hours(tmp_path):
    """A 3-hour MP3 with a Xing header: one minute joined 180 times without re-encoding (ffmpeg writes the header)."""
    minute = make_mp3(tmp_path / "minute.mp3", 60.0)
    listing = tmp_path / "list.txt"
    listing.write_text(f"file '{minute}'\n" * 180)
    long = tmp_path / "long.mp3"
    subprocess.run([FFMPEG, "-v", "quiet", "-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy", str(long)], check=True)
    return long


def test_show_takes_the_length_from_the_headers_and_writes_nothing(three_hours, tmp_path, monkeypatch, capsys):
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setenv("CHAPTERS_CACHE_DIR", str(cache))
    # the whole file's length, not its first minute's (each joined minute brings its encoder padding: +0.05 %)
    assert 3 * 3600 <= audio.header_duration_s(three_hours) <= 3 * 3600 * 1.001
    monkeypatch.setattr(audio, "decode", lambda path: pytest.fail("show decoded the audio although the Xing header gives its length"))
    assert cli.main(["show", str(three_hours)]) == 1  # no chapters: a finding
    assert "no CHAP frames" in capsys.readouterr().out
    assert list(cache.iterdir()) == []  # a read-only look leaves no trace


def test_without_a_vbr_header_the_frames_are_counted(tmp_path):
    plain = make_mp3(tmp_path / "plain.mp3", 12.0, extra=("-write_xing", "0"))
    assert audio.header_duration_s(plain) == pytest.approx(audio.decode(plain).duration_s, abs=0.06)


def test_many_chapters_on_a_sliver_of_audio_are_listed(tmp_path, capsys):
    sliver = make_mp3(tmp_path / "sliver.mp3", 0.05, extra=("-id3v2_version", "0"))
    tags = ID3()
    ids = [f"ch{n}" for n in range(129)]
    for n, element in enumerate(ids):
        tags.add(CHAP(element_id=element, start_time=n, end_time=n + 1, sub_frames=[TIT2(encoding=3, text=[f"Kapitel {n + 1}"])]))
    tags.add(CTOC(element_id="toc", flags=CTOCFlags(0), child_element_ids=ids, sub_frames=[]))  # neither top-level nor ordered
    tags.save(sliver, v2_version=3)
    assert cli.main(["show", str(sliver)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("129 chapters (ID3v2.3), no table of contents") and "Kapitel 129" in out
    assert "problem: 0 top-level CTOC frames" in out


def test_a_file_without_a_ctoc_says_so(tone_mp3, capsys):
    tags = ID3()
    tags.add(CHAP(element_id="a", start_time=0, end_time=30000, sub_frames=[TIT2(encoding=3, text=["Alles"])]))
    tags.save(tone_mp3, v2_version=3)
    cli.main(["show", str(tone_mp3)])
    out = capsys.readouterr().out
    assert out.startswith("1 chapters (ID3v2.3), no table of contents") and "(untitled)" not in out


def test_chapters_in_the_second_of_two_stacked_tags_are_listed_and_named(tone_mp3, capsys):
    tagged(tone_mp3, [("Eins", 0, 10000), ("Zwei", 10000, 20000), ("Drei", 20000, 25000), ("Vier", 25000, 30000)])
    behind_a_plain_tag(tone_mp3)
    assert cli.main(["show", str(tone_mp3)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("4 chapters (ID3v2.3), table of contents: Folge") and "Vier" in out
    assert "problem: 2 ID3v2 tags stacked" in out and "problem: the chapters are in stacked tag 2" in out


def test_a_v23_tag_unsynchronised_as_a_whole_is_walked_and_its_order_checked(tone_mp3, capsys):
    from pipeline.id3 import layout

    tagged(tone_mp3, [("Später", 20000, 30000), ("Früher", 0, 20000)])  # CHAP frames out of time order in the file
    unsynchronise(tone_mp3)
    assert [f.frame_id for f in layout.raw_frames(tone_mp3)[1]].count("CHAP") == 2
    cli.main(["show", str(tone_mp3)])
    out = capsys.readouterr().out
    assert "do not add up" not in out and "damaged" not in out
    assert "problem: CHAP frames are not in time order in the file" in out


def test_a_truncated_file_is_one_finding_and_a_chapter_at_the_very_end_is_said_so(tone_mp3, capsys):
    from pipeline import id3

    duration = audio.header_duration_s(tone_mp3)
    end_ms = round(duration * 1000)
    tagged(tone_mp3, [("Eins", 0, 10000)] + [(f"Teil {n}", end_ms + 1000 * n, end_ms + 1000 * (n + 1)) for n in range(9)])
    findings = id3.lint(tone_mp3, duration)
    assert [f for f in findings if "truncated" in f] == [f"the audio ends at {duration:.3f} s but 9 chapters start later: the file is truncated, or the chapters belong to a longer version"]
    assert not any("after the audio ends" in f or "last chapter ends" in f for f in findings)
    tagged(tone_mp3, [("Eins", 0, end_ms), ("Schluss", end_ms, end_ms)])
    (finding,) = [f for f in id3.lint(tone_mp3, end_ms / 1000) if "starts at" in f]
    assert "where the audio ends" in finding and "after" not in finding
