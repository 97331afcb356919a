"""The chapter writer, read back by mutagen and by readers that share no code with it (tests/readers.py)."""

from __future__ import annotations

import subprocess
import tempfile

import pytest
from mutagen.apev2 import APEv2
from mutagen.id3 import APIC, CHAP, CTOC, ID3, TDRC, TIT2, CTOCFlags

from conftest import FFMPEG, make_mp3
from pipeline import audio, id3
from pipeline.id3 import layout
from pipeline.errors import TagError
from pipeline.model import ChapterMark
from readers import antennapod_chapters, eyed3_chapters, ffmpeg_audio_md5, ffmpeg_chapters
from tag_makers import behind_a_plain_tag

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


def image(suffix: str, *lavfi: str) -> bytes:
    """A real image made by ffmpeg (readers decode attached pictures and complain about fakes)."""
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/image{suffix}"
        subprocess.run([FFMPEG, "-v", "error", "-f", "lavfi", "-i", *lavfi, "-frames:v", "1", "-q:v", "2", path], check=True)
        return open(path, "rb").read()


PNG = image(".png", "color=c=red:s=16x16")
JPEG = image(".jpg", "color=c=blue:s=16x16")
BIG_JPEG = image(".jpg", "nullsrc=s=1000x1000,geq=lum=random(1)*255:cb=128:cr=128")


def plain(path):
    """No ID3 tag at all."""


def v24_with_cover_and_date(path):
    tags = ID3()
    tags.add(TIT2(encoding=3, text=["Meine Folge"]))
    tags.add(TDRC(encoding=3, text=["2024-05-01"]))
    tags.add(APIC(encoding=3, mime="image/png", type=3, desc="cover", data=PNG))
    tags.save(path, v2_version=4)


def large_cover(path):
    tags = ID3()
    tags.add(APIC(encoding=3, mime="image/jpeg", type=3, desc="", data=BIG_JPEG))
    tags.save(path)


def other_tools_chapters(path):
    tags = ID3()
    tags.add(CTOC(element_id="toc1", flags=CTOCFlags.TOP_LEVEL, child_element_ids=["ch0", "ch1"], sub_frames=[]))
    tags.add(CHAP(element_id="ch0", start_time=0, end_time=5000, sub_frames=[TIT2(text=["alt 1"])]))
    tags.add(CHAP(element_id="ch1", start_time=5000, end_time=9000, sub_frames=[TIT2(text=["alt 2"])]))
    tags.save(path)


def id3v1_and_ape(path):
    ape = APEv2()
    ape["Title"] = "ape title"
    ape.save(path)
    with path.open("ab") as f:
        f.write(b"TAG" + b"v1 title".ljust(30, b"\0") + b"\0" * 94 + b"\xff")


def stacked_tags(path):
    """Two ID3v2 tags back to back, the second with stale chapters (ffmpeg reads both)."""
    other_tools_chapters(path)
    behind_a_plain_tag(path, title="Vorne", version=4)


def id3v1_only(path):
    with path.open("ab") as f:
        f.write(b"TAG" + b"nur v1".ljust(30, b"\0") + b"\0" * 94 + b"\x0c")


def comments_and_lyrics(path):
    from mutagen.id3 import COMM, USLT

    tags = ID3()
    tags.add(COMM(encoding=3, lang="deu", desc="", text=["Ein Kommentar mit Ümlaut"]))
    tags.add(USLT(encoding=3, lang="deu", desc="", text="Zeile eins\nZeile zwei"))
    tags.save(path)


def ffmpeg_chapters_v24(path):
    meta = path.with_name("meta.txt")
    meta.write_text(";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=9000\ntitle=alt\n", encoding="utf-8")
    other = path.with_name("ffmpeg.mp3")
    subprocess.run([FFMPEG, "-v", "error", "-i", str(path), "-i", str(meta), "-map_metadata", "1", "-map_chapters", "1", "-c", "copy", str(other)], check=True)
    other.replace(path)


def vbr_without_xing(path):
    make_mp3(path, 30.0, extra=("-id3v2_version", "0", "-write_xing", "0", "-q:a", "2"))


