"""Find where each shownote chapter begins in the transcript, then verify or correct its time (DESIGN.md, "alignment").

1. The openings of the transcript (passages.py) are the places a chapter can begin; each is
   weighed for each chapter by words, sound, meaning and the pause before it (features.py).
2. Chapters keep their list order; every ordered placement is weighed with a prior that the
   producer's times are right or nearly so (order.py gives each chapter's posterior).
3. The shift of the confidently placed chapters is the episode's offset (an inserted intro or
   ad, possibly only from some chapter on); the search runs again around the shifted times, and
   wordless chapters (Intro, Outro) move with their neighbours.
4. A chapter is verified when its placement contains the claimed time, corrected when it lies
   elsewhere with a clear posterior, missing otherwise; a title without a time is placed with a
   clearer one (PLACED_FROM), else flagged missing at its likeliest place. A placement resting on
   middling likeness of words is first put to the audio (an AcousticCheck: the title forced
   through the model).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from pipeline import passages, pauses, textmatch
from pipeline.align import features, order, starts, topics
from pipeline.align.features import MeaningScore
from pipeline.model import Chapter, Signals, Status, Transcript, Verdict

__all__ = ["ACOUSTIC_ACCEPT", "AcousticCheck", "AlignOptions", "Alignment", "Heard", "MeaningScore", "is_unspoken", "place", "verify"]

# Titles made only of these words name music or structure, not something said.
_UNSPOKEN_WORDS = frozenset(
    "intro outro musik music jingle trailer teaser vorspann abspann opener opening closing credits"
    " werbung anzeige ad ads advert advertisement sponsor sponsoring sponsored pause break"
    " und and the der die das".split()
)
ACOUSTIC_ACCEPT = -2.2  # the title may be this much less likely per token than what was heard (bench: true
# matches −1.9…+0.9, look-alike sentences −2.6 and below; the line sits in the gap)
DOUBTFUL_WORDS = (0.5, 0.8)  # likeness of words in this band could be a garbled title or a look-alike: ask the audio
BORNE_OUT_WORDS, NOT_SAID_WORDS = 1.0, 0.5  # what the words count for once the audio has answered: said, or not
SETTLED = 0.7  # a chapter placed this surely is not put to the audio
HEARD_AT_WORDS = 0.8  # a title heard this well starts a passage of its own, even mid-sentence
ASKED_PER_CHAPTER, ASKED_PER_ROUND = 1, 4  # the likeliest doubtful place of each chapter; of those, the most title-like
ASKING_ROUNDS = 2
ORDINARY_WORDS_QUANTILE = 0.9  # likeness of words that one passage in ten reaches is no reason to ask
MIN_CHAPTER_S = 5.0  # two chapters do not begin within this of each other
# Position prior: the producer's time is right (within the pause, give or take NEAR_S), or off by
# up to WIDE_S, or anywhere; and a chapter may have been cut from the audio.
NEAR, WIDE, ANYWHERE, ABSENT = 0.6, 0.33, 0.02, 0.02
NEAR_S, WIDE_S = 1.0, 90.0
SURE = 0.7  # a placement elsewhere needs at least this posterior to correct a time (on the tuning set, corrections
# less probable than this were right three times in four, those above it every time: a wrong move costs more than a flag)
STARTS_HERE = -2.0  # log-odds: a passage must look at least this much like the chapter's start to verify or correct it
STRONG_START = -1.0  # log-odds that some chapter starts here (a long pause, a question) that speak for the place without words
IN_LINE_AT_FIRST = 0.5  # prior probability that the first chapter is where the shownotes put it (no ad or intro added before it)
LEVEL_CHANGE = 0.02  # prior probability that the audio's offset changes before a chapter (an ad or intro added there)
OFFSET_PROPOSALS, MAX_OFFSETS = 3, 6  # each chapter's likeliest places propose offsets; the best-supported are tried
OFFSET_SUPPORT = 2  # chapters whose likeliest places must agree on an offset for it to be tried
SAME_PLACE_S = 5.0  # an opening within the passage of another this close is the same place for a listener
PLACED_FROM = 0.9  # a title without a time is placed with at least this posterior, else flagged missing at its likeliest place:
# no producer's time backs it. Placements at 0.7–0.9 were right 29 times in 31 on the tuning set, but 36 in 53 on
# h01–h24 (read during development), those above it 166 in 173: a wrong place costs more than a flag.
UNTIMED_WHICH = 0.5  # the weight of a title's likeness to a passage when no time holds it near (tuning set: 0.3–1 tried)
PART_HEARD_FROM = 0.0  # log-odds: a part (Outro) placed where its opening is less likely than not was not heard (tuning: goodbyes 1.5–2.5, LibriVox's best guesses −0.5, −0.9)
UNLIKELY_START = 6.0  # log-odds a title pays to start where the title-free model starts no chapter (tuning set: 3–9 tried)
CONTENT_SHARPNESS = 0.6  # how sharply a passage's meaning says which chapter it belongs to (python -m bench fit: the likeliest on the tuning set)
# The untimed placement weighs a title's log-potentials at this fraction: a sentence is in the passages of
# two or three openings, and neighbouring passages say much the same, so their summed evidence counts
# each more than once and the posterior comes out surer than it is (tuning and h01–h48: at 0.65 the
# false placements fall from 14 to 8, with as many starts within 1 s; at 0.8 and 1 there are 15 and 20)
UNTIMED_SHARPNESS = 0.65
CONTENT_WEIGHT = 0.3  # the passages of one answer say much the same: each counts this much (0.05–0.5 tried; the largest within a chapter of the tuning set's best, h13–h24 looked at too)


@dataclass(frozen=True)
class AlignOptions:
    tolerance_s: float = 2.0


# (start_s, end_s, title, heard) -> how much less likely the title is than what was heard, given the
# audio there: mean log-probability per token under forced alignment, title minus heard (0 = as likely).
AcousticCheck = Callable[[float, float, str, str], float]


@dataclass(frozen=True, eq=False)
class Heard:
    """What the episode gives to weigh chapters against: its transcript and, when there is audio,
    its loudness (pauses), the audio to put doubtful words to, the sentence embedder and the voices."""

    transcript: Transcript
    loudness_db: np.ndarray | None = None
    acoustic_check: AcousticCheck | None = None
    meaning: MeaningScore | None = None
    voice_spectra: np.ndarray | None = None


@dataclass(frozen=True)
class Alignment:
    verdicts: tuple[Verdict, ...]
    offset_s: float  # the shift applied to wordless chapters when one was established (0 when none)
    proposed_as: str | None = None  # chapters proposed from the speech: "interview" or "free talk" (propose.py)


def is_unspoken(title: str) -> bool:
    words = textmatch.tokens(title)
    return not words or all(w in _UNSPOKEN_WORDS or w.isdigit() for w in words)


def verify(
    chapters: Sequence[Chapter],
    heard: Heard,
    options: AlignOptions = AlignOptions(),
) -> Alignment:
    transcript, words = heard.transcript, heard.transcript.words
    # The list order is the episode's order: a time written out of order is a wrong time, not a
    # reordered episode (chapters drifted past each other are still found in list order).
    spoken = [k for k, c in enumerate(chapters) if not is_unspoken(c.title)]
    titles = [chapters[k].title for k in spoken]
    opens, evidence = _weigh(titles, heard)
    claimed = np.array([chapters[k].claimed_s for k in spoken])
    levels = np.array([0.0, *_offsets_worth_trying(evidence, opens, claimed, options.tolerance_s)])
    evidence, placement = _asking_the_audio(
        evidence, lambda weighed: _place(weighed, opens, claimed, levels),
        lambda placed: _distances(opens, claimed + levels[list(placed.levels)]) <= WIDE_S, opens, titles, words, claimed, options.tolerance_s, heard.acoustic_check,
    )
    found = {k: _decide(chapters[k], row, evidence, placement, opens, words, options) for row, k in enumerate(spoken)}
    deltas = {k: found[k].start_s - chapters[k].claimed_s for k in spoken if found[k].status is Status.CORRECTED or found[k].status is Status.VERIFIED}
    offset = _global_offset(list(deltas.values()), options.tolerance_s)
    verdicts = []
    for k, chapter in enumerate(chapters):
        if k in found:
            verdicts.append(found[k])
        else:
            shift = _local_shift(k, deltas, options.tolerance_s)
            verdicts.append(_unspoken_verdict(chapter, offset if shift is None else shift, transcript.duration_s))
    return Alignment(verdicts=tuple(verdicts), offset_s=round(offset, 3))


def _weigh(titles: Sequence[str], heard: Heard) -> tuple[list[passages.Opening], features.Evidence]:
    """The openings of the transcript, and how much each looks like the start of each title."""
    words = heard.transcript.words
    index = textmatch.SpokenIndex.build(words, heard.transcript.language)
    loudness = heard.loudness_db if heard.loudness_db is not None and len(heard.loudness_db) else None
    spans = [textmatch.title_spans(title, index) for title in titles]  # the costliest step: once per title
    opens = passages.openings(words, loudness, extra_starts=[i for found in spans for i in _heard_at(found.similarity)])
    return opens, features.gather(titles, opens, index, heard.meaning, loudness, spans, starts.voice_cues(opens, words, heard.voice_spectra))


def _heard_at(similarity: np.ndarray, reach: int = 6) -> list[int]:
    """Words where the title itself is heard (the best start among its neighbours), even mid-sentence."""
    return [
        int(i) for i in np.flatnonzero(similarity >= HEARD_AT_WORDS)
        if similarity[i] >= similarity[max(0, i - reach) : i + reach + 1].max()
    ]


def _place(evidence: features.Evidence, opens: Sequence[passages.Opening], claimed: np.ndarray, levels: np.ndarray) -> order.Placement:
    """The ordered placement, the audio at one of `levels` (offsets against the shownotes, 0 first)
    from chapter to chapter: it starts in line with the shownotes, and each change (an ad or intro
    added before a chapter) costs LEVEL_CHANGE."""
    odds = _start_odds(evidence)
    start_log_odds = evidence.start_log_odds()
    score = np.stack([odds + np.log(1.0 - ABSENT) + _position_prior(opens, claimed + level, start_log_odds) for level in levels], axis=1)
    change = np.where(np.eye(len(levels), dtype=bool), 0.0, np.log(LEVEL_CHANGE))
    first = np.log(np.where(np.arange(len(levels)) == 0, IN_LINE_AT_FIRST, (1.0 - IN_LINE_AT_FIRST) / max(1, len(levels) - 1)))
    onsets = np.array([o.onset_s for o in opens])
    return order.place(score, np.full(len(claimed), np.log(ABSENT)), onsets, MIN_CHAPTER_S, change, first)


def _start_odds(evidence: features.Evidence) -> np.ndarray:
    """The evidence's log-odds where a passage may start the chapter at all: it looks like the
    chapter's start, and is about its title or unmistakably where something new begins (the prior
    that the producer's time is right must not place a chapter mid-answer on its own)."""
    log_odds = evidence.log_odds()
    strong = evidence.start_log_odds()[None, :] >= STRONG_START
    possible = (log_odds >= STARTS_HERE) & (evidence.about_all() | strong)
    return np.where(possible, log_odds, -np.inf)


