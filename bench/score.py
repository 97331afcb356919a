"""Scoring verdicts against a truth file (the format of the shared samples' truth.json)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from pipeline.model import Status, Verdict

TOLERANCE_S = 2.0  # the alignment's tolerance on every bench run: a claimed time this close to the pause is right
# Held-out episodes (bench/heldout/) read while the alignment was developed: their figures no longer
# say how it does on an episode it has never met. h01–h06 prompted the offset levels, h07–h12 were read
# at several benches, h13–h18 were written unread and first read, then diagnosed, while placing untimed
# lists; h19–h24 were written unread, read once at the end of that session, and then looked at while
# weighing what a chapter holds; h25–h30 and h31–h36 were written unread, each read once for the final
# figures of one change, and then both looked at while choosing the cost of short proposed chapters;
# h37–h42 (that cost, flagging unsure placements) and h43–h48 (the same code again) likewise, and
# then looked at while choosing one proposed chapter per turn of the host; h49–h54 (one chapter per
# turn, placed lists) were read twice, then once more as the baseline of a new machine, on which the
# listed Intro's welcome was chosen with every episode above. The part after them was written unread
# and read once, for the final figures of the change it was written for (README, "Benchmark"):
# h55–h60 for the listed Intro's welcome, then looked at in the next session with all the others;
# h61–h66 for that session's change (loops decoded again, the welcome and goodbye), then looked at
# with all the others; h67–h72 for the change after it (the follow-up cost), read twice and then
# diagnosed; h73–h78, written after that, for the same code once more.
READ_DURING_DEVELOPMENT = tuple(f"h{number:02d}" for number in range(1, 73))
DEVELOPMENT_PART = "held-out, read during development (h01–h72)"  # reported, but no target is judged on it
READ_ONCE = {  # label: the episodes' first three characters
    "held-out, read once (h73–h78)": tuple(f"h{number:02d}" for number in range(73, 79)),
}


def held_out_parts(names) -> dict[str, list[str]]:
    """The held-out episode names by how they were read, and all of them."""
    names = list(names)
    parts = {DEVELOPMENT_PART: [n for n in names if n.startswith(READ_DURING_DEVELOPMENT)]}
    parts |= {label: [n for n in names if n.startswith(prefixes)] for label, prefixes in READ_ONCE.items()}
    return parts | {"held-out, all": names}


@dataclass(frozen=True)
class ChapterScore:
    title: str
    expected: str
    status: str
    error_s: float | None  # distance of the published start from the true pause; None for cut chapters
    confidence: float

    @property
    def verdict_right(self) -> bool:
        return self.expected == self.status

    @property
    def false_correction(self) -> bool:
        return self.status == Status.CORRECTED.value and (self.expected != "corrected" or (self.error_s or 0) > 2.0)

    @property
    def missing_at_claim(self) -> bool:
        """The question is said at the time the producer wrote, and we call it missing."""
        return self.expected == "verified" and self.status == Status.MISSING.value


def expected_statuses(truth: dict, tolerance_s: float) -> list[str]:
    if "expected" in truth:
        return truth["expected"]
    statuses = []
    for chapter, claimed in zip(truth["chapters"], truth["claimed"]):
        if chapter.get("cut"):
            statuses.append("missing")
        elif chapter["spoken"] is None:
            statuses.append("unverifiable")
        else:
            low, high = chapter["window"]
            statuses.append("verified" if low - tolerance_s <= claimed <= high + tolerance_s else "corrected")
    return statuses


def error_s(start_s: float, chapter: dict) -> float | None:
    """How far a published start lies from the true one: from its pause (0 inside it), or for a
    wordless chapter from its start; None for a chapter cut from the audio."""
    if chapter.get("window") is None:
        return None
    if chapter["spoken"] is None:
        return abs(start_s - chapter["start"])
    low, high = chapter["window"]
    return 0.0 if low <= start_s <= high else min(abs(start_s - low), abs(start_s - high))


def score(verdicts: list[Verdict], truth: dict, tolerance_s: float) -> list[ChapterScore]:
    return [
        ChapterScore(verdict.chapter.title, expected, verdict.status.value, error_s(verdict.start_s, chapter), verdict.confidence)
        for verdict, chapter, expected in zip(verdicts, truth["chapters"], expected_statuses(truth, tolerance_s))
    ]


@dataclass(frozen=True)
class Summary:
    chapters: int
    timed: int
    within_1s: float
    within_2s: float
    median_error_s: float
    max_error_s: float
    verdicts_right: float
    false_corrections: int
    missing_at_claim: int


def summarise(scores: list[ChapterScore]) -> Summary:
    errors = [s.error_s for s in scores if s.error_s is not None and s.expected != "missing"]
    return Summary(
        chapters=len(scores),
        timed=len(errors),
        within_1s=sum(e <= 1.0 for e in errors) / len(errors) if errors else 1.0,
        within_2s=sum(e <= 2.0 for e in errors) / len(errors) if errors else 1.0,
        median_error_s=statistics.median(errors) if errors else 0.0,
        max_error_s=max(errors) if errors else 0.0,
        verdicts_right=sum(s.verdict_right for s in scores) / len(scores) if scores else 1.0,
        false_corrections=sum(s.false_correction for s in scores),
        missing_at_claim=sum(s.missing_at_claim for s in scores),
    )


BANDS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01)


def calibration(scores: list[ChapterScore]) -> list[tuple[str, int, float]]:
    """(confidence band, verdicts in it, share of them right), wordless chapters left out (their
    confidence says how sure the offset that moved them is, not a verdict's)."""
    rows = []
    for low, high in zip(BANDS, BANDS[1:]):
        inside = [s for s in scores if low <= s.confidence < high and s.expected != "unverifiable"]
        if inside:
            label = f"{low:.2f}–{min(high, 1.0):.2f}"
            rows.append((label, len(inside), sum(s.verdict_right for s in inside) / len(inside)))
    return rows


def print_doubtful(scores: list[ChapterScore]) -> None:
    """One line per chapter with a wrong verdict or a start more than 1 s off."""
    for chapter in scores:
        if not chapter.verdict_right or (chapter.error_s or 0) > 1.0:
            error = f"{chapter.error_s:.2f}" if chapter.error_s is not None else "-"
            print(f"    ! {chapter.status:<12} expected {chapter.expected:<12} error {error:<6} conf {chapter.confidence:.2f}  {chapter.title[:60]}")
