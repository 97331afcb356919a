"""`chapters verify` that transcribes only what it needs, with the verdicts of a whole-file run.

A cached whole transcript answers at once. Otherwise the seconds around each claimed time are
transcribed, packed four to an encoder pass; when every chapter is settled there (see
`surely_settled`), that is the answer: the common case of an upload whose chapters are right.
Snippets and windows are decided without the voice cues (`run.decide(partial=True)`): those weigh
a voice against the episode's usual passage, and these passages are mostly chapter openings.
Only the chapters not settled go on to a window around their claimed times; what is still
uncertain is decided on the whole transcript, as `run` does (and so is everything once the
windows would cost more than `windows_at_most` of the file). Short pieces and ±90 s windows
were tried as steps between: they settled few chapters and cost more than they saved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from pipeline import align, episode, pauses, run, transcribe
from pipeline.transcribe import packing
from pipeline.episode import Episode
from pipeline.errors import InputError
from pipeline.model import Chapter, Status, Verdict
from pipeline.transcribe import ProgressCallback, TranscribeOptions


@dataclass(frozen=True)
class VerifyOptions:
    # first, the seconds around each claimed time where the question would be, packed four to an encoder pass
    # (against 1.5 s + 6.0 s, three to a pass, measured with `chapters verify` of the 37 benchmark episodes
    # marked with their true times: 6 % less time on the 28 settled on snippets either way; b17, b23 and
    # b25 settled on snippets or windows instead of the whole file, b20 no more: one of its long
    # paraphrased questions runs past the shorter snippet)
    snippet_before_s: float = 1.0
    snippet_after_s: float = 5.5
    # greedy on snippets: ~1 s less per episode on two cores; a snippet it leaves unsettled goes on to
    # a window (beam 5). Measured on the 37 benchmark episodes: one more of them (b17) decided whole.
    snippet_beam_size: int = 1
    # No second look at a pack of snippets (2–3 s each on two cores): a snippet that lost its question
    # leaves its chapter unsettled, and the window around it hears it again.
    snippet_second_look: bool = False
    window_before_s: float = 8.0  # then a window starts this long before a claimed time and lasts one encoder pass
    windows_at_most: float = 0.5  # share of the episode; windows covering more than this cost more than the whole file
    sure_verified: float = 0.65  # a verification this probable would not change with the rest of the file
    reuse_whole_transcript: bool = True  # False: work from windows even when `run` cached the whole transcript (the bench)


def check(
    episode_: Episode,
    chapters: Sequence[Chapter],
    text_hint: str,
    options: run.RunOptions,
    verify_options: VerifyOptions = VerifyOptions(),
    on_progress: ProgressCallback | None = None,
) -> run.Outcome:
    """Verdicts for `chapters`, as `run.verify` would give them, from as little transcription as settles them."""
    if any(c.claimed_s is None for c in chapters):
        raise InputError(f"{episode_.path}: the shownotes list titles without times: there is no time to verify ('chapters run' places them)")
    window_options = replace(options, transcribe=episode.with_language(options.transcribe, options.language_hint(text_hint)))
    if verify_options.reuse_whole_transcript and transcribe.has_cached(episode_.frames_sha256, window_options.transcribe):
        return run.verify(episode_, chapters, text_hint, options, on_progress)  # the key `run` used
    episode.check_times(chapters, episode_.duration_s, "chapters")
    episode_.meaning_vectors.load_embedder_unless_kept()
    spoken = [c for c in chapters if not align.is_unspoken(c.title)]
    steps = [
        _Step("snippets", lambda c: _snippet(episode_.loudness_db, c.claimed_s, verify_options), transcribe.transcribe_snippets,
              replace(window_options.transcribe, beam_size=verify_options.snippet_beam_size, second_look=verify_options.snippet_second_look), _encoder_passes_s, 1.0),
        _Step("windows", lambda c: _window(episode_.loudness_db, c.claimed_s, verify_options), transcribe.transcribe_windows,
              replace(window_options.transcribe, second_look=False), _length_s, verify_options.windows_at_most),
    ]
    transcript, pending, decided_on = None, spoken, []
    for step in steps:
        windows = [(max(0.0, start), min(episode_.duration_s, end)) for start, end in map(step.span_of, pending)]
        covered = transcribe.merge_windows(windows)
        if step.cost_s(covered) > step.at_most * episode_.duration_s:
            break  # the whole file costs less (a short episode, or many chapters still to find)
        heard = step.decode(episode_.load_audio, episode_.frames_sha256, windows, step.options, on_progress)
        transcript = heard if transcript is None else transcribe.with_words_from(transcript, heard, covered)
        decided_on.append(f"{len(windows)} {step.label}")
        outcome = run.decide(episode_, chapters, transcript, window_options, partial=True)
        unsettled = {v.chapter for v in outcome.alignment.verdicts if not surely_settled(v, verify_options)}
        if not unsettled:
            return replace(outcome, decided_on=", ".join(decided_on))
        pending = [c for c in spoken if c in unsettled]
    return run.verify(episode_, chapters, text_hint, options, on_progress)


@dataclass(frozen=True)
class _Step:
    """One way of transcribing around the pending chapters, tried while it costs less than the whole file."""

    label: str
    span_of: Callable[[Chapter], tuple[float, float]]  # the stretch it transcribes for a chapter
    decode: Callable  # transcribe.transcribe_snippets or transcribe_windows
    options: TranscribeOptions
    cost_s: Callable[[list[tuple[float, float]]], float]  # seconds of decoding the merged stretches cost
    at_most: float  # share of the episode's length it may cost


def _encoder_passes_s(covered: list[tuple[float, float]]) -> float:
    """Snippets cost an encoder pass per pack (always less than the whole file)."""
    return transcribe.STRETCH_S * len(packing.pack(covered))


def _length_s(covered: list[tuple[float, float]]) -> float:
    """Windows cost their length."""
    return sum(end - start for start, end in covered)


def _snippet(loudness_db: np.ndarray, claimed_s: float, options: VerifyOptions) -> tuple[float, float]:
    """From the last quiet moment shortly before a claimed time (not the tail of the answer before
    it) to `snippet_after_s` after it: the pause and the question that should follow."""
    start = pauses.quiet_before(loudness_db, claimed_s - 0.3, search_s=options.snippet_before_s)
    return start, claimed_s + options.snippet_after_s


def _window(loudness_db: np.ndarray, claimed_s: float, options: VerifyOptions) -> tuple[float, float]:
    """From a pause about `window_before_s` before a claimed time to a pause at most one encoder
    pass later (a window cut in a word loses that word, and a few seconds more cost a second pass)."""
    start = pauses.quiet_before(loudness_db, claimed_s - options.window_before_s)
    return start, pauses.quiet_before(loudness_db, start + transcribe.STRETCH_S, search_s=6.0)


def surely_settled(verdict: Verdict, options: VerifyOptions = VerifyOptions()) -> bool:
    """Would the whole transcript decide this chapter the same way? Yes for a verification as
    probable as `sure_verified` (the alignment has already asked the audio where words were in
    doubt). Never for a correction: a place found surely among a few windows may be one of many
    in the whole file (a correction settled at 0.97 on windows was a missing title on the whole
    file), and a chapter that is off fails the job anyway, so exactness costs little there; never
    for a missing title: the rest of the file may hold it.
    """
    if verdict.status is Status.UNVERIFIABLE:
        return True
    return verdict.status is Status.VERIFIED and verdict.confidence >= options.sure_verified
