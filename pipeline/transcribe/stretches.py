"""Where the audio is cut before it goes to the model: blocks, stretches and pieces, always in pauses.

Whisper drops a word cut in half at the end of its input, and the words a chapter title starts
with are often just there; so every cut falls where speech pauses, or at its quietest moment.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from pipeline import pauses
from pipeline.audio import DecodedAudio
from pipeline.model import Word
from pipeline.transcribe.whisper import STRETCH_S

MIN_GAP_S = 0.05  # VAD regions closer than this are one stretch of speech
CUT_SEARCH_S = 6.0  # a stretch ends in a pause found in its last seconds, or at their quietest moment
SECOND_LOOK_S, SECOND_LOOK_PAUSE_S = 10.0, 1.0  # short pieces are this long at most, cut at such pauses
LONGEST_WORD_S = 1.5  # a word "spoken" longer than this, across a silence, starts too early
# Transcribed at a time: memory stays flat for long episodes (faster-whisper's VAD holds a block
# at once: ~2.5 GB peak for 30 min), episodes up to 1.5 blocks go in one piece.
BLOCK_S = 1200.0


def cut_stretches(
    regions: list[tuple[float, float]], loudness_db: np.ndarray, longest_s: float = STRETCH_S, search_s: float = CUT_SEARCH_S
) -> list[tuple[float, float]]:
    """Speech regions gathered into stretches of the episode, each ≤ `longest_s` (one encoder pass).

    A stretch ends where speech pauses when one falls in its last `search_s`; otherwise it is cut
    at the quietest moment there. Unlike faster-whisper's own packing the silences stay in, so
    that times in a stretch are times in the episode.
    """
    pending: list[tuple[float, float]] = []
    for start, end in sorted(r for r in regions if r[1] > r[0]):
        if pending and start - pending[-1][1] < MIN_GAP_S:  # VAD splits long speech without a pause
            pending[-1] = (pending[-1][0], max(end, pending[-1][1]))
        else:
            pending.append((start, end))
    stretches: list[tuple[float, float]] = []
    while pending:
        start = pending[0][0]
        end = start
        while pending and pending[0][1] - start <= longest_s:
            end = pending.pop(0)[1]
        if pending and pending[0][0] < start + longest_s and (end == start or end < start + longest_s - search_s):
            # no pause late enough: cut inside the speech, in the stretch's second half at the latest
            cut = pauses.quietest(loudness_db, max(pending[0][0], start + longest_s - min(search_s, longest_s / 2)), start + longest_s)
            end, pending[0] = cut, (cut, pending[0][1])
        stretches.append((start, end))
    return stretches


def short_pieces(regions: list[tuple[float, float]], loudness_db: np.ndarray) -> list[tuple[float, float]]:
    """Speech cut at every pause into pieces of at most SECOND_LOOK_S.

    Given less context the decoder loops and skips far less; what it skips is mostly the
    sentence after a pause (a title after a music break), and a piece never holds one.
    """
    runs: list[list[tuple[float, float]]] = []
    for region in sorted(regions):
        if runs and region[0] - runs[-1][-1][1] < SECOND_LOOK_PAUSE_S:
            runs[-1].append(region)
        else:
            runs.append([region])
    return [piece for run in runs for piece in cut_stretches(run, loudness_db, longest_s=SECOND_LOOK_S)]


def blocks(audio: DecodedAudio, block_s: float | None = None) -> list[tuple[float, float]]:
    """Consecutive stretches of about `block_s`, each cut at a quiet moment (never inside a word)."""
    block_s = block_s or BLOCK_S
    cuts = [0.0]
    while audio.duration_s - cuts[-1] > block_s * 1.5:
        cuts.append(max(cuts[-1] + 1.0, pauses.quiet_before(audio.loudness_db, cuts[-1] + block_s, search_s=30.0)))
    return list(zip(cuts, cuts[1:] + [audio.duration_s]))


def merge_windows(windows: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Overlapping or touching windows joined."""
    merged: list[tuple[float, float]] = []
    for start, end in sorted((max(0.0, a), b) for a, b in windows if b > a):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def starts_in_speech(words: tuple[Word, ...], speech: list[tuple[float, float]]) -> tuple[Word, ...]:
    """Words stretched back over a silence start where their speech does.

    Whisper sometimes lets the first word after a pause begin where the last one ended ("One."
    from 11.4 s to 22.1 s, said at 21.6 s); a title's start is exactly such a word.
    """
    starts = np.array([start for start, _end in speech])
    fixed = []
    for word in words:
        if word.end_s - word.start_s > LONGEST_WORD_S and len(starts):
            region = int(np.searchsorted(starts, word.end_s, side="left")) - 1
            if region >= 0 and speech[region][0] > word.start_s and speech[region][0] < word.end_s - 0.1:
                word = dataclasses.replace(word, start_s=speech[region][0])
        fixed.append(word)
    return tuple(fixed)
