"""The chapters a file already carries, made fit for `write` without changing what they say.

In time order; a chapter starting at or after the audio's end is left out; an untitled one gets
"Chapter N"; two at the same millisecond are set a millisecond apart (the writer needs strictly
increasing starts); ends are the writer's (each meets the next, the last ends with the audio).
Titles, links and images are kept as they are. Every change is said in a line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from pipeline.id3.write import after
from pipeline.model import ChapterMark
from pipeline.timecode import format_precise


def repaired(marks: Sequence[ChapterMark], duration_s: float) -> tuple[list[ChapterMark], list[str]]:
    kept: list[ChapterMark] = []
    notes: list[str] = []
    for number, mark in enumerate(sorted(marks, key=lambda m: m.start_s), start=1):
        if mark.start_s >= duration_s:
            notes.append(f"chapter {number} '{mark.title}' starts at {format_precise(mark.start_s)}, at or after the audio's end: left out")
            continue
        title = mark.title.strip() or f"Chapter {number}"
        if title != mark.title:
            notes.append(f"chapter {number} had no title: now '{title}'" if not mark.title.strip() else f"chapter {number}'s title trimmed")
        start = after(mark.start_s, kept[-1].start_s if kept else None)
        if start != round(mark.start_s, 3):
            notes.append(f"chapter {number} '{title}' started with the one before it: moved 1 ms later")
        kept.append(replace(mark, title=title, start_s=start, end_s=None))
    return kept, notes
