"""Where chapters start, from the speech alone: the title-free model of chapter starts.

Where does a new chapter begin when nobody wrote down where? In an interview, where the host asks
the next question: after a longer pause, a question, the voice changing to the one that asks the
episode's questions, and the talk turning to something else. In free talk (no one asks), where
the topic changes. Each opening of the transcript (passages.py) gets the log-odds that a chapter
starts there, from a small logistic model over those cues whose weights `python -m bench
fit-proposals` estimates on the tuning episodes:
- interview (the asker's voice is known and asks at least MIN_QUESTIONS of the likely starts):
  the openings likelier than LIKELY_FROM, one per turn (a chapter starts where the host starts
  speaking, not at the question that ends their lead-in), no two within INTERVIEW_GAP_S (the
  likeliest kept), a chapter much shorter than the episode's typical one, or one opened by a short
  one-sentence question (most often a follow-up), only where the cues are strong;
- free talk: the changes of topic, one chapter per FREE_TALK_CHAPTER_S of audio but never fewer
  than three, none shorter than FREE_TALK_MIN_S.
Chapters proposed without shownotes (propose.py) start there; a list of titles without times
(align.place) is placed mostly there.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipeline import passages, voices
from pipeline.align import features, order
from pipeline.align.features import MeaningScore
from pipeline.model import Word

FEATURES = ("intercept", "pause rank", "question", "voice change over usual", "asker's voice", "topic shift")
# Fitted by `python -m bench fit-proposals` on the tuning episodes (bench/episodes); see README, "Proposed chapters".
WEIGHTS = np.array([-9.811, 8.612, 1.349, 0.414, 2.647, 0.352])
WEIGHTS_WITHOUT_ASKER = np.array([-9.293, 8.707, 2.021, 0.516, 0.000, 0.455])
LIKELY_FROM = -1.5  # log-odds above which an opening starts a chapter in an interview (tuning set: F1 at ±5 s 0.93, from 0.86 at 0)
TOPIC_WINDOW_S = 20.0  # the talk before an opening and after it, this long each, are compared in meaning
INTERVIEW_GAP_S = 10.0  # two questions this close open one chapter (a follow-up, a question put again)
SHORT_CHAPTER_COST = 2.0  # log-odds per squared log of how many times shorter than the episode's typical chapter one is (placed lists pay it too)
MIN_QUESTIONS = 3  # likely starts that are questions in the asker's voice: an interview
# An opening after a pause shorter than this, with the voice changing less than this over usual,
# goes on the same speaker's turn, if the turn began at most TURN_REACH_S before (all interviews
# read so far, tuning and h01–h48, boundary F1 at ±5 s: tuning 0.932 → 0.932, h01–h36 0.887 →
# 0.891, h37–h48 0.859 → 0.871; with 0.8 s, tuning 0.929)
SAME_TURN_PAUSE_S, SAME_TURN_VOICE, TURN_REACH_S = 0.5, 0.3, 15.0
# A question of one sentence, at most FOLLOW_UP_WORDS words and at most FOLLOW_UP_SHARE of the words
# the episode's likely questions usually have, is most often the host following up ("Und wer zahlt
# das?", "Twenty pairs?"), not opening a chapter: choosing where an interview's chapters start, it
# costs FOLLOW_UP_COST log-odds (follow_up_cost; chosen on the interviews read so far, see README).
# Relative, since some hosts ask every question in a few words (the sample episode).
FOLLOW_UP_WORDS, FOLLOW_UP_SHARE, FOLLOW_UP_COST = 8, 0.6, 4.0
FREE_TALK_CHAPTER_S = 120.0
FREE_TALK_MIN_S = 30.0


ASKING_PAUSE_QUANTILE = 0.6  # questions after pauses longer than most are the host's: their voice is the asker's


def voice_cues(opens: Sequence[passages.Opening], words, voice_spectra: np.ndarray | None) -> voices.Cues | None:
    """Per opening: how much the voice changes across its pause, and how far it lies from the voice
    that asks the questions after the episode's longer pauses (ASKING_PAUSE_QUANTILE)."""
    if voice_spectra is None or not len(voice_spectra) or not opens:
        return None
    pause = np.array([o.pause_s for o in opens])
    asking = np.array([o.question for o in opens]) & (pause >= np.quantile(pause, ASKING_PAUSE_QUANTILE))
    return voices.cues(voice_spectra, [(o.pause_start_s, o.onset_s, words[o.passage_end].end_s) for o in opens], asking)


def log_odds(x: np.ndarray, evidence: features.Evidence) -> np.ndarray:
    """Per opening: the log-odds that a chapter starts there (the model without the asker's voice
    when too few questions were asked to know it)."""
    return x @ (WEIGHTS if evidence.asker_known else WEIGHTS_WITHOUT_ASKER)