def _position_prior(opens: Sequence[passages.Opening], expected_s: np.ndarray, start_log_odds: np.ndarray) -> np.ndarray:
    """log P(chapter starts at opening | its expected time): near it; or, when the time is off,
    somewhere within reach (or anywhere), where some chapter may well start — weighted by how
    much each place looks like a start, not spread over the many sentence starts inside answers."""
    if not opens:
        return np.zeros((len(expected_s), 0))
    distance = _distances(opens, expected_s)
    near = np.exp(-0.5 * (distance / NEAR_S) ** 2)
    start_like = 1.0 / (1.0 + np.exp(-start_log_odds))
    wide = (distance <= WIDE_S) * start_like[None, :]
    mixture = (
        NEAR * near / np.maximum(near.sum(axis=1, keepdims=True), 1.0)  # no opening near: that mass goes nowhere
        + WIDE * wide / np.maximum(wide.sum(axis=1, keepdims=True), 1e-12)
        + ANYWHERE * start_like / start_like.sum()
    )
    return np.log(np.maximum(mixture, 1e-300))


def _distances(opens: Sequence[passages.Opening], expected_s: np.ndarray) -> np.ndarray:
    """chapters × openings: how far each expected time lies from each opening's pause (0 inside it)."""
    pause_start = np.array([o.pause_start_s for o in opens])
    onset = np.array([o.onset_s for o in opens])
    expected = expected_s[:, None]
    return np.maximum(0.0, np.maximum(pause_start - expected, expected - onset))


