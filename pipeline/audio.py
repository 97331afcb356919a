"""Reading the MP3: where its audio frames are, their hash, the decoded samples and their loudness."""

from __future__ import annotations

import hashlib
import os
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.errors import AudioError

SAMPLE_RATE = 16_000  # what Whisper expects
FRAME_S = 0.01  # loudness envelope resolution
_MPEG_SYNC = 0xFFE0


@dataclass(frozen=True)
class AudioRegion:
    """Byte range of the audio frames: everything between leading ID3v2 tags and trailing tags."""

    start: int
    end: int
    id3v2_tags: int  # how many ID3v2 tags are stacked at the start (more than one is trouble)


@dataclass(frozen=True)
class DecodedAudio:
    samples: np.ndarray  # mono 16-bit PCM at SAMPLE_RATE: half the memory of float (3 h: 345 MB)
    loudness_db: np.ndarray  # RMS level per FRAME_S frame, dBFS

    @property
    def duration_s(self) -> float:
        return len(self.samples) / SAMPLE_RATE

    def seconds(self, start_s: float, end_s: float) -> np.ndarray:
        """A stretch as the float32 samples Whisper takes; only this stretch is converted."""
        start, end = max(0, int(start_s * SAMPLE_RATE)), max(0, int(end_s * SAMPLE_RATE))
        return self.samples[start:end].astype(np.float32) / 32768.0


def check_readable(path: Path) -> None:
    """Raise AudioError with a plain reason unless `path` is an existing, non-empty file."""
    if not path.exists():
        raise AudioError(f"{path}: no such file")
    if path.is_dir():
        raise AudioError(f"{path}: is a folder, not an MP3 file")
    if not os.access(path, os.R_OK):
        raise AudioError(f"{path}: not readable (permission denied)")
    if path.stat().st_size == 0:
        raise AudioError(f"{path}: empty file")


def audio_region(path: Path) -> AudioRegion:
    """Locate the MPEG frames, skipping stacked ID3v2 tags in front and ID3v1/APEv2 tags behind."""
    size = path.stat().st_size
    with path.open("rb") as f:
        spans = _id3v2_spans(f)
        start, tags = sum(length for _, length in spans), len(spans)
        end = size
        if end - start >= 128:
            f.seek(end - 128)
            if f.read(3) == b"TAG":
                end -= 128
        if end - start >= 32:
            f.seek(end - 32)
            footer = f.read(32)
            if footer[:8] == b"APETAGEX":
                tag_size, flags = struct.unpack("<I4xI", footer[12:24])[0], struct.unpack("<I", footer[20:24])[0]
                has_header = bool(flags & 0x80000000)
                end -= tag_size + (32 if has_header else 0)
    if end <= start:
        raise AudioError(f"{path}: contains tags but no audio")
    return AudioRegion(start=start, end=end, id3v2_tags=tags)


def stacked_tags(path: Path) -> list[bytes]:
    """Each ID3v2 tag stacked at the start of the file, whole (header, body, footer), in file order."""
    with path.open("rb") as f:
        tags = []
        for start, length in _id3v2_spans(f):
            f.seek(start)
            tags.append(f.read(length))
        return tags


def _id3v2_spans(f) -> list[tuple[int, int]]:
    """(offset, length) of each ID3v2 tag stacked at the start of the open file, in file order."""
    spans, start = [], 0
    while True:
        f.seek(start)
        header = f.read(10)
        if len(header) < 10 or header[:3] != b"ID3":
            return spans
        spans.append((start, id3v2_tag_size(header)))
        start += spans[-1][1]


def syncsafe(four: bytes) -> int:
    """An ID3v2 size: 7 bits per byte."""
    return (four[0] << 21) | (four[1] << 14) | (four[2] << 7) | four[3]


def id3v2_tag_size(header: bytes) -> int:
    """Bytes taken by the ID3v2 tag whose 10-byte header this is: header, body and any footer."""
    return 10 + syncsafe(header[6:10]) + (10 if header[5] & 0x10 else 0)


def frames_hash(path: Path) -> str:
    """SHA-256 of the audio frames only: writing chapters changes the tag, never this hash."""
    region = audio_region(path)
    digest = hashlib.sha256()
    with path.open("rb") as f:
        f.seek(region.start)
        remaining = region.end - region.start
        while remaining:
            block = f.read(min(1 << 20, remaining))
            if not block:
                break
            digest.update(block)
            remaining -= len(block)
    return digest.hexdigest()


