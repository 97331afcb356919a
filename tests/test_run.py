from pathlib import Path

import pytest

from pipeline import run
from pipeline.model import Chapter, Status, Verdict


def verdict(title, start, status=Status.VERIFIED):
    return Verdict(Chapter(title, start), start, status, 1.0, "")


def test_chapter_marks_are_sorted_and_never_share_a_start():
    marks = run.chapter_marks([verdict("B", 10.0), verdict("A", 0.0), verdict("C", 10.0, Status.MISSING)], 60.0)
    assert [(m.title, m.start_s) for m in marks] == [("A", 0.0), ("B", 10.0), ("C", 10.001)]


def test_output_paths():
    options = run.RunOptions(out_dir=Path("out"))
    paths = run.output_paths(Path("audio/folge 1.mp3"), options)
    assert paths["mp3"] == Path("out/folge 1.mp3") and paths["report"] == Path("out/folge 1.report.json")
    in_place = run.output_paths(Path("audio/folge 1.mp3"), run.RunOptions(out_dir=Path("out"), in_place=True))
    assert in_place["mp3"] == Path("audio/folge 1.mp3")


def test_shownotes_are_found_beside_the_audio(tmp_path):
    mp3 = tmp_path / "x.mp3"
    assert run.find_shownotes(mp3) is None
    (tmp_path / "x.md").write_text("0:00 Intro")
    assert run.find_shownotes(mp3) == tmp_path / "x.md"


def test_needs_attention():
    assert not run.needs_attention([verdict("A", 0), verdict("Intro", 0, Status.UNVERIFIABLE)])
    assert run.needs_attention([verdict("A", 0, Status.CORRECTED)])
    assert run.needs_attention([verdict("A", 0, Status.MISSING)])


def test_shownotes_in_windows_encoding_are_read(tmp_path):
    notes = tmp_path / "n.txt"
    notes.write_bytes("0:00 – Begrüßung\n".encode("cp1252"))
    chapters, _ = run.read_shownotes(notes)
    assert chapters[0].title == "Begrüßung"


def test_check_times_names_the_line():
    with pytest.raises(Exception, match="notes.txt:3"):
        run.check_times([Chapter("Zu spät", 100.0, line_no=3)], 50.0, "notes.txt")


def test_wider_windows_replace_the_words_where_they_were_transcribed():
    from pipeline.model import Transcript, Word

    first = Transcript(words=(Word("a", 1.0, 1.2, 0.9), Word("b", 50.0, 50.2, 0.9), Word("c", 99.0, 99.2, 0.9)), language="de", duration_s=100.0, model="base")
    wider = Transcript(words=(Word("B", 45.0, 45.2, 0.9), Word("B2", 51.0, 51.2, 0.9)), language="de", duration_s=100.0, model="base")
    joined = run._joined(first, wider, [(40.0, 60.0)])
    assert [w.text for w in joined.words] == ["a", "B", "B2", "c"]


@pytest.mark.parametrize(
    "status, confidence, settled",
    [
        (Status.UNVERIFIABLE, 0.5, True),
        (Status.VERIFIED, 0.9, True),
        (Status.CORRECTED, 0.9, True),  # found as surely elsewhere in the window
        (Status.CORRECTED, 0.7, False),  # the rest of the file may hold a better place
        (Status.MISSING, 0.9, False),
    ],
)
def test_which_window_verdicts_are_settled(status, confidence, settled):
    def no_check(*args):
        raise AssertionError("a confident or hopeless verdict needs no acoustic check")

    verdict = Verdict(Chapter("Wie lange dauert das?", 30.0), 30.0, status, confidence, "")
    assert run._surely_settled(verdict, None, no_check, None) is settled
