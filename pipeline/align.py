"""Find every shownote title in the transcript, then verify or correct its time (DESIGN.md, "alignment").

1. Every chapter with spoken words gets candidate positions: local maxima of title similarity.
2. A dynamic programme picks at most one candidate per chapter so that the chapters keep their
   shownote order in time, preferring candidates near the expected time.
3. The median shift of the confident matches is the episode's global offset (an inserted intro or
   ad); when it is larger than the tolerance, the search runs again around the shifted times, and
   wordless chapters (Intro, Outro) move by it.
4. Each start is placed in the pause before the title's first word; a claimed time inside that
   pause (plus tolerance) is verified, a confident match elsewhere corrects it, else it is missing.
5. A correction whose text likeness is only middling is put to the audio (an AcousticCheck: the
   title forced through the model against what it heard there) before it may move a chapter.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from pipeline import pauses, textmatch
from pipeline.model import Chapter, Status, Transcript, Verdict

# Titles made only of these words name music or structure, not something said.
_UNSPOKEN_WORDS = frozenset(
    "intro outro musik music jingle trailer teaser vorspann abspann opener opening closing credits"
    " werbung anzeige ad ads advert advertisement sponsor sponsoring sponsored pause break"
    " und and the der die das".split()
)
CANDIDATE_MIN = 0.45  # below this a span is not worth considering at all
VERIFY_MIN = 0.5  # at the claimed pause, this much likeness verifies
CORRECT_MIN = 0.7  # to move a chapter elsewhere we need this much
DOUBTFUL_MIN, SURE_MIN = 0.6, 0.8  # between these, a correction is checked against the audio
ACOUSTIC_ACCEPT = -2.2  # the title may be this much less likely per token than what was heard (bench: true
# matches −1.9…+0.9, look-alike sentences −2.6 and below; the line sits in the gap)
PARAPHRASE_MIN = 0.5  # share of the title's content words heard right after the claimed pause
PARAPHRASE_WINDOW_S = 25.0
MIN_CHAPTER_S = 1.0
RIVAL_MARGIN = 0.05  # a match elsewhere this much better forbids verifying the claimed time
PAUSE_WEIGHT = 0.15  # a title after one of the episode's longest pauses is worth this much more
SUPPRESS_S = 4.0  # candidates closer than this to a better one are the same place
MAX_CANDIDATES = 8
MAX_LATE_ONSET_S = 8.0  # how far after Whisper's first word the sound may really begin
SENTENCE_GAP_S = 0.6  # a silence this long between words ends a sentence even without punctuation
MAX_WALK_BACK_S = 4.0  # a matched span lies at most this far into its sentence
PARAPHRASE_BELOW = 0.8  # a weaker match may be a paraphrase that starts mid-sentence
_SENTENCE_END = (".", "?", "!", "…", ":", ";")


@dataclass(frozen=True)
class AlignOptions:
    tolerance_s: float = 2.0


# (start_s, end_s, title, heard) -> how much less likely the title is than what was heard, given the
# audio there: mean log-probability per token under forced alignment, title minus heard (0 = as likely).
AcousticCheck = Callable[[float, float, str, str], float]


@dataclass(frozen=True)
class Alignment:
    verdicts: tuple[Verdict, ...]
    offset_s: float  # the global shift applied to wordless chapters (0 when none was established)


@dataclass(frozen=True)
class _Context:
    """What every candidate needs to know about the episode, built once."""

    index: textmatch.SpokenIndex
    loudness_db: np.ndarray | None
    threshold_db: float | None
    sorted_gaps_s: np.ndarray  # every silence between consecutive words, ascending
    options: AlignOptions

    def pause_rank(self, gap_s: float) -> float:
        """How unusual a silence this long is in this episode: 0 shortest … 1 longest."""
        if not len(self.sorted_gaps_s):
            return 0.0
        return float(np.searchsorted(self.sorted_gaps_s, gap_s, side="right")) / len(self.sorted_gaps_s)


@dataclass(frozen=True)
class _Candidate:
    first_word: int
    last_word: int
    similarity: float
    onset_s: float  # where the first word's sound begins
    pause_start_s: float  # where the silence before it begins
    pause_rank: float  # chapters start after the longer pauses of an episode

    @property
    def quality(self) -> float:
        return self.similarity + PAUSE_WEIGHT * self.pause_rank

    def contains(self, time_s: float, tolerance_s: float) -> bool:
        return self.pause_start_s - tolerance_s <= time_s <= self.onset_s + tolerance_s

    def distance(self, time_s: float) -> float:
        if time_s < self.pause_start_s:
            return self.pause_start_s - time_s
        return max(0.0, time_s - self.onset_s)


def is_unspoken(title: str) -> bool:
    words = textmatch.tokens(title)
    return not words or all(w in _UNSPOKEN_WORDS or w.isdigit() for w in words)


def verify(
    chapters: Sequence[Chapter],
    transcript: Transcript,
    loudness_db: np.ndarray | None = None,
    options: AlignOptions = AlignOptions(),
    acoustic_check: AcousticCheck | None = None,
) -> Alignment:
    words = transcript.words
    has_loudness = loudness_db is not None and len(loudness_db) > 0
    context = _Context(
        index=textmatch.SpokenIndex.build(words, transcript.language),
        loudness_db=loudness_db if has_loudness else None,
        threshold_db=pauses.quiet_threshold_db(loudness_db) if has_loudness else None,
        sorted_gaps_s=np.sort([b.start_s - a.end_s for a, b in zip(words, words[1:])]),
        options=options,
    )
    index = context.index
    # The list order is the episode's order: a time written out of order is a wrong time, not a
    # reordered episode (chapters drifted past each other are still found in list order).
    spoken = [k for k, c in enumerate(chapters) if not is_unspoken(c.title)]
    spans = {k: textmatch.title_spans(chapters[k].title, index) for k in spoken}

    def search(shift_s: float) -> tuple[dict[int, list[_Candidate]], dict[int, _Candidate | None]]:
        candidates = {k: _candidates(spans[k], chapters[k].claimed_s + shift_s, context) for k in spoken}
        return candidates, _ordered_choice(spoken, chapters, candidates, shift_s, options)

    candidates, chosen = search(0.0)
    offset = _global_offset(chapters, chosen, options)
    if abs(offset) > options.tolerance_s:
        candidates, chosen = search(offset)
    else:
        offset = 0.0
    verdicts = []
    for k, chapter in enumerate(chapters):
        if k not in spans:
            shift = _local_shift(k, chapters, chosen, options.tolerance_s)
            verdicts.append(_unspoken_verdict(chapter, offset if shift is None else shift, transcript.duration_s))
        else:
            lower, upper = _neighbour_bounds(k, spoken, chosen, transcript.duration_s)
            rivals = [
                c for c in candidates[k] if lower < c.onset_s < upper and not c.contains(chapter.claimed_s, options.tolerance_s)
            ]
            rival = max(rivals, key=lambda c: c.quality, default=None)
            verdicts.append(_decide(chapter, chosen.get(k), rival, offset, context.index, options, acoustic_check))
    return Alignment(verdicts=tuple(verdicts), offset_s=round(offset, 3))


def _candidates(spans, expected_s, context: _Context) -> list[_Candidate]:
    """The best separate places for a title, plus the best one near where it is expected."""
    words = context.index.words
    near_window = context.options.tolerance_s + 3.0
    picked: list[_Candidate] = []
    picked_at: list[float] = []
    near_best: _Candidate | None = None
    for i in np.argsort(-spans.similarity, kind="stable"):
        similarity = float(spans.similarity[i])
        if similarity < CANDIDATE_MIN * 0.8 or (len(picked) >= MAX_CANDIDATES and near_best is not None):
            break
        start_s = words[i].start_s
        wanted = similarity >= CANDIDATE_MIN and len(picked) < MAX_CANDIDATES
        if not wanted and not (near_best is None and abs(start_s - expected_s) <= near_window):
            continue
        if any(abs(start_s - other) < SUPPRESS_S for other in picked_at):
            continue  # the same place as a better candidate
        candidate = _placed(_without_previous_sentence(int(i), spans, words), int(spans.last_word[i]), similarity, context)
        if wanted:
            picked.append(candidate)
            picked_at.append(start_s)
        else:
            near_best = candidate
    return picked + ([near_best] if near_best else [])


def _placed(first: int, last: int, similarity: float, context: _Context) -> _Candidate:
    words = context.index.words
    if similarity < PARAPHRASE_BELOW:
        first = _sentence_start(words, first)
    previous_end = words[first - 1].end_s if first > 0 else 0.0
    onset, pause_start = words[first].start_s, min(previous_end, words[first].start_s)
    rank = context.pause_rank(onset - pause_start) if first > 0 else 1.0
    if context.loudness_db is not None and context.threshold_db is not None:
        # the chapter may begin at a pause among its first words (Whisper glues a misheard first word
        # to the sentence before), but not later than that
        third = words[min(first + 2, last, len(words) - 1)]
        pause = pauses.pause_before(
            context.loudness_db,
            words[first].start_s,
            earliest_s=max(0.0, previous_end - 1.0),
            latest_onset_s=min(third.start_s + 0.6, words[first].start_s + MAX_LATE_ONSET_S),
            threshold_db=context.threshold_db,
        )
        if pause is not None:
            onset, pause_start = pause.end_s, pause.start_s
    return _Candidate(first, last, similarity, onset, pause_start, rank)


def _without_previous_sentence(first: int, spans, words) -> int:
    """Start after the end of a sentence among the first words when the match is as good from there."""
    best = spans.similarity[first]
    for k in range(first, min(first + 4, len(words) - 1)):
        if words[k].text.endswith(_SENTENCE_END) and spans.similarity[k + 1] >= best - 0.005:
            return _without_previous_sentence(k + 1, spans, words)
    return first


def _sentence_start(words, first: int) -> int:
    """A paraphrased title matches the middle of the question; its chapter starts where that sentence does."""
    start_s = words[first].start_s
    while first > 0:
        previous = words[first - 1]
        if previous.text.endswith(_SENTENCE_END) or words[first].start_s - previous.end_s >= SENTENCE_GAP_S:
            break
        if start_s - previous.start_s > MAX_WALK_BACK_S:
            break
        first -= 1
    return first


def _gain(candidate: _Candidate, expected_s: float, options: AlignOptions) -> float:
    """What choosing this candidate is worth: likeness, less a penalty for distance from where expected."""
    distance = candidate.distance(expected_s)
    near_bonus = 0.1 if distance <= options.tolerance_s else 0.0
    return candidate.quality - CANDIDATE_MIN * 0.8 - 0.25 * min(1.0, distance / 90.0) + near_bonus


def _ordered_choice(spoken, chapters, candidates, shift_s, options) -> dict[int, _Candidate | None]:
    """At most one candidate per chapter, onsets increasing in shownote order, total gain maximal."""
    rank = {k: position for position, k in enumerate(spoken)}
    items: list[tuple[int, _Candidate, float]] = []  # (chapter, candidate, gain)
    for k in spoken:
        for candidate in candidates[k]:
            gain = _gain(candidate, chapters[k].claimed_s + shift_s, options)
            if gain > 0:
                items.append((k, candidate, gain))
    best_total = [0.0] * len(items)
    back = [-1] * len(items)
    for n, (k, candidate, gain) in enumerate(items):
        best_total[n] = gain
        for m in range(n):
            other_k, other, _ = items[m]
            if rank[other_k] < rank[k] and other.onset_s + MIN_CHAPTER_S <= candidate.onset_s and best_total[m] + gain > best_total[n]:
                best_total[n] = best_total[m] + gain
                back[n] = m
    chosen: dict[int, _Candidate | None] = {k: None for k in spoken}
    if items:
        n = max(range(len(items)), key=best_total.__getitem__)
        while n != -1:
            chosen[items[n][0]] = items[n][1]
            n = back[n]
    return chosen


def _neighbour_bounds(k: int, spoken: list[int], chosen: dict[int, _Candidate | None], duration_s: float) -> tuple[float, float]:
    """Where chapter k may lie, given where its ordered neighbours were found."""
    position = spoken.index(k)
    before = [chosen[j].onset_s for j in spoken[:position] if chosen[j] is not None]
    after = [chosen[j].onset_s for j in spoken[position + 1 :] if chosen[j] is not None]
    return (max(before) if before else -1.0), (min(after) if after else duration_s + 1.0)


def _local_shift(k: int, chapters, chosen: dict[int, _Candidate | None], tolerance_s: float) -> float | None:
    """The shift of the found chapters around a wordless one, when they agree on it.

    An ad inserted mid-episode moves the Outro but not the Intro: the neighbours know, the global
    median may not. Needs the nearest found chapter on each side to agree, or, at the ends of the
    list, the two nearest on the one side; None otherwise (then the global offset applies).
    """
    found = sorted((j, c.onset_s - chapters[j].claimed_s) for j, c in chosen.items() if c is not None and c.similarity >= CORRECT_MIN)
    before = [delta for j, delta in reversed(found) if j < k]
    after = [delta for j, delta in found if j > k]
    pairs = [(before[0], after[0])] if before and after else [tuple(side[:2]) for side in (before, after) if len(side) >= 2]
    if len(pairs) != 1 or abs(pairs[0][0] - pairs[0][1]) > tolerance_s:
        return None
    shift = (pairs[0][0] + pairs[0][1]) / 2
    return shift if abs(shift) > tolerance_s else 0.0


def _global_offset(chapters, chosen, options) -> float:
    deltas = [c.onset_s - chapters[k].claimed_s for k, c in chosen.items() if c is not None and c.similarity >= CORRECT_MIN]
    if len(deltas) < 2:
        return 0.0
    median = statistics.median(deltas)
    agreeing = sum(1 for d in deltas if abs(d - median) <= options.tolerance_s)
    return median if agreeing * 2 >= len(deltas) else 0.0


def _decide(chapter, candidate, rival, offset, index, options, acoustic_check=None) -> Verdict:
    """`candidate` is the ordered choice for this chapter, `rival` the best match away from the claimed time."""
    if candidate is None:
        return Verdict(chapter, chapter.claimed_s, Status.MISSING, 0.9, "")
    tolerance = options.tolerance_s
    evidence = " ".join(w.text for w in index.words[candidate.first_word : candidate.last_word + 1])
    similarity = candidate.similarity

    def borne_out() -> bool:
        """Does the audio there bear the title out? Forced through the model, against what it heard."""
        end = index.words[candidate.last_word].end_s + 0.5
        ratio = acoustic_check(max(0.0, candidate.pause_start_s), end, textmatch.spoken_form(chapter.title), evidence)
        return ratio >= ACOUSTIC_ACCEPT

    outshone = rival is not None and rival.quality > candidate.quality + RIVAL_MARGIN
    if candidate.contains(chapter.claimed_s, tolerance) and not outshone:
        heard_after = [w for w in index.words[candidate.first_word :] if w.start_s <= candidate.onset_s + PARAPHRASE_WINDOW_S]
        paraphrase = textmatch.bag_of_words(chapter.title, heard_after, index.language)
        # barely like the title and no content words either: the audio has the last word
        weak = VERIFY_MIN <= similarity < DOUBTFUL_MIN and paraphrase < PARAPHRASE_MIN and acoustic_check is not None
        if (similarity >= VERIFY_MIN and (not weak or borne_out())) or paraphrase >= PARAPHRASE_MIN:
            confidence = max(_scale(similarity, VERIFY_MIN, 0.9), 0.8 * paraphrase)
            return Verdict(chapter, chapter.claimed_s, Status.VERIFIED, round(0.5 + 0.5 * confidence, 2), evidence)
    expected_here = offset != 0.0 and candidate.contains(chapter.claimed_s + offset, tolerance)
    if acoustic_check is not None and DOUBTFUL_MIN <= similarity < SURE_MIN and not expected_here:
        # Text alone cannot tell a garbled transcription of the title from a look-alike sentence.
        similarity = SURE_MIN if borne_out() else min(similarity, CORRECT_MIN - 0.01)
    if similarity >= CORRECT_MIN or (expected_here and similarity >= VERIFY_MIN):
        lead = min(0.25, (candidate.onset_s - candidate.pause_start_s) / 2)
        start = round(max(0.0, candidate.onset_s - lead), 3)
        confidence = _scale(similarity, VERIFY_MIN, 0.95)
        return Verdict(chapter, start, Status.CORRECTED, round(0.5 + 0.5 * confidence, 2), evidence)
    return Verdict(chapter, chapter.claimed_s, Status.MISSING, round(1 - similarity, 2), evidence)


def _unspoken_verdict(chapter, offset, duration_s) -> Verdict:
    start = min(max(0.0, chapter.claimed_s + offset), max(0.0, duration_s - MIN_CHAPTER_S))
    confidence = 0.5 if offset else 1.0  # only as sure as the offset that moved it
    return Verdict(chapter, round(start, 3), Status.UNVERIFIABLE, confidence, "")


def _scale(value: float, low: float, high: float) -> float:
    return float(min(1.0, max(0.0, (value - low) / (high - low))))
