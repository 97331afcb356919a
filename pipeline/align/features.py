"""How much each opening of the episode looks like the start of each chapter: words, sound, meaning, pause.

Each signal is measured on its own scale and put in relation to the rest of the episode (a
title's cosine against its own distribution over the episode's passages, a pause against the
episode's pauses), because absolute embedding cosines sit in a narrow band that differs from
model to model and episode to episode.

Two questions are asked of every opening, with two small models whose weights
`python -m bench fit` estimates on the tuning episodes:
- does a chapter start here at all? (the pause before it, a question, a passage like some title)
- if one does, which one? (the likeness of each title to the passage, against the other titles)
Their product is the likelihood ratio the ordered placement needs: how much likelier this
opening is to start chapter k than an opening picked at random.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from pipeline import textmatch
from pipeline.align import topics
from pipeline.passages import Opening

# (titles, passages) -> cosine of each title with each passage (len(titles) × len(passages))
MeaningScore = Callable[[Sequence[str], Sequence[str]], np.ndarray]

TITLE_HEAD_WORDS = 4  # a title is said from one of the first words of its passage …
LATER_IN_PASSAGE = 0.9  # … or later in it, after a lead-in ("Spannend, danke. Wie …"), which counts a little less

# Fitted by `python -m bench fit` on the tuning episodes (bench/episodes); see README, "Accuracy".
START_FEATURES = ("intercept", "pause rank", "question", "words, best title", "title heard, best title", "meaning z, best title")
START_WEIGHTS = np.array([-7.203, 6.638, 1.669, 0.281, 0.640, 0.518])
CHAPTER_FEATURES = ("words", "title heard", "meaning z", "meaning best", "title best")
CHAPTER_WEIGHTS = np.array([1.544, 1.832, 1.156, 0.536, 0.316])
HEARD_FROM = 0.6  # likeness of words below this is what any two sentences share; above it, the title is heard
# A passage is about a title when its words are heard, or its meaning is this many deviations closer
# than the title's typical passage, or this title fits it this much better than the others (log-odds).
ABOUT_MEANING_Z, ABOUT_WHICH = 2.0, 1.0


@dataclass(frozen=True)
class Evidence:
    """Every signal for every (chapter, opening) pair: chapters × openings matrices, per-opening vectors."""

    words: np.ndarray  # letters likeness of the title to a span starting at the passage's first words
    sound: np.ndarray  # Kölner Phonetik likeness of the same span
    meaning: np.ndarray  # cosine
    meaning_z: np.ndarray  # the cosine against the title's cosines over the whole episode
    meaning_rank: np.ndarray  # 1 = the title's closest passage
    title_best: np.ndarray  # True where no other chapter's title is closer to the passage
    pause_rank: np.ndarray  # per opening: 0 shortest … 1 longest pause of the episode
    question: np.ndarray  # per opening: bool

    def start_features(self) -> np.ndarray:
        """openings × len(START_FEATURES)."""
        count = len(self.pause_rank)
        best_words = self.words.max(axis=0) if len(self.words) else np.zeros(count)
        best_meaning = self.meaning_z.max(axis=0) if len(self.meaning_z) else np.zeros(count)
        return np.stack([np.ones(count), self.pause_rank, self.question.astype(float), best_words, _heard(best_words), best_meaning], axis=-1)

    def chapter_features(self) -> np.ndarray:
        """chapters × openings × len(CHAPTER_FEATURES)."""
        return np.stack(
            [self.words, _heard(self.words), self.meaning_z, (self.meaning_rank == 1).astype(float), self.title_best.astype(float)], axis=-1
        )

    def log_odds(self) -> np.ndarray:
        """chapters × openings: log of how much likelier the opening starts the chapter than a random one does.

        log odds(a chapter starts here) + log P(it is this one, of the K | one starts here) + log K.
        """
        return self.start_log_odds()[None, :] + self.which_log_odds()

    def start_log_odds(self, weights: np.ndarray = START_WEIGHTS) -> np.ndarray:
        """Per opening: does a chapter start here at all?"""
        return self.start_features() @ weights

    def which_log_odds(self, weights: np.ndarray = CHAPTER_WEIGHTS) -> np.ndarray:
        """chapters × openings: log of how much likelier this chapter is to be the one starting here
        than any one of the K (0: no preference among the titles)."""
        chapters = len(self.words)
        if not chapters:
            return np.zeros(self.words.shape)
        which = self.chapter_features() @ weights
        return which - np.logaddexp.reduce(which, axis=0, keepdims=True) + np.log(chapters)

    def about_all(self) -> np.ndarray:
        """chapters × openings: is the passage about the title at all: its words heard, or close in
        meaning for this title, or closer to it than to the other titles?"""
        return (self.words >= HEARD_FROM) | (self.meaning_z >= ABOUT_MEANING_Z) | (self.which_log_odds() >= ABOUT_WHICH)

    def about(self, row: int, j: int) -> bool:
        return bool(self.about_all()[row, j])


def gather(
    titles: Sequence[str],
    openings: Sequence[Opening],
    index: textmatch.SpokenIndex,
    meaning: MeaningScore | None,
    episode_pauses: np.ndarray | None = None,
    spans: Sequence[textmatch.SpanMatches] | None = None,
) -> Evidence:
    """`episode_pauses`: every pause of the whole episode (from its loudness), against which each
    opening's pause is ranked, so that a pause is as long for a few transcribed snippets as for
    the whole transcript; without it (or when the loudness shows fewer pauses than there are
    openings, as in a silent test), the openings' own pauses."""
    count = len(openings)
    words = np.zeros((len(titles), count))
    sound = np.zeros((len(titles), count))
    for k, title in enumerate(titles):
        found = spans[k] if spans is not None else textmatch.title_spans(title, index)
        for j, opening in enumerate(openings):
            head_end = min(opening.first_word + TITLE_HEAD_WORDS, opening.passage_end + 1)
            head = int(np.argmax(found.similarity[opening.first_word : head_end])) + opening.first_word
            words[k, j], sound[k, j] = found.similarity[head], found.sound[head]
            if head_end <= opening.passage_end:
                later = int(np.argmax(found.similarity[head_end : opening.passage_end + 1])) + head_end
                if LATER_IN_PASSAGE * found.similarity[later] > words[k, j]:
                    words[k, j], sound[k, j] = LATER_IN_PASSAGE * found.similarity[later], LATER_IN_PASSAGE * found.sound[later]
    cosine = _closest_reading(meaning, titles, openings) if meaning and count else np.zeros(words.shape)
    pauses = np.array([o.pause_s for o in openings])
    return Evidence(
        words=words,
        sound=sound,
        meaning=cosine,
        meaning_z=_standardised(cosine) * _meaning_weight(openings),
        meaning_rank=(np.argsort(np.argsort(-cosine, axis=1), axis=1) + 1) if count else np.zeros(words.shape, dtype=int),
        title_best=(cosine >= cosine.max(axis=0, keepdims=True)) if len(titles) > 1 and count else np.zeros(words.shape, dtype=bool),
        pause_rank=_ranks(pauses, episode_pauses if episode_pauses is not None and len(episode_pauses) >= len(openings) else pauses),
        question=np.array([o.question for o in openings], dtype=bool),
    )


