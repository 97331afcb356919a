"""The ordered placement: list order kept, posteriors that sum to one, absence when nothing fits."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from pipeline.align import order


def brute_force(score: np.ndarray, absent: np.ndarray, onsets=None, gap_s: float = 0.0, skip=None, skip_end=None, short=None):
    """Every ordered placement enumerated: (posterior, absent probability, best placement). With
    `skip`, an absent chapter also adds skip[k, j] at the opening j of the next present chapter, or
    skip_end[k] when none follows; with `short`, two present chapters in a row add its log-potential
    of the time between their starts."""
    chapters, count = score.shape
    onsets = np.arange(count, dtype=float) if onsets is None else onsets
    weights = {}
    for placement in itertools.product([None, *range(count)], repeat=chapters):
        present = [j for j in placement if j is not None]
        if any(b <= a or onsets[b] - onsets[a] < gap_s for a, b in zip(present, present[1:])):
            continue
        weights[placement] = sum(absent[k] if j is None else score[k, j] for k, j in enumerate(placement))
        if short is not None:
            weights[placement] += sum(float(short.log_potential(np.array(onsets[b] - onsets[a]))) for a, b in zip(present, present[1:]))
        for k, j in enumerate(placement):
            if j is None and skip is not None:
                later = [j2 for j2 in placement[k + 1 :] if j2 is not None]
                weights[placement] += skip[k, later[0]] if later else skip_end[k]
    total = np.logaddexp.reduce(list(weights.values()))
    posterior = np.zeros((chapters, count))
    gone = np.zeros(chapters)
    for placement, weight in weights.items():
        for k, j in enumerate(placement):
            if j is None:
                gone[k] += np.exp(weight - total)
            else:
                posterior[k, j] += np.exp(weight - total)
    return posterior, gone, max(weights, key=weights.get)


@pytest.mark.parametrize("seed", range(6))
def test_the_sums_are_those_of_every_ordered_placement(seed):
    rng = np.random.default_rng(seed)
    score = rng.normal(0, 2, size=(3, 5))
    absent = rng.normal(-2, 1, size=3)
    placement = order.place(score, absent)
    posterior, gone, best = brute_force(score, absent)
    assert placement.posterior == pytest.approx(posterior, abs=1e-9)
    assert placement.absent == pytest.approx(gone, abs=1e-9)
    assert placement.best == best
    assert placement.posterior.sum(axis=1) + placement.absent == pytest.approx(np.ones(3))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("charged", [False, True])
def test_with_skips_the_sums_are_those_of_every_ordered_placement(seed, charged):
    """… and with short chapters charged (a typical length of 5–15 s over openings 0.5–6 s apart)."""
    rng = np.random.default_rng(seed)
    score, absent = rng.normal(0, 2, size=(3, 7)), rng.normal(-2, 1, size=3)
    skip, skip_end = rng.normal(0, 2, size=(3, 7)), rng.normal(0, 2, size=3)
    onsets = np.cumsum(rng.uniform(0.5, 6.0, size=7))
    short = order.ShortChapters(typical_s=float(rng.uniform(5.0, 15.0)), cost=float(rng.uniform(0.5, 4.0))) if charged else None
    placement = order.place_with_skips(score, absent, skip, skip_end, onsets, 3.0, short)
    posterior, gone, best = brute_force(score, absent, onsets, 3.0, skip, skip_end, short)
    assert placement.posterior == pytest.approx(posterior, abs=1e-9)
    assert placement.absent == pytest.approx(gone, abs=1e-9)
    assert placement.best == best


def test_a_chapter_much_shorter_than_the_typical_one_costs_more_the_shorter_it_is():
    short = order.ShortChapters(typical_s=40.0, cost=2.0)
    assert short.log_potential(np.array([40.0, 80.0])) == pytest.approx([0.0, 0.0])  # typical or longer: free
    assert short.log_potential(np.array(20.0)) == pytest.approx(-2.0 * np.log(2.0) ** 2)
    assert short.log_potential(np.array(5.0)) < short.log_potential(np.array(10.0)) < 0


@pytest.mark.parametrize("seed", range(4))
def test_without_skips_it_is_the_plain_placement(seed):
    rng = np.random.default_rng(seed)
    score, absent = rng.normal(0, 2, size=(4, 9)), rng.normal(-2, 1, size=4)
    onsets = np.cumsum(rng.uniform(0.5, 4.0, size=9))
    plain = order.place(score, absent, onsets, gap_s=3.0)
    skipping = order.place_with_skips(score, absent, np.zeros((4, 9)), np.zeros(4), onsets, gap_s=3.0)
    assert skipping.posterior == pytest.approx(plain.posterior, abs=1e-9)
    assert skipping.log_evidence == pytest.approx(plain.log_evidence)
    assert skipping.best == plain.best


@pytest.mark.parametrize("seed", range(6))
def test_chapters_keep_their_distance(seed):
    rng = np.random.default_rng(seed)
    score = rng.normal(0, 2, size=(3, 6))
    absent = rng.normal(-2, 1, size=3)
    onsets = np.cumsum(rng.uniform(0.5, 4.0, size=6))
    placement = order.place(score, absent, onsets, gap_s=3.0)
    posterior, gone, best = brute_force(score, absent, onsets, gap_s=3.0)
    assert placement.posterior == pytest.approx(posterior, abs=1e-9)
    assert placement.absent == pytest.approx(gone, abs=1e-9)
    assert placement.best == best


def brute_force_levels(score, absent, change, first):
    """Every ordered placement and every sequence of levels enumerated."""
    chapters, levels, count = score.shape
    weights = {}
    for placement in itertools.product([None, *range(count)], repeat=chapters):
        present = [j for j in placement if j is not None]
        if any(b <= a for a, b in zip(present, present[1:])):
            continue
        for path in itertools.product(range(levels), repeat=chapters):
            weight = first[0] + change[0, path[0]] + sum(change[a, b] for a, b in zip(path, path[1:]))
            weight += sum(absent[k] if j is None else score[k, path[k], j] for k, j in enumerate(placement))
            weights[(placement, path)] = weight
    total = np.logaddexp.reduce(list(weights.values()))
    posterior = np.zeros((chapters, count))
    for (placement, _path), weight in weights.items():
        for k, j in enumerate(placement):
            if j is not None:
                posterior[k, j] += np.exp(weight - total)
    best = max(weights, key=weights.get)
    return posterior, total, best


@pytest.mark.parametrize("seed", range(4))
def test_levels_sum_over_every_sequence_of_offsets(seed):
    rng = np.random.default_rng(seed)
    score = rng.normal(0, 2, size=(3, 2, 4))
    absent = rng.normal(-2, 1, size=3)
    change = np.array([[0.0, -3.0], [-3.0, 0.0]])
    first = np.array([0.0, -np.inf])  # the audio starts in line with the shownotes
    placement = order.place(score, absent, change=change, first=first)
    posterior, total, (best, path) = brute_force_levels(score, absent, change, first)
    assert placement.posterior == pytest.approx(posterior, abs=1e-9)
    assert placement.log_evidence == pytest.approx(total)
    assert placement.best == best and placement.levels == path


def test_order_wins_over_each_chapters_own_best():
    # chapter 0 fits opening 2 best, chapter 1 opening 0: they cannot both have their best
    score = np.array([[0.0, 1.0, 5.0], [5.0, 0.0, 4.0]])
    placement = order.place(score, np.full(2, -20.0))
    assert placement.best in ((0, 2), (1, 2))
    assert placement.best[1] == 2


def test_a_chapter_nothing_fits_is_absent():
    score = np.array([[6.0, -8.0, -8.0], [-8.0, -8.0, -8.0], [-8.0, -8.0, 6.0]])
    placement = order.place(score, np.full(3, -3.0))
    assert placement.best == (0, None, 2)
    assert placement.absent[1] > 0.9


def test_no_chapters_or_no_openings():
    assert order.place(np.zeros((0, 4)), np.zeros(0)).best == ()
    assert order.place(np.zeros((2, 0)), np.zeros(2)).best == (None, None)


def test_running_best_keeps_the_first_place_it_is_reached():
    values = np.array([[-np.inf, 2.0, 1.0, 2.0, 3.0], [1.0, -np.inf, 1.0, 0.5, 1.5]])
    best, at = order._prefix_argmax(values)
    assert best.tolist() == [[-np.inf, 2.0, 2.0, 2.0, 3.0], [1.0, 1.0, 1.0, 1.0, 1.5]]
    assert at.tolist() == [[0, 1, 1, 1, 4], [0, 0, 0, 0, 4]]  # a tie does not move it
