"""Transcription around a stand-in model: stretches cut, doubtful ones decoded again, words
converted, options passed, cache keyed and reused."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from pipeline import transcribe
from pipeline.audio import DecodedAudio
from pipeline.model import Word
from pipeline.transcribe import Heard, TranscribeOptions


def fake_word(text, start, end):
    return SimpleNamespace(word=" " + text, start=start, end=end, probability=0.9)


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

    def decode(whisper, audio, stretches, language, options):
        calls.append((list(stretches), language, options))
        found = heard_by_start or {}
        return [found.get(start) or Heard(start, end, (Word("Wort", start + 1.0, start + 1.4, 0.9),), -0.2) for start, end in stretches]

    decode.calls = calls
    return decode


@pytest.fixture
def fake_model(monkeypatch, tmp_path):
    model = FakeWhisper()
    loads = []
    monkeypatch.setattr(transcribe.modelstore, "resolve", lambda name: (tmp_path, f"fake:{name}"))
    monkeypatch.setattr(transcribe, "_load_model", lambda folder, options: loads.append(options) or model)
    monkeypatch.setattr(transcribe, "speech_regions", lambda audio, start, end: [(start + 0.5, min(end, start + 1.5))])
    model.batched = fake_batched()
    monkeypatch.setattr(transcribe, "_decode_batched", model.batched)
    model.loads = loads
    return model


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
    (stretches, language, options), = fake_model.batched.calls
    assert stretches == [(0.5, 1.5)] and language == "de" and options.beam_size == 5 and options.batch_size == 8
    assert [(w.text, w.start_s) for w in result.words] == [("Wort", 1.5)]
    assert fake_model.calls == []  # nothing doubtful: no second look


def test_language_is_detected_only_when_unknown(fake_model):
    result = transcribe.transcribe(lambda: AUDIO, "hash2", TranscribeOptions(language=None, batch_size=0))
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
    assert transcribe.transcribe(lambda: AUDIO, "hash7", options).words[0].text == "Wort"
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
    result = transcribe.transcribe(lambda: long, "hash8", SEQUENTIAL)
    assert [w.start_s for w in result.words] == [0.5, 1.0, 600.5, 601.0]
    batched = transcribe.transcribe(lambda: long, "hash8", TranscribeOptions(language="de"))
    assert [w.start_s for w in batched.words] == [1.5, 601.5]  # VAD and stretches per block, in episode time


def test_stretches_end_in_pauses_and_stay_under_30_s():
    regions = [(1.0, 8.0), (9.0, 20.0), (21.0, 29.0), (30.0, 45.0), (70.0, 72.0)]
    stretches = transcribe.cut_stretches(regions, np.full(10_000, -20.0, dtype=np.float32))
    assert stretches == [(1.0, 29.0), (30.0, 45.0), (70.0, 72.0)]


def test_long_speech_is_cut_at_its_quietest_moment():
    loudness = np.full(10_000, -20.0, dtype=np.float32)
    loudness[2650:2660] = -60.0  # a breath at 26.5 s in a minute of unbroken speech
    # VAD splits long speech into touching regions: that is no pause
    stretches = transcribe.cut_stretches([(0.0, 30.0), (30.0, 60.0)], loudness)
    assert stretches[0][0] == 0.0 and 26.5 <= stretches[0][1] <= 26.6
    assert stretches[1][0] == stretches[0][1] and stretches[-1][1] == 60.0
    assert all(end - start <= 30.0 for start, end in stretches)


def test_pieces_cut_at_every_pause_still_cut_unbroken_speech():
    loudness = np.full(10_000, -20.0, dtype=np.float32)
    pieces = transcribe.cut_stretches([(0.0, 3.0), (4.0, 25.0)], loudness, longest_s=10.0, search_s=10.0)
    assert pieces[0] == (0.0, 3.0) and pieces[-1][1] == 25.0
    assert all(5.0 <= end - start <= 10.0 for start, end in pieces[1:-1])
    assert all(a[1] <= b[0] for a, b in zip(pieces, pieces[1:]))


def word(text, start, end):
    return Word(text, start, end, 0.9)


GOOD = Heard(10.0, 20.0, (word("Wie", 10.5, 10.8), word("lange", 10.8, 11.2), word("dauert", 11.2, 11.8), word("das?", 11.8, 12.3)), -0.3)
SPEECH = [(10.3, 12.6)]


@pytest.mark.parametrize(
    "heard, speech, doubtful",
    [
        (GOOD, SPEECH, False),
        (Heard(10.0, 20.0, GOOD.words, -0.3, truncated=True), SPEECH, True),  # stopped at the token limit
        (Heard(10.0, 20.0, GOOD.words, -1.3), SPEECH, True),  # unlikely text
        (Heard(10.0, 20.0, tuple(word(".D .E .M", 10 + i * 0.3, 10.2 + i * 0.3) for i in range(30)), -0.3), SPEECH, True),  # a loop
        (Heard(10.0, 20.0, GOOD.words + tuple(word(w, 12.5 + i * 0.1, 12.6 + i * 0.1) for i, w in enumerate(("Wir haben nicht geschult. " * 3).split())), -0.3), SPEECH, True),  # a sentence looped
        (GOOD, SPEECH + [(15.0, 16.4)], True),  # a short sentence (a title) not in the text
        (GOOD, SPEECH + [(15.0, 15.6)], False),  # a cough's worth of speech
        (Heard(10.0, 20.0, (), 0.0), [], False),  # silence heard as silence
        (Heard(10.0, 20.0, (), 0.0), [(12.0, 19.0)], True),  # speech heard as silence
    ],
)
def test_which_stretches_get_a_second_look(heard, speech, doubtful):
    assert transcribe.needs_second_look(heard, speech) is doubtful


def test_unheard_speech_adds_up_over_the_stretch():
    assert transcribe.unheard_s(GOOD, SPEECH) == pytest.approx(0.0)
    # words reach from 10.0 to 12.8; the stretch ends at 20.0
    assert transcribe.unheard_s(GOOD, [(8.0, 12.0), (13.0, 14.0), (19.0, 25.0)]) == pytest.approx(0.0 + 1.0 + 1.0)


LONG = DecodedAudio(samples=np.zeros(16000 * 40, dtype=np.int16), loudness_db=np.full(4000, -20.0, dtype=np.float32))


def test_second_look_decodes_the_stretch_again_in_short_pieces_cut_in_its_pauses(fake_model, monkeypatch):
    loop = Heard(10.0, 30.0, tuple(word("Ich erinnere mich.", 10 + i, 10.9 + i) for i in range(20)), -0.2)
    decode = fake_batched({10.0: loop})
    monkeypatch.setattr(transcribe, "_decode_batched", decode)
    speech = [(10.5, 14.0), (15.0, 22.0), (23.0, 29.0), (31.5, 33.0)]
    heard = transcribe._decode_stretches(fake_model, LONG, [(10.0, 30.0), (31.0, 34.0)], speech, "de", TranscribeOptions())
    first, again = decode.calls
    assert first[0] == [(10.0, 30.0), (31.0, 34.0)]
    assert again[0] == [(10.5, 14.0), (15.0, 22.0), (23.0, 29.0)]  # only the looping stretch, at every pause
    assert [(w.text, w.start_s) for w in heard[0].words] == [("Wort", 11.5), ("Wort", 16.0), ("Wort", 24.0)]
    assert [w.text for w in heard[1].words] == ["Wort"]


def test_a_worse_second_look_is_not_taken(fake_model, monkeypatch):
    dropped = Heard(10.0, 30.0, (word("Wie", 10.5, 10.8), word("lange?", 10.8, 11.2)), -0.3)  # 15–22 s unheard
    decode = fake_batched({10.0: dropped, 10.5: Heard(10.5, 14.0, ()), 15.0: Heard(15.0, 22.0, ())})
    monkeypatch.setattr(transcribe, "_decode_batched", decode)
    heard = transcribe._decode_stretches(fake_model, LONG, [(10.0, 30.0)], [(10.5, 14.0), (15.0, 22.0)], "de", TranscribeOptions())
    assert len(decode.calls) == 2 and heard[0].words == dropped.words
    no_second_look = transcribe._decode_stretches(fake_model, LONG, [(10.0, 30.0)], [(10.5, 14.0), (15.0, 22.0)], "de", TranscribeOptions(second_look=False))
    assert len(decode.calls) == 3 and no_second_look[0].words == dropped.words


def test_a_word_stretched_over_a_silence_starts_with_its_speech():
    words = (word("10%.", 10.2, 11.4), word("One.", 11.4, 22.1), word("From", 23.7, 24.4), word("Neueinsteigerinnen", 30.0, 31.4))
    speech = [(8.4, 11.6), (21.6, 22.8), (23.9, 27.2), (29.9, 31.6)]
    fixed = transcribe.starts_in_speech(words, speech)
    assert [w.start_s for w in fixed] == [10.2, 21.6, 23.7, 30.0]


def test_windows_are_merged_and_decoded_with_their_speech(fake_model):
    long = DecodedAudio(samples=np.zeros(16000 * 100, dtype=np.int16), loudness_db=np.full(10_000, -20.0, dtype=np.float32))
    result = transcribe.transcribe_windows(lambda: long, "hash9", [(10.0, 30.0), (25.0, 40.0), (80.0, 120.0)], TranscribeOptions(language="de"))
    stretches = [s for call in fake_model.batched.calls for s in call[0]]
    assert stretches[0][0] == 10.0 and stretches[-1] == (80.0, 100.0)
    assert all(end - start <= 30.0 for start, end in stretches)
    assert sum(end - start for start, end in stretches) == pytest.approx(30.0 + 20.0)
    assert [w.start_s for w in result.words] == [start + 1.0 for start, _end in stretches]
    assert transcribe.merge_windows([(5.0, 10.0), (0.0, 6.0), (12.0, 13.0)]) == [(0.0, 10.0), (12.0, 13.0)]