def _offsets_worth_trying(evidence: features.Evidence, opens: Sequence[passages.Opening], claimed: np.ndarray, tolerance_s: float) -> list[float]:
    """Offsets of the audio against the shownotes (whole seconds, beyond the tolerance) that the
    likeliest places of at least two chapters agree on."""
    if not opens:
        return []
    odds = _start_odds(evidence)
    onsets = np.array([o.onset_s for o in opens])
    counts: dict[int, int] = {}
    for row, at in enumerate(claimed):
        reach = np.flatnonzero((np.abs(onsets - at) <= WIDE_S) & np.isfinite(odds[row]))
        likeliest = reach[np.argsort(-odds[row, reach])][:OFFSET_PROPOSALS]
        for delta in {round(float(onsets[j] - at)) + wiggle for j in likeliest for wiggle in (-1, 0, 1)}:
            counts[delta] = counts.get(delta, 0) + 1
    chosen: list[float] = []
    for n, delta in sorted(((n, d) for d, n in counts.items() if n >= OFFSET_SUPPORT and abs(d) > tolerance_s), reverse=True):
        if all(abs(delta - other) > tolerance_s for other in chosen):
            chosen.append(float(delta))
    return chosen[:MAX_OFFSETS]


def _asking_the_audio(evidence, place, within_reach, opens, titles, words, claimed, tolerance_s, acoustic_check) -> tuple[features.Evidence, order.Placement]:
    """The evidence and placement after the doubtful places were put to the audio, in rounds: a
    chapter placed surely may lose its place when the audio moves another, and is asked about then."""
    placement = place(evidence)
    asked: set[tuple[int, int]] = set()
    for _ in range(ASKING_ROUNDS if acoustic_check is not None else 0):
        answered = _ask_the_audio(evidence, placement, within_reach(placement), asked, opens, titles, words, claimed, tolerance_s, acoustic_check)
        if answered is evidence:
            break
        evidence, placement = answered, place(answered)
    return evidence, placement


