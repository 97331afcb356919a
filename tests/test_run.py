from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from pipeline import align, episode, run
from pipeline.model import Chapter, Status, Transcript, Verdict, Word


def verdict(title, start, status=Status.VERIFIED):
    return Verdict(Chapter(title, start), start, status, 1.0, "")


def test_shownotes_are_found_beside_the_audio(tmp_path):
    mp3 = tmp_path / "x.mp3"
    assert run.find_shownotes(mp3) is None
    (tmp_path / "x.md").write_text("0:00 Intro")
    assert run.find_shownotes(mp3) == tmp_path / "x.md"


def test_shownotes_in_windows_encoding_are_read(tmp_path):
    notes = tmp_path / "n.txt"
    notes.write_bytes("0:00 – Begrüßung\n".encode("cp1252"))
    chapters, _ = run.read_shownotes(notes)
    assert chapters[0].title == "Begrüßung"


def test_the_language_hint_is_the_shownotes_unless_the_speech_must_decide():
    assert run.RunOptions().language_hint("Wie geht das?") == "Wie geht das?"
    assert run.RunOptions(language_from_shownotes=False).language_hint("Wie geht das?") == ""


class _EpisodeThatCounts:
    """What `run.decide` reads of an episode, noting whether the voices were looked at."""

    def __init__(self):
        self.path, self.duration_s, self.frames_sha256 = Path("e.mp3"), 40.0, "0" * 64
        self.loudness_db = np.full(4000, -20.0)
        self.voices_read = 0
        self.meaning_vectors = SimpleNamespace(similarity=lambda titles, passages: np.zeros((len(titles), len(passages))), save=lambda: None)

    @property
    def voice_spectra(self):
        self.voices_read += 1
        return np.zeros((2000, 24), dtype=np.float16)

    def load_audio(self):
        raise AssertionError("the audio itself is never decoded here")


@pytest.mark.parametrize("partial", [False, True])
def test_a_partial_transcript_is_decided_without_voices_or_questions_to_the_audio(monkeypatch, partial):
    asked = []
    monkeypatch.setattr(episode, "acoustic_check", lambda *a: asked.append(a))
    words = tuple(Word(text, 10.0 + 0.4 * i, 10.3 + 0.4 * i) for i, text in enumerate("Wie lange dauert die Ausbildung ?".split()))
    counting = _EpisodeThatCounts()
    outcome = run.decide(counting, [Chapter("Wie lange dauert die Ausbildung?", 10.0)], Transcript(words, "de", 40.0, "base"), run.RunOptions(), partial=partial)
    assert len(outcome.alignment.verdicts) == 1
    assert (counting.voices_read, len(asked)) == ((0, 0) if partial else (1, 1))


def test_a_chapter_in_doubt_is_heard_again_around_its_claim_in_short_pieces_without_a_second_look(monkeypatch):
    heard_first = Transcript((), "de", 40.0, "base")  # the title not heard the first time: missing, in doubt
    asked = []
    monkeypatch.setattr(episode, "check_times", lambda *a: None)
    monkeypatch.setattr(episode, "transcript", lambda *a: heard_first)
    monkeypatch.setattr(episode, "acoustic_check", lambda *a: None)

    def windows(load_audio, frames_sha256, spans, options):
        asked.append((spans, options))
        return Transcript((Word("Wie", 20.0, 20.3), Word("lange?", 20.3, 20.8)), "de", 40.0, "base")

    monkeypatch.setattr(run.transcribe, "transcribe_windows", windows)
    counting = _EpisodeThatCounts()
    counting.meaning_vectors.load_embedder_unless_kept = lambda: None
    outcome = run.verify(counting, [Chapter("Wie lange?", 20.0)], "", run.RunOptions())
    ((spans, options),) = asked
    assert spans == [(0.0, 40.0)]  # ±LISTEN_AGAIN_S around the claim, within the episode
    assert options.short_pieces and not options.second_look and options.language == "de"
    assert outcome.alignment.verdicts[0].signals.heard_again


def test_hearing_again_that_unsettles_a_sure_chapter_leaves_the_first_hearing_standing(monkeypatch):
    sure, doubtful = Chapter("Wie lange dauert die Ausbildung?", 10.0), Chapter("Was kostet ein gutes Mikrofon?", 25.0)
    first = run.Outcome(Transcript((Word("Wie", 10.0, 10.3),), "de", 40.0, "base"), align.Alignment((
        Verdict(sure, 10.0, Status.VERIFIED, 0.99, "Wie lange dauert die Ausbildung?"), Verdict(doubtful, 25.0, Status.MISSING, 1.0, "")), 0.0), {})
    # heard again around the doubtful chapter (±20 s), in pieces without context: the sure title lost
    again = run.Outcome(Transcript((Word("Will", 10.0, 10.3),), "de", 40.0, "base"), align.Alignment((
        Verdict(sure, 10.0, Status.MISSING, 1.0, ""), Verdict(doubtful, 25.0, Status.MISSING, 1.0, "")), 0.0), {})
    decided = iter([first, again])
    monkeypatch.setattr(episode, "check_times", lambda *a: None)
    monkeypatch.setattr(episode, "transcript", lambda *a: first.transcript)
    monkeypatch.setattr(run, "decide", lambda *a, **k: next(decided))
    monkeypatch.setattr(run.transcribe, "transcribe_windows", lambda *a: again.transcript)
    counting = _EpisodeThatCounts()
    counting.meaning_vectors.load_embedder_unless_kept = lambda: None
    assert run.verify(counting, [sure, doubtful], "", run.RunOptions()) is first


def test_what_hearing_again_may_change():
    sure, doubtful = Chapter("A", 10.0), Chapter("B", 25.0)
    before = [Verdict(sure, 10.0, Status.VERIFIED, 0.99, ""), Verdict(doubtful, 25.0, Status.MISSING, 1.0, "")]
    found = [before[0], Verdict(doubtful, 31.0, Status.CORRECTED, 0.9, "")]
    assert not run._unsettles(before, found, {doubtful})  # the doubtful chapter found: kept
    assert not run._unsettles(before, [replace(before[0], start_s=24.0, status=Status.CORRECTED), found[1]], {doubtful})  # moved: the new hearing decides
    assert run._unsettles(before, [replace(before[0], status=Status.MISSING), found[1]], {doubtful})  # a sure chapter lost
    assert not run._unsettles([before[0], replace(before[1], status=Status.CORRECTED)], [before[0], before[1]], {doubtful})  # a doubtful one may be


def test_a_title_without_a_time_flagged_only_for_want_of_certainty_is_not_heard_again():
    nearly_placed = Verdict(Chapter("A", None), 30.0, Status.MISSING, 0.2, "")  # its place 80 % likely: below PLACED_FROM, found all the same
    not_found = Verdict(Chapter("B", None), 60.0, Status.MISSING, 0.6, "")
    timed = Verdict(Chapter("C", 90.0), 90.0, Status.MISSING, 0.2, "")
    assert [run._in_doubt(v) for v in (nearly_placed, not_found, timed)] == [False, True, True]