def choose(log_odds: np.ndarray, evidence: features.Evidence, onsets: np.ndarray, duration_s: float, turn_of: np.ndarray | None = None,
           cost: np.ndarray | None = None) -> tuple[list[int], str]:
    """The openings that start a chapter (not the first, which is the episode's start), and what
    the episode was taken for: "interview" or "free talk". In an interview a turn (`turn_of`: per
    opening, the opening its speaker's turn began at) starts a chapter at most once, at its
    beginning, as likely as its likeliest opening: a host who leads in and then asks, or asks
    twice, opens one chapter, where they begin (if that beginning is likely itself). An interview's
    starts pay `cost` (per opening: follow_up_cost), which does not change what the episode is taken for."""
    if evidence.asker_known and int(asked_questions(log_odds, evidence).sum()) >= MIN_QUESTIONS:
        costed = log_odds - cost if cost is not None else log_odds
        values = np.where(costed > LIKELY_FROM, costed - LIKELY_FROM, 0.0)
        if turn_of is not None:
            # only a turn that begins likely takes over its later openings: where the voice change
            # between a guest's answer and the host's question goes unheard, the question stays
            turn_of = np.where(values[turn_of] > 0, turn_of, np.arange(len(values)))
            per_turn = np.zeros(len(values))
            np.maximum.at(per_turn, turn_of, values)
            values = per_turn
        return _best_segmented(values, onsets, INTERVIEW_GAP_S, duration_s), "interview"
    count = max(3, round(duration_s / FREE_TALK_CHAPTER_S))
    return _strongest_spaced(log_odds, onsets, FREE_TALK_MIN_S, count - 1, duration_s), "free talk"


def asked_questions(log_odds: np.ndarray, evidence: features.Evidence) -> np.ndarray:
    """Per opening: a likely start that is a question in the voice of the episode's asker."""
    return (log_odds > LIKELY_FROM) & evidence.question & (evidence.asker_voice() > 0)


def decide(x: np.ndarray, evidence: features.Evidence, opens: Sequence[passages.Opening], starts_s: np.ndarray, duration_s: float,
           held: np.ndarray | None = None) -> tuple[np.ndarray, list[int], str]:
    """From the cues `x` (openings × FEATURES): each opening's log-odds, the openings chosen to start
    a chapter (spaced by `starts_s`, where each would start; none of those `held` by a part of the
    show that is known to be there), and what the episode was taken for (`choose`)."""
    odds = log_odds(x, evidence)
    open_to_start = odds.copy()
    if held is not None:
        open_to_start[held] = -np.inf
    cost = follow_up_cost(opens, asked_questions(odds, evidence))
    chosen, kind = choose(open_to_start, evidence, starts_s, duration_s, turns(opens, evidence, starts_s), cost)
    return odds, chosen, kind


def follow_up_cost(opens: Sequence[passages.Opening], asked: np.ndarray) -> np.ndarray:
    """Per opening: FOLLOW_UP_COST where its passage is one short question (FOLLOW_UP_WORDS words or
    fewer, and FOLLOW_UP_SHARE or less of the median of the questions `asked`, the likely ones in the
    asker's voice), else 0. A host opening a chapter leads in or asks at length; a follow-up is
    short, and the model of starts cannot tell it from one otherwise (the same voice, pause and
    question mark)."""
    words = np.array([o.passage_end - o.first_word + 1 for o in opens])
    if not asked.any():
        return np.zeros(len(opens))
    most = min(FOLLOW_UP_WORDS, FOLLOW_UP_SHARE * float(np.median(words[asked])))
    return np.array([FOLLOW_UP_COST if o.question and len(o.readings) <= 1 and n <= most else 0.0 for o, n in zip(opens, words)])


def turns(opens: Sequence[passages.Opening], evidence: features.Evidence, starts_s: np.ndarray) -> np.ndarray:
    """Per opening: the opening where its speaker's turn began (itself, unless it follows the one
    before it after a short pause in much the same voice, within TURN_REACH_S of the turn's start)."""
    same_voice = evidence.voice_over_usual() < SAME_TURN_VOICE
    turn_of = np.arange(len(opens))
    for j in range(1, len(opens)):
        if same_voice[j] and opens[j].pause_s < SAME_TURN_PAUSE_S and starts_s[j] - starts_s[turn_of[j - 1]] <= TURN_REACH_S:
            turn_of[j] = turn_of[j - 1]
    return turn_of


def cues(opens: Sequence[passages.Opening], words: Sequence[Word], loudness_db: np.ndarray | None, meaning: MeaningScore | None,
         voice_spectra: np.ndarray | None) -> tuple[np.ndarray, features.Evidence]:
    """openings × FEATURES, and the title-free evidence they come from."""
    evidence = features.gather([], opens, None, None, loudness_db, None, voice_cues(opens, words, voice_spectra))
    return cues_from(evidence, opens, words, meaning), evidence