MANY = [(f"Kapitel {i}", i * 0.1) for i in range(255)]
CASES = {
    "basic": (plain, marks(("Intro", 0), ("Frage", 10.5), ("Outro", 25))),
    "one chapter": (plain, marks(("Alles", 0))),
    "title lengths differ": (plain, marks(("A", 0), ("Ein sehr langer Titel " * 5, 8), ("B", 16), ("C" * 40, 20), ("D", 24))),
    "umlauts": (plain, marks(("Begrüßung – „Hallo“", 0), ("Kund*innen-Service: Größe", 5))),
    "emoji": (plain, marks(("🎙️ Start", 0), ("Fragen 🤔", 5))),
    "200 characters": (plain, marks(("Ä" * 200, 0), ("kurz", 12))),
    "millisecond starts": (plain, marks(("A", 0.001), ("B", 5.123), ("C", 29.5))),
    "starts late": (plain, marks(("Erst hier", 12.345), ("Dann", 20))),
    "v2.4 tag with cover and date": (v24_with_cover_and_date, marks(("Intro", 0), ("Frage", 10.5))),
    "large cover": (large_cover, marks(*MANY[:100])),
    "other tools' chapters": (other_tools_chapters, marks(("Intro", 0), ("Neu", 7))),
    "ID3v1 tail and APEv2": (id3v1_and_ape, marks(("Intro", 0), ("Frage", 10.5))),
    "stacked tags": (stacked_tags, marks(("Intro", 0), ("Neu", 7))),
    "VBR without Xing header": (vbr_without_xing, marks(("Intro", 0), ("Mitte", 15), ("Ende", 29))),
    "255 chapters": (plain, marks(*MANY)),
    "chapter images": (plain, [ChapterMark("Bild", 0.0, image=PNG, image_mime="image/png"), ChapterMark("Foto", 9.0, image=JPEG, image_mime="image/jpeg")]),
    "links": (plain, [ChapterMark("Link", 0.0, url="https://example.org/a?b=c"), ChapterMark("Ohne", 9.0)]),
    "long titles, many chapters": (plain, marks(*[(f"{i:02d} " + "Langer Kapiteltitel mit Ümlauten " * 4, i * 0.45) for i in range(60)])),
    "ID3v1 only": (id3v1_only, marks(("Intro", 0), ("Frage", 10.5))),
    "comments and lyrics": (comments_and_lyrics, marks(("Intro", 0), ("Frage", 10.5))),
    "chapters written by ffmpeg": (ffmpeg_chapters_v24, marks(("Neu", 0), ("Zwei", 12))),
    "quotes, slashes, separators": (plain, marks(('„A/B“ – "C" = D; #E', 0), ("F\\G", 5))),
}


@pytest.mark.parametrize("case", list(CASES))
def test_every_reader_sees_exactly_our_chapters(tmp_path, case):
    prepare, chapter_marks = CASES[case]
    source = make_mp3(tmp_path / "in.mp3", 30.0, extra=("-id3v2_version", "0", "-write_xing", "1"))
    prepare(source)
    out = write(source, tmp_path / "out.mp3", chapter_marks)
    assert_all_readers_agree(out, chapter_marks)
    first = out.read_bytes()
    write(out, out, chapter_marks)
    assert out.read_bytes() == first  # from the first write on, writing again changes nothing


def test_large_cover_is_big():
    assert len(BIG_JPEG) > 500_000


def test_cover_date_and_frames_survive_conversion(tmp_path):
    source = make_mp3(tmp_path / "in.mp3", 10.0)
    v24_with_cover_and_date(source)
    after = ID3(write(source, tmp_path / "out.mp3", marks(("A", 0))), translate=False)
    assert after.version[:2] == (2, 3)
    assert str(after["TIT2"]) == "Meine Folge"
    assert str(after["TYER"]) == "2024"  # v2.3 has no TDRC: mutagen converts it
    assert after.getall("APIC")[0].data == PNG
    assert id3.episode_title(tmp_path / "out.mp3") == "Meine Folge"


