"""Where speech starts: the pause before a word, found in the loudness envelope.

Whisper's word starts are often a few hundred milliseconds early or late; the envelope says where
the sound really begins, so that a listener who jumps to a chapter hears its first word whole.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.audio import FRAME_S

MIN_PAUSE_S = 0.15  # shorter dips are gaps between syllables, not pauses
MAX_LATE_ONSET_S = 4.0  # how far after Whisper's word start the real sound may begin


@dataclass(frozen=True)
class Pause:
    start_s: float  # end of the previous sound
    end_s: float  # onset of the next sound


def quiet_threshold_db(loudness_db: np.ndarray) -> float:
    """A level between the noise floor and speech; frames below it count as pause."""
    floor, speech = np.percentile(loudness_db, [10, 90])
    return float(min(floor + 0.35 * (speech - floor), speech - 15.0))


def pause_before(loudness_db: np.ndarray, word_start_s: float, *, earliest_s: float, threshold_db: float) -> Pause | None:
    """The pause before the sound of a word that Whisper says starts at `word_start_s`.

    The longest pause that ends from 1.0 s before to 0.6 s after the word start, or later (up to
    MAX_LATE_ONSET_S) if it began by then: Whisper often places the first word after a silence
    inside the silence, seconds early. None when the audio there is never quiet (music, noise).
    """
    lo = max(0, int(earliest_s / FRAME_S))
    hi = min(len(loudness_db), int((word_start_s + MAX_LATE_ONSET_S) / FRAME_S))
    if hi - lo < 2:
        return None
    quiet = loudness_db[lo:hi] < threshold_db
    rises = np.flatnonzero(quiet[:-1] & ~quiet[1:]) + 1  # first loud frame after a quiet one
    near_start = int((word_start_s + 0.6) / FRAME_S) - lo
    best: Pause | None = None
    for onset in rises[rises + lo >= (word_start_s - 1.0) / FRAME_S]:
        before = quiet[:onset][::-1]
        length = int(np.argmin(before)) if not before.all() else len(before)
        if length * FRAME_S < MIN_PAUSE_S or onset - length > near_start:
            continue  # a dip between syllables, or a pause that began after the word did
        pause = Pause(start_s=round(float(lo + onset - length) * FRAME_S, 3), end_s=round(float(lo + onset) * FRAME_S, 3))
        if best is None or pause.end_s - pause.start_s > best.end_s - best.start_s:
            best = pause
    return best
