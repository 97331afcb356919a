"""ID3v2 chapters (id3v2-chapters-1.0) that every player reads: the only module that writes tags.

What players need, and where mutagen's defaults differ (see shared/reference/id3-chapters.md):
ID3v2.3 for the whole tag; CHAP frames in time order in the file with the CTOC before them (mutagen
sorts by size); one top-level ordered CTOC with a title; a title in every CHAP; end = next start and
last end = duration; byte offsets 0xFFFFFFFF. Writes go to a temporary file that is checked and
then renamed over the destination, so a recording is never left half-written.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import io
import os
import shutil
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mutagen.id3 import APIC, CHAP, CTOC, ID3, TIT2, WXXX, CTOCFlags, Encoding, ID3NoHeaderError
from mutagen import MutagenError

from pipeline import audio, images
from pipeline.errors import InputError, OutputError, TagError
from pipeline.model import ChapterMark

NO_OFFSET = 0xFFFFFFFF
MAX_CHAPTERS = 255  # CTOC stores its entry count in one byte
TOC_ID = "toc"


@dataclass(frozen=True)
class EmbeddedChapters:
    marks: tuple[ChapterMark, ...]  # in time order
    toc_title: str | None
    version: tuple[int, int]


def chapter_ids(count: int) -> list[str]:
    return [f"chp{i}" for i in range(count)]


def validate(marks: Sequence[ChapterMark], duration_s: float) -> None:
    """Refuse a chapter list that players would show wrongly or drop."""
    if not marks:
        raise TagError("no chapters to write")
    if len(marks) > MAX_CHAPTERS:
        raise TagError(f"{len(marks)} chapters: ID3 allows at most {MAX_CHAPTERS} in one table of contents")
    for index, mark in enumerate(marks, start=1):
        if not mark.title.strip():
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


def write(
    source: Path,
    destination: Path,
    marks: Sequence[ChapterMark],
    *,
    duration_s: float,
    toc_title: str,
    version: int = 3,
    frames_sha256: str | None = None,
) -> None:
    """Copy `source` to `destination` with exactly these chapters (replacing any), atomically.

    `frames_sha256`: the hash of the audio the chapters were found in, when the caller has it; the
    written file must carry exactly that audio (computed here otherwise).
    """
    validate(marks, duration_s)
    if destination.exists() and not _writable(destination):
        raise OutputError(f"{destination}: file is read-only")
    full = with_ends(marks, duration_s)
    with _exclusive(source):
        _remove_stale_temps(destination)
        _write_atomically(source, destination, full, toc_title=toc_title, version=version, expected_frames=frames_sha256 or audio.frames_hash(source))


def _write_atomically(source: Path, destination: Path, full: Sequence[ChapterMark], *, toc_title: str, version: int, expected_frames: str) -> None:
    temp = _temp_name(destination, os.getpid())
    try:
        merged = _copy_with_one_tag(source, temp)
        _write_tag(temp, full, toc_title=toc_title or "Chapters", version=version, merged_frames=merged)
        _put_chapters_in_time_order(temp)
        _check_written(temp, full, expected_frames)
        _fsync(temp)
        if destination.exists():
            shutil.copymode(destination, temp)
        os.replace(temp, destination)
        _fsync_dir(destination.parent)
    except OSError as exc:
        raise OutputError(f"{destination}: cannot write ({exc.strerror or exc})") from None
    finally:
        temp.unlink(missing_ok=True)


def _temp_name(destination: Path, pid: int) -> Path:
    return destination.with_name(f".{destination.name}.{pid}.tmp")


def _writable(path: Path) -> bool:
    # root may write anything; a file without write bits is still meant to be left alone
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)


@contextlib.contextmanager
def _exclusive(source: Path):
    """One writer per recording at a time: a second run is refused, not interleaved."""
    with source.open("rb") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"{source}: another chapters run is writing this file; try again when it has finished") from None
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _remove_stale_temps(destination: Path) -> None:
    """Temporary files left by a run that was killed (its process is gone)."""
    for temp in destination.parent.glob(f".{glob.escape(destination.name)}.*.tmp"):
        pid = temp.name[len(destination.name) + 2 : -4]
        if pid.isdigit() and not _alive(int(pid)):
            temp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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


def _write_tag(path: Path, marks: Sequence[ChapterMark], *, toc_title: str, version: int, merged_frames: Sequence = ()) -> None:
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
        sub_frames = [TIT2(encoding=Encoding.UTF16, text=[mark.title])]
        if mark.url:
            sub_frames.append(WXXX(encoding=Encoding.LATIN1, desc="", url=mark.url))
        if mark.image:
            sub_frames.append(APIC(encoding=Encoding.LATIN1, mime=mark.image_mime or "image/jpeg", type=3, desc="", data=mark.image))
        tags.add(
            CHAP(
                element_id=element_id,
                start_time=round(mark.start_s * 1000),
                end_time=round((mark.end_s or mark.start_s) * 1000),
                start_offset=NO_OFFSET,
                end_offset=NO_OFFSET,
                sub_frames=sub_frames,
            )
        )
    if version == 3:
        tags.update_to_v23()
        _settle_encodings(tags.values())
    tags.save(path, v2_version=version, v23_sep="/")


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


# -- raw frame layout --------------------------------------------------------------------------


@dataclass(frozen=True)
class RawFrame:
    frame_id: str
    data: bytes  # header and body, exactly as in the file


def _tag_header(head: bytes) -> tuple[int, int, int]:
    """(major version, flags, body size) of the ID3v2 header at the start of `head`."""
    if len(head) < 10 or head[:3] != b"ID3":
        raise ValueError("no ID3v2 tag")
    return head[3], head[5], audio.syncsafe(head[6:10])


def raw_frames(path: Path) -> tuple[int, list[RawFrame]]:
    """Top-level frames of the first ID3v2 tag, in file order, read the way AntennaPod does."""
    with path.open("rb") as f:
        head = f.read(10)
        major, flags, size = _tag_header(head)
        body = f.read(size)
    if flags & 0x80:
        return major, []  # unsynchronised tags are not walked here; mutagen reads them for lint
    offset = 0
    if flags & 0x40:  # extended header
        offset = (audio.syncsafe(body[:4]) if major == 4 else struct.unpack(">I", body[:4])[0] + 4)
    frames = []
    while offset + 10 <= len(body) and body[offset] != 0:
        frame_id = body[offset : offset + 4].decode("latin-1")
        raw_size = body[offset + 4 : offset + 8]
        frame_size = audio.syncsafe(raw_size) if major == 4 else struct.unpack(">I", raw_size)[0]
        end = offset + 10 + frame_size
        if end > len(body):
            break
        frames.append(RawFrame(frame_id, body[offset:end]))
        offset = end
    return major, frames


def _chap_start_ms(frame: RawFrame) -> int:
    body = frame.data[10:]
    nul = body.find(b"\x00")
    if nul < 0 or len(body) < nul + 5:
        return -1  # a damaged CHAP: sorts first, and lint reports the damage through mutagen
    return struct.unpack(">I", body[nul + 1 : nul + 5])[0]


def _put_chapters_in_time_order(path: Path) -> None:
    """Rewrite the frame area so that the CTOC and then the CHAP frames (by start) come last.

    Same bytes, same total size, only the order changes; done on the temporary copy.
    """
    major, frames = raw_frames(path)
    others = [f for f in frames if f.frame_id not in ("CHAP", "CTOC")]
    tocs = [f for f in frames if f.frame_id == "CTOC"]
    chapters = sorted((f for f in frames if f.frame_id == "CHAP"), key=_chap_start_ms)
    ordered = b"".join(f.data for f in others + tocs + chapters)
    if len(ordered) != sum(len(f.data) for f in frames):
        raise TagError("internal error: reordering changed the tag size")
    with path.open("r+b") as f:
        f.seek(10)
        f.write(ordered)


def _check_written(path: Path, marks: Sequence[ChapterMark], expected_frames: str) -> None:
    """Read the temporary file back before it replaces anything."""
    found = read(path)
    got = [(m.title, round(m.start_s * 1000), round((m.end_s or 0) * 1000)) for m in found.marks]
    want = [(m.title, round(m.start_s * 1000), round((m.end_s or 0) * 1000)) for m in marks]
    if got != want:
        raise TagError(f"{path}: chapters read back differ from those written")
    if audio.frames_hash(path) != expected_frames:
        raise TagError(f"{path}: audio frames changed while writing the tag")


def _fsync(path: Path) -> None:
    with path.open("rb") as f:
        os.fsync(f.fileno())


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems do not sync folders; the rename itself is still atomic
    finally:
        os.close(fd)


# -- reading -----------------------------------------------------------------------------------


def read(path: Path) -> EmbeddedChapters:
    """Chapters embedded in `path`, in time order, with the top-level CTOC's title."""
    try:
        tags = ID3(path)
    except ID3NoHeaderError:
        return EmbeddedChapters(marks=(), toc_title=None, version=(0, 0))
    except MutagenError as exc:
        raise InputError(f"{path}: unreadable ID3 tag ({exc})") from None
    chaps = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    marks = tuple(_mark_from_chap(c) for c in chaps)
    toc_title = None
    for toc in tags.getall("CTOC"):
        if toc.flags & CTOCFlags.TOP_LEVEL:
            titles = toc.sub_frames.getall("TIT2")
            toc_title = str(titles[0].text[0]) if titles and titles[0].text else None
            break
    return EmbeddedChapters(marks=marks, toc_title=toc_title, version=tags.version[:2])


