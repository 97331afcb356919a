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
        entries = document["chapters"]
        marks = [
            ChapterMark(title=str(e.get("title", "")), start_s=float(e["startTime"]), end_s=float(e["endTime"]) if "endTime" in e else None, url=e.get("url"))
            for e in entries
            if e.get("toc", True) is not False  # toc:false marks a silent image change, not a chapter
        ]
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"not a Podcasting 2.0 chapters file ({exc})") from None
    return sorted(marks, key=lambda m: m.start_s)