def place(
    chapters: Sequence[Chapter],
    heard: Heard,
    options: AlignOptions = AlignOptions(),
) -> Alignment:
    """Titles listed without times: each placed, in list order, where it is said (in its words or
    others) or where the part of the show it names begins; `placed` when the placement is clear,
    `missing` (at its likeliest place) otherwise.

    The same evidence and ordered placement as `verify`, with no time to expect a chapter near: in
    an interview, mostly where the title-free model (starts.py) starts a chapter (_place_anywhere).
    A wordless title (Intro, Music) opening the list starts the episode, or the show's jingle after a
    pre-roll ad (_show_start); one further on starts at
    the most start-like opening between its neighbours, one closing the list where the sound
    resumes after the last words (closing music). An Outro is placed where the host says goodbye
    (topics.py); where no goodbye is clearly heard (PART_HEARD_FROM) it is unverifiable at its
    likeliest place: a reading that just ends has none, and its best guess among the answers is no
    placement to vouch for."""
    transcript, words = heard.transcript, heard.transcript.words
    rows = [k for k, c in enumerate(chapters) if not is_unspoken(c.title) or topics.openings_for(c.title)]
    titles = [chapters[k].title for k in rows]
    opens, evidence = _weigh(titles, heard)
    unknown = np.full(len(rows), np.nan)
    cues = starts.cues_from(evidence, opens, words, heard.meaning) if opens else None  # once: the change of topic embeds the talk
    likely = _likely_starts(cues, evidence, opens, transcript.duration_s)
    parts = np.array([is_unspoken(title) for title in titles], dtype=bool)
    welcome = _welcome(opens, evidence, likely) if chapters and 0 not in rows else None  # a wordless title (Intro) opens the list
    if welcome is not None and likely[welcome].any():
        # a welcome after the jingle looked like a start: without it, the first question may be one (it was within 10 s)
        likely = _likely_starts(cues, evidence, opens, transcript.duration_s, welcome)
    evidence, placement = _asking_the_audio(
        evidence, lambda weighed: _place_anywhere(weighed, opens, likely, parts, welcome, transcript.duration_s / len(chapters)), lambda _placed: np.ones((len(rows), len(opens)), dtype=bool),
        opens, titles, words, unknown, options.tolerance_s, heard.acoustic_check,
    )
    which = evidence.which_log_odds()
    found = {}
    for row, k in enumerate(rows):
        verdict = _decide_place(chapters[k], row, evidence, placement, opens, words)
        if parts[row] and (verdict.status is not Status.PLACED or which[row, placement.best[row]] < PART_HEARD_FROM):
            # its way of opening (a goodbye) is not clearly heard: its likeliest place, unverified
            verdict = Verdict(verdict.chapter, verdict.start_s, Status.UNVERIFIABLE, 0.5, "")
        found[k] = verdict
    start_times = [found[k].start_s if k in found else None for k in range(len(chapters))]
    start_odds = evidence.start_log_odds()
    verdicts = []
    for k, chapter in enumerate(chapters):
        if k in found:
            verdicts.append(found[k])
            continue
        earlier = [s for s in start_times[:k] if s is not None]
        later = [s for s in start_times[k + 1 :] if s is not None]
        if not earlier:
            start = _show_start(opens, welcome, words, heard.loudness_db) if k == 0 else 0.0
        elif later:
            start = _likeliest_start(opens, start_odds, earlier[-1] + MIN_CHAPTER_S, later[0] - MIN_CHAPTER_S)
        else:  # closing music, credits: after the last words
            start = min(transcript.duration_s, max(earlier[-1] + MIN_CHAPTER_S, _after_last_words(words, heard.loudness_db)))
        start_times[k] = start
        verdicts.append(Verdict(chapter, round(start, 3), Status.UNVERIFIABLE, 1.0 if not earlier else 0.5, ""))
    return Alignment(verdicts=tuple(verdicts), offset_s=0.0)