def _closest_reading(meaning: MeaningScore, titles: Sequence[str], openings: Sequence[Opening]) -> np.ndarray:
    """Each title (or, for a title naming a part of the show, each way of opening that part)
    against the closest reading of each passage (its first sentence, or more of it)."""
    readings = [reading for o in openings for reading in (o.readings or (o.text,))]
    passage_of = np.repeat(np.arange(len(openings)), [len(o.readings or (o.text,)) for o in openings])
    variants = [(row, text) for row, title in enumerate(titles) for text in (textmatch.spoken_form(title), *topics.openings_for(title))]
    every = meaning([text for _, text in variants], readings)
    closest = np.full((len(titles), len(openings)), -1.0)
    for (row, _), cosines in zip(variants, every):
        np.maximum.at(closest[row], passage_of, cosines)
    return closest


def _meaning_weight(openings: Sequence[Opening]) -> np.ndarray:
    """How far a passage's meaning can be trusted: an embedding of two words ("Fast wie?") says
    little, so its deviations count in proportion to its words up to FULL_MEANING_WORDS."""
    lengths = np.array([len(o.text.split()) for o in openings], dtype=float)
    return np.minimum(1.0, lengths / FULL_MEANING_WORDS)[None, :] if len(openings) else np.ones((1, 0))


def _heard(words: np.ndarray) -> np.ndarray:
    """0 up to HEARD_FROM, then rising to 1 for the title word for word."""
    return np.clip((words - HEARD_FROM) / (1.0 - HEARD_FROM), 0.0, 1.0)


FULL_MEANING_WORDS = 5  # a passage this long or longer has a meaning worth its full deviation
MIN_SPREAD = 0.05  # cosine: an episode whose passages all sound alike has no meaningful deviations smaller than this


def _standardised(cosine: np.ndarray) -> np.ndarray:
    """Each title's cosines as z-scores over the episode's passages (robust: median and MAD)."""
    if cosine.shape[1] < 3:
        return np.zeros(cosine.shape)
    median = np.median(cosine, axis=1, keepdims=True)
    spread = 1.4826 * np.median(np.abs(cosine - median), axis=1, keepdims=True)
    return np.clip((cosine - median) / np.maximum(spread, MIN_SPREAD), -4.0, 8.0)


def _ranks(values: np.ndarray, among: np.ndarray) -> np.ndarray:
    """Where each value stands among `among`: 0 below all … 1 above all; ties share the middle of
    their ranks (a hundred equal pauses between answer sentences are ordinary, not long)."""
    if len(among) < 2:
        return np.ones(len(values))
    ordered = np.sort(among)
    below, up_to = np.searchsorted(ordered, values, side="left"), np.searchsorted(ordered, values, side="right")
    return (below + up_to) / 2 / len(among)