def test_stacked_tags_are_merged_into_one(tmp_path):
    source = make_mp3(tmp_path / "in.mp3", 30.0)
    stacked_tags(source)
    assert audio.audio_region(source).id3v2_tags == 2
    out = write(source, tmp_path / "out.mp3", marks(("Intro", 0)))
    assert audio.audio_region(out).id3v2_tags == 1
    assert str(ID3(out)["TIT2"]) == "Vorne"
    assert [t for t, _, _ in ffmpeg_chapters(out)] == ["Intro"]  # the stale "alt 1"/"alt 2" are gone


def test_vbr_without_xing_ends_at_the_decoded_duration(tmp_path):
    source = make_mp3(tmp_path / "in.mp3", 30.0, extra=("-id3v2_version", "0", "-write_xing", "0", "-q:a", "2"))
    decoded = audio.decode(source).duration_s
    assert audio.published_duration_s(source, decoded) == pytest.approx(decoded)
    assert decoded == pytest.approx(30.0, abs=0.1)


def test_chapter_images_are_type_3_with_their_mime(tmp_path):
    source = make_mp3(tmp_path / "in.mp3", 10.0)
    write(source, source, [ChapterMark("Bild", 0.0, image=PNG, image_mime="image/png")])
    (chap,) = ID3(source).getall("CHAP")
    (picture,) = chap.sub_frames.getall("APIC")
    assert (picture.type, picture.mime, picture.desc, picture.data) == (3, "image/png", "", PNG)


def test_copy_leaves_source_untouched(tone_mp3, tmp_path):
    before = tone_mp3.read_bytes()
    out = write(tone_mp3, tmp_path / "out.mp3")
    assert tone_mp3.read_bytes() == before
    assert [m.title for m in id3.read(out).marks] == ["Intro", "Frage", "Outro"]


def test_no_tag_at_all_gets_one(tone_mp3):
    with pytest.raises(Exception):
        ID3(tone_mp3)
    write(tone_mp3)
    assert ID3(tone_mp3).version[:2] == (2, 3)


def test_audio_frames_are_byte_identical(tone_mp3):
    before_md5, before_hash = ffmpeg_audio_md5(tone_mp3), audio.frames_hash(tone_mp3)
    write(tone_mp3)
    assert ffmpeg_audio_md5(tone_mp3) == before_md5
    assert audio.frames_hash(tone_mp3) == before_hash


def test_file_order_is_ctoc_then_chapters_by_time(tone_mp3):
    write(tone_mp3, chapter_marks=marks(("A", 0), ("Ein sehr langer Titel " * 5, 8), ("B", 16)))
    _, frames = id3.raw_frames(tone_mp3)
    assert [f.frame_id for f in frames if f.frame_id in ("CHAP", "CTOC")] == ["CTOC", "CHAP", "CHAP", "CHAP"]


def test_rewriting_replaces_chapters_and_is_idempotent(tone_mp3):
    write(tone_mp3)
    write(tone_mp3, chapter_marks=marks(("Neu", 0), ("Zwei", 15)))
    first = tone_mp3.read_bytes()
    write(tone_mp3, chapter_marks=marks(("Neu", 0), ("Zwei", 15)))
    assert tone_mp3.read_bytes() == first
    assert_all_readers_agree(tone_mp3, marks(("Neu", 0), ("Zwei", 15)))


def test_chapter_link_is_written(tone_mp3):
    chapter_marks = [ChapterMark("Intro", 0.0), ChapterMark("Mehr", 10.0, url="https://example.org/a?b=c")]
    write(tone_mp3, chapter_marks=chapter_marks)
    assert [m.url for m in id3.read(tone_mp3).marks] == [None, "https://example.org/a?b=c"]


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