def _likely_starts(cues: np.ndarray | None, evidence: features.Evidence, opens: Sequence[passages.Opening], duration_s: float,
                   held: np.ndarray | None = None) -> np.ndarray | None:
    """Per opening: does the title-free model of chapter starts (starts.py) start a chapter there in
    this interview (never at the openings `held`: a listed Intro's welcome)? It reads the per-opening
    `cues` (starts.cues_from the titles' evidence). None for free talk, where it only spaces chapters
    out and knows no starts, and without openings."""
    if cues is None:
        return None
    onsets = np.array([o.onset_s for o in opens])
    _odds, chosen, kind = starts.decide(cues, evidence, opens, onsets, duration_s, held)
    if kind != "interview":
        return None
    likely = np.zeros(len(opens), dtype=bool)
    likely[chosen] = True
    return likely


def _welcome(opens: Sequence[passages.Opening], evidence: features.Evidence, likely: np.ndarray | None) -> np.ndarray | None:
    """The openings of the host's welcome, which a listed Intro holds: the first opening that
    welcomes, up to the first likely start of an interview (which it is itself after a jingle), and
    the openings of its turn where no chapter likely starts. None when no welcome is heard."""
    if likely is None or not likely.any():
        return None
    greeting = next((j for j in range(int(np.argmax(likely)) + 1) if topics.is_welcome(opens[j].text)), None)
    if greeting is None:
        return None
    turn_of = starts.turns(opens, evidence, np.array([o.onset_s for o in opens]))
    return np.flatnonzero((turn_of == turn_of[greeting]) & (~likely | (np.arange(len(opens)) == greeting)))


def _show_start(opens: Sequence[passages.Opening], welcome: np.ndarray | None, words, loudness_db: np.ndarray | None) -> float:
    """Where a listed Intro begins: at 0:00, or with the jingle before the host's welcome when words
    come before that jingle (a pre-roll ad inserted after the shownotes were written; words before
    the welcome with no jingle between are the show's own, a cold open)."""
    jingle = passages.jingle_start_s(opens[int(welcome.min())], words, loudness_db) if welcome is not None else None
    return 0.0 if jingle is None else jingle


