"""X.report.json, in the shape DESIGN.md fixes: one entry per shownote chapter, in shownote order."""

from __future__ import annotations

import json

from pipeline.align import Alignment


def build(*, audio_name: str, duration_s: float, language: str, model: str, alignment: Alignment, tolerance_s: float) -> dict:
    return {
        "audio": audio_name,
        "duration": round(duration_s, 3),
        "language": language,
        "model": model,
        "tolerance": tolerance_s,
        "offset": alignment.offset_s,
        "chapters": [
            {
                "title": v.chapter.title,
                "claimed": round(v.chapter.claimed_s, 3),
                "start": round(v.start_s, 3),
                "delta": v.delta_s,
                "status": v.status.value,
                "confidence": v.confidence,
                "evidence": v.evidence,
            }
            for v in alignment.verdicts
        ],
    }


def render(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
