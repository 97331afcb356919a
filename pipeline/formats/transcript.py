"""Transcripts as word-level JSON, SRT, WebVTT and plain text, with cues cut at sentence ends and pauses."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pipeline.model import Transcript, Word
from pipeline.timecode import format_precise

MAX_CUE_WORDS = 16
MAX_CUE_S = 7.0
PAUSE_BREAK_S = 0.8
_SENTENCE_END = (".", "?", "!", "…", "。", "？", "！")


def to_json(transcript: Transcript) -> dict:
    return {
        "language": transcript.language,
        "duration": transcript.duration_s,
        "model": transcript.model,
        "words": [{"word": w.text, "start": w.start_s, "end": w.end_s, "probability": w.probability} for w in transcript.words],
    }


def from_json(data: dict) -> Transcript:
    words = tuple(
        Word(text=w["word"], start_s=float(w["start"]), end_s=float(w["end"]), probability=float(w.get("probability", 1.0)))
        for w in data["words"]
    )
    return Transcript(words=words, language=data["language"], duration_s=float(data["duration"]), model=data["model"])


def to_podcasting20(transcript: Transcript) -> dict:
    """The Podcasting 2.0 JSON transcript (podcast-namespace transcripts.md): one segment per cue."""
    return {
        "version": "1.0.0",
        "segments": [{"startTime": round(start, 3), "endTime": round(end, 3), "body": text} for start, end, text in cues(transcript.words)],
    }


def cues(words: Sequence[Word]) -> Iterator[tuple[float, float, str]]:
    """Subtitle cues: a sentence each, split further at long pauses or when too long to read."""
    current: list[Word] = []
    for word in words:
        if current and (
            word.start_s - current[-1].end_s >= PAUSE_BREAK_S
            or len(current) >= MAX_CUE_WORDS
            or word.end_s - current[0].start_s > MAX_CUE_S
        ):
            yield _cue(current)
            current = []
        current.append(word)
        if word.text.endswith(_SENTENCE_END):
            yield _cue(current)
            current = []
    if current:
        yield _cue(current)


def _cue(words: Sequence[Word]) -> tuple[float, float, str]:
    return words[0].start_s, words[-1].end_s, " ".join(w.text for w in words)


def to_srt(transcript: Transcript) -> str:
    blocks = [
        f"{n}\n{format_precise(start, ',')} --> {format_precise(end, ',')}\n{text}\n"
        for n, (start, end, text) in enumerate(cues(transcript.words), start=1)
    ]
    return "\n".join(blocks)


def to_vtt(transcript: Transcript) -> str:
    blocks = [f"{format_precise(start)} --> {format_precise(end)}\n{_vtt_escape(text)}\n" for start, end, text in cues(transcript.words)]
    return "WEBVTT\n\n" + "\n".join(blocks)


def _vtt_escape(text: str) -> str:
    # "-->" would end the cue timing line's meaning; & and < start entities and tags
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_text(transcript: Transcript, paragraph_pause_s: float = 2.0) -> str:
    """Plain text, one paragraph per stretch of speech without a long pause."""
    paragraphs: list[list[str]] = [[]]
    previous_end = None
    for word in transcript.words:
        if previous_end is not None and word.start_s - previous_end >= paragraph_pause_s and paragraphs[-1]:
            paragraphs.append([])
        paragraphs[-1].append(word.text)
        previous_end = word.end_s
    return "\n\n".join(" ".join(p) for p in paragraphs if p) + "\n"
