"""Snippets packed into shared encoder passes, and their words mapped back into episode time."""

from __future__ import annotations

import numpy as np

from pipeline import transcribe
from pipeline.audio import DecodedAudio
from pipeline.model import Word
from pipeline.transcribe import TranscribeOptions, packing


def test_snippets_share_a_pass_while_they_fit():
    packs = packing.pack([(10.0, 20.0), (50.0, 60.0), (90.0, 100.0), (130.0, 140.0)])
    assert packs == [[(10.0, 20.0), (50.0, 60.0)], [(90.0, 100.0), (130.0, 140.0)]]  # 10 + 0.6 + 10 + 0.6 + 10 > 30
    assert packing.pack([(0.0, 5.0)] * 4) == [[(0.0, 5.0)] * 4]


def test_packed_audio_holds_each_snippet_and_silence_between():
    samples = (np.arange(16000 * 100) % 30000).astype(np.int16)
    audio = DecodedAudio(samples=samples, loudness_db=np.zeros(10_000, dtype=np.float32))
    packed, spans, pieces = packing.packed_audio(audio, [[(10.0, 12.0), (50.0, 51.0)]])
    assert spans == [(0.0, 3.6)] and [(p.packed_s, p.episode_s) for p in pieces] == [(0.0, 10.0), (2.6, 50.0)]
    assert np.array_equal(packed.samples[: 32000], samples[160000:192000])
    assert not packed.samples[32000 : 32000 + 9600].any()  # the gap
    assert np.array_equal(packed.samples[41600:], samples[800000:816000])


def test_words_go_back_to_their_snippet():
    pieces = [packing.Piece(0.0, 10.0, 2.0), packing.Piece(2.6, 50.0, 1.0)]
    words = [Word("eins", 0.5, 0.9), Word("zwei", 2.2, 2.3), Word("drei", 2.5, 2.9), Word("vier", 3.2, 3.9)]
    assert [(w.text, w.start_s, w.end_s) for w in packing.unpacked(words, pieces)] == [
        ("eins", 10.5, 10.9), ("zwei", 12.0, 12.0), ("drei", 50.0, 50.3), ("vier", 50.6, 51.0)
    ]


def test_transcribe_snippets_decodes_the_packs_and_caches(fake_model):
    long = DecodedAudio(samples=np.zeros(16000 * 200, dtype=np.int16), loudness_db=np.full(20_000, -20.0, dtype=np.float32))
    snippets = [(10.0, 20.0), (60.0, 70.0), (120.0, 130.0)]
    result = transcribe.transcribe_snippets(lambda: long, "hash11", snippets, TranscribeOptions(language="de"))
    ((spans, language, _options),) = fake_model.batched.calls
    assert spans == [(0.0, 20.6), (20.6, 30.6)] and language == "de"
    # the stand-in hears a word a second into each pack: in the first and the third snippet
    assert [w.start_s for w in result.words] == [11.0, 121.0]
    assert transcribe.transcribe_snippets(lambda: long, "hash11", snippets, TranscribeOptions(language="de")) == result
    assert len(fake_model.loads) == 1
