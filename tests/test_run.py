from pipeline import run
from pipeline.model import Chapter, Status, Verdict


def verdict(title, start, status=Status.VERIFIED):
    return Verdict(Chapter(title, start), start, status, 1.0, "")


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


def test_the_language_hint_is_the_shownotes_unless_the_speech_must_decide():
    assert run.RunOptions().language_hint("Wie geht das?") == "Wie geht das?"
    assert run.RunOptions(language_from_shownotes=False).language_hint("Wie geht das?") == ""
