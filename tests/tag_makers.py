"""MP3s tagged the ways other tools tag them, for the tests of reading, linting, showing, writing and fixing chapters."""

from __future__ import annotations

import subprocess

from mutagen.id3 import CHAP, CTOC, ID3, TIT2, CTOCFlags

from conftest import FFMPEG, make_mp3
from pipeline import audio


def tagged(path, chapters, *, version=3):
    tags = ID3()
    ids = [f"c{n}" for n in range(len(chapters))]
    for element, (title, start, end) in zip(ids, chapters):
        tags.add(CHAP(element_id=element, start_time=start, end_time=end, sub_frames=[TIT2(encoding=3, text=[title])]))
    tags.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED, child_element_ids=ids, sub_frames=[TIT2(encoding=3, text=["Folge"])]))
    tags.save(path, v2_version=version)
    return path


def behind_a_plain_tag(mp3, *, title="Titel", version=3):
    """The file's tag (with its chapters) moved behind a first tag that has only a title: two
    ID3v2 tags back to back (ffmpeg reads both, most players only the first)."""
    data = mp3.read_bytes()
    region = audio.audio_region(mp3)
    plain = ID3()
    plain.add(TIT2(encoding=3, text=[title]))
    first = mp3.with_name("first-tag.mp3")
    first.write_bytes(data[region.start :])
    plain.save(first, v2_version=version)
    mp3.write_bytes(first.read_bytes()[: audio.audio_region(first).start] + data)
    first.unlink()
    return mp3


def unsynchronise(mp3):
    """Unsynchronise the file's v2.3 tag as a whole (ID3v2.3 §5): a zero after every 0xFF that the
    next byte would make look like an MPEG sync."""
    data = mp3.read_bytes()
    start = audio.audio_region(mp3).start
    body = data[10:start]
    unsynced = bytearray()
    for i, byte in enumerate(body):
        unsynced.append(byte)
        if byte == 0xFF and (i + 1 == len(body) or body[i + 1] >= 0xE0 or body[i + 1] == 0):
            unsynced.append(0)
    assert len(unsynced) > len(body)  # the CHAP frames' unset byte offsets (0xFFFFFFFF) need it
    size = len(unsynced)
    header = data[:5] + bytes([data[5] | 0x80]) + bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
    mp3.write_bytes(header + bytes(unsynced) + data[start:])
    return mp3


def ffmpeg_written(folder, seconds, chapters):
    """An MP3 whose chapters ffmpeg wrote (its ID3v2.4 tag, an untitled CTOC): (title, start ms, end ms)."""
    meta = folder / "meta.txt"
    meta.write_text(";FFMETADATA1\n" + "".join(f"[CHAPTER]\nTIMEBASE=1/1000\nSTART={start}\nEND={end}\ntitle={title}\n" for title, start, end in chapters))
    source = make_mp3(folder / "src.mp3", seconds)
    out = folder / "ffmpeg.mp3"
    subprocess.run([FFMPEG, "-v", "error", "-i", str(source), "-i", str(meta), "-map_metadata", "1", "-map_chapters", "1", "-c", "copy", str(out)], check=True)
    return out
