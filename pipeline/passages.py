"""Where a chapter can begin: the openings of a transcript, each with the passage that follows it.

A chapter starts where someone starts speaking after a pause: a sentence after a sentence end or
a silence. Its passage (what is said from there: the sentence, and the next ones up to a question
or enough words) is what a title is compared with, by sound and by meaning. The pause before it
is measured in the loudness envelope when there is one, since Whisper often puts the first word
after a silence early, inside the silence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pipeline import pauses
from pipeline.model import Word

SENTENCE_END = (".", "?", "!", "…", ":", ";")
SENTENCE_GAP_S = 0.6  # a silence this long between words ends a sentence even without punctuation
OPENING_GAP_S = 0.3  # and this long may start a chapter (a host cutting in) even inside one
PASSAGE_SENTENCES = 2  # a passage runs on to a question mark, or until it has this many sentences …
PASSAGE_WORDS = 25  # … or this many words …
PASSAGE_BREAK_S = 2.5  # … but not across a silence this long, unless it has fewer than
SHORT_PASSAGE_WORDS = 3  # … this many words so far ("Two." before a sonnet, "Okay." before a question)
MAX_LATE_ONSET_S = 8.0  # how far after Whisper's first word the sound may really begin
INTRO_MUSIC_S = 3.0  # wordless sound this long just before a chapter's first words is its intro jingle (an ad's bumper is shorter)


@dataclass(frozen=True)
class Opening:
    first_word: int
    passage_end: int  # last word of the passage (inclusive)
    onset_s: float  # where the sound of the first word begins
    pause_start_s: float  # where the silence before it begins
    text: str  # the passage
    readings: tuple[str, ...] = ()  # the passage up to each of its sentence ends: a title may match its first sentence or all of it

    @property
    def pause_s(self) -> float:
        return self.onset_s - self.pause_start_s

    @property
    def chapter_start_s(self) -> float:
        """Where a chapter starting here is published: just before its sound, inside the pause."""
        return round(max(0.0, self.onset_s - min(0.25, self.pause_s / 2)), 3)

    @property
    def question(self) -> bool:
        return "?" in self.text

    def contains(self, time_s: float, tolerance_s: float) -> bool:
        """Whether a claimed time lies in the pause before this opening (give or take the tolerance)."""
        return self.pause_start_s - tolerance_s <= time_s <= self.onset_s + tolerance_s


def openings(words: Sequence[Word], loudness_db: np.ndarray | None = None, extra_starts: Sequence[int] = ()) -> list[Opening]:
    """Every place a chapter could begin, in time order: sentence starts, starts after a silence,
    and `extra_starts` (words where a title was heard, even mid-sentence)."""
    if not words:
        return []
    starts = {0, *extra_starts}
    for index in range(1, len(words)):
        gap = words[index].start_s - words[index - 1].end_s
        if words[index - 1].text.endswith(SENTENCE_END) or gap >= OPENING_GAP_S:
            starts.add(index)
    threshold = pauses.quiet_threshold_db(loudness_db) if loudness_db is not None and len(loudness_db) else None
    found: list[Opening] = []
    for first in sorted(s for s in starts if 0 <= s < len(words)):
        opening = _opening(words, first, loudness_db, threshold)
        if found and opening.onset_s <= found[-1].onset_s:
            continue  # the same sound as the opening before (Whisper split a sentence the envelope does not)
        found.append(opening)
    return found


def published_start_s(opening: Opening, words: Sequence[Word], loudness_db: np.ndarray | None) -> float:
    """Just before the chapter's first words, or before the jingle that leads into them: a listener
    who jumps to the chapter after a pre-roll ad hears the show's intro music, as the producer cut it."""
    jingle = jingle_start_s(opening, words, loudness_db)
    return opening.chapter_start_s if jingle is None else jingle


def jingle_start_s(opening: Opening, words: Sequence[Word], loudness_db: np.ndarray | None) -> float | None:
    """Where the jingle that leads into the opening's words begins (a quarter second before it, not
    before the last words), when words come before it (INTRO_MUSIC_S of sound without words after a
    pause: the show's intro music after a pre-roll ad). None when no jingle leads in."""
    if loudness_db is None or not len(loudness_db) or opening.first_word == 0:
        return None
    last_word_s = words[opening.first_word - 1].end_s
    music_s = pauses.wordless_sound_before(loudness_db, opening.pause_start_s, last_word_s, INTRO_MUSIC_S)
    return None if music_s is None else round(max(last_word_s, music_s - 0.25), 3)


def _opening(words: Sequence[Word], first: int, loudness_db: np.ndarray | None, threshold_db: float | None) -> Opening:
    previous_end = words[first - 1].end_s if first > 0 else 0.0
    onset, pause_start = words[first].start_s, min(previous_end, words[first].start_s)
    if loudness_db is not None and threshold_db is not None:
        # the sound may begin a little before Whisper's first word, or after it when Whisper put the
        # word inside the silence; not later than the third word
        third = words[min(first + 2, len(words) - 1)]
        pause = pauses.pause_before(
            loudness_db,
            words[first].start_s,
            earliest_s=max(0.0, previous_end - 1.0),
            latest_onset_s=min(third.start_s + 0.6, words[first].start_s + MAX_LATE_ONSET_S),
            threshold_db=threshold_db,
        )
        if pause is not None:
            onset, pause_start = pause.end_s, pause.start_s
    ends = _sentence_ends(words, first)
    text = " ".join(w.text for w in words[first : ends[-1] + 1])
    readings = tuple(" ".join(w.text for w in words[first : end + 1]) for end in ends)
    return Opening(first, ends[-1], round(onset, 3), round(pause_start, 3), text, readings)


def _sentence_ends(words: Sequence[Word], first: int) -> list[int]:
    """The last word of each sentence of the passage that starts at `first` (the last one ends the passage)."""
    sentences, sentence_start, last, ends = 0, first, first, []
    for index in range(first, len(words)):
        if index > first and words[index].start_s - words[index - 1].end_s >= PASSAGE_BREAK_S and index - first >= SHORT_PASSAGE_WORDS:
            break
        last = index
        text = words[index].text
        ends_here = text.endswith(SENTENCE_END) or index + 1 < len(words) and words[index + 1].start_s - words[index].end_s >= SENTENCE_GAP_S
        if ends_here:
            # "Two." or "Okay." before the question is a lead-in, not one of the passage's sentences
            sentences += index - sentence_start + 1 >= SHORT_PASSAGE_WORDS
            sentence_start = index + 1
            ends.append(index)
            if "?" in text or sentences >= PASSAGE_SENTENCES or index - first + 1 >= PASSAGE_WORDS:
                break
    if not ends or ends[-1] != last:
        ends.append(last)
    return ends
