"""The producer's decisions: kept as JSON, applied to the alignment's verdicts by title, only on the same audio."""

import pytest

from pipeline import decisions
from pipeline.errors import InputError
from pipeline.model import Chapter, Status, Transcript, Verdict, Word

SHA = "a" * 64
HEARD = Transcript((Word("Wie", 24.8, 25.1), Word("teuer", 25.1, 25.5), Word("ist", 25.5, 25.7), Word("das?", 25.7, 26.0)), "de", 60.0, "base")


def aligned():
    return (
        Verdict(Chapter("Intro", 0.0, line_no=3), 0.0, Status.UNVERIFIABLE, 1.0, ""),
        Verdict(Chapter("Kapitelmarken", 14.0, line_no=4), 14.0, Status.VERIFIED, 0.95, "Welche Rolle …"),
        Verdict(Chapter("Mikrofon", 26.0, line_no=5), 26.0, Status.MISSING, 1.0, ""),
        Verdict(Chapter("Outro", 29.0, line_no=6), 29.0, Status.UNVERIFIABLE, 1.0, ""),
    )


def test_a_start_set_by_hand_is_published_confirmed_with_the_words_heard_there():
    kept = decisions.Decisions(SHA, (decisions.Decision("Mikrofon", "Mikrofon", 24.6),))
    verdicts, warnings = decisions.apply(aligned(), kept, HEARD, SHA)
    assert warnings == ()
    moved = verdicts[2]
    assert (moved.status, moved.start_s, moved.confidence, moved.evidence) == (Status.CONFIRMED, 24.6, 1.0, "Wie teuer ist das?")
    assert moved.chapter.line_no == 5 and moved.chapter.claimed_s == 26.0  # still the shownote chapter: its line gets the new time
    assert verdicts[:2] == aligned()[:2] and verdicts[3] == aligned()[3]


def test_a_title_set_by_hand_keeps_the_alignments_start():
    kept = decisions.Decisions(SHA, (decisions.Decision("Kapitelmarken", "Warum Kapitelmarken?"),))
    verdicts, _ = decisions.apply(aligned(), kept, HEARD, SHA)
    assert (verdicts[1].chapter.title, verdicts[1].start_s, verdicts[1].status) == ("Warum Kapitelmarken?", 14.0, Status.CONFIRMED)
    assert decisions.set_by_hand(kept.chapters[0]) == ["title"]


def test_deleted_chapters_go_and_added_ones_follow_in_time_order():
    kept = decisions.Decisions(SHA, (decisions.Decision(None, "Werbung", 20.0), decisions.Decision(None, "Nachtrag", 5.0)), removed=("Outro",))
    verdicts, _ = decisions.apply(aligned(), kept, HEARD, SHA)
    assert [v.chapter.title for v in verdicts] == ["Intro", "Kapitelmarken", "Mikrofon", "Nachtrag", "Werbung"]
    assert verdicts[-1].status is Status.CONFIRMED and verdicts[-1].chapter.claimed_s == 20.0


def test_decisions_on_other_audio_or_on_titles_no_longer_there_are_not_applied_and_said():
    kept = decisions.Decisions(SHA, (decisions.Decision("Mikrofon", "Mikrofon", 24.6),))
    verdicts, warnings = decisions.apply(aligned(), kept, HEARD, "b" * 64)
    assert verdicts == aligned() and "other audio" in warnings[0]
    renamed = decisions.Decisions(SHA, (decisions.Decision("Mikrofone", "Mikrofone", 24.6),), removed=("Abspann",))
    verdicts, warnings = decisions.apply(aligned(), renamed, HEARD, SHA)
    assert verdicts == aligned() and len(warnings) == 2 and "„Mikrofone“" in warnings[0] and "„Abspann“" in warnings[1]


def test_two_chapters_with_one_title_take_their_decisions_in_order():
    twice = (Verdict(Chapter("Frage", 10.0), 10.0, Status.MISSING, 1.0, ""), Verdict(Chapter("Frage", 40.0), 40.0, Status.MISSING, 1.0, ""))
    kept = decisions.Decisions(SHA, (decisions.Decision("Frage", "Frage", 12.0), decisions.Decision("Frage", "Frage", 41.0)))
    verdicts, _ = decisions.apply(twice, kept, HEARD, SHA)
    assert [v.start_s for v in verdicts] == [12.0, 41.0]


def test_kept_as_json_and_read_back(tmp_path):
    kept = decisions.Decisions(SHA, (decisions.Decision("Mikrofon", "Mikro „fon“", 24.6), decisions.Decision(None, "Neu", 3.0)), removed=("Outro",))
    path = tmp_path / "x.decisions.json"
    decisions.save(path, kept)
    assert decisions.load(path) == kept
    assert decisions.load(tmp_path / "none.json") is None


@pytest.mark.parametrize("text", ["{", "[]", '{"version": 1}', '{"version": 99, "audio_sha256": "a", "chapters": []}',
                                  '{"version": 1, "audio_sha256": "a", "chapters": [{"title": "x"}]}'])
def test_a_damaged_decisions_file_is_bad_input(tmp_path, text):
    path = tmp_path / "x.decisions.json"
    path.write_text(text)
    with pytest.raises(InputError, match="x.decisions.json"):
        decisions.load(path)
