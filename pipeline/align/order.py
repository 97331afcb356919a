"""Chapters in list order over openings in time order: the most likely placement, and how sure each is.

Every chapter either starts at one opening or is absent (cut from the audio), and present chapters
start at later openings in list order, at least `gap_s` after the one before (two chapters do not
begin in the same breath). `score[k, j]` is the log-potential of chapter k at opening j (evidence
plus position prior); `absent[k]` that of chapter k being absent. The forward–backward sums over
every ordered placement give each chapter's posterior over openings; the max-product pass gives
one consistent placement.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Placement:
    best: tuple[int | None, ...]  # per chapter: opening index, or None when absent
    posterior: np.ndarray  # chapters × openings
    absent: np.ndarray  # per chapter: probability of being absent


def place(score: np.ndarray, absent: np.ndarray, onsets_s: np.ndarray | None = None, gap_s: float = 0.0) -> Placement:
    chapters, count = score.shape
    if chapters == 0:
        return Placement((), np.zeros((0, count)), np.zeros(0))
    # State after chapter k: the last opening taken by a present chapter so far (0: none; j + 1: opening j).
    # A chapter at opening j may follow states 0 … last_before[j].
    onsets = np.arange(count, dtype=float) if onsets_s is None else np.asarray(onsets_s, dtype=float)
    last_before = np.searchsorted(onsets, onsets - gap_s, side="right") if gap_s > 0 else np.arange(count)
    last_before = np.minimum(last_before, np.arange(count))  # never itself or a later opening
    forward = np.full((chapters + 1, count + 1), -np.inf)
    forward[0, 0] = 0.0
    best = np.full((chapters + 1, count + 1), -np.inf)
    best[0, 0] = 0.0
    came_from = np.zeros((chapters + 1, count + 1), dtype=int)  # previous state, for the max-product pass
    for k in range(chapters):
        before = np.logaddexp.accumulate(forward[k])[last_before]
        forward[k + 1] = forward[k] + absent[k]
        forward[k + 1, 1:] = np.logaddexp(forward[k + 1, 1:], score[k] + before)
        running, at = _prefix_argmax(best[k])
        stay = best[k] + absent[k]
        take = score[k] + running[last_before]
        best[k + 1] = stay
        came_from[k + 1] = np.arange(count + 1)
        better = take > stay[1:]
        best[k + 1, 1:][better] = take[better]
        came_from[k + 1, 1:][better] = at[last_before][better]
    total = np.logaddexp.reduce(forward[chapters])
    # opening q may follow state p when p <= last_before[q]: for each p, the openings from first_after[p] on
    first_after = np.searchsorted(last_before, np.arange(count + 1), side="left")
    backward = np.zeros((chapters + 1, count + 1))
    for k in range(chapters - 1, -1, -1):
        taken = score[k] + backward[k + 1, 1:]
        from_here = np.concatenate([np.logaddexp.accumulate(taken[::-1])[::-1], [-np.inf]])
        backward[k] = np.logaddexp(absent[k] + backward[k + 1], from_here[first_after])
    posterior = np.zeros((chapters, count))
    gone = np.zeros(chapters)
    for k in range(chapters):
        before = np.logaddexp.accumulate(forward[k])[last_before]
        posterior[k] = np.exp(score[k] + before + backward[k + 1, 1:] - total)
        gone[k] = np.exp(np.logaddexp.reduce(forward[k] + absent[k] + backward[k + 1]) - total)
    return Placement(_trace(best, came_from, chapters), posterior, gone)


def _trace(best: np.ndarray, came_from: np.ndarray, chapters: int) -> tuple[int | None, ...]:
    state = int(np.argmax(best[chapters]))
    placed: list[int | None] = []
    for k in range(chapters, 0, -1):
        previous = int(came_from[k, state])
        placed.append(state - 1 if previous != state else None)
        state = previous
    return tuple(reversed(placed))


def _prefix_argmax(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(max of values[:i + 1], its index) for every i."""
    at = np.zeros(len(values), dtype=int)
    for i in range(1, len(values)):
        at[i] = i if values[i] > values[at[i - 1]] else at[i - 1]
    return values[at], at
