from pathlib import Path

import pytest

from pipeline import outputs
from pipeline.errors import InputError
from pipeline.model import Chapter, Status, Verdict


def verdict(title, start, status=Status.VERIFIED):
    return Verdict(Chapter(title, start), start, status, 1.0, "")


def test_chapter_marks_are_sorted_and_never_share_a_start():
    marks = outputs.chapter_marks([verdict("B", 10.0), verdict("A", 0.0), verdict("C", 10.0, Status.MISSING)], 60.0)
    assert [(m.title, m.start_s) for m in marks] == [("A", 0.0), ("B", 10.0), ("C", 10.001)]


def test_paths():
    paths = outputs.paths(Path("audio/folge 1.mp3"), Path("out"))
    assert paths["mp3"] == Path("out/folge 1.mp3") and paths["report"] == Path("out/folge 1.report.json")
    assert paths["text"] == Path("out/folge 1.txt")
    assert set(outputs.paths(Path("a.mp3"), Path("o"), outputs.TRANSCRIPT_SUFFIXES)) == set(outputs.TRANSCRIPT_SUFFIXES)


def test_guard_refuses_an_output_on_any_input(tmp_path):
    mp3, notes = tmp_path / "ep.mp3", tmp_path / "ep.txt"
    mp3.write_bytes(b"x")
    notes.write_text("0:00 Intro")
    targets = outputs.paths(mp3, tmp_path)
    with pytest.raises(InputError, match=r"ep.txt: the text output would overwrite the input .*ep.txt \(use --out DIR\)"):
        outputs.guard({"text": targets["text"]}, [mp3, notes])
    with pytest.raises(InputError, match="--in-place"):
        outputs.guard({"mp3": targets["mp3"]}, [mp3, notes])
    outputs.guard({"mp3": targets["mp3"]}, [mp3, notes], may_replace={"mp3": mp3})  # --in-place
    with pytest.raises(InputError):  # the same file by another path
        outputs.guard({"text": tmp_path / "sub" / ".." / "ep.txt"}, [notes])
    outputs.guard(outputs.paths(mp3, tmp_path / "out"), [mp3, notes])


def test_shownotes_beside_are_every_kind_present(tmp_path):
    mp3 = tmp_path / "ep.mp3"
    assert outputs.shownotes_beside(mp3) == []
    (tmp_path / "ep.html").write_text("<p>0:00 Intro</p>")
    (tmp_path / "ep.txt").write_text("0:00 Intro")
    assert outputs.shownotes_beside(mp3) == [tmp_path / "ep.txt", tmp_path / "ep.html"]
