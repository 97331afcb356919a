"""Chapters in list order over openings in time order: the most likely placement, and how sure each is.

Every chapter either starts at one opening or is absent (cut from the audio), and present chapters
start at later openings in list order, at least `gap_s` after the one before (two chapters do not
begin in the same breath). The audio may also run ahead of or behind the shownotes by one of a few
offsets ("levels": an intro or ad added at the start, or one added in the middle); the level holds
from chapter to chapter and changes only at a cost.

`score[k, l, j]` is the log-potential of chapter k at opening j when the audio is at level l
(evidence plus position prior); `absent[k]` that of chapter k being absent; `change[l0, l1]` that
of the level moving from l0 to l1 between two chapters, and `first[l]` that of starting at level l.
The forward–backward sums over every ordered placement and sequence of levels give each chapter's
posterior over openings and levels; the max-product pass gives one consistent placement.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Placement:
    best: tuple[int | None, ...]  # per chapter: opening index, or None when absent
    posterior: np.ndarray  # chapters × openings
    absent: np.ndarray  # per chapter: probability of being absent
    levels: tuple[int, ...] = ()  # per chapter: the level of the best placement
    log_evidence: float = 0.0  # log of the sum over every placement: how well the scores explain the episode


def place(
    score: np.ndarray,
    absent: np.ndarray,
    onsets_s: np.ndarray | None = None,
    gap_s: float = 0.0,
    change: np.ndarray | None = None,
    first: np.ndarray | None = None,
) -> Placement:
    """`score` is chapters × openings (one level) or chapters × levels × openings."""
    score = score[:, None, :] if score.ndim == 2 else score
    chapters, levels, count = score.shape
    change = np.zeros((1, 1)) if change is None else change
    first = np.zeros(levels) if first is None else first
    if chapters == 0:
        return Placement((), np.zeros((0, count)), np.zeros(0), (), 0.0)
    # State after chapter k: (level, the last opening taken by a present chapter so far: 0 none, j + 1 opening j).
    # A chapter at opening j may follow states 0 … last_before[j].
    last_before = _openings_before(np.arange(count, dtype=float) if onsets_s is None else np.asarray(onsets_s, dtype=float), gap_s)
    start = np.full((levels, count + 1), -np.inf)
    start[:, 0] = first
    forward = [start]
    best = [start]
    came_from: list[tuple[np.ndarray, np.ndarray]] = []  # per chapter: previous (level, state) of each (level, state)
    for k in range(chapters):
        moved = _combine(forward[k][:, None, :] + change[:, :, None], np.logaddexp)  # into level l, over the level before
        moved_best, moved_from = _combine_max(best[k][:, None, :] + change[:, :, None])
        stay = moved + absent[k]
        take = score[k] + np.logaddexp.accumulate(moved, axis=1)[:, last_before]
        forward.append(np.concatenate([stay[:, :1], np.logaddexp(stay[:, 1:], take)], axis=1))
        running, at = _prefix_argmax(moved_best)
        stay_best = moved_best + absent[k]
        take_best = score[k] + running[:, last_before]
        better = np.concatenate([np.zeros((levels, 1), dtype=bool), take_best > stay_best[:, 1:]], axis=1)
        best.append(np.where(better, np.concatenate([stay_best[:, :1], take_best], axis=1), stay_best))
        previous_state = np.where(better, np.concatenate([np.zeros((levels, 1), dtype=int), at[:, last_before]], axis=1), np.arange(count + 1))
        previous_level = np.take_along_axis(moved_from, previous_state, axis=1)
        came_from.append((previous_level, previous_state))
    total = float(np.logaddexp.reduce(forward[chapters], axis=None))
    # opening q may follow state p when p <= last_before[q]: for each p, the openings from first_after[p] on
    first_after = np.searchsorted(last_before, np.arange(count + 1), side="left")
    backward = [np.zeros((levels, count + 1)) for _ in range(chapters + 1)]
    for k in range(chapters - 1, -1, -1):
        taken = score[k] + backward[k + 1][:, 1:]
        from_here = np.concatenate([np.logaddexp.accumulate(taken[:, ::-1], axis=1)[:, ::-1], np.full((levels, 1), -np.inf)], axis=1)
        onward = np.logaddexp(absent[k] + backward[k + 1], from_here[:, first_after])  # given the level l of chapter k
        backward[k] = _combine(change[:, :, None] + onward[None, :, :], np.logaddexp, axis=1)  # given the level before
    posterior = np.zeros((chapters, count))
    gone = np.zeros(chapters)
    for k in range(chapters):
        moved = _combine(forward[k][:, None, :] + change[:, :, None], np.logaddexp)
        before = np.logaddexp.accumulate(moved, axis=1)[:, last_before]
        posterior[k] = np.exp(np.logaddexp.reduce(score[k] + before + backward[k + 1][:, 1:], axis=0) - total)
        gone[k] = np.exp(np.logaddexp.reduce(moved + absent[k] + backward[k + 1], axis=None) - total)
    placed, path_levels = _trace(best[chapters], came_from)
    return Placement(placed, posterior, gone, path_levels, total)


def _openings_before(onsets: np.ndarray, gap_s: float) -> np.ndarray:
    """Per opening j: how many openings a chapter starting there may follow (openings 0 … that − 1:
    at least gap_s earlier, never j itself or a later one)."""
    count = len(onsets)
    last_before = np.searchsorted(onsets, onsets - gap_s, side="right") if gap_s > 0 else np.arange(count)
    return np.minimum(last_before, np.arange(count))


def _combine(values: np.ndarray, combine, axis: int = 0) -> np.ndarray:
    return combine.reduce(values, axis=axis)


def _combine_max(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(max over the first axis, its index)."""
    at = np.argmax(values, axis=0)
    return np.take_along_axis(values, at[None], axis=0)[0], at


