"""Writing chapters: a copy of the MP3 with exactly these chapters, checked before it replaces anything.

What players need, and where mutagen's defaults differ (docs/id3-chapters.md): ID3v2.3 for the
whole tag; CHAP frames in time order with the CTOC before them; one top-level ordered CTOC with a
title; a title in every CHAP; end = next start and last end = duration; byte offsets unset; text
each frame's encoding can carry (v2.3 WXXX links are Latin-1 only, so links go out percent-encoded).
"""

from __future__ import annotations

import io
import re
import shutil
import urllib.parse
from collections.abc import Sequence
from pathlib import Path

from mutagen import MutagenError
from mutagen.id3 import APIC, CHAP, CTOC, ID3, RVA2, TIT2, TXXX, WXXX, CTOCFlags, Encoding, ID3NoHeaderError

from pipeline import audio, files, images
from pipeline.errors import InputError, TagError
from pipeline.id3 import layout
from pipeline.id3.read import read
from pipeline.model import ChapterMark

MAX_CHAPTERS = 255  # CTOC stores its entry count in one byte
TOC_ID = "toc"
# v2.4 text frames without a v2.3 form, kept as user text (TXXX) under the names taggers use for them
# (mutagen's update_to_v23 would drop them). TSOP/TSOA/TSOT stay as they are: iTunes writes them in
# v2.3 tags itself, and readers take them.
_V24_TEXT_AS_TXXX = {"TMOO": "MOOD", "TDRL": "RELEASETIME", "TDEN": "ENCODINGTIME", "TDTG": "TAGGINGTIME", "TPRO": "PRODUCEDNOTICE", "TSST": "SETSUBTITLE"}
_V24_KEPT = ("TSOP", "TSOA", "TSOT")
_V24_DROPPED = {"ASPI": "audio seek point index", "EQU2": "equalisation", "SEEK": "seek frame", "SIGN": "signature"}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def chapter_ids(count: int) -> list[str]:
    return [f"chp{i}" for i in range(count)]


def after(start_s: float, previous_s: float | None) -> float:
    """A start at least a millisecond after the chapter before's (CHAP times are whole milliseconds,
    and validate wants them rising), rounded to the millisecond."""
    if previous_s is not None and round(start_s * 1000) <= round(previous_s * 1000):
        start_s = previous_s + 0.001
    return round(start_s, 3)


def validate(marks: Sequence[ChapterMark], duration_s: float) -> None:
    """Refuse a chapter list that players would show wrongly or drop."""
    if not marks:
        raise TagError("no chapters to write")
    if len(marks) > MAX_CHAPTERS:
        raise TagError(f"{len(marks)} chapters: ID3 allows at most {MAX_CHAPTERS} in one table of contents")
    for index, mark in enumerate(marks, start=1):
        if not frame_text(mark.title).strip():
            raise TagError(f"chapter {index} has an empty title (players would show its number instead)")
        if mark.start_s < 0 or mark.start_s >= duration_s:
            raise TagError(f"chapter {index} '{mark.title}' starts at {mark.start_s:.3f} s, outside the audio (0–{duration_s:.3f} s)")
        if mark.image is not None:
            try:
                images.mime_type(mark.image, f"chapter {index} image")
            except InputError as exc:
                raise TagError(str(exc)) from None
    starts = [round(m.start_s * 1000) for m in marks]
    if any(b <= a for a, b in zip(starts, starts[1:])):
        raise TagError("chapter start times must be strictly increasing")


def with_ends(marks: Sequence[ChapterMark], duration_s: float) -> list[ChapterMark]:
    """End of each chapter = start of the next; the last ends with the audio."""
    ends = [m.start_s for m in marks[1:]] + [duration_s]
    return [ChapterMark(m.title, m.start_s, end, m.url, m.image, m.image_mime) for m, end in zip(marks, ends)]


def frame_text(text: str) -> str:
    """Text as a frame can hold it: no NUL (the separator of ID3 text lists) or other control
    characters, no lone surrogates (UTF-16 cannot encode them)."""
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace") if any("\ud800" <= c <= "\udfff" for c in text) else text
    return _CONTROL.sub(" ", text)


