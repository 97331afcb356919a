"""A stand-in for faster-whisper: the model, its VAD and its batched decoder."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from pipeline import modelstore
from pipeline.model import Word
from pipeline.transcribe import Heard, whisper


def fake_word(text, start, end):
    return SimpleNamespace(word=" " + text, start=start, end=end, probability=0.9)


def word(text, start, end):
    return Word(text, start, end, 0.9)


class FakeWhisper:
    """faster-whisper's sequential `transcribe` hears "Hallo Welt." 0.5 s into whatever it is given."""

    def __init__(self):
        self.calls = []

    def detect_language(self, samples, **kwargs):
        self.calls.append(("detect", kwargs))
        return "de", 0.99, []

    def transcribe(self, samples, **kwargs):
        self.calls.append(("transcribe", kwargs))
        words = [fake_word("Hallo", 0.5, 0.9), fake_word("Welt.", 1.0, 1.4)]
        return iter([SimpleNamespace(end=1.4, words=words)]), SimpleNamespace(language=kwargs["language"])


def fake_batched(heard_by_start=None):
    """Stands in for the batched decoder: one word a second into each stretch, or what the test says."""
    calls = []

    def decode(model, audio, stretches, language, options, on_progress=None, no_repeat_ngram_size=0):
        calls.append((list(stretches), language, options))
        decode.no_repeat.append(no_repeat_ngram_size)
        found = heard_by_start or {}
        total, done = sum(end - start for start, end in stretches), 0.0
        for start, end in stretches:  # told as the real one tells it: seconds of the stretches decoded
            done += end - start
            if on_progress:
                on_progress(done, total)
        return [found.get(start) or Heard(start, end, (Word("Wort", start + 1.0, start + 1.4, 0.9),), -0.2) for start, end in stretches]

    decode.calls, decode.no_repeat = calls, []
    return decode


@pytest.fixture
def fake_model(monkeypatch, tmp_path):
    model = FakeWhisper()
    loads = []
    monkeypatch.setattr(modelstore, "resolve", lambda name: (tmp_path, f"fake:{name}"))
    monkeypatch.setattr(whisper, "load_model", lambda folder, options: loads.append(options) or model)
    monkeypatch.setattr(whisper, "speech_regions", lambda audio, start, end: [(start + 0.5, min(end, start + 1.5))])
    model.batched = fake_batched()
    monkeypatch.setattr(whisper, "decode_batched", model.batched)
    model.loads = loads
    return model
