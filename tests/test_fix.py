"""`chapters fix`: files other tools wrote come out clean by `show`, read alike by ffmpeg, eyeD3 and an
AntennaPod-rules reader, with their audio, other tags, titles and starts kept; a second fix changes nothing."""

from __future__ import annotations

import pytest
from mutagen.id3 import CHAP, ID3, TIT2

import readers
from conftest import make_mp3
from pipeline import audio, cli, id3
from pipeline.id3.read import stacked_after_the_first
from tag_makers import behind_a_plain_tag, ffmpeg_written as written_by_ffmpeg, tagged, unsynchronise


def ffmpeg_written(folder):
    return written_by_ffmpeg(folder, 30.0, [("Eins", 0, 12000), ("Zwei", 12000, 30000)])


def mutagen_defaults(folder):
    mp3 = make_mp3(folder / "mutagen.mp3", 30.0, extra=("-id3v2_version", "0", "-write_xing", "1"))
    tags = ID3()
    tags.add(CHAP(element_id="b", start_time=10000, end_time=9000, sub_frames=[TIT2(text=["Zweiter Teil"])]))
    tags.add(CHAP(element_id="a", start_time=0, end_time=10000, sub_frames=[TIT2(text=["Ein langer Titel " * 4])]))
    tags.add(CHAP(element_id="c", start_time=20000, end_time=25000, sub_frames=[]))  # untitled
    tags.save(mp3, v2_version=4)
    return mp3


def stacked(folder):
    return behind_a_plain_tag(tagged(make_mp3(folder / "stacked.mp3", 30.0, extra=("-id3v2_version", "0")), [("Eins", 0, 15000), ("Zwei", 15000, 30000)]))


def unsynchronised(folder):
    return unsynchronise(tagged(make_mp3(folder / "unsync.mp3", 30.0, extra=("-id3v2_version", "0")), [("Später", 20000, 30000), ("Früher", 0, 20000)]))


CASES = {"ffmpeg": ffmpeg_written, "mutagen defaults": mutagen_defaults, "stacked tags": stacked, "unsynchronised v2.3": unsynchronised}


@pytest.mark.parametrize("make", CASES.values(), ids=list(CASES))
def test_fixed_files_read_right_everywhere_and_keep_what_they_said(tmp_path, make, capsys):
    original = make(tmp_path)
    others = {key for tag in [ID3(original), *stacked_after_the_first(original)] for key in tag.keys() if not key.startswith(("CHAP", "CTOC"))}
    duration = audio.header_duration_s(original)
    wanted = [(m.title.strip() or f"Chapter {n}", round(m.start_s * 1000)) for n, m in enumerate(sorted(id3.read(original).marks, key=lambda m: m.start_s), start=1)]
    assert id3.lint(original, duration)  # broken for some player before
    out = tmp_path / "fixed"
    assert cli.main(["fix", str(original), "--out", str(out)]) == 0
    fixed = out / original.name
    assert id3.lint(fixed, duration) == [] and "no problems found" in capsys.readouterr().out
    assert [(t, s) for t, s, _e in readers.ffmpeg_chapters(fixed)] == [(t, s - _first_shift(fixed)) if s else (t, s) for t, s in wanted]
    assert [(t, s) for t, s, _e in readers.eyed3_chapters(fixed)[0]] == wanted
    assert readers.antennapod_chapters(fixed) == wanted
    assert audio.frames_hash(fixed) == audio.frames_hash(original)
    assert others <= set(ID3(fixed).keys())  # the file's other tags (the stacked one's too) kept
    again = tmp_path / "again"
    assert cli.main(["fix", str(fixed), "--out", str(again)]) == 0
    assert (again / original.name).read_bytes() == fixed.read_bytes()  # fixing a fixed file changes nothing


def _first_shift(path) -> int:
    """ffmpeg shows chapters shifted by the stream's start (the encoder delay); 0 for a file without one."""
    stored = readers.eyed3_chapters(path)[0]
    shown = readers.ffmpeg_chapters(path)
    return next((a[1] - b[1] for a, b in zip(stored, shown) if a[1] > 0), 0)


def test_dry_run_says_what_would_change_and_writes_nothing(tmp_path, capsys):
    original = mutagen_defaults(tmp_path)
    before = original.read_bytes()
    assert cli.main(["fix", str(original), "--dry-run", "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "change: chapter 3 had no title: now 'Chapter 3'" in out and "would fix: ID3v2.4" in out
    assert original.read_bytes() == before and not (tmp_path / "out").exists()


def test_fix_in_place_and_show_suggests_it(tmp_path, capsys):
    original = ffmpeg_written(tmp_path)
    cli.main(["show", str(original)])
    assert f"chapters fix {original} rewrites these chapters" in capsys.readouterr().out
    assert cli.main(["fix", str(original), "--in-place"]) == 0
    assert id3.lint(original, audio.header_duration_s(original)) == []
    assert cli.main(["fix", str(original), "--in-place"]) == 0 and "nothing to fix" in capsys.readouterr().out


def test_a_file_without_chapters_is_one_clear_line(tone_mp3, capsys):
    assert cli.main(["fix", str(tone_mp3), "--dry-run"]) == 2
    assert "carries no chapters to fix" in capsys.readouterr().err


def test_links_and_images_survive_a_fix(tone_mp3, tmp_path):
    from pipeline.model import ChapterMark

    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    marks = [ChapterMark("Bild", 0.0, image=png, image_mime="image/png"), ChapterMark("Link", 12.0, url="https://example.org/a?b=1")]
    id3.write(tone_mp3, tone_mp3, marks, duration_s=audio.header_duration_s(tone_mp3), toc_title="Folge")
    tags = ID3(tone_mp3)
    tags.save(tone_mp3, v2_version=4)  # another tagger saved it: v2.4, frames by size
    assert id3.lint(tone_mp3, audio.header_duration_s(tone_mp3))
    assert cli.main(["fix", str(tone_mp3), "--out", str(tmp_path / "out")]) == 0
    fixed = id3.read(tmp_path / "out" / tone_mp3.name).marks
    assert [(m.title, m.start_s, m.image, m.url) for m in fixed] == [("Bild", 0.0, png, None), ("Link", 12.0, None, "https://example.org/a?b=1")]


def test_the_repair_says_each_change_it_makes():
    from pipeline.id3.repair import repaired
    from pipeline.model import ChapterMark

    marks = [ChapterMark("B", 10.0), ChapterMark("", 0.0), ChapterMark("C", 10.0004), ChapterMark("Late", 40.0)]
    kept, notes = repaired(marks, duration_s=30.0)
    assert [(m.title, m.start_s) for m in kept] == [("Chapter 1", 0.0), ("B", 10.0), ("C", 10.001)]
    assert notes == ["chapter 1 had no title: now 'Chapter 1'", "chapter 3 'C' started with the one before it: moved 1 ms later",
                     "chapter 4 'Late' starts at 00:00:40.000, at or after the audio's end: left out"]
