"""Cutting the audio for the model: blocks, stretches and pieces in pauses; stretched words."""

from __future__ import annotations

import numpy as np

from pipeline.audio import DecodedAudio
from pipeline.transcribe import stretches

from .conftest import word


def test_long_audio_goes_in_blocks_cut_in_pauses():
    loudness = np.full(250_000, -20.0, dtype=np.float32)  # 2500 s of sound …
    loudness[58_000:58_200] = -90.0  # … with a pause at 580–582 s
    long = DecodedAudio(samples=np.zeros(16000 * 2500, dtype=np.int16), loudness_db=loudness)
    cuts = stretches.blocks(long, block_s=600.0)
    assert cuts[0] == (0.0, 581.99)
    assert cuts[-1][1] == 2500.0 and len(cuts) == 4
    assert all(b - a <= 600.0 * 1.5 for a, b in cuts)
    assert stretches.blocks(long, block_s=1800.0) == [(0.0, 2500.0)]  # under 1.5 blocks: one piece


def test_stretches_end_in_pauses_and_stay_under_30_s():
    regions = [(1.0, 8.0), (9.0, 20.0), (21.0, 29.0), (30.0, 45.0), (70.0, 72.0)]
    assert stretches.cut_stretches(regions, np.full(10_000, -20.0, dtype=np.float32)) == [(1.0, 29.0), (30.0, 45.0), (70.0, 72.0)]


def test_long_speech_is_cut_at_its_quietest_moment():
    loudness = np.full(10_000, -20.0, dtype=np.float32)
    loudness[2650:2660] = -60.0  # a breath at 26.5 s in a minute of unbroken speech
    # VAD splits long speech into touching regions: that is no pause
    cut = stretches.cut_stretches([(0.0, 30.0), (30.0, 60.0)], loudness)
    assert cut[0][0] == 0.0 and 26.5 <= cut[0][1] <= 26.6
    assert cut[1][0] == cut[0][1] and cut[-1][1] == 60.0
    assert all(end - start <= 30.0 for start, end in cut)


def test_pieces_cut_at_every_pause_still_cut_unbroken_speech():
    loudness = np.full(10_000, -20.0, dtype=np.float32)
    pieces = stretches.cut_stretches([(0.0, 3.0), (4.0, 25.0)], loudness, longest_s=10.0, search_s=10.0)
    assert pieces[0] == (0.0, 3.0) and pieces[-1][1] == 25.0
    assert all(5.0 <= end - start <= 10.0 for start, end in pieces[1:-1])
    assert all(a[1] <= b[0] for a, b in zip(pieces, pieces[1:]))


def test_a_word_stretched_over_a_silence_starts_with_its_speech():
    words = (word("10%.", 10.2, 11.4), word("One.", 11.4, 22.1), word("From", 23.7, 24.4), word("Neueinsteigerinnen", 30.0, 31.4))
    speech = [(8.4, 11.6), (21.6, 22.8), (23.9, 27.2), (29.9, 31.6)]
    fixed = stretches.starts_in_speech(words, speech)
    assert [w.start_s for w in fixed] == [10.2, 21.6, 23.7, 30.0]


def test_windows_merge_when_they_overlap_or_touch():
    assert stretches.merge_windows([(5.0, 10.0), (0.0, 6.0), (12.0, 13.0), (13.0, 14.0)]) == [(0.0, 10.0), (12.0, 14.0)]
