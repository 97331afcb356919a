"""The tag's bytes as readers that walk frames see them (AntennaPod, ffmpeg), and the frame order they need.

mutagen writes frames sorted by size; players such as ffmpeg and mpv list chapters in file order.
So after mutagen has saved, the frame area is rewritten: other frames first, then the CTOC, then
the CHAP frames by start time. Same bytes, same size, only the order changes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from pipeline import audio
from pipeline.errors import TagError

NO_OFFSET = 0xFFFFFFFF  # CHAP byte offsets "not set": they go stale whenever the tag changes size


@dataclass(frozen=True)
class RawFrame:
    frame_id: str
    data: bytes  # header and body as the tag decodes: the file's bytes, unless the whole v2.3 tag is unsynchronised


def tag_header(head: bytes) -> tuple[int, int, int]:
    """(major version, flags, body size) of the ID3v2 header at the start of `head`."""
    if len(head) < 10 or head[:3] != b"ID3":
        raise ValueError("no ID3v2 tag")
    return head[3], head[5], audio.syncsafe(head[6:10])


def raw_frames(path: Path) -> tuple[int, list[RawFrame]]:
    """Top-level frames of the first ID3v2 tag, in file order, read the way AntennaPod does (a v2.3
    tag unsynchronised as a whole is read as it decodes: the frames' bytes, not the file's)."""
    with path.open("rb") as f:
        head = f.read(10)
        major, flags, size = tag_header(head)
        body = f.read(size)
    if flags & 0x80:
        if major != 3:
            return major, []  # v2.4 unsynchronises frame by frame: not walked here; mutagen reads it for lint
        body = body.replace(b"\xff\x00", b"\xff")  # undo the whole tag's unsynchronisation (ID3v2.3 §5)
    offset = 0
    if flags & 0x40:  # extended header
        offset = audio.syncsafe(body[:4]) if major == 4 else struct.unpack(">I", body[:4])[0] + 4
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


def chap_start_ms(frame: RawFrame) -> int:
    body = frame.data[10:]
    nul = body.find(b"\x00")
    if nul < 0 or len(body) < nul + 5:
        return -1  # a damaged CHAP: sorts first, and lint reports the damage through mutagen
    return struct.unpack(">I", body[nul + 1 : nul + 5])[0]


def put_chapters_in_time_order(path: Path) -> None:
    """Rewrite the frame area so that the CTOC and then the CHAP frames (by start) come last (our
    own freshly written tag: never unsynchronised, so its frames are the file's bytes)."""
    with path.open("rb") as f:
        if tag_header(f.read(10))[1] & 0x80:
            raise TagError("internal error: cannot reorder an unsynchronised tag")
    _major, frames = raw_frames(path)
    others = [f for f in frames if f.frame_id not in ("CHAP", "CTOC")]
    tocs = [f for f in frames if f.frame_id == "CTOC"]
    chapters = sorted((f for f in frames if f.frame_id == "CHAP"), key=chap_start_ms)
    ordered = b"".join(f.data for f in others + tocs + chapters)
    if len(ordered) != sum(len(f.data) for f in frames):
        raise TagError("internal error: reordering changed the tag size")
    with path.open("r+b") as f:
        f.seek(10)
        f.write(ordered)
