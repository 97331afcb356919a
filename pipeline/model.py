"""The records that flow between stages: small, frozen, no logic beyond what derives from their fields."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Chapter:
    """One chapter as the producer wrote it in the shownotes."""

    title: str
    claimed_s: float | None  # None: the shownotes list the title without a time (it is placed where it is said)
    url: str | None = None
    line_no: int | None = None  # 1-based line in the shownotes, for messages and rewriting


@dataclass(frozen=True)
class Word:
    text: str
    start_s: float
    end_s: float
    probability: float = 1.0


@dataclass(frozen=True)
class Transcript:
    words: tuple[Word, ...]
    language: str
    duration_s: float
    model: str

    @property
    def text(self) -> str:
        return " ".join(w.text.strip() for w in self.words)


class Status(str, enum.Enum):
    VERIFIED = "verified"  # the claimed time lies in the pause before the title's words
    CORRECTED = "corrected"  # the words were found elsewhere with confidence; time replaced
    UNVERIFIABLE = "unverifiable"  # nothing spoken to check (Intro, Outro, music)
    MISSING = "missing"  # should be spoken but was not found with confidence
    CONFIRMED = "confirmed"  # set or accepted by the producer in `chapters review` (kept by later runs)
    PLACED = "placed"  # a title listed without a time, found where it is said (or its part of the show begins)
    PROPOSED = "proposed"  # no shownotes: a chapter proposed from the speech, titled with its opening words

    @property
    def needs_a_look(self) -> bool:
        """A time that was off, or a chapter not found: what CI fails on and a batch flags."""
        return self in (Status.CORRECTED, Status.MISSING)


@dataclass(frozen=True)
class Signals:
    """What the alignment saw at the passage a verdict rests on, each on its own scale."""

    words: float  # likeness of the title's letters to what was heard there, 0..1
    sound: float  # likeness of their Kölner Phonetik codes, 0..1
    meaning: float  # cosine of the sentence embeddings of title and passage
    meaning_rank: int  # 1: no passage of the episode is closer in meaning to the title
    pause_s: float  # silence before the passage
    question: bool  # the passage asks something
    heard_again: bool = False  # decided after a second, closer listen to this stretch
    voice_change: float = 0.0  # how much more the voice changes across the pause than between the episode's sentences usually
    asker_voice: float = 0.0  # how much closer the voice is to the one asking the episode's questions than usual (0: not closer)
    topic_shift: float = 0.0  # proposed chapters: how much the talk's meaning changes here against the episode's usual (deviations)


@dataclass(frozen=True)
class Verdict:
    chapter: Chapter
    start_s: float  # the time to publish
    status: Status
    confidence: float  # the probability the alignment gives this verdict, 0..1
    evidence: str  # transcript words that support the verdict ("" when none)
    signals: Signals | None = None  # None: nothing heard to weigh (wordless chapters, nothing found)

    @property
    def delta_s(self) -> float | None:
        """None when there was no time to check."""
        return None if self.chapter.claimed_s is None else round(self.start_s - self.chapter.claimed_s, 3)


@dataclass(frozen=True)
class ChapterMark:
    """A chapter as stored in a file: what a writer needs and a reader gives back."""

    title: str
    start_s: float
    end_s: float | None = None
    url: str | None = None
    image: bytes | None = field(default=None, repr=False)
    image_mime: str | None = None
