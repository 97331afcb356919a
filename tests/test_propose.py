"""Chapters proposed from the speech: their titles, and the proposal end to end."""

from __future__ import annotations

import pytest

from pipeline import passages, propose
from pipeline.align import Heard
from pipeline.model import Word


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

    alignment = propose.propose(Heard(Transcript(tuple(words), "de", 180.0, "test")))
    assert alignment.verdicts[0].start_s == 0.0 and alignment.verdicts[0].chapter.title == "Hallo und willkommen."
    assert alignment.proposed_as == "free talk"
    assert all(v.status.value == "proposed" and v.chapter.claimed_s is None for v in alignment.verdicts)
    starts = [v.start_s for v in alignment.verdicts]
    assert starts == sorted(starts) and len(starts) == 3


def test_a_chapter_whose_words_follow_a_jingle_starts_at_the_jingle():
    import numpy as np

    from pipeline.audio import FRAME_S

    words = _words("Use the code kettle for twenty percent off.") + _words("Hello and welcome to the show.", 19.3)
    level = np.full(int(40 / FRAME_S), -80.0)
    for start_s, end_s in [(0.0, 3.2), (10.3, 11.8), (12.8, 18.8), (19.3, 21.7)]:  # the ad, its bumper, the jingle, the welcome
        level[int(start_s / FRAME_S) : int(end_s / FRAME_S)] = -20.0
    welcome = next(o for o in passages.openings(words, level) if o.text.startswith("Hello"))
    assert propose.published_start_s(welcome, words, level) == pytest.approx(12.55)  # a quarter second before the jingle
    no_jingle = level.copy()
    no_jingle[int(12.8 / FRAME_S) : int(18.8 / FRAME_S)] = -80.0
    assert propose.published_start_s(welcome, words, no_jingle) == welcome.chapter_start_s == pytest.approx(19.05)
