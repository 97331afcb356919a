"""Chapters without times: title lists placed (`--placed`), and chapters proposed from the speech (`--proposed`).

Placed: each episode's shownotes with their times taken away, so that every title must be found
in the speech; scored against the truth as timed shownotes are (a start within 1 s of the true
pause), with verdicts `placed` for a chapter that is in the audio, `missing` for one cut from it.
A false placement is a title placed where its chapter does not start (more than the 2 s tolerance
from its true pause, or a title cut from the audio).

Proposed: no shownotes at all. Boundary precision, recall and F1 (VidChapters-7M's measure): a
proposed start is right when it lies within ±3 s (±5 s) of a true chapter start not yet matched
(one to one, nearest first). The start of the audio is left out on both sides: every proposal
has a chapter at 0:00, and counting it would flatter every episode.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from bench.score import DEVELOPMENT_PART, TOLERANCE_S, ChapterScore, error_s, held_out_parts, print_doubtful, summarise
from pipeline import episode as episodes_module
from pipeline import language, run
from pipeline.align import AlignOptions
from pipeline.model import Status

FALSE_PLACEMENT_S = 2.0
WITHIN_S = (3.0, 5.0)
START_OF_AUDIO_S = 1.0
INTERVIEW_F1_TARGET = 0.8  # at ±5 s, on every interview episode
FREE_TALK_MIN_S = 30.0  # the target, kept apart from starts.FREE_TALK_MIN_S (what the product does), which it checks


def _options(decoding) -> run.RunOptions:
    return run.RunOptions(transcribe=decoding, align=AlignOptions(tolerance_s=TOLERANCE_S))


def placed_scores(mp3, notes, truth: dict, decoding) -> list[ChapterScore]:
    chapters, text = run.read_shownotes(notes)
    untimed = [replace(c, claimed_s=None) for c in chapters]
    outcome = run.verify(episodes_module.load(mp3), untimed, text, _options(decoding))  # the same language hint, so the cached transcript
    scores = []
    for verdict, chapter in zip(outcome.alignment.verdicts, truth["chapters"]):
        expected = Status.PLACED.value
        if chapter.get("window") is None:  # cut from the audio
            expected = Status.MISSING.value
        elif chapter["spoken"] is None:  # a wordless title: placed by its goodbye (Outro), or unverifiable at its place
            expected = verdict.status.value if verdict.status in (Status.PLACED, Status.UNVERIFIABLE) else Status.UNVERIFIABLE.value
        scores.append(ChapterScore(verdict.chapter.title, expected, verdict.status.value, error_s(verdict.start_s, chapter), verdict.confidence))
    return scores


def false_placements(scores: list[ChapterScore]) -> int:
    return sum(s.status == Status.PLACED.value and (s.error_s is None or s.error_s > FALSE_PLACEMENT_S) for s in scores)


def placed(selected: list, decoding, set_name: str) -> list[str]:
    """Prints per episode and totals; returns the targets missed (held-out only: ≥ 95 % within 1 s, no false placement)."""
    print(f"\n== placed title lists (no times), {set_name}")
    print(f"{'episode':<30}{'ch':>4}{'≤1s':>7}{'≤2s':>7}{'median':>8}{'max':>8}{'verdicts':>10}{'false placed':>13}")
    results = {}
    for name, mp3, notes, truth_path in selected:
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        scores = results[name] = placed_scores(mp3, notes, truth, decoding)
        s = summarise(scores)
        print(f"{name:<30}{s.chapters:>4}{s.within_1s:>7.0%}{s.within_2s:>7.0%}{s.median_error_s:>8.2f}{s.max_error_s:>8.2f}{s.verdicts_right:>10.0%}{false_placements(scores):>13}")
        print_doubtful(scores)
    missed = []
    for label, names in _parts(set_name, results).items():
        every = [s for n in names for s in results[n]]
        if not every:
            continue
        total, wrong = summarise(every), false_placements(every)
        print(f"TOTAL placed, {label:<20}{total.chapters:>4} chapters  {total.within_1s:.1%} ≤1s  {total.within_2s:.1%} ≤2s  median {total.median_error_s:.2f} s"
              f"  verdicts right {total.verdicts_right:.1%}  false placements {wrong}")
        if set_name == "held-out" and label != DEVELOPMENT_PART and (total.within_1s < 0.95 or wrong):
            missed.append(f"placed, {label}: {total.within_1s:.1%} within 1 s (target ≥ 95 %), {wrong} false placements (target 0)")
    return missed


def _parts(set_name: str, names) -> dict[str, list[str]]:
    """The episodes whose totals are printed: the held-out set by how it was read, any other whole."""
    return held_out_parts(names) if set_name == "held-out" else {set_name: list(names)}


@dataclass(frozen=True)
class Boundaries:
    proposed: int
    true: int
    matched: dict[float, int]  # within ±s: how many proposed starts matched a true one

    def precision(self, within_s: float) -> float:
        return self.matched[within_s] / self.proposed if self.proposed else 1.0

    def recall(self, within_s: float) -> float:
        return self.matched[within_s] / self.true if self.true else 1.0

    def f1(self, within_s: float) -> float:
        p, r = self.precision(within_s), self.recall(within_s)
        return 2 * p * r / (p + r) if p + r else 0.0


def matched(proposed: list[float], true: list[float], within_s: float) -> int:
    """One-to-one matches within ±within_s, nearest pairs first."""
    pairs = sorted((abs(p - t), i, j) for i, p in enumerate(proposed) for j, t in enumerate(true) if abs(p - t) <= within_s)
    used_p, used_t = set(), set()
    for _distance, i, j in pairs:
        if i not in used_p and j not in used_t:
            used_p.add(i)
            used_t.add(j)
    return len(used_p)


def boundaries(proposed: list[float], true: list[float]) -> Boundaries:
    proposed = [p for p in proposed if p > START_OF_AUDIO_S]
    true = [t for t in true if t > START_OF_AUDIO_S]
    return Boundaries(len(proposed), len(true), {w: matched(proposed, true, w) for w in WITHIN_S})


def proposed(selected: list, decoding, set_name: str) -> list[str]:
    """Prints per episode and totals; returns the targets missed (F1 at ±5 s ≥ 0.8 on every interview
    episode of the held-out set; no chapter under 30 s in free talk, anywhere)."""
    print(f"\n== proposed chapters (no shownotes), {set_name}")
    print(f"{'episode':<30}{'as':>11}{'prop':>6}{'true':>6}{'P@3':>6}{'R@3':>6}{'F1@3':>6}{'P@5':>6}{'R@5':>6}{'F1@5':>6}{'shortest':>9}{'lang':>6}")
    found_in: dict[str, tuple[str, Boundaries]] = {}  # episode -> (proposed as, boundaries)
    missed = []
    for name, mp3, _notes, truth_path in selected:
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        outcome = run.verify(episodes_module.load(mp3), [], "", _options(decoding))
        alignment = outcome.alignment
        starts = [v.start_s for v in alignment.verdicts]
        true = [c["start"] for c in truth["chapters"] if c.get("start") is not None]
        found = boundaries(starts, true)
        found_in[name] = (alignment.proposed_as, found)
        ends = [*starts[1:], outcome.transcript.duration_s]
        shortest = min(end - start for start, end in zip(starts, ends))
        in_language = sum(language.guess(v.chapter.title) in (outcome.transcript.language, None) for v in alignment.verdicts) / len(starts)
        print(f"{name:<30}{alignment.proposed_as:>11}{found.proposed:>6}{found.true:>6}"
              + "".join(f"{found.precision(w):>6.2f}{found.recall(w):>6.2f}{found.f1(w):>6.2f}" for w in WITHIN_S) + f"{shortest:>8.0f}s{in_language:>6.0%}")
        for verdict in alignment.verdicts[:3]:
            print(f"    {verdict.start_s:7.1f}  {verdict.chapter.title}")
        if alignment.proposed_as == "interview" and set_name == "held-out" and found.f1(5.0) < INTERVIEW_F1_TARGET:
            missed.append(f"proposed, {name}: F1 at ±5 s {found.f1(5.0):.2f} (target ≥ {INTERVIEW_F1_TARGET})")
        if alignment.proposed_as == "free talk" and shortest < FREE_TALK_MIN_S:
            missed.append(f"proposed, {name}: a free-talk chapter of {shortest:.0f} s (target ≥ {FREE_TALK_MIN_S:.0f} s)")
    for label, names in _parts(set_name, found_in).items():
        for kind in sorted({found_in[n][0] for n in names}):
            found = [found_in[n][1] for n in names if found_in[n][0] == kind]
            overall = Boundaries(sum(b.proposed for b in found), sum(b.true for b in found), {w: sum(b.matched[w] for b in found) for w in WITHIN_S})
            print(f"TOTAL proposed, {label}, {kind} ({len(found)} episodes): "
                  + "  ".join(f"±{w:g} s P {overall.precision(w):.2f} R {overall.recall(w):.2f} F1 {overall.f1(w):.2f}" for w in WITHIN_S))
    return missed
