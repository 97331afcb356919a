"""`chapters verify` that transcribes only what it needs, with the verdicts of a whole-file run.

A cached whole transcript answers at once. Otherwise a window around each claimed time is
transcribed, in one batch and without second looks; when every chapter is settled there (see
`surely_settled`), that is the answer: the common case of an upload whose chapters are right.
Only the chapters not settled go on, step by step: near their claimed times in short pieces,
then in wider windows; what is still uncertain is decided on the whole transcript, as `run`
does, and so is everything once the windows would cover more than `windows_at_most` of the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from pipeline import align, episode, pauses, run, textmatch, transcribe
from pipeline.episode import Episode
from pipeline.model import Chapter, Status, Transcript, Verdict
from pipeline.transcribe import AcousticCheck, ProgressCallback


@dataclass(frozen=True)
class VerifyOptions:
    window_before_s: float = 8.0  # a window starts this long before a claimed time and lasts one encoder pass
    windows_at_most: float = 0.5  # share of the episode; windows covering more than this cost more than the whole file
    near_s: float = 5.0  # then the speech from this long before a claimed time to three times as long after, in short pieces
    wider_reach_s: tuple[float, ...] = (90.0,)  # at last, a chapter not settled is looked for this far either side of its time
    sure_verified: float = 0.85  # a verdict this confident would not change with the rest of the file
    check_after_s: float = 10.0  # a weaker one is put to the audio over this much time after the claimed start
    clear_pause_s: float = 1.0  # … or accepted at a pause this long,
    weak_verified: float = 0.65  # … if at least this confident
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
    window_options = replace(options, transcribe=episode.with_language(options.transcribe, options.language_hint(text_hint)))
    if verify_options.reuse_whole_transcript and transcribe.has_cached(episode_.frames_sha256, window_options.transcribe):
        return run.verify(episode_, chapters, text_hint, options, on_progress)  # the key `run` used
    episode.check_times(chapters, episode_.duration_s, "chapters")
    near = verify_options.near_s
    spoken = [c for c in chapters if not align.is_unspoken(c.title)]
    steps = [
        ("windows", lambda c: _window(episode_.loudness_db, c.claimed_s, verify_options), replace(window_options.transcribe, second_look=False)),
        ("decoded again in short pieces", lambda c: (c.claimed_s - near, c.claimed_s + 3 * near), replace(window_options.transcribe, short_pieces=True, second_look=False)),
        *((f"widened to ±{reach:.0f} s", lambda c, r=reach: (c.claimed_s - r, c.claimed_s + r), window_options.transcribe) for reach in verify_options.wider_reach_s),
    ]
    transcript, acoustic, pending, decided_on = None, None, spoken, []
    for label, window_of, transcribe_options in steps:
        windows = [(max(0.0, start), min(episode_.duration_s, end)) for start, end in map(window_of, pending)]
        covered = transcribe.merge_windows(windows)
        if sum(end - start for start, end in covered) > verify_options.windows_at_most * episode_.duration_s:
            break  # the whole file costs less (a short episode, or many chapters still to find)
        heard = transcribe.transcribe_windows(episode_.load_audio, episode_.frames_sha256, windows, transcribe_options)
        transcript = heard if transcript is None else joined(transcript, heard, covered)
        decided_on.append(f"{len(windows)} {label}")
        acoustic = acoustic or episode.acoustic_check(episode_, window_options.transcribe, transcript.language)
        outcome = run.decide(episode_, chapters, transcript, window_options, acoustic)
        unsettled = {v.chapter for v in outcome.alignment.verdicts if not surely_settled(v, transcript, acoustic, episode_.loudness_db, verify_options)}
        if not unsettled:
            return replace(outcome, decided_on=", ".join(decided_on))
        pending = [c for c in spoken if c in unsettled]
    return run.verify(episode_, chapters, text_hint, options, on_progress)


def _window(loudness_db: np.ndarray, claimed_s: float, options: VerifyOptions) -> tuple[float, float]:
    """From a pause about `window_before_s` before a claimed time to a pause at most one encoder
    pass later (a window cut in a word loses that word, and a few seconds more cost a second pass)."""
    start = pauses.quiet_before(loudness_db, claimed_s - options.window_before_s)
    return start, pauses.quiet_before(loudness_db, start + transcribe.STRETCH_S, search_s=6.0)


def joined(first: Transcript, second: Transcript, second_covers: list[tuple[float, float]]) -> Transcript:
    """The words of `second` where it was transcribed, those of `first` elsewhere."""
    outside = [w for w in first.words if not any(start <= w.start_s < end for start, end in second_covers)]
    return replace(first, words=tuple(sorted(outside + list(second.words), key=lambda w: w.start_s)))


def surely_settled(verdict: Verdict, transcript: Transcript, acoustic: AcousticCheck, loudness_db: np.ndarray, options: VerifyOptions = VerifyOptions()) -> bool:
    """Would the whole transcript decide this chapter the same way? Yes for a confident verdict
    (verified, or corrected to a place found as surely); for a weaker verification when the
    claimed time sits at a clear pause (a paraphrased question after an answer), or when the
    audio there bears the title out (forced alignment). Never for a missing title: the rest of
    the file may hold it.
    """
    if verdict.status is Status.UNVERIFIABLE:
        return True
    if verdict.status is Status.MISSING:
        return False
    if verdict.confidence >= options.sure_verified:
        return True
    if verdict.status is not Status.VERIFIED:
        return False
    claimed = verdict.chapter.claimed_s
    pause = pauses.pause_before(
        loudness_db, claimed, earliest_s=max(0.0, claimed - 4.0), latest_onset_s=claimed + 2.0, threshold_db=pauses.quiet_threshold_db(loudness_db)
    )
    if pause is not None and pause.end_s - pause.start_s >= options.clear_pause_s and verdict.confidence >= options.weak_verified:
        return True
    start, end = max(0.0, verdict.start_s - 2.5), verdict.start_s + options.check_after_s
    heard = " ".join(w.text for w in transcript.words if start <= w.start_s < end)
    return bool(heard) and acoustic(start, end, textmatch.spoken_form(verdict.chapter.title), heard) >= align.ACOUSTIC_ACCEPT
