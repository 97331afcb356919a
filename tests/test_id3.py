"""The chapter writer, read back by mutagen and by readers that share no code with it (tests/readers.py)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from mutagen.apev2 import APEv2
from mutagen.id3 import APIC, CHAP, CTOC, ID3, TDRC, TIT2, TPE1, CTOCFlags

from conftest import FFMPEG, make_mp3
from pipeline import audio, id3
from pipeline.errors import TagError
from pipeline.model import ChapterMark
from readers import antennapod_chapters, eyed3_chapters, ffmpeg_audio_md5, ffmpeg_chapters

FFMPEG_SHIFT_MS = 30


def marks(*pairs):
    return [ChapterMark(title=t, start_s=s) for t, s in pairs]


def write(source, destination=None, chapter_marks=None, **kwargs):
    destination = destination or source
    if chapter_marks is None:
        chapter_marks = marks(("Intro", 0), ("Frage", 10.5), ("Outro", 25))
    kwargs.setdefault("toc_title", "Folge 1")
    id3.write(source, destination, chapter_marks, duration_s=audio.decode(source).duration_s, **kwargs)
    return destination


def expected_rows(chapter_marks, duration):
    ends = [m.start_s for m in chapter_marks[1:]] + [duration]
    return [(m.title, round(m.start_s * 1000), round(e * 1000)) for m, e in zip(chapter_marks, ends)]


def assert_all_readers_agree(path, chapter_marks, toc_title="Folge 1"):
    duration = audio.decode(path).duration_s
    rows = expected_rows(chapter_marks, duration)
    # ffmpeg lists chapters in file order, so this also checks the order. It shows times shifted by
    # the stream's start (the encoder delay, 25 ms here), hence the small tolerance.
    seen = ffmpeg_chapters(path)
    assert [t for t, _, _ in seen] == [t for t, _, _ in rows]
    assert all(abs(a - c) <= FFMPEG_SHIFT_MS and abs(b - d) <= FFMPEG_SHIFT_MS for (_, a, b), (_, c, d) in zip(seen, rows))
    eyed3_rows, toc = eyed3_chapters(path)
    assert eyed3_rows == rows
    assert toc == (toc_title, True, [f"chp{i}" for i in range(len(rows))])
    assert antennapod_chapters(path) == [(title, start) for title, start, _ in rows]
    embedded = id3.read(path)
    assert [(m.title, round(m.start_s * 1000), round(m.end_s * 1000)) for m in embedded.marks] == rows
    assert embedded.version == (2, 3)
    assert id3.lint(path, duration) == []


def test_basic(tone_mp3):
    write(tone_mp3)
    assert_all_readers_agree(tone_mp3, marks(("Intro", 0), ("Frage", 10.5), ("Outro", 25)))


def test_copy_leaves_source_untouched(tone_mp3, tmp_path):
    before = tone_mp3.read_bytes()
    out = write(tone_mp3, tmp_path / "out.mp3")
    assert tone_mp3.read_bytes() == before
    assert [m.title for m in id3.read(out).marks] == ["Intro", "Frage", "Outro"]


def test_file_order_is_time_order_whatever_the_title_lengths(tone_mp3):
    chapter_marks = marks(("A", 0), ("Ein sehr langer Titel " * 5, 8), ("B", 16), ("C" * 40, 20), ("D", 24))
    write(tone_mp3, chapter_marks=chapter_marks)
    _, frames = id3.raw_frames(tone_mp3)
    kinds = [f.frame_id for f in frames if f.frame_id in ("CHAP", "CTOC")]
    assert kinds == ["CTOC"] + ["CHAP"] * 5
    assert_all_readers_agree(tone_mp3, chapter_marks)


def test_umlauts_emoji_and_long_titles(tone_mp3):
    chapter_marks = marks(("Begrüßung – „Hallo“", 0), ("Kund*innen 🎙️ Fragen", 5), ("Ä" * 200, 12))
    write(tone_mp3, chapter_marks=chapter_marks)
    assert_all_readers_agree(tone_mp3, chapter_marks)


def test_no_tag_at_all_gets_one(tone_mp3):
    with pytest.raises(Exception):
        ID3(tone_mp3)
    write(tone_mp3)
    assert ID3(tone_mp3).version[:2] == (2, 3)


def test_existing_v24_tag_with_cover_and_date_is_converted_and_kept(tone_mp3):
    tags = ID3()
    tags.add(TIT2(encoding=3, text=["Meine Folge"]))
    tags.add(TPE1(encoding=3, text=["Ein Podcast"]))
    tags.add(TDRC(encoding=3, text=["2024-05-01"]))
    tags.add(APIC(encoding=3, mime="image/png", type=3, desc="cover", data=b"\x89PNG\r\n\x1a\n" + b"x" * 5000))
    tags.save(tone_mp3, v2_version=4)
    write(tone_mp3)
    after = ID3(tone_mp3)
    assert after.version[:2] == (2, 3)
    assert str(after["TIT2"]) == "Meine Folge" and str(after["TPE1"]) == "Ein Podcast"
    assert str(after["TYER"]) == "2024" if "TYER" in after else str(after["TDRC"]).startswith("2024")
    assert after.getall("APIC")[0].data.endswith(b"x" * 5000)
    assert id3.episode_title(tone_mp3) == "Meine Folge"


def test_id3v1_tail_and_apev2_tag_survive(tone_mp3):
    tags = APEv2()
    tags["Title"] = "ape title"
    tags.save(tone_mp3)
    with tone_mp3.open("ab") as f:
        f.write(b"TAG" + b"v1 title".ljust(30, b"\0") + b"\0" * 94 + b"\xff")
    write(tone_mp3)
    data = tone_mp3.read_bytes()
    assert data[-128:-125] == b"TAG" and b"v1 title" in data[-128:]
    assert str(APEv2(tone_mp3)["Title"]) == "ape title"
    assert_all_readers_agree(tone_mp3, marks(("Intro", 0), ("Frage", 10.5), ("Outro", 25)))


def test_audio_frames_are_byte_identical(tone_mp3):
    before_md5, before_hash = ffmpeg_audio_md5(tone_mp3), audio.frames_hash(tone_mp3)
    write(tone_mp3)
    assert ffmpeg_audio_md5(tone_mp3) == before_md5
    assert audio.frames_hash(tone_mp3) == before_hash


def test_rewriting_replaces_chapters_and_is_idempotent(tone_mp3):
    write(tone_mp3)
    write(tone_mp3, chapter_marks=marks(("Neu", 0), ("Zwei", 15)))
    first = tone_mp3.read_bytes()
    write(tone_mp3, chapter_marks=marks(("Neu", 0), ("Zwei", 15)))
    assert tone_mp3.read_bytes() == first
    assert_all_readers_agree(tone_mp3, marks(("Neu", 0), ("Zwei", 15)))


def test_other_tools_chapters_are_replaced(tone_mp3):
    tags = ID3()
    tags.add(CTOC(element_id="toc1", flags=CTOCFlags.TOP_LEVEL, child_element_ids=["ch0", "ch1"], sub_frames=[]))
    tags.add(CHAP(element_id="ch0", start_time=0, end_time=5000, sub_frames=[TIT2(text=["alt 1"])]))
    tags.add(CHAP(element_id="ch1", start_time=5000, end_time=9000, sub_frames=[TIT2(text=["alt 2"])]))
    tags.save(tone_mp3)
    write(tone_mp3)
    assert {c.element_id for c in ID3(tone_mp3).getall("CHAP")} == {"chp0", "chp1", "chp2"}
    assert_all_readers_agree(tone_mp3, marks(("Intro", 0), ("Frage", 10.5), ("Outro", 25)))


def test_chapter_link_is_written(tone_mp3):
    chapter_marks = [ChapterMark("Intro", 0.0), ChapterMark("Mehr", 10.0, url="https://example.org/a b")]
    write(tone_mp3, chapter_marks=chapter_marks)
    assert [m.url for m in id3.read(tone_mp3).marks] == [None, "https://example.org/a b"]


@pytest.mark.parametrize(
    ("chapter_marks", "message"),
    [
        (marks(("", 0)), "empty title"),
        (marks(("   ", 0)), "empty title"),
        (marks(("A", 0), ("B", 0)), "strictly increasing"),
        (marks(("A", 5), ("B", 2)), "strictly increasing"),
        (marks(("A", 0), ("B", 31)), "outside the audio"),
        ([], "no chapters"),
        (marks(*[(f"K{i}", i * 0.1) for i in range(256)]), "at most 255"),
    ],
)
def test_invalid_chapter_lists_are_refused_and_file_untouched(tone_mp3, chapter_marks, message):
    before = tone_mp3.read_bytes()
    with pytest.raises(TagError, match=message):
        write(tone_mp3, chapter_marks=chapter_marks)
    assert tone_mp3.read_bytes() == before


def test_255_chapters_are_fine(tone_mp3):
    chapter_marks = marks(*[(f"Kapitel {i}", i * 0.1) for i in range(255)])
    write(tone_mp3, chapter_marks=chapter_marks)
    assert len(ffmpeg_chapters(tone_mp3)) == 255
    assert len(antennapod_chapters(tone_mp3)) == 255


def test_failure_during_save_leaves_original_intact(tone_mp3, monkeypatch):
    write(tone_mp3)
    before = tone_mp3.read_bytes()

    def crash(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(id3, "_put_chapters_in_time_order", crash)
    with pytest.raises(Exception, match="No space left"):
        write(tone_mp3, chapter_marks=marks(("X", 0)))
    assert tone_mp3.read_bytes() == before
    assert [p.name for p in tone_mp3.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_lint_flags_ffmpeg_written_chapters(tmp_path):
    meta = tmp_path / "meta.txt"
    meta.write_text(";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=4000\ntitle=Eins\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=4000\nEND=8000\ntitle=Zwei\n")
    source = make_mp3(tmp_path / "src.mp3", 8.0)
    out = tmp_path / "ffmpeg.mp3"
    subprocess.run([FFMPEG, "-v", "error", "-i", str(source), "-i", str(meta), "-map_metadata", "1", "-map_chapters", "1", "-c", "copy", str(out)], check=True)
    findings = id3.lint(out, audio.decode(out).duration_s)
    assert any("CTOC has no title" in f or "no CTOC" in f for f in findings), findings


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


def test_version_24_on_request(tone_mp3):
    write(tone_mp3, version=4)
    assert id3.read(tone_mp3).version == (2, 4)
    assert [t for t, _ in antennapod_chapters(tone_mp3)] == ["Intro", "Frage", "Outro"]
