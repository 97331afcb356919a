"""Openings: where a chapter can begin, with the pause before it and the passage after it."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline import passages
from pipeline.audio import FRAME_S
from spoken import ad_jingle_welcome, said

WORDS = said(
    (0.0, "Willkommen zur Folge."),
    (3.0, "Das ist eine Antwort ohne Punkt"),
    (6.0, "und weiter geht es."),
    (12.0, "Spannend, danke. Wie lange dauert die Ausbildung?"),
    (16.0, "Drei Monate."),
)


def test_openings_are_sentence_starts_and_starts_after_a_silence():
    found = passages.openings(WORDS)
    assert [WORDS[o.first_word].text for o in found] == ["Willkommen", "Das", "und", "Spannend,", "Wie", "Drei"]


def test_a_passage_runs_on_to_the_question_but_not_across_a_long_silence():
    by_word = {WORDS[o.first_word].text: o for o in passages.openings(WORDS)}
    assert by_word["Spannend,"].text == "Spannend, danke. Wie lange dauert die Ausbildung?"
    assert by_word["Spannend,"].question and not by_word["Drei"].question
    assert by_word["und"].text == "und weiter geht es."  # the 4 s silence after it ends the passage


def test_the_pause_comes_from_the_loudness_when_whisper_puts_the_word_early():
    loudness = np.full(int(20 / FRAME_S), -20.0, dtype=np.float32)
    loudness[int(7.7 / FRAME_S) : int(12.6 / FRAME_S)] = -80.0  # the question's sound begins at 12.6 s
    opening = next(o for o in passages.openings(WORDS, loudness) if WORDS[o.first_word].text == "Spannend,")
    assert opening.onset_s == 12.6 and opening.pause_start_s == 7.7
    assert opening.contains(11.0, 0.0) and opening.contains(14.0, 2.0) and not opening.contains(15.0, 2.0)


def test_extra_starts_make_a_title_heard_mid_sentence_an_opening():
    found = passages.openings(WORDS, extra_starts=[WORDS.index(next(w for w in WORDS if w.text == "weiter"))])
    assert "weiter" in [WORDS[o.first_word].text for o in found]
    assert passages.openings([]) == []


def test_a_chapter_whose_words_follow_a_jingle_is_published_at_the_jingle():
    words, level = ad_jingle_welcome()
    welcome = next(o for o in passages.openings(words, level) if o.text.startswith("Hello"))
    assert passages.published_start_s(welcome, words, level) == pytest.approx(12.55)  # a quarter second before the jingle
    words, no_jingle = ad_jingle_welcome(jingle=False)
    assert passages.published_start_s(welcome, words, no_jingle) == welcome.chapter_start_s == pytest.approx(19.05)
    assert passages.jingle_start_s(welcome, words, no_jingle) is None
