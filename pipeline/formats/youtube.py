"""YouTube description lines: `0:00 Title`, the first at 0:00, at least three, each at least 10 s long."""

from __future__ import annotations

from dataclasses import replace

from pipeline import shownotes, timecode
from pipeline.model import ChapterMark

MIN_CHAPTERS = 3
MIN_LENGTH_S = 10.0


def render(marks: list[ChapterMark], *, title: str | None = None) -> str:
    """The lines YouTube shows as chapters (`fit`); fewer than three are written all the same (and `fit` says so)."""
    fitted, _notes = fit(marks)
    hours = bool(fitted) and fitted[-1].start_s >= 3600
    return "\n".join(f"{timecode.format_clock(mark.start_s, always_hours=hours)} {mark.title}" for mark in fitted) + "\n"


def fit(marks: list[ChapterMark]) -> tuple[list[ChapterMark], list[str]]:
    """The chapters as YouTube takes them, and what had to change: the first starts at 0:00; a chapter
    shorter than 10 s is dropped, its time going to the one before (the first one's to the next,
    which then starts at 0:00); fewer than three are noted, as YouTube then shows none."""
    kept = list(marks)  # marks are frozen: replaced, never changed
    notes: list[str] = []
    if kept and kept[0].start_s > 0:
        notes.append(f"'{kept[0].title}' moved from {timecode.format_clock(kept[0].start_s)} to 0:00 (YouTube's list starts there)")
        kept[0] = replace(kept[0], start_s=0.0)
    while len(kept) > 1:
        short = next((i for i, mark in enumerate(kept) if _length(kept, i) < MIN_LENGTH_S), None)
        if short is None:
            break
        dropped = kept.pop(short)
        notes.append(f"'{dropped.title}' dropped: shorter than {MIN_LENGTH_S:.0f} s, which YouTube does not allow")
        if short == 0:
            kept[0] = replace(kept[0], start_s=0.0)
    if len(kept) < MIN_CHAPTERS:
        notes.append(f"only {len(kept)} chapter(s): YouTube shows description chapters only from {MIN_CHAPTERS} on")
    return kept, notes


def _length(marks: list[ChapterMark], i: int) -> float:
    end = marks[i + 1].start_s if i + 1 < len(marks) else marks[i].end_s
    return float("inf") if end is None else end - marks[i].start_s


def parse(text: str) -> list[ChapterMark]:
    return [ChapterMark(title=c.title, start_s=c.claimed_s, url=c.url) for c in shownotes.parse(text, html=False, untimed=False)]  # a chapter file has times
