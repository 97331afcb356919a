"""Chapters proposed from the speech: where (interview or free talk), and their titles."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline import passages, propose
from pipeline.align import features
from pipeline.model import Word


def _evidence(questions, asker, known=True):
    count = len(questions)
    return features.Evidence(
        words=np.zeros((0, count)), sound=np.zeros((0, count)), meaning=np.zeros((0, count)), meaning_z=np.zeros((0, count)),
        meaning_rank=np.zeros((0, count), dtype=int), title_best=np.zeros((0, count), dtype=bool), pause_rank=np.zeros(count),
        question=np.array(questions, dtype=bool), voice_change=np.zeros(count),
        from_asker=np.array([0.0 if a else 2.0 for a in asker]) if known else np.full(count, np.nan),
    )


def test_an_interview_gets_a_chapter_per_likely_question_never_two_within_the_gap():
    asked = {0.0: 5.0, 20.0: 3.0, 24.0: 4.0, 60.0: 2.0, 80.0: -1.0, 100.0: -2.0}  # 20 s and 24 s: a question put again
    answers = [5.0, 10.0, 30.0, 35.0, 40.0, 45.0, 50.0, 65.0, 70.0, 90.0, 95.0]  # the guest's sentences
    onsets = np.array(sorted([*asked, *answers]))
    odds = np.array([asked.get(t, -6.0) for t in onsets])
    evidence = _evidence([t in asked for t in onsets], [t in asked for t in onsets])
    chosen, kind = propose.choose(odds, evidence, onsets, duration_s=120.0)
    assert kind == "interview"
    assert [onsets[j] for j in chosen] == [24.0, 60.0, 80.0]  # the stronger of the two; 0 s is the episode's start; -2 is unlikely


def test_free_talk_gets_at_least_three_chapters_none_under_thirty_seconds():
    onsets = np.arange(0.0, 200.0, 5.0)
    odds = np.sin(onsets / 17.0)  # no one asks: topic changes only
    evidence = _evidence([False] * len(onsets), [False] * len(onsets), known=False)
    chosen, kind = propose.choose(odds, evidence, onsets, duration_s=200.0)
    assert kind == "free talk" and len(chosen) == 2  # three chapters with the one at the start
    starts = [0.0, *(onsets[j] for j in chosen), 200.0]
    assert min(b - a for a, b in zip(starts, starts[1:])) >= propose.FREE_TALK_MIN_S


def test_free_talk_too_short_for_three_chapters_of_thirty_seconds_gets_fewer():
    onsets = np.arange(0.0, 70.0, 5.0)
    chosen, _kind = propose.choose(np.ones(len(onsets)), _evidence([False] * len(onsets), [False] * len(onsets), known=False), onsets, 70.0)
    starts = [0.0, *(onsets[j] for j in chosen), 70.0]
    assert min(b - a for a, b in zip(starts, starts[1:])) >= propose.FREE_TALK_MIN_S


def _words(text: str, start: float = 0.0) -> list[Word]:
    return [Word(token, start + 0.4 * i, start + 0.4 * i + 0.3) for i, token in enumerate(text.split())]


@pytest.mark.parametrize(
    ("spoken", "expected"),
    [
        ("Spannend, danke. Wann klingelt bei dir eigentlich der Wecker?", "Wann klingelt bei dir eigentlich der Wecker?"),
        ("Heute geht es um Brot. Und um Mehl.", "Heute geht es um Brot."),
        ("What does a day on a dairy farm look like for you and your family, from morning on?",
         "What does a day on a dairy farm look like…"),
    ],
    ids=["the question after a lead-in", "the first sentence", "a long question cut"],
)
def test_a_proposed_chapter_is_titled_with_the_words_that_open_it(spoken, expected):
    words = _words(spoken)
    (opening, *_rest) = passages.openings(words)
    assert propose.title(opening, words) == expected


def test_proposals_from_a_transcript_start_at_zero_and_name_what_they_were_taken_for():
    words = _words("Hallo und willkommen. Heute reden wir über Brot.") + _words("Und jetzt etwas ganz anderes über Musik.", 60.0) + _words(
        "Zum Schluss noch das Wetter von morgen.", 120.0)
    from pipeline.model import Transcript

    alignment = propose.propose(Transcript(tuple(words), "de", 180.0, "test"), None)
    assert alignment.verdicts[0].start_s == 0.0 and alignment.verdicts[0].chapter.title == "Hallo und willkommen."
    assert alignment.proposed_as == "free talk"
    assert all(v.status.value == "proposed" and v.chapter.claimed_s is None for v in alignment.verdicts)
    starts = [v.start_s for v in alignment.verdicts]
    assert starts == sorted(starts) and len(starts) == 3
