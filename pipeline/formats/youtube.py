"""YouTube description lines: `0:00 Title`, the first at 0:00, at least three, each at least 10 s long."""

from __future__ import annotations

from pipeline import shownotes, timecode
from pipeline.model import ChapterMark

MIN_CHAPTERS = 3
MIN_LENGTH_S = 10.0


def render(marks: list[ChapterMark], *, title: str | None = None) -> str:
    hours = bool(marks) and marks[-1].start_s >= 3600
    lines = []
    for number, mark in enumerate(marks):
        start = 0.0 if number == 0 else mark.start_s  # YouTube ignores the list unless it starts at 0:00
        lines.append(f"{timecode.format_clock(start, always_hours=hours)} {mark.title}")
    return "\n".join(lines) + "\n"


def problems(marks: list[ChapterMark]) -> list[str]:
    """Why YouTube would not show these chapters."""
    found = []
    if len(marks) < MIN_CHAPTERS:
        found.append(f"YouTube needs at least {MIN_CHAPTERS} chapters")
    for mark in marks:
        if mark.end_s is not None and mark.end_s - mark.start_s < MIN_LENGTH_S:
            found.append(f"'{mark.title}' is shorter than {MIN_LENGTH_S:.0f} s, which YouTube does not allow")
    return found


def parse(text: str) -> list[ChapterMark]:
    return [ChapterMark(title=c.title, start_s=c.claimed_s, url=c.url) for c in shownotes.parse(text, html=False)]