def _place_anywhere(evidence: features.Evidence, opens: Sequence[passages.Opening], likely: np.ndarray | None, parts: np.ndarray,
                    welcome: np.ndarray | None = None, typical_s: float | None = None) -> order.Placement:
    """The ordered placement with no expected times. With no time to hold it, a title's meaning alone
    drifts: paraphrased titles are tied to look-alike passages, and a whole run of them slides
    one question along. So a title asked in other words is placed mostly by structure: where the
    title-free model of chapter starts starts a chapter in an interview (`likely`; elsewhere only at
    UNLIKELY_START's cost, even where its words are heard: a guest saying the title's words in an
    answer is no chapter start), with its meaning at UNTIMED_WHICH of its weight. Rows naming a
    part of the show (`parts`: Outro…) keep the whole evidence: their goodbye is not a host's
    question. What each chapter then holds counts too (_content_fit): a follow-up question the
    model takes for a start belongs to the chapter whose answer it goes on with. A title's
    log-potentials count at UNTIMED_SHARPNESS, so that its posterior is no surer than the
    overlapping passages behind it. No title starts at the host's `welcome` (a listed Intro's), and
    a chapter much shorter than `typical_s` pays starts.SHORT_CHAPTER_COST, as a proposed one does:
    a follow-up the model takes for a start would cut a chapter to a few seconds (on this machine,
    h01–h54: 78.0 % → 89.1 % of starts within 1 s with both, false placements 2 → 6). (Tuning set,
    python -m bench --placed: 94.7 % of starts within 1 s; on the machine before, 91.9 % when a
    title heard word for word escaped the cost, 85.4 % with the full weight of meaning and no
    structure. The weights and costs tried, and the figures on held-out interviews: README,
    "Shownotes without times, or none at all".)"""
    full = _start_odds(evidence) + np.log(1.0 - ABSENT)
    title_led = evidence.start_log_odds()[None, :] + UNTIMED_WHICH * evidence.which_log_odds() + np.log(1.0 - ABSENT)
    if likely is not None:
        title_led = np.where(likely[None, :], title_led, title_led - UNLIKELY_START)
        if welcome is not None:
            title_led[:, welcome] = -np.inf
    sharp = np.where(parts, 1.0, UNTIMED_SHARPNESS)[:, None]  # a part's goodbye is one phrase, not many passages summed
    content = sharp * CONTENT_WEIGHT * _content_fit(evidence.meaning_z)
    score = sharp * np.where(parts[:, None] | ~np.isfinite(full), full, title_led) + content[:, :-1]
    absent = sharp[:, 0] * np.log(ABSENT)
    short = order.ShortChapters(typical_s, starts.SHORT_CHAPTER_COST) if typical_s else None
    return order.place_with_skips(score, absent, content[:, :-1], content[:, -1], np.array([o.onset_s for o in opens]), MIN_CHAPTER_S, short)


def _content_fit(meaning_z: np.ndarray) -> np.ndarray:
    """chapters × (openings + 1): how much better the passages before each opening (and, in the
    last column, all of them) fit the chapter listed before than this one. Each passage belongs to
    one chapter (or to none, before the first) with probability softmax(CONTENT_SHARPNESS × its
    meaning z-scores); the log-probability of every passage under the chapter it falls in, summed
    over an ordered placement, telescopes into these per-start terms (the constant for the last
    chapter left out), so the ordered placement can weigh whole chapters' content with no more than
    a chapter × opening score. A chapter absent from the placement leaves its passages to the one
    before it: the same terms, read where the next present chapter starts (order.place_with_skips;
    summing them only at each present chapter's start had credited a placement for the passages of
    a title it called absent, and a run of titles slid one question along to collect it)."""
    belongs = _belonging(meaning_z, CONTENT_SHARPNESS)
    before = np.concatenate([np.zeros((len(belongs), 1)), np.cumsum(belongs, axis=1)], axis=1)
    return before[:-1] - before[1:]


def _belonging(meaning_z: np.ndarray, sharpness: float) -> np.ndarray:
    """(1 + chapters) × openings: log-probability that each passage lies before the first chapter
    (row 0: intro, pre-roll) or in each chapter, from its meaning alone."""
    logits = np.vstack([np.zeros((1, meaning_z.shape[1])), sharpness * meaning_z])
    return logits - np.logaddexp.reduce(logits, axis=0, keepdims=True)


def _decide_place(chapter: Chapter, row: int, evidence, placement: order.Placement, opens, words) -> Verdict:
    """Placed where the placement puts it with a clear posterior; missing otherwise, at the place
    the ordered placement likes best (or, absent from it, the likeliest opening)."""
    best, posterior = placement.best[row], placement.posterior[row]
    if not len(posterior):
        return Verdict(chapter, 0.0, Status.MISSING, 1.0, "")
    at = best if best is not None else int(np.argmax(posterior))
    mass = _place_mass(posterior, opens, at)
    opening = opens[at]
    start = opening.chapter_start_s
    if best is not None and mass >= PLACED_FROM:
        return Verdict(chapter, start, Status.PLACED, _confidence(mass), _passage(opening, words), _signals(evidence, row, at, opens))
    return Verdict(chapter, start, Status.MISSING, _confidence(1.0 - mass), _passage(opening, words), _signals(evidence, row, at, opens))


