"""Chapters proposed from the speech: their titles, and the proposal end to end."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from pipeline import passages, propose
from pipeline.align import Heard
from pipeline.model import Word
from spoken import ad_jingle_welcome


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


def test_after_a_pre_roll_ad_the_show_starts_a_chapter_with_its_jingle():
    words, level = ad_jingle_welcome()
    opens = passages.openings(words, level)
    published = np.array([passages.published_start_s(o, words, level) for o in opens])
    assert list(published) == pytest.approx([0.0, 12.55])
    assert propose._with_the_show_after_an_ad([], opens, words, level, published, 10.0) == [1]  # the ad keeps 0:00; the show begins at 12.55
    assert propose._with_the_show_after_an_ad([], opens, words, level, published, 30.0) == []  # free talk: no chapter shorter than 30 s
    words, no_jingle = ad_jingle_welcome(jingle=False)
    plain = np.array([passages.published_start_s(o, words, no_jingle) for o in opens])
    assert propose._with_the_show_after_an_ad([], opens, words, no_jingle, plain, 10.0) == []  # words straight before the welcome: no ad to tell


def _goodbye_episode() -> tuple[list[passages.Opening], np.ndarray]:
    words = (_words("Wie geht es weiter?") + _words("Wir bauen eine zweite Backstube.", 2.0)
             + _words("Jana, vielen Dank für das Gespräch.", 80.0) + _words("Bis zum nächsten Mal.", 83.0))
    opens = passages.openings(words)
    return opens, np.array([o.chapter_start_s for o in opens])


def _meaning(goodbye_likeness: float):
    """A sentence embedder that hears a goodbye in thanks and farewells, this alike."""
    def similarity(texts, phrases):
        return np.array([[goodbye_likeness if ("Dank" in t or "Bis" in t) else 0.1] * len(phrases) for t in texts])
    return similarity


def test_the_hosts_goodbye_starts_a_chapter_at_the_beginning_of_their_turn():
    opens, published = _goodbye_episode()
    one_voice = SimpleNamespace(voice_over_usual=lambda: np.zeros(len(opens)))
    goodbye = next(j for j, o in enumerate(opens) if o.text.startswith("Jana"))
    assert propose._with_the_goodbye([], opens, one_voice, _meaning(0.5), published, 100.0, 10.0) == [goodbye]  # not its "Bis zum nächsten Mal"
    assert propose._with_the_goodbye([], opens, one_voice, _meaning(0.2), published, 100.0, 10.0) == []  # nothing clearly a goodbye
    assert propose._with_the_goodbye([goodbye], opens, one_voice, _meaning(0.5), published, 100.0, 10.0) == [goodbye]  # already a start
    assert propose._with_the_goodbye([], opens, one_voice, _meaning(0.5), published, 88.0, 10.0) == []  # too close to the end
    assert propose._with_the_goodbye([], opens, one_voice, None, published, 100.0, 10.0) == []  # no embedder
