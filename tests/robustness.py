"""Counts kept by the robustness battery, printed at the end of `make test` (see conftest.py)."""

from collections import Counter

TALLY: Counter = Counter()


def record(kind: str, clear_errors: int = 0, intact: int = 0, tried: int = 1) -> None:
    TALLY[f"{kind}: tried"] += tried
    TALLY[f"{kind}: clear errors"] += clear_errors
    TALLY[f"{kind}: files intact"] += intact
