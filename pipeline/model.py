"""The records that flow between stages: small, frozen, no logic beyond what derives from their fields."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Chapter:
    """One chapter as the producer wrote it in the shownotes."""

    title: str
    claimed_s: float
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


@dataclass(frozen=True)
class Verdict:
    chapter: Chapter
    start_s: float  # the time to publish
    status: Status
    confidence: float
    evidence: str  # transcript words that support the verdict ("" when none)

    @property
    def delta_s(self) -> float:
        return round(self.start_s - self.chapter.claimed_s, 3)


@dataclass(frozen=True)
class ChapterMark:
    """A chapter as stored in a file: what a writer needs and a reader gives back."""

    title: str
    start_s: float
    end_s: float | None = None
    url: str | None = None
    image: bytes | None = field(default=None, repr=False)
    image_mime: str | None = None