def test_failure_during_save_leaves_original_intact(tone_mp3, monkeypatch):
    write(tone_mp3)
    before = tone_mp3.read_bytes()

    def crash(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(layout, "put_chapters_in_time_order", crash)
    with pytest.raises(Exception, match="No space left"):
        write(tone_mp3, chapter_marks=marks(("X", 0)))
    assert tone_mp3.read_bytes() == before
    assert [p.name for p in tone_mp3.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_version_24_on_request(tone_mp3):
    write(tone_mp3, version=4)
    assert id3.read(tone_mp3).version == (2, 4)
    assert [t for t, _ in antennapod_chapters(tone_mp3)] == ["Intro", "Frage", "Outro"]


def test_user_text_frames_with_any_characters_survive(tone_mp3):
    from mutagen.id3 import TXXX

    tags = ID3()
    tags.add(TXXX(encoding=3, desc="Größe 🎙️", text=["plain"]))
    tags.add(TXXX(encoding=3, desc="ascii", text=["Übung 🎧"]))
    tags.save(tone_mp3)
    write(tone_mp3)
    after = ID3(tone_mp3)
    assert str(after["TXXX:Größe 🎙️"]) == "plain" and str(after["TXXX:ascii"]) == "Übung 🎧"


def test_links_go_out_as_ascii_that_every_reader_takes(tone_mp3):
    """A v2.3 link frame is Latin-1 only: "Dvořák" used to crash the write after the whole run."""
    links = ["https://de.wikipedia.org/wiki/Antonín_Dvořák", "https://example.org/suche?q=c++&x=a b#Teil 2", "https://bücher.example/ü"]
    chapter_marks = [ChapterMark("Intro", 0.0)] + [ChapterMark(f"Link {i}", 5.0 * (i + 1), url=url) for i, url in enumerate(links)]
    write(tone_mp3, chapter_marks=chapter_marks)
    assert [m.url for m in id3.read(tone_mp3).marks[1:]] == [
        "https://de.wikipedia.org/wiki/Anton%C3%ADn_Dvo%C5%99%C3%A1k",
        "https://example.org/suche?q=c%2B%2B&x=a%20b#Teil%202",  # AntennaPod would read a bare + as a space
        "https://xn--bcher-kva.example/%C3%BC",
    ]
    assert_all_readers_agree(tone_mp3, chapter_marks)


def test_escapes_already_in_a_link_are_kept():
    assert id3.ascii_url("https://example.org/a%20b?x=%2B") == "https://example.org/a%20b?x=%2B"


def test_titles_lose_characters_a_frame_cannot_hold(tone_mp3):
    chapter_marks = marks(("Eins\x00zwei", 0), ("Drei\x07\ud800", 10))
    write(tone_mp3, chapter_marks=chapter_marks)
    assert [m.title for m in id3.read(tone_mp3).marks] == ["Eins zwei", "Drei \ufffd"]


def test_v24_frames_without_a_v23_form_are_kept_or_named(tmp_path):
    from mutagen.id3 import RVA2, SIGN, TDRL, TMOO, TSOP

    source = make_mp3(tmp_path / "in.mp3", 10.0)
    tags = ID3()
    tags.add(TMOO(encoding=3, text=["ruhig"]))
    tags.add(TDRL(encoding=3, text=["2024-05-01"]))
    tags.add(TSOP(encoding=3, text=["Schübel, Robert"]))
    tags.add(RVA2(desc="track", channel=1, gain=-6.5, peak=0.98))
    tags.add(SIGN(group=1, sig=b"\x01\x02"))
    tags.save(source, v2_version=4)
    warnings = id3.write(source, tmp_path / "out.mp3", marks(("A", 0)), duration_s=audio.decode(source).duration_s, toc_title="T")
    after = ID3(tmp_path / "out.mp3", translate=False)
    assert after.version[:2] == (2, 3)
    assert str(after["TXXX:MOOD"]) == "ruhig" and str(after["TXXX:RELEASETIME"]) == "2024-05-01"
    assert str(after["TSOP"]) == "Schübel, Robert"
    assert str(after["TXXX:REPLAYGAIN_TRACK_GAIN"]) == "-6.50 dB"
    assert warnings == ["the ID3v2.4 frame SIGN (signature) has no ID3v2.3 form and was left out"]
