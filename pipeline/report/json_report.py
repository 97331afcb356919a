"""X.report.json, in the shape DESIGN.md fixes: one entry per shownote chapter, in shownote order (after `chapters review`, without the chapters the producer deleted and with those they added at the end, `confirmed`)."""

from __future__ import annotations

import json

from pipeline.align import Alignment
from pipeline.model import Signals


def build(*, audio_name: str, duration_s: float, language: str, model: str, alignment: Alignment, tolerance_s: float) -> dict:
    return {
        "audio": audio_name,
        "duration": round(duration_s, 3),
        "language": language,
        "model": model,
        "tolerance": tolerance_s,
        "offset": alignment.offset_s,
        **({"proposed_as": alignment.proposed_as} if alignment.proposed_as else {}),
        "chapters": [
            {
                "title": v.chapter.title,
                "claimed": None if v.chapter.claimed_s is None else round(v.chapter.claimed_s, 3),  # None: listed without a time, or proposed
                "start": round(v.start_s, 3),
                "delta": v.delta_s,
                "status": v.status.value,
                "confidence": v.confidence,
                "evidence": v.evidence,
                **({"signals": signals(v.signals)} if v.signals else {}),
            }
            for v in alignment.verdicts
        ],
    }


def signals(found: Signals) -> dict:
    """What the verdict rests on: each signal with its score, and a line that says it in words."""
    return {
        "words": found.words,
        "sound": found.sound,
        "meaning": found.meaning,
        "meaning_rank": found.meaning_rank,
        "pause": found.pause_s,
        "question": found.question,
        "heard_again": found.heard_again,
        "voice_change": found.voice_change,
        "asker_voice": found.asker_voice,
        "topic_shift": found.topic_shift,
        "decided_by": decided_by(found),
    }


NEW_VOICE = 0.5  # a voice change (or a closeness to the asker's voice) this much above the episode's usual is worth naming


def decided_by(found: Signals) -> str:
    """"words 0.92 · sound 0.95 · meaning 0.41 (closest passage) · pause 2.3 s · a question"; for a
    proposed chapter (no title to compare: meaning_rank 0) "topic shift 1.8 · pause 2.3 s · …"."""
    if found.meaning_rank == 0:
        parts = [f"topic shift {found.topic_shift:.1f}", f"pause {found.pause_s:.1f} s"]
    else:
        rank = "closest passage" if found.meaning_rank == 1 else f"{_ordinal(found.meaning_rank)} closest"
        parts = [f"words {found.words:.2f}", f"sound {found.sound:.2f}", f"meaning {found.meaning:.2f} ({rank})", f"pause {found.pause_s:.1f} s"]
    if found.question:
        parts.append("a question")
    if found.voice_change >= NEW_VOICE:
        parts.append("a new voice")
    if found.asker_voice >= NEW_VOICE:
        parts.append("the asker's voice")
    if found.heard_again:
        parts.append("heard again")
    return " · ".join(parts)


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def render(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