def _after_last_words(words, loudness_db: np.ndarray | None) -> float:
    """Where the sound resumes after the longest quiet stretch following the last words (closing
    music after a pause); the end of the last words when it never falls quiet (music under them)."""
    if not words:
        return 0.0
    end_s = words[-1].end_s
    if loudness_db is None:
        return end_s
    onset = pauses.onset_after_longest_quiet(loudness_db, end_s)
    return end_s if onset is None else onset


def _likeliest_start(opens: Sequence[passages.Opening], start_log_odds: np.ndarray, after_s: float, before_s: float) -> float:
    """The onset of the most start-like opening between two times (their middle when there is none)."""
    between = [j for j, o in enumerate(opens) if after_s <= o.onset_s <= before_s]
    if not between:
        return max(0.0, (after_s + before_s) / 2)
    return opens[max(between, key=lambda j: start_log_odds[j])].chapter_start_s


def _ask_the_audio(
    evidence: features.Evidence, placement: order.Placement, within_reach: np.ndarray, asked: set, opens, titles, words,
    claimed: np.ndarray, tolerance_s: float, acoustic_check: AcousticCheck,
) -> features.Evidence:
    """Text alone cannot tell a garbled transcription of the title from a look-alike sentence: for
    each chapter not yet placed for sure, the places within its reach (chapters × openings, bool)
    whose words are most like its title, but only middling, are put to the audio, which decides
    what those words count for. `asked` (chapter, opening) pairs are not asked again."""
    adjusted = evidence.words.copy()
    candidates: list[tuple[float, int, int]] = []  # (words, chapter, opening)
    for row in range(len(titles)):
        # what most passages share with any title is no reason to ask: only words above that
        floor = max(DOUBTFUL_WORDS[0], float(np.quantile(evidence.words[row], ORDINARY_WORDS_QUANTILE)) if len(opens) else 1.0)

        def doubtful_words(j: int) -> bool:
            return floor <= adjusted[row, j] < DOUBTFUL_WORDS[1]

        best = placement.best[row]
        moved_onto_doubtful_words = best is not None and not opens[best].contains(claimed[row], tolerance_s) and doubtful_words(best)
        if best is not None and _place_mass(placement.posterior[row], opens, best) >= SETTLED and evidence.about(row, best) and not moved_onto_doubtful_words:
            continue  # placed surely, and not moved elsewhere on words that might belong to a look-alike
        doubtful = [j for j in np.argsort(-adjusted[row]) if doubtful_words(j) and within_reach[row, j] and (row, j) not in asked]
        candidates += [(float(adjusted[row, j]), row, int(j)) for j in doubtful[:ASKED_PER_CHAPTER]]
    # each answer costs an encoder pass: the places most like a title first, a few a round
    for _words, row, j in sorted(candidates, reverse=True)[:ASKED_PER_ROUND]:
        asked.add((row, j))
        opening = opens[j]
        heard = " ".join(w.text for w in words[opening.first_word : opening.passage_end + 1])
        ratio = acoustic_check(max(0.0, opening.pause_start_s), words[opening.passage_end].end_s + 0.5, textmatch.spoken_form(titles[row]), heard)
        # said: the words count as the title's; not said: no more than any passage's (the meaning
        # still counts: "questions from listeners" is not the title "Listener questions", but about it)
        adjusted[row, j] = max(adjusted[row, j], BORNE_OUT_WORDS) if ratio >= ACOUSTIC_ACCEPT else min(adjusted[row, j], NOT_SAID_WORDS)
    if np.array_equal(adjusted, evidence.words):
        return evidence
    return replace(evidence, words=adjusted)


