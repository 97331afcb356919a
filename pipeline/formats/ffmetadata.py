"""ffmpeg's metadata file (ffmpeg-formats, "Metadata"): `[CHAPTER]` sections with TIMEBASE=1/1000."""

from __future__ import annotations

import re

from pipeline.errors import InputError
from pipeline.model import ChapterMark

_SPECIAL = re.compile(r"([=;#\\\n])")


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def render(marks: list[ChapterMark], *, title: str | None = None) -> str:
    lines = [";FFMETADATA1"]
    if title:
        lines.append(f"title={_escape(title)}")
    for mark in marks:
        end = mark.end_s if mark.end_s is not None else mark.start_s
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={round(mark.start_s * 1000)}", f"END={round(end * 1000)}", f"title={_escape(mark.title)}"]
    return "\n".join(lines) + "\n"


def parse(text: str) -> list[ChapterMark]:
    if not text.startswith(";FFMETADATA1"):
        raise InputError("not an ffmetadata file (no ;FFMETADATA1 header)")
    chapters: list[dict[str, str]] = []
    section = None
    for line in _logical_lines(text):
        if line.startswith(";") or line.startswith("#") or not line:
            continue
        if line.startswith("["):
            section = {} if line.strip() == "[CHAPTER]" else None
            if section is not None:
                chapters.append(section)
            continue
        if section is not None and "=" in line:
            key, value = _split(line)
            section[key.upper() if key.upper() in ("TIMEBASE", "START", "END") else key.lower()] = value
    marks = []
    for chapter in chapters:
        try:
            numerator, denominator = (int(n) for n in chapter.get("TIMEBASE", "1/1000").split("/"))
            scale = numerator / denominator
            marks.append(ChapterMark(title=chapter.get("title", ""), start_s=int(chapter["START"]) * scale, end_s=int(chapter["END"]) * scale))
        except (KeyError, ValueError, ZeroDivisionError) as exc:
            raise InputError(f"bad [CHAPTER] section ({exc})") from None
    return sorted(marks, key=lambda m: m.start_s)


def _logical_lines(text: str) -> list[str]:
    """Lines, with a backslash-escaped newline joined to the next."""
    lines, current = [], ""
    for raw in text.split("\n"):
        if raw.endswith("\\") and not raw.endswith("\\\\"):
            current += raw[:-1] + "\n"
            continue
        lines.append(current + raw)
        current = ""
    return lines


def _split(line: str) -> tuple[str, str]:
    key_chars, index = [], 0
    while index < len(line) and line[index] != "=":
        key_chars.append(line[index + 1] if line[index] == "\\" and index + 1 < len(line) else line[index])
        index += 2 if line[index] == "\\" else 1
    value = re.sub(r"\\(.)", r"\1", line[index + 1 :], flags=re.DOTALL)
    return "".join(key_chars), value