def _trace(final: np.ndarray, came_from: list[tuple[np.ndarray, np.ndarray]]) -> tuple[tuple[int | None, ...], tuple[int, ...]]:
    level, state = np.unravel_index(int(np.argmax(final)), final.shape)
    placed: list[int | None] = []
    levels: list[int] = []
    for previous_level, previous_state in reversed(came_from):
        before_level, before_state = int(previous_level[level, state]), int(previous_state[level, state])
        placed.append(int(state) - 1 if before_state != state else None)
        levels.append(int(level))
        level, state = before_level, before_state
    return tuple(reversed(placed)), tuple(reversed(levels))


def _prefix_argmax(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: (max of values[:i + 1], the first index where it is reached) for every i."""
    running = np.maximum.accumulate(values, axis=1)
    # a column sets a new maximum when it beats everything before it (ties keep the earlier one)
    rises = np.ones(values.shape, dtype=bool)
    rises[:, 1:] = values[:, 1:] > running[:, :-1]
    at = np.maximum.accumulate(np.where(rises, np.arange(values.shape[1]), 0), axis=1)
    return np.take_along_axis(values, at, axis=1), at


def place_with_skips(score: np.ndarray, absent: np.ndarray, skip: np.ndarray, skip_end: np.ndarray, onsets_s: np.ndarray, gap_s: float,
                     short: ShortChapters | None = None) -> Placement:
    """As `place` (one level), where what a present chapter is worth also depends on which chapters
    listed before it are absent: each absent chapter m between two present ones adds `skip[m, j]`,
    read at the later one's opening j, and each absent chapter m after the last present one adds
    `skip_end[m]`. (A score that counts, at each chapter's start, what the passages before it hold
    under the chapter listed just before assumes that chapter is present; when it is absent those
    passages belong to the chapter before it, and `skip` says how much that changes.) With `short`,
    two present chapters that start closer than its typical length also pay its cost.

    The forward–backward and max-product passes run over (chapter, opening) with any earlier
    present chapter before: chapters² × openings (× the openings within a typical length, with `short`)."""
    chapters, count = score.shape
    if chapters == 0:
        return Placement((), np.zeros((0, count)), np.zeros(0), (), 0.0)
    onsets = np.asarray(onsets_s, dtype=float)
    last_before = _openings_before(onsets, gap_s)
    near = _Near(onsets, last_before, short)
    # skipped[k0 + 1, k, j]: every chapter after k0 and before k absent, k at opening j (k0 = -1: none present before)
    per_chapter = absent[:, None] + skip  # chapters × openings
    running = np.vstack([np.zeros((1, count)), np.cumsum(per_chapter, axis=0)])  # running[m]: chapters 0 … m-1
    end_running = np.concatenate([[0.0], np.cumsum(absent + skip_end)])

    def skipped(k0: int, k: int) -> np.ndarray:
        return running[k] - running[k0 + 1]

    def after_last(k: int) -> float:
        return float(end_running[chapters] - end_running[k + 1])

    forward = np.full((chapters, count), -np.inf)
    best = np.full((chapters, count), -np.inf)
    # per chapter placed so far, for each opening j: the sum and the best over the openings that may precede j
    reach_sum, reach_best, reach_at = [], [], []
    came_from: list[tuple[np.ndarray, np.ndarray]] = []
    previous = np.maximum(near.far_before - 1, 0)
    for k in range(chapters):
        total, top = skipped(-1, k), skipped(-1, k)
        from_chapter, from_opening = np.full(count, -1), np.full(count, -1)
        for k0 in range(k):
            total = np.logaddexp(total, reach_sum[k0] + skipped(k0, k))
            candidate = reach_best[k0] + skipped(k0, k)
            better = candidate > top
            top = np.where(better, candidate, top)
            from_chapter = np.where(better, k0, from_chapter)
            from_opening = np.where(better, reach_at[k0], from_opening)
        forward[k] = score[k] + total
        best[k] = score[k] + top
        came_from.append((from_chapter, from_opening))
        # openings a typical length or more before j, at no cost; those nearer, at their cost
        far_sum = np.concatenate([[-np.inf], np.logaddexp.accumulate(forward[k])])[near.far_before]
        reach_sum.append(np.logaddexp(far_sum, np.logaddexp.reduce(near.before(forward[k]), axis=1)))
        running_best, at = _prefix_argmax(best[k][None, :])
        far_best = np.where(near.far_before > 0, running_best[0][previous], -np.inf)
        near_best = near.before(best[k])
        nearest = np.argmax(near_best, axis=1)
        near_top = near_best[np.arange(count), nearest]
        take_near = near_top > far_best
        reach_best.append(np.where(take_near, near_top, far_best))
        reach_at.append(np.where(take_near, near.before_index[np.arange(count), nearest], at[0][previous]))
    ends = np.array([after_last(k) for k in range(chapters)])
    none_present = after_last(-1)
    log_evidence = float(np.logaddexp(none_present, np.logaddexp.reduce((forward + ends[:, None]).ravel())))
    backward = np.full((chapters, count), -np.inf)
    for k in range(chapters - 1, -1, -1):
        onward = np.full(count, ends[k])
        for k1 in range(k + 1, chapters):
            taken = score[k1] + skipped(k, k1) + backward[k1]
            from_here = np.concatenate([np.logaddexp.accumulate(taken[::-1])[::-1], [-np.inf]])
            onward = np.logaddexp(onward, np.logaddexp(from_here[near.far_after], np.logaddexp.reduce(near.after(taken), axis=1)))
        backward[k] = onward
    posterior = np.exp(forward + backward - log_evidence)
    gone = np.clip(1.0 - posterior.sum(axis=1), 0.0, 1.0)
    finals = best + ends[:, None]
    placed: list[int | None] = [None] * chapters
    if np.max(finals) > none_present:
        k, j = np.unravel_index(int(np.argmax(finals)), finals.shape)
        k, j = int(k), int(j)
        while k >= 0:
            placed[k] = j
            k, j = int(came_from[k][0][j]), int(came_from[k][1][j])
    return Placement(tuple(placed), posterior, gone, (0,) * chapters, log_evidence)


@dataclass(frozen=True)
class ShortChapters:
    """A chapter shorter than `typical_s` (from its start to the next present chapter's) costs
    `cost` log-potential per squared log of how many times shorter it is."""

    typical_s: float
    cost: float

    def log_potential(self, length_s: np.ndarray) -> np.ndarray:
        return -self.cost * np.log(np.maximum(self.typical_s / np.maximum(length_s, 1e-6), 1.0)) ** 2


class _Near:
    """Pairs of openings (i before j) closer than a typical chapter, which `ShortChapters` charges,
    as padded index tables: per j the earlier openings i, per i the later openings j. Openings
    farther apart pay nothing and are summed by running totals (far_before, far_after)."""

    def __init__(self, onsets: np.ndarray, last_before: np.ndarray, short: ShortChapters | None):
        count = len(onsets)
        reach = short.typical_s if short is not None and short.cost > 0 else 0.0
        # openings 0 … far_before[j] − 1 lie a typical length or more before j (and may precede it)
        self.far_before = np.minimum(np.searchsorted(onsets, onsets - reach, side="right"), last_before) if reach else last_before
        self.before_index, self._before_cost = self._table(self.far_before, last_before, onsets, short, later=False)
        first_after = np.searchsorted(last_before, np.arange(count), side="right")  # openings from this on may follow i
        self.far_after = np.searchsorted(self.far_before, np.arange(count), side="right")  # … and lie a typical length or more after i
        self.after_index, self._after_cost = self._table(first_after, self.far_after, onsets, short, later=True)

    @staticmethod
    def _table(lower: np.ndarray, upper: np.ndarray, onsets: np.ndarray, short: ShortChapters | None, later: bool) -> tuple[np.ndarray, np.ndarray]:
        width = int(max(1, (upper - lower).max(initial=0)))  # at least one (padding) column: reductions need one
        index = lower[:, None] + np.arange(width)[None, :]
        valid = index < upper[:, None]
        index = np.where(valid, index, 0)
        if short is None or not valid.any():
            return index, np.full(index.shape, -np.inf)
        length = onsets[index] - onsets[:, None] if later else onsets[:, None] - onsets[index]
        return index, np.where(valid, short.log_potential(length), -np.inf)

    def before(self, values: np.ndarray) -> np.ndarray:
        """openings × width: values at the openings near before each, with their cost (−inf padding)."""
        return values[self.before_index] + self._before_cost

    def after(self, values: np.ndarray) -> np.ndarray:
        """openings × width: values at the openings near after each, with their cost (−inf padding)."""
        return values[self.after_index] + self._after_cost