def _mark_from_chap(chap: CHAP) -> ChapterMark:
    titles = chap.sub_frames.getall("TIT2")
    title = str(titles[0].text[0]) if titles and titles[0].text else ""
    links = chap.sub_frames.getall("WXXX")
    images = chap.sub_frames.getall("APIC")
    return ChapterMark(
        title=title,
        start_s=chap.start_time / 1000,
        end_s=chap.end_time / 1000,
        url=links[0].url if links else None,
        image=images[0].data if images else None,
        image_mime=images[0].mime if images else None,
    )


# -- lint ---------------------------------------------------------------------------------------


def lint(path: Path, duration_s: float) -> list[str]:
    """Every way the chapters in `path` (written by any tool) break a player we know of."""
    findings: list[str] = []
    region = audio.audio_region(path)
    if region.id3v2_tags > 1:
        findings.append(f"{region.id3v2_tags} ID3v2 tags stacked at the start: ffmpeg reads them all, most players only the first")
    try:
        tags = ID3(path)
    except ID3NoHeaderError:
        return findings + ["no ID3v2 tag, so no chapters"]
    except MutagenError as exc:
        return findings + [f"unreadable ID3 tag ({exc})"]
    chaps = tags.getall("CHAP")
    tocs = tags.getall("CTOC")
    if not chaps:
        return findings + ["no CHAP frames: the file has no chapters"]
    if tags.version[:2] == (2, 4):
        findings.append("ID3v2.4: ffmpeg drops chapters whose embedded frames are ≥128 bytes, Apple breaks on long titles; write v2.3")
    _, frames = raw_frames(path)
    kinds = [f.frame_id for f in frames if f.frame_id in ("CHAP", "CTOC")]
    if kinds.count("CHAP") != len(chaps):
        findings.append("the tag's frame sizes are damaged: readers that walk frames (AntennaPod, ffmpeg) lose chapters")
    else:
        file_order = [_chap_start_ms(f) for f in frames if f.frame_id == "CHAP"]
        if file_order != sorted(file_order):
            findings.append("CHAP frames are not in time order in the file: ffmpeg and mpv list chapters shuffled")
        if "CTOC" in kinds and kinds.index("CTOC") > kinds.index("CHAP"):
            findings.append("the CTOC comes after CHAP frames; put the table of contents first")
    top = [t for t in tocs if t.flags & CTOCFlags.TOP_LEVEL]
    if not tocs:
        findings.append("no CTOC: Overcast and Apple show no chapter navigation without a table of contents")
    elif len(top) != 1:
        findings.append(f"{len(top)} top-level CTOC frames; there must be exactly one")
    else:
        toc = top[0]
        if not toc.flags & CTOCFlags.ORDERED:
            findings.append("the top-level CTOC is not marked ordered")
        if not [t for t in toc.sub_frames.getall("TIT2") if "".join(t.text).strip()]:
            findings.append("the top-level CTOC has no title (TIT2); Apple needs one")
        ids = {c.element_id for c in chaps}
        listed = set(toc.child_element_ids)
        if ids - listed:
            findings.append(f"{len(ids - listed)} chapter(s) missing from the CTOC")
        if listed - ids - {t.element_id for t in tocs}:
            findings.append("the CTOC lists element IDs that do not exist")
    ordered = sorted(chaps, key=lambda c: c.start_time)
    for number, chap in enumerate(ordered, start=1):
        label = f"chapter {number} ({chap.element_id})"
        titles = chap.sub_frames.getall("TIT2")
        if not titles or not "".join(titles[0].text).strip():
            findings.append(f"{label} has no title: players show its ID or number")
        if chap.end_time <= chap.start_time:
            findings.append(f"{label} ends before it starts: ffmpeg drops it")
        if chap.start_offset != NO_OFFSET or chap.end_offset != NO_OFFSET:
            findings.append(f"{label} has byte offsets set; they go stale when the tag changes size")
        if chap.start_time / 1000 >= duration_s:
            findings.append(f"{label} starts at {chap.start_time / 1000:.3f} s, after the audio ends ({duration_s:.3f} s)")
    for number, (chap, following) in enumerate(zip(ordered, ordered[1:]), start=1):
        if chap.end_time != following.start_time:
            findings.append(f"chapter {number} ends at {chap.end_time} ms but chapter {number + 1} starts at {following.start_time} ms")
    if abs(ordered[-1].end_time / 1000 - duration_s) > 1.0:
        findings.append(f"the last chapter ends at {ordered[-1].end_time / 1000:.3f} s, the audio at {duration_s:.3f} s")
    return findings


def episode_title(path: Path) -> str | None:
    """The file's own title (TIT2), used to name the table of contents."""
    try:
        tags = ID3(path)
    except MutagenError:
        return None
    frames = tags.getall("TIT2")
    title = str(frames[0].text[0]).strip() if frames and frames[0].text else ""
    return title or None
