"""The one place that parses and formats chapter times."""

from __future__ import annotations

import re

# H:MM:SS, MM:SS or M:SS, optionally with a fraction (.5 or ,500)
TIMECODE = re.compile(r"(?:(?P<h>\d{1,2}):)?(?P<m>\d{1,3}):(?P<s>[0-5]\d)(?:[.,](?P<frac>\d{1,3}))?")


def parse(text: str) -> float:
    """Seconds from a time code such as "5:25", "1:02:03" or "00:05:25.250"."""
    match = TIMECODE.fullmatch(text.strip())
    if not match:
        raise ValueError(f"not a time code: {text!r}")
    return from_match(match)


def from_match(match: re.Match[str]) -> float:
    hours = int(match["h"] or 0)
    minutes = int(match["m"])
    if hours and minutes > 59:
        raise ValueError(f"minutes out of range in {match[0]!r}")
    frac = match["frac"]
    seconds = hours * 3600 + minutes * 60 + int(match["s"])
    return seconds + (int(frac) / 10 ** len(frac) if frac else 0.0)


def format_clock(seconds: float, *, always_hours: bool = False) -> str:
    """"5:25" or "1:02:03": the way producers write shownote times (whole seconds)."""
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours or always_hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def format_precise(seconds: float, sep: str = ".") -> str:
    """"00:05:25.250": fixed width with milliseconds (SRT uses sep=",")."""
    total_ms = int(round(seconds * 1000))
    hours, rest = divmod(total_ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{sep}{millis:03d}"
