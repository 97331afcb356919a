"""Transcription around a stand-in model: options passed, words converted, cache keyed and reused."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from pipeline import transcribe
from pipeline.audio import DecodedAudio
from pipeline.transcribe import TranscribeOptions


class FakeWhisper:
    def __init__(self):
        self.calls = []

    def detect_language(self, samples, **kwargs):
        self.calls.append(("detect", kwargs))
        return "de", 0.99, []

    def transcribe(self, samples, **kwargs):
        self.calls.append(("transcribe", kwargs))
        words = [SimpleNamespace(word=" Hallo", start=0.5, end=0.9, probability=0.9), SimpleNamespace(word=" Welt.", start=1.0, end=1.4, probability=0.8)]
        return iter([SimpleNamespace(end=1.4, words=words)]), SimpleNamespace(language=kwargs["language"])


@pytest.fixture
def fake_model(monkeypatch, tmp_path):
    model = FakeWhisper()
    loads = []
    monkeypatch.setattr(transcribe.modelstore, "resolve", lambda name: (tmp_path, f"fake:{name}"))
    monkeypatch.setattr(transcribe, "_load_model", lambda folder, options: loads.append(options) or model)
    model.loads = loads
    return model


AUDIO = DecodedAudio(samples=np.zeros(16000 * 2, dtype=np.int16), loudness_db=np.zeros(200, dtype=np.float32))


def test_words_and_options(fake_model):
    progress = []
    result = transcribe.transcribe(lambda: AUDIO, "hash1", TranscribeOptions(language="de"), lambda done, total: progress.append((done, total)))
    assert [(w.text, w.start_s, w.end_s) for w in result.words] == [("Hallo", 0.5, 0.9), ("Welt.", 1.0, 1.4)]
    assert result.language == "de" and result.duration_s == 2.0
    (kind, kwargs), = fake_model.calls
    assert kind == "transcribe" and kwargs["word_timestamps"] is True and kwargs["condition_on_previous_text"] is False
    assert progress[-1] == (2.0, 2.0)


def test_language_is_detected_only_when_unknown(fake_model):
    result = transcribe.transcribe(lambda: AUDIO, "hash2", TranscribeOptions(language=None))
    assert [c[0] for c in fake_model.calls] == ["detect", "transcribe"]
    assert fake_model.calls[0][1]["vad_filter"] is True  # a music intro must not decide the language
    assert result.language == "de"


def test_second_run_comes_from_the_cache(fake_model):
    first = transcribe.transcribe(lambda: AUDIO, "hash3", TranscribeOptions(language="de"))
    second = transcribe.transcribe(lambda: AUDIO, "hash3", TranscribeOptions(language="de"))
    assert second == first
    assert len(fake_model.loads) == 1


def test_cache_key_covers_audio_and_options(fake_model):
    transcribe.transcribe(lambda: AUDIO, "hash4", TranscribeOptions(language="de"))
    transcribe.transcribe(lambda: AUDIO, "hash5", TranscribeOptions(language="de"))
    transcribe.transcribe(lambda: AUDIO, "hash4", TranscribeOptions(language="de", beam_size=1))
    transcribe.transcribe(lambda: AUDIO, "hash4", TranscribeOptions(language="de", device="cuda"))  # same words: cached
    assert len(fake_model.loads) == 3


def test_no_cache_transcribes_again(fake_model):
    transcribe.transcribe(lambda: AUDIO, "hash6", TranscribeOptions(language="de"))
    transcribe.transcribe(lambda: AUDIO, "hash6", TranscribeOptions(language="de", use_cache=False))
    assert len(fake_model.loads) == 2


def test_damaged_cache_entry_is_ignored(fake_model):
    options = TranscribeOptions(language="de")
    transcribe.transcribe(lambda: AUDIO, "hash7", options)
    key = transcribe._cache_key("hash7", "fake:base", options)
    transcribe._cache_path(key).write_text("{half a docu")
    assert transcribe.transcribe(lambda: AUDIO, "hash7", options).words[0].text == "Hallo"
    assert len(fake_model.loads) == 2


def test_long_audio_goes_in_blocks_cut_in_pauses():
    loudness = np.full(250_000, -20.0, dtype=np.float32)  # 2500 s of sound …
    loudness[58_000:58_200] = -90.0  # … with a pause at 580–582 s
    long = DecodedAudio(samples=np.zeros(16000 * 2500, dtype=np.int16), loudness_db=loudness)
    cuts = transcribe.blocks(long, block_s=600.0)
    assert cuts[0] == (0.0, 581.99)
    assert cuts[-1][1] == 2500.0 and len(cuts) == 4
    assert all(b - a <= 600.0 * 1.5 for a, b in cuts)
    assert transcribe.blocks(long, block_s=1800.0) == [(0.0, 2500.0)]  # under 1.5 blocks: one piece


def test_blocks_are_offset_back_into_episode_time(fake_model, monkeypatch):
    monkeypatch.setattr(transcribe, "BLOCK_S", 600.0)
    loudness = np.full(130_000, -20.0, dtype=np.float32)
    long = DecodedAudio(samples=np.zeros(16000 * 1300, dtype=np.int16), loudness_db=loudness)
    result = transcribe.transcribe(lambda: long, "hash8", TranscribeOptions(language="de"))
    assert [w.start_s for w in result.words] == [0.5, 1.0, 600.5, 601.0]
