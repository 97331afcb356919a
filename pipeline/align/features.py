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

from pipeline import pauses, textmatch, voices
from pipeline.align import topics
from pipeline.passages import Opening

# (titles, passages) -> cosine of each title with each passage (len(titles) × len(passages))
MeaningScore = Callable[[Sequence[str], Sequence[str]], np.ndarray]

TITLE_HEAD_WORDS = 4  # a title is said from one of the first words of its passage …
LATER_IN_PASSAGE = 0.9  # … or later in it, after a lead-in ("Spannend, danke. Wie …"), which counts a little less

# Fitted by `python -m bench fit` on the tuning episodes (bench/episodes); see README, "Accuracy".
START_FEATURES = ("intercept", "pause rank", "question", "words, best title", "title heard, best title", "meaning z, best title", "voice change over usual", "asker's voice")
START_WEIGHTS = np.array([-8.227, 6.600, 1.827, 0.624, 1.267, 0.262, 0.473, 2.826])
START_WEIGHTS_WITHOUT_ASKER = np.array([-7.865, 7.408, 2.211, 0.155, 0.649, 0.332, 0.707])  # too few questions to know the asker
START_WEIGHTS_WITHOUT_VOICE = np.array([-7.900, 7.781, 2.167, 0.047, 0.593, 0.344])  # no audio to hear voices in
CHAPTER_FEATURES = ("words", "title heard", "meaning z", "meaning best", "title best")
CHAPTER_WEIGHTS = np.array([1.701, 1.850, 0.956, 0.563, 0.248])
VOICE_CHANGE_CAP = 3.0  # beyond this a change of voice says no more (music, an ad, a jingle)
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
    voice_change: np.ndarray  # per opening: how much the voice changes across its pause (voices.change; 0 when unknown)
    from_asker: np.ndarray  # per opening: how far its voice lies from the asker's (voices.cues; nan when unknown)

    def start_features(self) -> np.ndarray:
        """openings × len(START_FEATURES)."""
        count = len(self.pause_rank)
        best_words = self.words.max(axis=0) if len(self.words) else np.zeros(count)
        best_meaning = self.meaning_z.max(axis=0) if len(self.meaning_z) else np.zeros(count)
        return np.stack(
            [np.ones(count), self.pause_rank, self.question.astype(float), best_words, _heard(best_words), best_meaning, self.voice_over_usual(), self.asker_voice()], axis=-1
        )

    def voice_over_usual(self) -> np.ndarray:
        """Per opening: how much more the voice changes across its pause than between the episode's
        sentences usually does (0 when unknown; about 0 everywhere in a monologue)."""
        voice = np.minimum(self.voice_change, VOICE_CHANGE_CAP)
        return voice - np.median(voice) if len(voice) else voice

    @property
    def asker_known(self) -> bool:
        """Whether the voice that asks the episode's questions is known (voices.cues found it)."""
        return bool(np.isfinite(self.from_asker).any())

    def asker_voice(self) -> np.ndarray:
        """Per opening: how much closer its voice is to the asker's than the episode's passages
        usually are; never below 0, so that a show whose chapters open in other voices (a reader
        per part, reporters) loses nothing by it."""
        known = self.from_asker[np.isfinite(self.from_asker)]
        if not len(known):
            return np.zeros(len(self.from_asker))
        return np.maximum(0.0, np.median(known) - np.nan_to_num(self.from_asker, nan=float(np.median(known))))

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

    def start_log_odds(self, weights: np.ndarray | None = None) -> np.ndarray:
        """Per opening: does a chapter start here at all? (With the model that leaves out the voice
        cues this episode lacks: an unknown voice is not a voice unlike the asker's.)"""
        if weights is None:
            weights = START_WEIGHTS if self.asker_known else START_WEIGHTS_WITHOUT_ASKER if self.voice_change.any() else START_WEIGHTS_WITHOUT_VOICE
        return self.start_features()[:, : len(weights)] @ weights

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
    loudness_db: np.ndarray | None = None,
    spans: Sequence[textmatch.SpanMatches] | None = None,
    voice: voices.Cues | None = None,
) -> Evidence:
    """`loudness_db`: the whole episode's loudness, whose every pause each opening's pause is ranked
    against, so that a pause is as long for a few transcribed snippets as for the whole transcript;
    without it (or when the loudness shows fewer pauses than there are openings, as in a silent
    test), the openings' own pauses."""
    episode_pauses = pauses.lengths(loudness_db) if loudness_db is not None else None
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
    own_pauses = np.array([o.pause_s for o in openings])
    return Evidence(
        words=words,
        sound=sound,
        meaning=cosine,
        meaning_z=_standardised(cosine) * _meaning_weight(openings),
        meaning_rank=(np.argsort(np.argsort(-cosine, axis=1), axis=1) + 1) if count else np.zeros(words.shape, dtype=int),
        title_best=(cosine >= cosine.max(axis=0, keepdims=True)) if len(titles) > 1 and count else np.zeros(words.shape, dtype=bool),
        pause_rank=_ranks(own_pauses, episode_pauses if episode_pauses is not None and len(episode_pauses) >= len(openings) else own_pauses),
        question=np.array([o.question for o in openings], dtype=bool),
        voice_change=voice.change if voice is not None else np.zeros(count),
        from_asker=voice.from_asker if voice is not None else np.full(count, np.nan),
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