def check_is_mp3(path: Path) -> None:
    """Refuse anything whose first audio bytes are not an MPEG audio frame, naming what it is instead."""
    check_readable(path)
    region = audio_region(path)
    with path.open("rb") as f:
        f.seek(region.start)
        head = f.read(4096)
    kind = _sniff_other_format(head)
    if kind:
        raise AudioError(f"{path}: is {kind}, not MP3")
    sync = head.find(b"\xff")
    while sync != -1 and sync + 1 < len(head):
        if (head[sync] << 8 | head[sync + 1]) & _MPEG_SYNC == _MPEG_SYNC and (head[sync + 1] >> 1) & 0x3:
            return
        sync = head.find(b"\xff", sync + 1)
    raise AudioError(f"{path}: not an MP3 file (no MPEG audio frame found)")


def _sniff_other_format(head: bytes) -> str | None:
    signatures = {
        b"RIFF": "WAV audio",
        b"fLaC": "FLAC audio",
        b"OggS": "Ogg audio",
        b"FORM": "AIFF audio",
        b"%PDF": "a PDF document",
        b"PK\x03\x04": "a ZIP archive",
        b"\x89PNG": "a PNG image",
    }
    for magic, name in signatures.items():
        if head.startswith(magic):
            return name
    if head[4:8] == b"ftyp":
        return "MP4/M4A audio"
    if head and all(32 <= b < 127 or b in (9, 10, 13) for b in head[:512]):
        return "a text file"
    return None


def decode(path: Path) -> DecodedAudio:
    """Decode the whole MP3 once, to mono 16 kHz 16-bit samples, with its loudness envelope."""
    import av  # PyAV comes with faster-whisper; imported here so that `--help` stays fast

    check_is_mp3(path)
    chunks: list[np.ndarray] = []
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioError(f"{path}: has no audio stream")
            resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
            for frame in _frames_tolerating_damage(container):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1))
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except av.error.FFmpegError as exc:
        raise AudioError(f"{path}: cannot decode MP3 ({exc.strerror or exc})") from None
    if not chunks:
        raise AudioError(f"{path}: no decodable audio")
    samples = np.concatenate(chunks).astype(np.int16, copy=False)
    del chunks
    if len(samples) < SAMPLE_RATE // 10:
        raise AudioError(f"{path}: less than 0.1 s of audio")
    return DecodedAudio(samples=samples, loudness_db=loudness_envelope(samples))


def _frames_tolerating_damage(container):
    """Audio frames in order; a damaged frame in the middle is skipped (players do the same)."""
    import av

    stream = container.streams.audio[0]
    shape = None  # (rate, channels) of the first good frame; a damaged header may claim another
    for packet in container.demux(stream):
        try:
            frames = packet.decode()
        except av.error.InvalidDataError:
            continue
        for frame in frames:
            current = (frame.sample_rate, len(frame.layout.channels))
            shape = shape or current
            if current == shape:
                yield frame


def published_duration_s(path: Path, decoded_s: float) -> float:
    """The duration players show: the Xing/Info header's when it agrees with decoding, else decoding's.

    A VBR file without a Xing header makes header-based readers guess from the first frame's bitrate
    (seen: 10.3 s for a 30 s file); the decoded length is the truth then.
    """
    from mutagen import MutagenError
    from mutagen.mp3 import MP3

    try:
        header_s = MP3(path).info.length
    except (MutagenError, OSError):
        return decoded_s
    return header_s if abs(header_s - decoded_s) <= 0.5 else decoded_s


def header_duration_s(path: Path) -> float | None:
    """The length the MP3's own headers give, without decoding: the Xing/Info or VBRI header's frame
    count, else the MPEG frames counted one by one (mutagen parses each header); None when no frame
    begins where the audio should."""
    from mutagen.mp3 import HeaderNotFoundError, MPEGFrame

    region = audio_region(path)
    with path.open("rb") as f:
        f.seek(region.start)
        try:
            first = MPEGFrame(f)
        except HeaderNotFoundError:
            return None
        if not first.sketchy and getattr(first, "length", 0) > 0:
            return float(first.length)
        per_frame = 384 if first.layer == 1 else 576 if first.version >= 2 and first.layer == 3 else 1152
        f.seek(region.start)
        frames = 0
        while f.tell() < region.end:
            try:
                MPEGFrame(f)
            except HeaderNotFoundError:
                break
            frames += 1
    return frames * per_frame / first.sample_rate


def loudness_envelope(samples: np.ndarray) -> np.ndarray:
    """RMS level in dBFS for each 10 ms frame of 16-bit samples, a minute at a time (memory stays flat)."""
    hop = int(SAMPLE_RATE * FRAME_S)
    frames = samples[: len(samples) // hop * hop].reshape(-1, hop)
    levels = np.empty(len(frames), dtype=np.float32)
    block = 6000  # frames: one minute
    for start in range(0, len(frames), block):
        part = frames[start : start + block].astype(np.float64) / 32768.0
        levels[start : start + block] = 20 * np.log10(np.maximum(np.sqrt(np.mean(part**2, axis=1)), 1e-5))
    return levels