def ascii_url(url: str) -> str:
    """A link as plain ASCII: the host in IDNA, everything else percent-encoded, `+` included
    (AntennaPod decodes a `+` in a chapter link as a space). Escapes already there are kept."""
    parts = urllib.parse.urlsplit(frame_text(url).strip())
    netloc = parts.netloc
    if not netloc.isascii():
        userinfo, at, hostport = netloc.rpartition("@")
        host, colon, port = hostport.partition(":")
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            host = urllib.parse.quote(host, safe="")
        netloc = urllib.parse.quote(userinfo, safe=":%") + at + host + colon + port
    safe = "/:@!$&'()*,;=-._~%"
    return urllib.parse.urlunsplit(
        (parts.scheme, netloc, urllib.parse.quote(parts.path, safe=safe), urllib.parse.quote(parts.query, safe=safe + "?"), urllib.parse.quote(parts.fragment, safe=safe + "?#"))
    )


def write(
    source: Path,
    destination: Path,
    marks: Sequence[ChapterMark],
    *,
    duration_s: float,
    toc_title: str,
    version: int = 3,
    frames_sha256: str | None = None,
) -> list[str]:
    """Copy `source` to `destination` with exactly these chapters (replacing any), atomically.

    `frames_sha256`: the hash of the audio the chapters were found in, when the caller has it; the
    written file must carry exactly that audio (computed here otherwise). Returns warnings about
    the file's other tags (frames that had to change or go for v2.3), one line each.
    """
    validate(marks, duration_s)
    full = with_ends(marks, duration_s)
    expected_frames = frames_sha256 or audio.frames_hash(source)
    with files.replacing(destination) as temp:
        merged = _copy_with_one_tag(source, temp)
        warnings = _write_tag(temp, full, toc_title=frame_text(toc_title).strip() or "Chapters", version=version, merged_frames=merged)
        layout.put_chapters_in_time_order(temp)
        _check_written(temp, full, expected_frames)
    return warnings


def _copy_with_one_tag(source: Path, temp: Path) -> list:
    """Copy `source`, dropping ID3v2 tags stacked behind the first; return their frames to merge.

    mutagen edits only the first tag, while ffmpeg reads them all: stale chapters in a second tag
    would reappear there. Frames the first tag lacks (except chapters) are kept by merging.
    """
    region = audio.audio_region(source)
    if region.id3v2_tags <= 1:
        shutil.copyfile(source, temp)
        return []
    data = source.read_bytes()
    first_end = audio.id3v2_tag_size(data[:10])
    extra_frames = []
    position = first_end
    while position < region.start:
        end = position + audio.id3v2_tag_size(data[position : position + 10])
        try:
            extra = ID3(io.BytesIO(data[position:end]))
        except MutagenError:
            extra = None  # an unreadable stale tag is dropped, never merged
        if extra is not None:
            extra_frames.extend(f for f in extra.values() if f.FrameID not in ("CHAP", "CTOC"))
        position = end
    with temp.open("wb") as out:
        out.write(data[:first_end])
        out.write(data[region.start :])
    return extra_frames


