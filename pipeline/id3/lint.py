"""Every way the chapters in an MP3 (written by any tool) break a player we know of."""

from __future__ import annotations

from pathlib import Path

from mutagen import MutagenError
from mutagen.id3 import ID3, CTOCFlags, ID3NoHeaderError

from pipeline import audio
from pipeline.id3 import layout, read


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
        later = [n for n, tag in enumerate(read.stacked_after_the_first(path), start=2) if tag.getall("CHAP")]
        if later:
            return findings + [f"the chapters are in stacked tag {later[0]}, behind a first tag without them: most players read only the first"]
        return findings + ["no CHAP frames: the file has no chapters"]
    if tags.version[:2] == (2, 4):
        findings.append("ID3v2.4: ffmpeg drops chapters whose embedded frames are ≥128 bytes, Apple breaks on long titles; write v2.3")
    _, frames = layout.raw_frames(path)
    kinds = [f.frame_id for f in frames if f.frame_id in ("CHAP", "CTOC")]
    if kinds.count("CHAP") != len(chaps):
        findings.append("the tag's frame sizes do not add up: readers that walk the tag frame by frame lose the chapters after the damage")
    else:
        file_order = [layout.chap_start_ms(f) for f in frames if f.frame_id == "CHAP"]
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
    beyond = [chap for chap in ordered if chap.start_time / 1000 >= duration_s]
    if len(beyond) > 1:  # one cause, said once: the chapters are for a longer file
        findings.append(f"the audio ends at {duration_s:.3f} s but {len(beyond)} chapters start later: the file is truncated, or the chapters belong to a longer version")
    for number, chap in enumerate(ordered, start=1):
        label = f"chapter {number} ({chap.element_id})"
        titles = chap.sub_frames.getall("TIT2")
        if not titles or not "".join(titles[0].text).strip():
            findings.append(f"{label} has no title: players show its ID or number")
        if chap.end_time <= chap.start_time:
            findings.append(f"{label} ends before it starts: ffmpeg drops it")
        if chap.start_offset != layout.NO_OFFSET or chap.end_offset != layout.NO_OFFSET:
            findings.append(f"{label} has byte offsets set; they go stale when the tag changes size")
        if chap in beyond and len(beyond) == 1:
            where = "where the audio ends" if abs(chap.start_time / 1000 - duration_s) < 0.001 else f"after the audio ends ({duration_s:.3f} s)"
            findings.append(f"{label} starts at {chap.start_time / 1000:.3f} s, {where}: players skip it")
    for number, (chap, following) in enumerate(zip(ordered, ordered[1:]), start=1):
        if chap.end_time != following.start_time:
            findings.append(f"chapter {number} ends at {chap.end_time} ms but chapter {number + 1} starts at {following.start_time} ms")
    if abs(ordered[-1].end_time / 1000 - duration_s) > 1.0 and len(beyond) < 2:
        findings.append(f"the last chapter ends at {ordered[-1].end_time / 1000:.3f} s, the audio at {duration_s:.3f} s")
    return findings
