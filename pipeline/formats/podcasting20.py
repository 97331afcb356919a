"""Podcasting 2.0 chapters JSON (github.com/Podcastindex-org/podcast-namespace, chapters.md)."""

from __future__ import annotations

import json

from pipeline.errors import InputError
from pipeline.model import ChapterMark


def render(marks: list[ChapterMark], *, title: str | None = None) -> str:
    chapters = []
    for mark in marks:
        entry: dict = {"startTime": round(mark.start_s, 3), "title": mark.title}
        if mark.end_s is not None:
            entry["endTime"] = round(mark.end_s, 3)
        if mark.url:
            entry["url"] = mark.url
        chapters.append(entry)
    document: dict = {"version": "1.2.0", "chapters": chapters}
    if title:
        document["title"] = title
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def parse(text: str) -> list[ChapterMark]:
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise InputError(f"not a Podcasting 2.0 chapters file ({exc})") from None
    entries = document.get("chapters") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise InputError('not a Podcasting 2.0 chapters file (no "chapters" list)')
    marks = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise InputError(f"chapter {number} is {json.dumps(entry)[:40]}, not an object with startTime and title")
        if entry.get("toc", True) is False:
            continue  # toc:false marks a silent image change, not a chapter
        url = entry.get("url")
        marks.append(
            ChapterMark(
                title=str(entry.get("title", "")),
                start_s=_seconds(entry, "startTime", number),
                end_s=_seconds(entry, "endTime", number) if "endTime" in entry else None,
                url=url if isinstance(url, str) else None,
            )
        )
    return sorted(marks, key=lambda m: m.start_s)


def _seconds(entry: dict, key: str, number: int) -> float:
    value = entry.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise InputError(f"chapter {number}: {key} must be a number of seconds, not {json.dumps(value)[:40]}")
    try:
        return float(value)
    except ValueError:
        raise InputError(f"chapter {number}: {key} must be a number of seconds, not {value!r}") from None
