"""Chapters proposed from the speech alone, for an episode without shownotes (`chapters run --auto`).

They start where the title-free model of chapter starts (align/starts.py) puts them: in an
interview at the host's questions, in free talk at the changes of topic; the first starts the
episode. A chapter whose first words follow the show's jingle (after a pre-roll ad) starts with
the jingle, and chapters are spaced by where they start so; the host's welcome after such a jingle
and the host's goodbye start chapters of their own. Each is titled with the words that
open it: the question asked there, else its first sentence, at most TITLE_WORDS words; the
transcript's language is the episode's. Nothing here needs a language model: the speech model's
words, the sentence embedder's vectors and the loudness.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipeline import passages
from pipeline.align import Alignment, Heard, starts, topics
from pipeline.model import Chapter, Signals, Status, Verdict, Word

TITLE_WORDS = 10
# The goodbye is looked for in this last share of the episode, and taken at this cosine to the
# nearest way hosts say it (chosen on h43–h60: true goodbyes 0.34–0.60, the best of the rest
# 0.23–0.30, where the goodbye was garbled; on the tuning set the true ones 0.34–0.87, and two wrong
# ones reach 0.33 and 0.36: the threshold is no clean cut)
GOODBYE_WITHIN, GOODBYE_LIKENESS = 0.25, 0.32


def propose(heard: Heard) -> Alignment:
    """Proposed chapters (status `proposed`, no claimed time), the first at 0:00."""
    transcript, words = heard.transcript, heard.transcript.words
    opens = passages.openings(words, heard.loudness_db)
    if not opens:
        return Alignment(verdicts=(), offset_s=0.0)
    x, evidence = starts.cues(opens, words, heard.loudness_db, heard.meaning, heard.voice_spectra)
    published = np.array([passages.published_start_s(o, words, heard.loudness_db) for o in opens])
    start_odds, chosen, kind = starts.decide(x, evidence, opens, published, transcript.duration_s)  # spaced as a listener meets them
    gap_s = starts.INTERVIEW_GAP_S if kind == "interview" else starts.FREE_TALK_MIN_S
    chosen = _with_the_show_after_an_ad(chosen, opens, words, heard.loudness_db, published, gap_s)
    chosen = _with_the_goodbye(chosen, opens, evidence, heard.meaning, published, transcript.duration_s, gap_s)
    verdicts = [_verdict(opens[0], words, 0.0, 1.0, x[0])]
    verdicts += [_verdict(opens[j], words, float(published[j]), _probability(start_odds[j]), x[j]) for j in chosen]
    return Alignment(verdicts=tuple(verdicts), offset_s=0.0, proposed_as=kind)


def _with_the_show_after_an_ad(chosen: list[int], opens: Sequence[passages.Opening], words: Sequence[Word], loudness_db: np.ndarray | None,
                               published: np.ndarray, gap_s: float) -> list[int]:
    """The chosen starts (published at `published`), and where the show begins after a pre-roll ad:
    the host's first welcome, when words come before the jingle that leads into it (at least `gap_s`
    in: chapters are no shorter). The ad keeps the chapter at 0:00; a start chosen less than `gap_s`
    after the jingle is the same part of the show."""
    welcome = next((j for j, o in enumerate(opens) if topics.is_welcome(o.text)), None)
    jingle = passages.jingle_start_s(opens[welcome], words, loudness_db) if welcome is not None else None
    if jingle is None or jingle < gap_s:
        return chosen
    return sorted({welcome, *(j for j in chosen if not 0 <= published[j] - jingle < gap_s)})


def _with_the_goodbye(chosen: list[int], opens: Sequence[passages.Opening], evidence, meaning, published: np.ndarray, duration_s: float,
                      gap_s: float) -> list[int]:
    """The chosen starts, and the host's goodbye (the Outro producers list): the turn of the passage
    in the last GOODBYE_WITHIN of the episode likest in meaning to how hosts say goodbye
    (topics.py), when it is at least GOODBYE_LIKENESS alike and at least `gap_s` from every other
    start and from the end."""
    last = [j for j, o in enumerate(opens) if o.onset_s >= (1.0 - GOODBYE_WITHIN) * duration_s]
    if meaning is None or not last:
        return chosen
    likeness = meaning([opens[j].text for j in last], list(topics.GOODBYES)).max(axis=1)
    if likeness.max() < GOODBYE_LIKENESS:
        return chosen
    goodbye = int(starts.turns(opens, evidence, published)[last[int(np.argmax(likeness))]])  # where the host's turn begins
    if duration_s - published[goodbye] < gap_s or any(abs(published[j] - published[goodbye]) < gap_s for j in [0, *chosen]):
        return chosen
    return sorted({*chosen, goodbye})


def _probability(log_odds: float) -> float:
    return round(float(1.0 / (1.0 + np.exp(-log_odds))), 2)


def title(opening: passages.Opening, words: Sequence[Word]) -> str:
    """The words that open the chapter: the first question of its passage, else its first
    sentence; at most TITLE_WORDS words (a longer one is cut, with "…")."""
    sentences: list[list[str]] = [[]]
    for word in words[opening.first_word : opening.passage_end + 1]:
        sentences[-1].append(word.text.strip())
        if word.text.strip().endswith(passages.SENTENCE_END):
            sentences.append([])
    sentences = [s for s in sentences if s]
    chosen = next((s for s in sentences if s[-1].endswith("?")), sentences[0] if sentences else [])
    text = " ".join(chosen[:TITLE_WORDS]).strip(" ,;:")
    return text + "…" if len(chosen) > TITLE_WORDS else text


def _verdict(opening: passages.Opening, words, start_s: float, confidence: float, cues_here: np.ndarray) -> Verdict:
    """A proposed chapter at `opening`, with the cues (a row of `cues`) that proposed it."""
    cue = dict(zip(starts.FEATURES, cues_here.tolist()))
    signals = Signals(
        words=0.0, sound=0.0, meaning=0.0, meaning_rank=0, pause_s=round(opening.pause_s, 2), question=opening.question,
        voice_change=round(cue["voice change over usual"], 2), asker_voice=round(cue["asker's voice"], 2), topic_shift=round(cue["topic shift"], 2),
    )
    chapter = Chapter(title=title(opening, words) or "Chapter", claimed_s=None)
    return Verdict(chapter, start_s, Status.PROPOSED, confidence, opening.text, signals)