def cues_from(evidence: features.Evidence, opens: Sequence[passages.Opening], words: Sequence[Word], meaning: MeaningScore | None) -> np.ndarray:
    """openings × FEATURES from evidence already gathered over these openings (only its per-opening
    cues are read: pause, question, voices), and the change of topic at each."""
    shift = topic_shift(opens, words, meaning) if meaning is not None else np.zeros(len(opens))
    return np.stack([np.ones(len(opens)), evidence.pause_rank, evidence.question.astype(float), evidence.voice_over_usual(), evidence.asker_voice(), shift], axis=-1)


def topic_shift(opens: Sequence[passages.Opening], words: Sequence[Word], meaning: MeaningScore) -> np.ndarray:
    """Per opening: how much less alike in meaning the talk before it and after it are than the
    episode's neighbouring stretches usually are (robust z-score; 0 where either side is empty)."""
    starts = np.array([w.start_s for w in words])
    before, after = [], []
    for o in opens:
        first = o.first_word
        lo, hi = np.searchsorted(starts, o.onset_s - TOPIC_WINDOW_S), np.searchsorted(starts, starts[first] + TOPIC_WINDOW_S)
        before.append(" ".join(w.text for w in words[lo:first]))
        after.append(" ".join(w.text for w in words[first:hi]))
    texts = sorted({t for t in before + after if t})
    if len(texts) < 2:
        return np.zeros(len(opens))
    position = {t: i for i, t in enumerate(texts)}
    cosine = meaning(texts, texts)
    alike = np.array([cosine[position[b], position[a]] if b and a else np.nan for b, a in zip(before, after)])
    known = alike[np.isfinite(alike)]
    if len(known) < 3:
        return np.zeros(len(opens))
    median = np.median(known)
    spread = max(1.4826 * float(np.median(np.abs(known - median))), 0.02)
    return np.nan_to_num(np.clip((median - alike) / spread, -4.0, 4.0), nan=0.0)


def _best_spaced(values: np.ndarray, onsets: np.ndarray, gap_s: float, duration_s: float) -> list[int]:
    """The openings (onset ≥ gap_s, ≥ gap_s before the end, ≥ gap_s apart) with the greatest sum of
    values: weighted interval scheduling over the onsets in time order."""
    usable = (onsets >= gap_s) & (onsets <= duration_s - gap_s) & (values > 0)
    best = np.zeros(len(onsets) + 1)
    took = np.zeros(len(onsets), dtype=bool)
    previous = np.searchsorted(onsets, onsets - gap_s, side="right")  # openings 0 … previous[j]-1 may come before j
    for j in range(len(onsets)):
        take = values[j] + best[previous[j]] if usable[j] else -np.inf
        took[j] = take > best[j]
        best[j + 1] = max(best[j], take)
    chosen, j = [], len(onsets) - 1
    while j >= 0:
        if took[j]:
            chosen.append(j)
            j = previous[j] - 1
        else:
            j -= 1
    return sorted(chosen)


def _best_segmented(values: np.ndarray, onsets: np.ndarray, gap_s: float, duration_s: float) -> list[int]:
    """As _best_spaced, less a cost for each chapter shorter than the episode's typical one (its
    length over the chapters _best_spaced finds): a follow-up after a pause looks like a question
    that opens a chapter, but cuts its chapter in two short ones. Chosen on every interview read
    so far (tuning, h01–h36): boundary F1 at ±5 s pooled 0.88 → 0.90, h25–h36 0.79 → 0.85."""
    spaced = _best_spaced(values, onsets, gap_s, duration_s)
    if len(spaced) < 2:
        return spaced
    typical_s = duration_s / (len(spaced) + 1)
    usable = np.flatnonzero((onsets >= gap_s) & (onsets <= duration_s - gap_s) & (values > 0))
    points = np.concatenate([[0.0], onsets[usable], [duration_s]])  # the episode's start, the usable openings, its end
    gains = np.concatenate([[0.0], values[usable], [0.0]])
    best, back = np.full(len(points), -np.inf), np.zeros(len(points), dtype=int)
    best[0] = 0.0
    short = order.ShortChapters(typical_s, SHORT_CHAPTER_COST)
    for k in range(1, len(points)):
        length = points[k] - points[:k]
        score = np.where(length >= gap_s, best[:k] + short.log_potential(length), -np.inf)
        back[k] = int(np.argmax(score))
        best[k] = score[back[k]] + gains[k]
    if not np.isfinite(best[-1]):
        return spaced
    chosen, k = [], back[-1]
    while k > 0:
        chosen.append(int(usable[k - 1]))
        k = back[k]
    return sorted(chosen)


def _strongest_spaced(values: np.ndarray, onsets: np.ndarray, gap_s: float, count: int, duration_s: float) -> list[int]:
    """Up to `count` openings, strongest first, each ≥ gap_s from the start, the end and each other."""
    chosen: list[int] = []
    for j in np.argsort(-values):
        if len(chosen) == count:
            break
        if gap_s <= onsets[j] <= duration_s - gap_s and all(abs(onsets[j] - onsets[k]) >= gap_s for k in chosen):
            chosen.append(int(j))
    return sorted(chosen)
