"""Text formats written from (and read back into) the pipeline's records: one module per format.

Every chapter format has render(marks, title=) -> str and parse(text) -> list[ChapterMark].
"""

from __future__ import annotations

import math
from pathlib import Path
from types import ModuleType

from pipeline.errors import InputError
from pipeline.formats import audacity, ffmetadata, podcasting20, psc, webvtt_chapters, youtube
from pipeline.model import ChapterMark

# output kind -> (file suffix, module); every one is written by `chapters run` and readable by `verify --chapters`
CHAPTER_FORMATS: dict[str, tuple[str, ModuleType]] = {
    "chapters": (".chapters.json", podcasting20),
    "psc": (".psc.xml", psc),
    "chapters_vtt": (".chapters.vtt", webvtt_chapters),
    "youtube": (".youtube.txt", youtube),
    "ffmetadata": (".ffmetadata.txt", ffmetadata),
    "labels": (".labels.txt", audacity),
}


def detect(path: Path, text: str) -> ModuleType:
    """Which chapter format a file is in: by its content first, its name second."""
    head = text.lstrip("\ufeff").lstrip()
    if head.startswith("{") or head.startswith("[") and path.suffix.lower() == ".json":
        return podcasting20
    if head.startswith("<"):
        return psc
    if head.startswith("WEBVTT"):
        return webvtt_chapters
    if head.startswith(";FFMETADATA"):
        return ffmetadata
    first = head.split("\n", 1)[0].split("\t")
    if len(first) >= 2 and all(part.replace(".", "", 1).isdigit() for part in first[:2]):
        return audacity
    for suffix, module in CHAPTER_FORMATS.values():
        if path.name.endswith(suffix):
            return module
    return youtube  # description lines: the shownotes parser reads them


def read(path: Path) -> list[ChapterMark]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read chapters ({exc})") from None
    try:
        marks = detect(path, text).parse(text)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    if not marks:
        raise InputError(f"{path}: contains no chapters")
    for number, mark in enumerate(marks, start=1):
        if not math.isfinite(mark.start_s) or mark.start_s < 0:
            raise InputError(f"{path}: chapter {number} '{mark.title}' has no usable start time ({mark.start_s})")
    return marks
