"""WebVTT chapters (W3C WebVTT, `kind="chapters"` tracks): one cue per chapter, its text the title."""

from __future__ import annotations

import re

from pipeline.errors import InputError
from pipeline.model import ChapterMark
from pipeline.timecode import format_precise

_TIMING = re.compile(r"^\s*(?P<start>[\d:.]+)\s+-->\s+(?P<end>[\d:.]+)")


def render(marks: list[ChapterMark], *, title: str | None = None) -> str:
    blocks = [
        f"{number}\n{format_precise(m.start_s)} --> {format_precise(m.end_s if m.end_s is not None else m.start_s)}\n{escape(m.title)}\n"
        for number, m in enumerate(marks, start=1)
    ]
    return "WEBVTT\n\n" + "\n".join(blocks)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", "\xa0").replace("&amp;", "&")


def parse(text: str) -> list[ChapterMark]:
    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        raise InputError("not a WebVTT file (no WEBVTT header)")
    marks = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = block.strip("\n").split("\n")
        for index, line in enumerate(lines):
            timing = _TIMING.match(line)
            if timing:
                title = unescape(" ".join(lines[index + 1 :]).strip())
                marks.append(ChapterMark(title=title, start_s=_seconds(timing["start"]), end_s=_seconds(timing["end"])))
                break
    return marks


def _seconds(stamp: str) -> float:
    parts = stamp.split(":")
    try:
        value = 0.0
        for part in parts:
            value = value * 60 + float(part)
    except ValueError:
        raise InputError(f"bad WebVTT timestamp {stamp!r}") from None
    return value
