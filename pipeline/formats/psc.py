"""Podlove Simple Chapters (podlove.org/simple-chapters, version 1.2): XML with normal play time starts."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from pipeline import timecode
from pipeline.errors import InputError
from pipeline.model import ChapterMark

NAMESPACE = "http://podlove.org/simple-chapters"


def render(marks: list[ChapterMark], *, title: str | None = None) -> str:
    ElementTree.register_namespace("psc", NAMESPACE)
    root = ElementTree.Element(f"{{{NAMESPACE}}}chapters", {"version": "1.2"})
    for mark in marks:
        attributes = {"start": timecode.format_precise(mark.start_s), "title": mark.title}
        if mark.url:
            attributes["href"] = mark.url
        ElementTree.SubElement(root, f"{{{NAMESPACE}}}chapter", attributes)
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def parse(text: str) -> list[ChapterMark]:
    try:
        root = ElementTree.fromstring(text.encode("utf-8"))
    except ElementTree.ParseError as exc:
        raise InputError(f"not a Podlove Simple Chapters file ({exc})") from None
    if root.tag != f"{{{NAMESPACE}}}chapters":
        raise InputError("not a Podlove Simple Chapters file (no psc:chapters root)")
    marks = []
    for element in root.iter(f"{{{NAMESPACE}}}chapter"):
        start = element.get("start", "")
        try:
            seconds = float(start) if start.replace(".", "", 1).isdigit() else timecode.parse(start)  # normal play time
        except ValueError:
            raise InputError(f"chapter '{element.get('title')}': bad start {start!r}") from None
        marks.append(ChapterMark(title=element.get("title", ""), start_s=seconds, url=element.get("href")))
    return sorted(marks, key=lambda m: m.start_s)

