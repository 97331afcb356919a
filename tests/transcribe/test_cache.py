"""The transcript cache: keyed on audio, model, options and library versions; reused; damage ignored."""

from __future__ import annotations

import numpy as np

from pipeline import transcribe
from pipeline.audio import DecodedAudio
from pipeline.transcribe import TranscribeOptions, cache

AUDIO = DecodedAudio(samples=np.zeros(16000 * 2, dtype=np.int16), loudness_db=np.zeros(200, dtype=np.float32))


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


def test_cache_key_covers_the_decoding_libraries(monkeypatch):
    options = TranscribeOptions(language="de")
    before = cache.key("hash", "model", options)
    assert set(cache._versions()) == {"faster-whisper", "ctranslate2", "av"}
    monkeypatch.setattr(cache, "_versions", lambda: {"faster-whisper": "9.9", "ctranslate2": "1", "av": "1"})
    assert cache.key("hash", "model", options) != before


def test_no_cache_transcribes_again(fake_model):
    transcribe.transcribe(lambda: AUDIO, "hash6", TranscribeOptions(language="de"))
    transcribe.transcribe(lambda: AUDIO, "hash6", TranscribeOptions(language="de", use_cache=False))
    assert len(fake_model.loads) == 2


def test_damaged_cache_entry_is_ignored(fake_model):
    options = TranscribeOptions(language="de")
    transcribe.transcribe(lambda: AUDIO, "hash7", options)
    cache.path(cache.key("hash7", "fake:base", options)).write_text("{half a docu")
    assert transcribe.transcribe(lambda: AUDIO, "hash7", options).words[0].text == "Wort"
    assert len(fake_model.loads) == 2


def test_has_cached_answers_only_for_a_whole_transcript(fake_model):
    options = TranscribeOptions(language="de")
    transcribe.transcribe_windows(lambda: AUDIO, "hash10", [(0.0, 1.0)], options)
    assert not transcribe.has_cached("hash10", options)
    transcribe.transcribe(lambda: AUDIO, "hash10", options)
    assert transcribe.has_cached("hash10", options)
    assert not transcribe.has_cached("hash10", TranscribeOptions(language="de", use_cache=False))
