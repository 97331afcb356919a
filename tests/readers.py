"""Chapter readers that share no code with pipeline/: how ffmpeg, eyeD3 and AntennaPod see a file."""

from __future__ import annotations

import re
import struct
import subprocess
from pathlib import Path

from conftest import FFMPEG


def ffmpeg_chapters(path: Path) -> list[tuple[str, int, int]]:
    """(title, start ms, end ms) in the order ffmpeg lists them; ffmpeg must print no complaint."""
    result = subprocess.run([FFMPEG, "-v", "error", "-i", str(path), "-f", "ffmetadata", "-"], capture_output=True, check=True)
    assert result.stderr.decode().strip() == "", result.stderr.decode()
    chapters, current = [], None
    for line in result.stdout.decode("utf-8").splitlines():
        if line == "[CHAPTER]":
            current = {}
            chapters.append(current)
        elif current is not None and "=" in line:
            key, value = line.split("=", 1)
            current[key] = re.sub(r"\\(.)", r"\1", value)  # ffmetadata escapes = ; # \ with a backslash
    for chapter in chapters:
        assert chapter["TIMEBASE"] == "1/1000"
    return [(c.get("title", ""), int(c["START"]), int(c["END"])) for c in chapters]


def ffmpeg_audio_md5(path: Path) -> str:
    result = subprocess.run(
        [FFMPEG, "-v", "error", "-i", str(path), "-map", "0:a", "-c", "copy", "-f", "md5", "-"], capture_output=True, check=True
    )
    return result.stdout.decode().strip()


def eyed3_chapters(path: Path):
    """(chapters as (title, start, end), top-level toc as (title, ordered, child ids)) via eyeD3's API."""
    import eyed3

    eyed3.log.setLevel("ERROR")
    tag = eyed3.load(str(path)).tag
    chapters = sorted(((c.title or "", c.times.start, c.times.end, c.element_id) for c in tag.chapters), key=lambda c: c[1])
    tocs = [t for t in tag.table_of_contents if t.toplevel]
    toc = (tocs[0].description, tocs[0].ordered, [c.decode("latin-1") for c in tocs[0].child_ids]) if len(tocs) == 1 else None
    return [c[:3] for c in chapters], toc


def _syncsafe(data: bytes) -> int:
    return (data[0] << 21) | (data[1] << 14) | (data[2] << 7) | data[3]


def _text(data: bytes) -> str:
    encoding, body = data[0], data[1:]
    if encoding == 0:
        return body.split(b"\0", 1)[0].decode("latin-1")
    if encoding == 3:
        return body.split(b"\0", 1)[0].decode("utf-8")
    codec = "utf-16" if encoding == 1 else "utf-16-be"
    for i in range(0, len(body) - 1, 2):  # terminator: two NUL bytes on a code unit boundary
        if body[i : i + 2] == b"\0\0":
            body = body[:i]
            break
    return body.decode(codec)


def antennapod_chapters(path: Path) -> list[tuple[str, int]]:
    """AntennaPod's rules: only the tag at the very start, stop at padding, CTOC and end times ignored,
    sorted by start, the chapter number shown when there is no title."""
    data = path.read_bytes()
    if data[:3] != b"ID3":
        return []
    major, size = data[3], _syncsafe(data[6:10])
    body, offset, found = data[10 : 10 + size], 0, []
    while offset + 10 <= len(body) and body[offset] != 0:
        frame_id = body[offset : offset + 4]
        raw = body[offset + 4 : offset + 8]
        frame_size = _syncsafe(raw) if major == 4 else struct.unpack(">I", raw)[0]
        frame = body[offset + 10 : offset + 10 + frame_size]
        offset += 10 + frame_size
        if frame_id != b"CHAP":
            continue
        nul = frame.index(b"\0")
        start = struct.unpack(">I", frame[nul + 1 : nul + 5])[0]
        sub, title = frame[nul + 17 :], None
        while len(sub) >= 10 and sub[0] != 0:
            sub_size = _syncsafe(sub[4:8]) if major == 4 else struct.unpack(">I", sub[4:8])[0]
            if sub[:4] == b"TIT2":
                title = _text(sub[10 : 10 + sub_size])
            sub = sub[10 + sub_size :]
        found.append((title, start))
    found.sort(key=lambda c: c[1])
    return [(title if title else str(number), start) for number, (title, start) in enumerate(found, start=1)]
