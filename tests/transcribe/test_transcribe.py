"""The public face: whole files and windows through a stand-in model, words converted, options passed."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline import transcribe
from pipeline.audio import DecodedAudio
from pipeline.transcribe import TranscribeOptions, stretches

AUDIO = DecodedAudio(samples=np.zeros(16000 * 2, dtype=np.int16), loudness_db=np.zeros(200, dtype=np.float32))
SEQUENTIAL = TranscribeOptions(language="de", batch_size=0)


def test_sequential_words_and_options(fake_model):
    progress = []
    result = transcribe.transcribe(lambda: AUDIO, "hash1", SEQUENTIAL, lambda done, total: progress.append((done, total)))
    assert [(w.text, w.start_s, w.end_s) for w in result.words] == [("Hallo", 0.5, 0.9), ("Welt.", 1.0, 1.4)]
    assert result.language == "de" and result.duration_s == 2.0
    (kind, kwargs), = fake_model.calls
    assert kind == "transcribe" and kwargs["word_timestamps"] is True and kwargs["condition_on_previous_text"] is False
    assert progress[-1] == (2.0, 2.0)


def test_batched_by_default_over_the_speech_found(fake_model):
    result = transcribe.transcribe(lambda: AUDIO, "hash1b", TranscribeOptions(language="de"))
    (cut, language, options), = fake_model.batched.calls
    assert cut == [(0.5, 1.5)] and language == "de" and options.beam_size == 5 and options.batch_size == 8
    assert [(w.text, w.start_s) for w in result.words] == [("Wort", 1.5)]
    assert fake_model.calls == []  # nothing doubtful: no second look


def test_language_is_detected_only_when_unknown(fake_model):
    result = transcribe.transcribe(lambda: AUDIO, "hash2", TranscribeOptions(language=None, batch_size=0))
    assert [c[0] for c in fake_model.calls] == ["detect", "transcribe"]
    assert fake_model.calls[0][1]["vad_filter"] is True  # a music intro must not decide the language
    assert result.language == "de"


def test_blocks_are_offset_back_into_episode_time(fake_model, monkeypatch):
    monkeypatch.setattr(stretches, "BLOCK_S", 600.0)
    loudness = np.full(130_000, -20.0, dtype=np.float32)
    long = DecodedAudio(samples=np.zeros(16000 * 1300, dtype=np.int16), loudness_db=loudness)
    result = transcribe.transcribe(lambda: long, "hash8", SEQUENTIAL)
    assert [w.start_s for w in result.words] == [0.5, 1.0, 600.5, 601.0]
    batched = transcribe.transcribe(lambda: long, "hash8", TranscribeOptions(language="de"))
    assert [w.start_s for w in batched.words] == [1.5, 601.5]  # VAD and stretches per block, in episode time


def test_windows_are_merged_and_decoded_with_their_speech(fake_model):
    long = DecodedAudio(samples=np.zeros(16000 * 100, dtype=np.int16), loudness_db=np.full(10_000, -20.0, dtype=np.float32))
    result = transcribe.transcribe_windows(lambda: long, "hash9", [(10.0, 30.0), (25.0, 40.0), (80.0, 120.0)], TranscribeOptions(language="de"))
    cut = [s for call in fake_model.batched.calls for s in call[0]]
    assert cut[0][0] == 10.0 and cut[-1] == (80.0, 100.0)
    assert all(end - start <= 30.0 for start, end in cut)
    assert sum(end - start for start, end in cut) == pytest.approx(30.0 + 20.0)
    assert [w.start_s for w in result.words] == [start + 1.0 for start, _end in cut]


def test_words_heard_again_replace_those_of_the_first_listen_where_they_were_transcribed():
    from pipeline.model import Transcript, Word

    first = Transcript(words=(Word("a", 1.0, 1.2, 0.9), Word("b", 50.0, 50.2, 0.9), Word("c", 99.0, 99.2, 0.9)), language="de", duration_s=100.0, model="base")
    wider = Transcript(words=(Word("B", 45.0, 45.2, 0.9), Word("B2", 51.0, 51.2, 0.9)), language="de", duration_s=100.0, model="base")
    assert [w.text for w in transcribe.with_words_from(first, wider, [(40.0, 60.0)]).words] == ["a", "B", "B2", "c"]


def test_windows_tell_their_progress_in_seconds_of_audio_decoded(fake_model):
    long = DecodedAudio(samples=np.zeros(16000 * 100, dtype=np.int16), loudness_db=np.full(10_000, -20.0, dtype=np.float32))
    told = []
    transcribe.transcribe_windows(lambda: long, "hash10", [(10.0, 30.0), (80.0, 100.0)], TranscribeOptions(language="de"), lambda d, t: told.append((d, t)))
    assert told and told[-1] == (40.0, 40.0) and [d for d, _t in told] == sorted(d for d, _t in told)