def _write_tag(path: Path, marks: Sequence[ChapterMark], *, toc_title: str, version: int, merged_frames: Sequence = ()) -> list[str]:
    try:
        tags = ID3(path)
    except ID3NoHeaderError:
        tags = ID3()
    except MutagenError as exc:
        raise InputError(f"{path}: unreadable ID3 tag ({exc})") from None
    for frame in merged_frames:
        if frame.HashKey not in tags:
            tags.add(frame)
    tags.delall("CHAP")
    tags.delall("CTOC")
    ids = chapter_ids(len(marks))
    tags.add(
        CTOC(
            element_id=TOC_ID,
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(encoding=Encoding.UTF16, text=[toc_title])],
        )
    )
    for element_id, mark in zip(ids, marks):
        sub_frames = [TIT2(encoding=Encoding.UTF16, text=[frame_text(mark.title)])]
        if mark.url:
            sub_frames.append(WXXX(encoding=Encoding.LATIN1, desc="", url=ascii_url(mark.url)))
        if mark.image:
            sub_frames.append(APIC(encoding=Encoding.LATIN1, mime=mark.image_mime or "image/jpeg", type=3, desc="", data=mark.image))
        tags.add(
            CHAP(
                element_id=element_id,
                start_time=round(mark.start_s * 1000),
                end_time=round((mark.end_s or mark.start_s) * 1000),
                start_offset=layout.NO_OFFSET,
                end_offset=layout.NO_OFFSET,
                sub_frames=sub_frames,
            )
        )
    warnings: list[str] = []
    if version == 3:
        warnings = _to_v23(tags)
        _settle_encodings(tags.values())
    tags.save(path, v2_version=version, v23_sep="/")
    return warnings


def _to_v23(tags: ID3) -> list[str]:
    """mutagen's v2.3 conversion, keeping what it would silently drop where v2.3 can hold it."""
    kept = [tags.pop(key) for key in _V24_KEPT if key in tags]
    for frame_id, name in _V24_TEXT_AS_TXXX.items():
        for frame in tags.getall(frame_id):
            tags.add(TXXX(encoding=Encoding.UTF16, desc=name, text=[str(t) for t in frame.text]))
    for frame in tags.getall("RVA2"):
        for replaygain in _replaygain_frames(frame):
            tags.add(replaygain)
    dropped = [f"{frame_id} ({what})" for frame_id, what in _V24_DROPPED.items() if tags.getall(frame_id)]
    dropped += [f"RVA2 '{f.desc}' (relative volume)" for f in tags.getall("RVA2") if not _replaygain_frames(f)]
    tags.update_to_v23()
    for frame in kept:
        tags.add(frame)
    return [f"the ID3v2.4 frame {what} has no ID3v2.3 form and was left out" for what in dropped]


def _replaygain_frames(rva2: RVA2) -> list[TXXX]:
    """An RVA2 frame for the track or album as the TXXX ReplayGain pair v2.3 taggers write."""
    kind = rva2.desc.lower()
    if kind not in ("track", "album"):
        return []
    return [
        TXXX(encoding=Encoding.LATIN1, desc=f"REPLAYGAIN_{kind.upper()}_GAIN", text=[f"{rva2.gain:+.2f} dB"]),
        TXXX(encoding=Encoding.LATIN1, desc=f"REPLAYGAIN_{kind.upper()}_PEAK", text=[f"{rva2.peak:.6f}"]),
    ]


def _settle_encodings(frames) -> None:
    """One encoding per text, chosen by its content, so that the next run writes the same bytes.

    Otherwise a date converted to TYER goes out as UTF-16, comes back from mutagen as Latin-1 and
    changes the file on the second run. ASCII stays Latin-1; anything else is UTF-16 (v2.3 has no UTF-8).
    """
    for frame in frames:
        if hasattr(frame, "sub_frames"):
            _settle_encodings(frame.sub_frames.values())
        if hasattr(frame, "encoding") and hasattr(frame, "text"):
            texts = list(frame.text) if isinstance(frame.text, list) else [frame.text]
            texts += [frame.desc] if hasattr(frame, "desc") else []
            frame.encoding = Encoding.LATIN1 if all(str(t).isascii() for t in texts) else Encoding.UTF16


def _check_written(path: Path, marks: Sequence[ChapterMark], expected_frames: str) -> None:
    """Read the temporary file back before it replaces anything."""
    found = read(path)
    got = [(m.title, round(m.start_s * 1000), round((m.end_s or 0) * 1000)) for m in found.marks]
    want = [(frame_text(m.title), round(m.start_s * 1000), round((m.end_s or 0) * 1000)) for m in marks]
    if got != want:
        raise TagError(f"{path}: chapters read back differ from those written")
    if audio.frames_hash(path) != expected_frames:
        raise TagError(f"{path}: audio frames changed while writing the tag")