def _decide(chapter: Chapter, row: int, evidence, placement: order.Placement, opens, words, options: AlignOptions) -> Verdict:
    """Verified when the placement holds the claimed time, corrected when it lies elsewhere with a
    clear posterior, missing otherwise (placements are only where a chapter may start: _start_odds)."""
    posterior = placement.posterior[row]
    best = placement.best[row]
    if best is not None:
        at_claim = [j for j, o in enumerate(opens) if o.contains(chapter.claimed_s, options.tolerance_s)]
        if best in at_claim:
            mass = float(posterior[at_claim].sum())
            return Verdict(chapter, chapter.claimed_s, Status.VERIFIED, _confidence(mass), _passage(opens[best], words), _signals(evidence, row, best, opens))
        mass = _place_mass(posterior, opens, best)
        if mass >= SURE:
            opening = opens[best]
            return Verdict(chapter, opening.chapter_start_s, Status.CORRECTED, _confidence(mass), _passage(opening, words), _signals(evidence, row, best, opens))
    if not len(posterior):
        return Verdict(chapter, chapter.claimed_s, Status.MISSING, 1.0, "")
    likeliest = int(np.argmax(posterior))
    found_nowhere = 1.0 - _place_mass(posterior, opens, likeliest)
    return Verdict(chapter, chapter.claimed_s, Status.MISSING, _confidence(found_nowhere), _passage(opens[likeliest], words), _signals(evidence, row, likeliest, opens))


def _place_mass(posterior: np.ndarray, opens: Sequence[passages.Opening], j: int) -> float:
    """The posterior of opening j and of the openings a listener jumping to it would hear as the
    same start: inside its passage, or it inside theirs, a few seconds apart at most."""
    here = opens[j]

    def same(other: passages.Opening) -> bool:
        overlapping = other.first_word <= here.passage_end and here.first_word <= other.passage_end
        return overlapping and abs(other.onset_s - here.onset_s) <= SAME_PLACE_S

    return float(sum(posterior[i] for i, other in enumerate(opens) if same(other)))


def _confidence(probability: float) -> float:
    return round(min(1.0, max(0.0, probability)), 2)


def _passage(opening: passages.Opening, words) -> str:
    return " ".join(w.text for w in words[opening.first_word : opening.passage_end + 1])


def _signals(evidence: features.Evidence, row: int, j: int, opens) -> Signals:
    return Signals(
        words=round(float(evidence.words[row, j]), 2),
        sound=round(float(evidence.sound[row, j]), 2),
        meaning=round(float(evidence.meaning[row, j]), 3),
        meaning_rank=int(evidence.meaning_rank[row, j]),
        pause_s=round(opens[j].pause_s, 2),
        question=bool(evidence.question[j]),
        voice_change=round(float(evidence.voice_over_usual()[j]), 2),
        asker_voice=round(float(evidence.asker_voice()[j]), 2),
    )


def _global_offset(deltas: list[float], tolerance_s: float) -> float:
    if len(deltas) < 2:
        return 0.0
    median = statistics.median(deltas)
    agreeing = sum(1 for d in deltas if abs(d - median) <= tolerance_s)
    return median if agreeing * 2 >= len(deltas) and abs(median) > tolerance_s else 0.0


def _local_shift(k: int, deltas: dict[int, float], tolerance_s: float) -> float | None:
    """The shift of the found chapters around a wordless one, when they agree on it.

    An ad inserted mid-episode moves the Outro but not the Intro: the neighbours know, the global
    median may not. Needs the nearest found chapter on each side to agree, or, at the ends of the
    list, the two nearest on the one side; None otherwise (then the global offset applies).
    """
    found = sorted(deltas.items())
    before = [delta for j, delta in reversed(found) if j < k]
    after = [delta for j, delta in found if j > k]
    pairs = [(before[0], after[0])] if before and after else [tuple(side[:2]) for side in (before, after) if len(side) >= 2]
    if len(pairs) != 1 or abs(pairs[0][0] - pairs[0][1]) > tolerance_s:
        return None
    shift = (pairs[0][0] + pairs[0][1]) / 2
    return shift if abs(shift) > tolerance_s else 0.0


def _unspoken_verdict(chapter, offset, duration_s) -> Verdict:
    start = min(max(0.0, chapter.claimed_s + offset), max(0.0, duration_s - MIN_CHAPTER_S))
    confidence = 0.5 if offset else 1.0  # only as sure as the offset that moved it
    return Verdict(chapter, round(start, 3), Status.UNVERIFIABLE, confidence, "")
