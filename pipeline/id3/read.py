"""Chapters as they are embedded in an MP3, written by us or by any other tool."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from mutagen import MutagenError
from mutagen.id3 import CHAP, ID3, CTOCFlags, ID3NoHeaderError

from pipeline import audio
from pipeline.errors import InputError
from pipeline.model import ChapterMark


@dataclass(frozen=True)
class EmbeddedChapters:
    marks: tuple[ChapterMark, ...]  # in time order
    toc_title: str | None
    version: tuple[int, int]
    has_toc: bool = False  # a top-level CTOC, titled or not


def read(path: Path) -> EmbeddedChapters:
    """Chapters embedded in `path`, in time order, with the top-level CTOC's title: from the first
    ID3v2 tag, or from a later one stacked behind it when only that one has chapters (as ffmpeg
    reads them; lint says most players do not)."""
    try:
        tags = ID3(path)
    except ID3NoHeaderError:
        return EmbeddedChapters(marks=(), toc_title=None, version=(0, 0))
    except MutagenError as exc:
        raise InputError(f"{path}: unreadable ID3 tag ({exc})") from None
    if not tags.getall("CHAP"):
        tags = next((later for later in stacked_after_the_first(path) if later.getall("CHAP")), tags)
    chaps = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    toc_title, has_toc = None, False
    for toc in tags.getall("CTOC"):
        if toc.flags & CTOCFlags.TOP_LEVEL:
            titles = toc.sub_frames.getall("TIT2")
            toc_title, has_toc = (str(titles[0].text[0]) if titles and titles[0].text else None), True
            break
    return EmbeddedChapters(marks=tuple(_mark_from_chap(c) for c in chaps), toc_title=toc_title, version=tags.version[:2], has_toc=has_toc)


def stacked_after_the_first(path: Path) -> list[ID3]:
    """The ID3v2 tags stacked behind the first one, each read by mutagen on its own."""
    found = []
    for blob in audio.stacked_tags(path)[1:]:
        try:
            found.append(ID3(io.BytesIO(blob)))
        except MutagenError:
            continue
    return found


def _mark_from_chap(chap: CHAP) -> ChapterMark:
    titles = chap.sub_frames.getall("TIT2")
    links = chap.sub_frames.getall("WXXX")
    images = chap.sub_frames.getall("APIC")
    return ChapterMark(
        title=str(titles[0].text[0]) if titles and titles[0].text else "",
        start_s=chap.start_time / 1000,
        end_s=chap.end_time / 1000,
        url=links[0].url if links else None,
        image=images[0].data if images else None,
        image_mime=images[0].mime if images else None,
    )


def episode_title(path: Path) -> str | None:
    """The file's own title (TIT2), used to name the table of contents."""
    try:
        tags = ID3(path)
    except MutagenError:
        return None
    frames = tags.getall("TIT2")
    title = str(frames[0].text[0]).strip() if frames and frames[0].text else ""
    return title or None
