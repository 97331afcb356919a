import numpy as np
import pytest

from pipeline import voices

RATE = 16000


def _voice(seconds: float, pitch_hz: float, formants_hz: tuple[float, ...], seed: int) -> np.ndarray:
    """A crude vowel-like voice: a pulse train at the pitch through resonances at the formants, syllables every 0.2 s."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    source = sum(np.sin(2 * np.pi * pitch_hz * h * t) / h for h in range(1, 30))
    shaped = sum(np.sin(2 * np.pi * f * t) * (np.sin(2 * np.pi * pitch_hz * t) + 1.2) for f in formants_hz) + 0.3 * source
    syllables = 0.6 + 0.4 * np.sin(2 * np.pi * 5 * t + rng.uniform(0, 6))
    return (shaped * syllables / np.abs(shaped).max() * 8000).astype(np.int16)


HOST = dict(pitch_hz=110.0, formants_hz=(600.0, 1100.0, 2400.0))
GUEST = dict(pitch_hz=230.0, formants_hz=(850.0, 1900.0, 3000.0))


def test_a_change_of_speaker_moves_the_signature_more_than_a_pause_within_one_voice():
    silence = np.zeros(RATE, dtype=np.int16)
    samples = np.concatenate([_voice(4, **HOST, seed=1), silence, _voice(4, **HOST, seed=2), silence, _voice(4, **GUEST, seed=3)])
    spectra = voices.spectra(samples, RATE)
    assert spectra.dtype == np.float16 and spectra.shape[1] == len(voices.BANDS_HZ) - 1
    same = voices.change(spectra, 4.0, 5.0, 9.0)  # host, pause, host again
    other = voices.change(spectra, 9.0, 10.0, 14.0)  # host, pause, guest
    assert other > 2 * same


def test_no_speech_to_compare_is_no_change():
    spectra = voices.spectra(np.zeros(RATE // 100, dtype=np.int16), RATE)
    assert len(spectra) == 0
    assert voices.change(spectra, 1.0, 1.5, 3.0) == 0.0
    spectra = voices.spectra(_voice(2, **HOST, seed=1), RATE)
    assert voices.change(spectra, 0.02, 0.05, 0.06) == 0.0  # stretches too short to average


def test_a_long_episode_is_measured_in_blocks_with_the_same_result():
    samples = _voice(200, **GUEST, seed=4)  # more frames than one block of the FFT
    whole = voices.spectra(samples, RATE)
    assert len(whole) == pytest.approx(200 / voices.HOP_S, abs=3)
    np.testing.assert_allclose(whole[:100].astype(float), voices.spectra(samples[: 3 * RATE], RATE)[:100].astype(float), atol=0.02)


def test_the_askers_voice_is_that_of_the_questions_after_long_pauses():
    silence = np.zeros(RATE, dtype=np.int16)
    parts, stretches, at = [], [], 0.0
    for number, who in enumerate([HOST, GUEST, HOST, GUEST, HOST, GUEST]):
        parts += [silence, _voice(3, **who, seed=number)]
        stretches.append((at, at + 1.0, at + 4.0))  # (pause start, onset, passage end)
        at += 4.0
    spectra = voices.spectra(np.concatenate(parts), RATE)
    asking = np.array([True, False, True, False, True, False])
    found = voices.cues(spectra, stretches, asking)
    assert found.from_asker[[0, 2, 4]].max() < found.from_asker[[1, 3, 5]].min() / 2
    assert (found.change[1:] > 1.0).all()  # every pause here is a change of speaker
    too_few = voices.cues(spectra, stretches, np.array([True, False, True, False, False, False]))
    assert np.isnan(too_few.from_asker).all()  # two questions do not make an asker
