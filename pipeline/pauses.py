"""Where speech starts: the pause before a word, found in the loudness envelope.

Whisper's word starts are often a few hundred milliseconds early or late; the envelope says where
the sound really begins, so that a listener who jumps to a chapter hears its first word whole.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.audio import FRAME_S

MIN_PAUSE_S = 0.15  # shorter dips are gaps between syllables, not pauses


@dataclass(frozen=True)
class Pause:
    start_s: float  # end of the previous sound
    end_s: float  # onset of the next sound


def quiet_threshold_db(loudness_db: np.ndarray) -> float:
    """A level between the noise floor and speech; frames below it count as pause."""
    floor, speech = np.percentile(loudness_db, [10, 90])
    return float(min(floor + 0.35 * (speech - floor), speech - 15.0))


def pause_before(
    loudness_db: np.ndarray, word_start_s: float, *, earliest_s: float, latest_onset_s: float, threshold_db: float
) -> Pause | None:
    """The pause before the sound of a word that Whisper says starts at `word_start_s`.

    Onsets from 1.0 s before the word start to `latest_onset_s` are considered, and the pause that
    is longest, less half its onset's distance from the word start, wins: Whisper often puts the
    first word after a silence seconds early, even before the silence, and a chapter starts after
    the longest pause near its first words. None when the audio is never quiet there (music, noise).
    """
    lo = max(0, int(earliest_s / FRAME_S))
    hi = min(len(loudness_db), int(max(latest_onset_s, word_start_s + 0.6) / FRAME_S) + 1)
    if hi - lo < 2:
        return None
    quiet = loudness_db[lo:hi] < threshold_db
    rises = np.flatnonzero(quiet[:-1] & ~quiet[1:]) + 1  # first loud frame after a quiet one
    best: Pause | None = None
    for onset in rises[rises + lo >= (word_start_s - 1.0) / FRAME_S]:
        before = quiet[:onset][::-1]
        length = int(np.argmin(before)) if not before.all() else len(before)
        if length * FRAME_S < MIN_PAUSE_S:
            continue  # a dip between syllables
        pause = Pause(start_s=round(float(lo + onset - length) * FRAME_S, 3), end_s=round(float(lo + onset) * FRAME_S, 3))
        if best is None or _plausibility(pause, word_start_s) > _plausibility(best, word_start_s):
            best = pause
    return best


def _plausibility(pause: Pause, word_start_s: float) -> float:
    return (pause.end_s - pause.start_s) - 0.5 * abs(pause.end_s - word_start_s)


def lengths(loudness_db: np.ndarray) -> np.ndarray:
    """Every pause of the episode (quiet between two sounds, at least MIN_PAUSE_S), in seconds:
    what is a long pause here, whatever part of the episode was transcribed."""
    if not len(loudness_db):
        return np.zeros(0)
    starts, ends = _quiet_runs(loudness_db, quiet_threshold_db(loudness_db))
    inner = (starts > 0) & (ends < len(loudness_db))  # not the silence before the first sound or after the last
    found = (ends - starts)[inner] * FRAME_S
    return found[found >= MIN_PAUSE_S]


def _quiet_runs(levels: np.ndarray, threshold_db: float) -> tuple[np.ndarray, np.ndarray]:
    """The stretches of frames below `threshold_db`: their first frames and the frames just after them."""
    quiet = np.concatenate([[False], levels < threshold_db, [False]])
    edges = np.flatnonzero(np.diff(quiet.astype(int)))
    return edges[::2], edges[1::2]


def wordless_sound_before(loudness_db: np.ndarray, pause_start_s: float, after_s: float, min_s: float) -> float | None:
    """Where the sound that ends at `pause_start_s` began, when it began after `after_s` (the last
    word before it) and lasted at least `min_s`, dips shorter than MIN_PAUSE_S included: an intro
    jingle before the first words. None when there is none, or it is shorter."""
    end = min(len(loudness_db), int(round(pause_start_s / FRAME_S)))
    lo = max(0, int(after_s / FRAME_S))
    if end - lo < min_s / FRAME_S:
        return None
    starts, ends = _quiet_runs(loudness_db[lo:end], quiet_threshold_db(loudness_db))
    sound_end = end - lo
    if len(ends) and ends[-1] == sound_end:  # quiet up to the words: the sound, if any, ended where that began
        sound_end, starts, ends = starts[-1], starts[:-1], ends[:-1]
    before = (ends - starts) * FRAME_S >= MIN_PAUSE_S
    if not before.any():
        return None  # no quiet since the last word: its sound goes on
    begin = int(ends[before][-1])
    if (sound_end - begin) * FRAME_S < min_s:
        return None
    return round((lo + begin) * FRAME_S, 3)


def quiet_before(loudness_db: np.ndarray, time_s: float, search_s: float = 3.0) -> float:
    """The last quiet moment up to `search_s` before `time_s` (or `time_s`): a clean place to cut."""
    hi = min(len(loudness_db), max(0, int(time_s / FRAME_S)))
    lo = max(0, int((time_s - search_s) / FRAME_S))
    if hi <= lo:
        return max(0.0, time_s)
    quiet = np.flatnonzero(loudness_db[lo:hi] < quiet_threshold_db(loudness_db))
    return round((lo + quiet[-1]) * FRAME_S, 3) if len(quiet) else max(0.0, time_s)


def activity(loudness_db: np.ndarray, bins: int) -> list[float]:
    """Share of sounding frames in each of `bins` equal stretches: the timeline picture of the report."""
    if not len(loudness_db) or bins <= 0:
        return []
    sounding = loudness_db >= quiet_threshold_db(loudness_db)
    edges = np.linspace(0, len(sounding), bins + 1).astype(int)
    return [round(float(sounding[a:b].mean()), 3) if b > a else 0.0 for a, b in zip(edges, edges[1:])]


def onset_after_longest_quiet(loudness_db: np.ndarray, from_s: float) -> float | None:
    """The first sounding moment after the longest quiet stretch (at least MIN_PAUSE_S) after
    `from_s`, up to the end; None when it is never quiet there or nothing sounds after it."""
    lo = max(0, int(from_s / FRAME_S))
    starts, ends = _quiet_runs(loudness_db[lo:], quiet_threshold_db(loudness_db))
    inner = (ends < len(loudness_db) - lo) & ((ends - starts) * FRAME_S >= MIN_PAUSE_S)  # something sounds after it
    if not inner.any():
        return None
    longest = int(np.argmax(np.where(inner, ends - starts, -1)))
    return round((lo + ends[longest]) * FRAME_S, 3)


def quietest(loudness_db: np.ndarray, from_s: float, to_s: float, smooth_frames: int = 5) -> float:
    """The quietest moment between two times (levels averaged over a few frames, so that a dip
    inside a word does not win over a breath between words): where a long stretch of speech is cut."""
    lo, hi = max(0, int(from_s / FRAME_S)), min(len(loudness_db), int(to_s / FRAME_S))
    if hi - lo < smooth_frames:
        return to_s
    smoothed = np.convolve(loudness_db[lo:hi], np.ones(smooth_frames) / smooth_frames, mode="valid")
    return round((lo + int(np.argmin(smoothed)) + smooth_frames // 2) * FRAME_S, 3)
