"""Audacity label tracks: `start<TAB>end<TAB>label` per line, seconds with six decimals."""

from __future__ import annotations

from pipeline.errors import InputError
from pipeline.model import ChapterMark


def render(marks: list[ChapterMark], *, title: str | None = None) -> str:
    lines = []
    for mark in marks:
        end = mark.end_s if mark.end_s is not None else mark.start_s
        lines.append(f"{mark.start_s:.6f}\t{end:.6f}\t{mark.title.replace(chr(9), ' ').replace(chr(10), ' ')}")
    return "\n".join(lines) + "\n"


def parse(text: str) -> list[ChapterMark]:
    marks = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("\\"):  # "\\" lines carry spectral selections
            continue
        parts = line.split("\t")
        try:
            start, end = float(parts[0]), float(parts[1])
        except (IndexError, ValueError):
            raise InputError(f"line {number}: not an Audacity label (start<TAB>end<TAB>label)") from None
        marks.append(ChapterMark(title=parts[2] if len(parts) > 2 else "", start_s=start, end_s=end))
    return sorted(marks, key=lambda m: m.start_s)
