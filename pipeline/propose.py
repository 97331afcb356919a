"""Chapters proposed from the speech alone, for an episode without shownotes (`chapters run --auto`).

They start where the title-free model of chapter starts (align/starts.py) puts them: in an
interview at the host's questions, in free talk at the changes of topic; the first starts the
episode. A chapter whose first words follow the show's jingle (after a pre-roll ad) starts with
the jingle, and chapters are spaced by where they start so. Each is titled with the words that
open it: the question asked there, else its first sentence, at most TITLE_WORDS words; the
transcript's language is the episode's. Nothing here needs a language model: the speech model's
words, the sentence embedder's vectors and the loudness.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipeline import passages, pauses
from pipeline.align import Alignment, Heard, starts
from pipeline.model import Chapter, Signals, Status, Verdict, Word

TITLE_WORDS = 10
INTRO_MUSIC_S = 3.0  # wordless sound this long just before a chapter's first words is its intro jingle (an ad's bumper is shorter)


def propose(heard: Heard) -> Alignment:
    """Proposed chapters (status `proposed`, no claimed time), the first at 0:00."""
    transcript, words = heard.transcript, heard.transcript.words
    opens = passages.openings(words, heard.loudness_db)
    if not opens:
        return Alignment(verdicts=(), offset_s=0.0)
    x, evidence = starts.cues(opens, words, heard.loudness_db, heard.meaning, heard.voice_spectra)
    published = np.array([published_start_s(o, words, heard.loudness_db) for o in opens])
    start_odds, chosen, kind = starts.decide(x, evidence, opens, published, transcript.duration_s)  # spaced as a listener meets them
    verdicts = [_verdict(opens[0], words, 0.0, 1.0, x[0])]
    verdicts += [_verdict(opens[j], words, float(published[j]), _probability(start_odds[j]), x[j]) for j in chosen]
    return Alignment(verdicts=tuple(verdicts), offset_s=0.0, proposed_as=kind)


def published_start_s(opening: passages.Opening, words: Sequence[Word], loudness_db: np.ndarray | None) -> float:
    """Just before the chapter's first words, or before the jingle that leads into them: a listener
    who jumps to the chapter after a pre-roll ad hears the show's intro music, as the producer cut it."""
    if loudness_db is None or not len(loudness_db) or opening.first_word == 0:
        return opening.chapter_start_s
    last_word_s = words[opening.first_word - 1].end_s
    music_s = pauses.wordless_sound_before(loudness_db, opening.pause_start_s, last_word_s, INTRO_MUSIC_S)
    return opening.chapter_start_s if music_s is None else round(max(last_word_s, music_s - 0.25), 3)


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
