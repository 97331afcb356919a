"""Who is speaking, roughly: a voice's average spectrum, to tell where the voice changes and whose it is.

A chapter usually opens with the host's voice after the guest's; a sentence that merely repeats a
title's words inside an answer does not. The host is whoever asks: the voice of the questions
that follow the longer pauses. The signature of a stretch is its mean log energy in
log-spaced bands over its louder frames (the formants and pitch region of the voice, averaged),
so a change of speaker moves it more than a change of sentence does. One voice throughout (a
monologue, an audiobook) gives small changes everywhere, and then this says nothing either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

VERSION = 1  # part of the cache file's name: change it when the signature changes
HOP_S = 0.02
WINDOW_S = 0.032
BANDS_HZ = np.geomspace(100.0, 4000.0, 25)  # 24 bands over the range that tells voices apart
SIGNATURE_S = 2.5  # the voice before a pause and after it is averaged over this much speech
MIN_ASKING = 3  # questions it takes to know the asker's voice


def spectra(samples: np.ndarray, rate: int) -> np.ndarray:
    """frames (every HOP_S) × bands: log band energy, float16 (a 3-hour episode: ~26 MB)."""
    size, hop = int(WINDOW_S * rate), int(HOP_S * rate)
    if len(samples) < size:
        return np.zeros((0, len(BANDS_HZ) - 1), dtype=np.float16)
    frequencies = np.fft.rfftfreq(size, 1.0 / rate)
    bins = np.searchsorted(BANDS_HZ, frequencies, side="right") - 1  # band of each FFT bin (-1, 24: outside)
    inside = (bins >= 0) & (bins < len(BANDS_HZ) - 1)
    window = np.hanning(size).astype(np.float32)
    out = []
    frames = np.lib.stride_tricks.sliding_window_view(samples, size)[::hop]
    for start in range(0, len(frames), 4096):  # in blocks: the FFT of a whole episode at once would not fit in memory
        power = np.abs(np.fft.rfft(frames[start : start + 4096].astype(np.float32) * window, axis=1)) ** 2
        bands = np.zeros((len(power), len(BANDS_HZ) - 1), dtype=np.float64)
        np.add.at(bands.T, bins[inside], power[:, inside].T)
        out.append(np.log(bands + 1e-3).astype(np.float16))
    return np.concatenate(out)


def change(spectra_: np.ndarray, before_end_s: float, after_start_s: float, after_end_s: float) -> float:
    """How far the voice of the SIGNATURE_S before `before_end_s` lies from the voice after
    `after_start_s` (up to `after_end_s`): RMS difference of their signatures (0: the same)."""
    before = _signature(spectra_, before_end_s - SIGNATURE_S, before_end_s)
    after = _signature(spectra_, after_start_s, min(after_end_s, after_start_s + SIGNATURE_S))
    if before is None or after is None:
        return 0.0
    return float(np.sqrt(np.mean((before - after) ** 2)))


@dataclass(frozen=True)
class Cues:
    """Per opening of the transcript."""

    change: np.ndarray  # how far the voice after its pause lies from the voice before it (change())
    from_asker: np.ndarray  # how far its voice lies from the voice that asks the episode's questions (nan: unknown)


def cues(spectra_: np.ndarray, stretches: Sequence[tuple[float, float, float]], asking: np.ndarray) -> Cues:
    """`stretches`: (pause start, onset, passage end) of each opening; `asking`: the openings that
    surely ask something (questions after the longer pauses), whose voice is the asker's."""
    change_ = np.array([change(spectra_, pause_start, onset, end) for pause_start, onset, end in stretches])
    voiced = [_signature(spectra_, onset, min(end, onset + SIGNATURE_S)) for _, onset, end in stretches]
    asker = [v for v, asks in zip(voiced, asking) if asks and v is not None]
    if len(asker) < MIN_ASKING:
        return Cues(change_, np.full(len(stretches), np.nan))
    centre = np.median(np.array(asker), axis=0)
    from_asker = np.array([np.sqrt(np.mean((v - centre) ** 2)) if v is not None else np.nan for v in voiced])
    return Cues(change_, from_asker)


def _signature(spectra_: np.ndarray, start_s: float, end_s: float) -> np.ndarray | None:
    first, last = max(0, int(start_s / HOP_S)), min(len(spectra_), int(end_s / HOP_S))
    stretch = spectra_[first:last].astype(np.float32)
    if len(stretch) < 5:
        return None
    energy = stretch.sum(axis=1)
    return stretch[energy >= np.median(energy)].mean(axis=0)  # the louder half: the voice, not the gaps
