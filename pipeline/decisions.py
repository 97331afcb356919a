"""The producer's decisions from `chapters review`: kept beside the outputs, applied by every later run.

A decision names the shownote chapter it concerns by its title (None for a chapter the producer
added) and says what the producer set by hand: the title to publish, and the start (None: the
alignment's). Chapters the producer deleted are listed by title. Decisions hold only for the audio
they were made on (its frames' SHA-256): a re-cut episode starts afresh, with a warning.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline import files
from pipeline.errors import InputError
from pipeline.model import Chapter, Status, Transcript, Verdict

VERSION = 1
EVIDENCE_WORDS = 12  # words after a start set by hand shown as its evidence


@dataclass(frozen=True)
class Decision:
    shownote_title: str | None  # the shownote chapter this concerns; None: added by the producer
    title: str  # the title to publish
    start_s: float | None = None  # set by hand; None: the alignment's start stands


@dataclass(frozen=True)
class Decisions:
    frames_sha256: str
    chapters: tuple[Decision, ...] = ()
    removed: tuple[str, ...] = ()  # shownote chapters the producer deleted, by title

    @property
    def empty(self) -> bool:
        return not self.chapters and not self.removed


def load(path: Path) -> Decisions | None:
    """The decisions kept at `path`; None when there are none. A damaged file is bad input."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read the producer's decisions ({exc})") from None
    try:
        if data.get("version") != VERSION:
            raise ValueError(f"version {data.get('version')!r}, expected {VERSION}")
        return Decisions(
            frames_sha256=str(data["audio_sha256"]),
            chapters=tuple(
                Decision(c["shownote"], str(c["title"]), None if c.get("start") is None else float(c["start"])) for c in data["chapters"]
            ),
            removed=tuple(str(title) for title in data.get("removed", [])),
        )
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{path}: not a decisions file of this version ({exc})") from None


def render(decisions: Decisions) -> str:
    return json.dumps(
        {
            "version": VERSION,
            "audio_sha256": decisions.frames_sha256,
            "chapters": [{"shownote": d.shownote_title, "title": d.title, "start": d.start_s} for d in decisions.chapters],
            "removed": list(decisions.removed),
        },
        ensure_ascii=False,
        indent=1,
    ) + "\n"


def save(path: Path, decisions: Decisions) -> None:
    files.write_text(path, render(decisions))


def apply(verdicts: Sequence[Verdict], decisions: Decisions | None, transcript: Transcript, frames_sha256: str) -> tuple[tuple[Verdict, ...], tuple[str, ...]]:
    """The verdicts with the producer's decisions in force (deleted chapters gone, added ones after
    the shownote chapters), and warnings for decisions that no longer fit."""
    pairs, warnings = match(verdicts, decisions, frames_sha256)
    return tuple(decided(aligned, decision, transcript) for aligned, decision in pairs), warnings


def decided(aligned: Verdict | None, decision: Decision | None, transcript: Transcript) -> Verdict:
    """The verdict to publish for a pair from `match`."""
    if decision is None:
        assert aligned is not None
        return aligned
    if aligned is None:
        return confirmed(Chapter(decision.title, decision.start_s or 0.0), decision, decision.start_s or 0.0, transcript)
    return confirmed(aligned.chapter, decision, aligned.start_s, transcript)


def match(verdicts: Sequence[Verdict], decisions: Decisions | None, frames_sha256: str) -> tuple[list[tuple[Verdict | None, Decision | None]], tuple[str, ...]]:
    """Each chapter to publish as (the alignment's verdict or None when added, the producer's
    decision on it or None), and warnings for decisions that no longer fit (other audio, a
    shownote chapter renamed since)."""
    if decisions is None or decisions.empty:
        return [(v, None) for v in verdicts], ()
    if decisions.frames_sha256 != frames_sha256:
        return [(v, None) for v in verdicts], ("the producer's decisions were made on other audio (re-cut since?): not applied",)
    pending = [d for d in decisions.chapters if d.shownote_title is not None]
    removed = list(decisions.removed)
    pairs: list[tuple[Verdict | None, Decision | None]] = []
    for verdict in verdicts:
        title = verdict.chapter.title
        if title in removed:
            removed.remove(title)
            continue
        decision = next((d for d in pending if d.shownote_title == title), None)
        if decision is not None:
            pending.remove(decision)
        pairs.append((verdict, decision))
    added = sorted((d for d in decisions.chapters if d.shownote_title is None and d.start_s is not None), key=lambda d: d.start_s)
    stale = [f"the producer's decision on „{d.shownote_title}“ matches no shownote chapter: not applied" for d in pending]
    stale += [f"the producer deleted „{title}“, which is no shownote chapter any more" for title in removed]
    return pairs + [(None, d) for d in added], tuple(stale)


def confirmed(chapter: Chapter, decision: Decision, aligned_start_s: float, transcript: Transcript) -> Verdict:
    """A chapter as the producer decided it: their title, their start (or the alignment's)."""
    start = aligned_start_s if decision.start_s is None else decision.start_s
    heard = [w.text.strip() for w in transcript.words if w.start_s >= start - 0.05][:EVIDENCE_WORDS]
    return Verdict(replace(chapter, title=decision.title), round(start, 3), Status.CONFIRMED, 1.0, " ".join(heard))


def set_by_hand(decision: Decision | None) -> list[str]:
    """What the producer set: ["start", "title"], either or both."""
    if decision is None:
        return []
    return [name for name, changed in (("start", decision.start_s is not None), ("title", decision.title != decision.shownote_title)) if changed]
