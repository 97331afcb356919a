"""Which stretches get a second look, and which look wins."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.audio import DecodedAudio
from pipeline.transcribe import Heard, TranscribeOptions, second_look, whisper

from .conftest import fake_batched, word

GOOD = Heard(10.0, 20.0, (word("Wie", 10.5, 10.8), word("lange", 10.8, 11.2), word("dauert", 11.2, 11.8), word("das?", 11.8, 12.3)), -0.3)
SPEECH = [(10.3, 12.6)]


def _said(start_s: float, text: str) -> tuple:
    return tuple(word(w, start_s + i * 0.1, start_s + (i + 1) * 0.1) for i, w in enumerate(text.split()))


@pytest.mark.parametrize(
    "heard, speech, doubtful",
    [
        (GOOD, SPEECH, False),
        (Heard(10.0, 20.0, GOOD.words, -0.3, truncated=True), SPEECH, True),  # stopped at the token limit
        (Heard(10.0, 20.0, GOOD.words, -1.3), SPEECH, True),  # unlikely text
        (Heard(10.0, 20.0, tuple(word(".D .E .M", 10 + i * 0.3, 10.2 + i * 0.3) for i in range(30)), -0.3), SPEECH, True),  # a loop
        (Heard(10.0, 20.0, GOOD.words + tuple(word(w, 12.5 + i * 0.1, 12.6 + i * 0.1) for i, w in enumerate(("Wir haben nicht geschult. " * 3).split())), -0.3), SPEECH, True),  # a sentence looped
        (Heard(10.0, 20.0, GOOD.words + _said(12.5, "das halb ist der Boden, " * 3 + "das"), -0.3), SPEECH, True),  # a phrase looped, no sentence end
        (Heard(10.0, 20.0, GOOD.words + _said(12.5, "wir, " * 5), -0.3), SPEECH, True),  # a word looped
        (Heard(10.0, 20.0, GOOD.words + _said(12.5, "Ja, ja, ja, genau so, genau so war das."), -0.3), SPEECH, False),  # people repeat themselves
        (GOOD, SPEECH + [(15.0, 16.4)], True),  # a short sentence (a title) not in the text
        (GOOD, SPEECH + [(15.0, 15.6)], False),  # a cough's worth of speech
        (Heard(10.0, 20.0, (), 0.0), [], False),  # silence heard as silence
        (Heard(10.0, 20.0, (), 0.0), [(12.0, 19.0)], True),  # speech heard as silence
    ],
)
def test_which_stretches_get_a_second_look(heard, speech, doubtful):
    assert second_look.needs_second_look(heard, speech) is doubtful


def test_unheard_speech_adds_up_over_the_stretch():
    assert second_look.unheard_s(GOOD, SPEECH) == pytest.approx(0.0)
    # words reach from 10.0 to 12.8; the stretch ends at 20.0
    assert second_look.unheard_s(GOOD, [(8.0, 12.0), (13.0, 14.0), (19.0, 25.0)]) == pytest.approx(0.0 + 1.0 + 1.0)


LONG = DecodedAudio(samples=np.zeros(16000 * 40, dtype=np.int16), loudness_db=np.full(4000, -20.0, dtype=np.float32))


def test_second_look_decodes_the_stretch_again_in_short_pieces_cut_in_its_pauses(fake_model, monkeypatch):
    loop = Heard(10.0, 30.0, tuple(word("Ich erinnere mich.", 10 + i, 10.9 + i) for i in range(20)), -0.2)
    decode = fake_batched({10.0: loop})
    monkeypatch.setattr(whisper, "decode_batched", decode)
    speech = [(10.5, 14.0), (15.0, 22.0), (23.0, 29.0), (31.5, 33.0)]
    heard = second_look.decode_stretches(fake_model, LONG, [(10.0, 30.0), (31.0, 34.0)], speech, "de", TranscribeOptions())
    first, again = decode.calls
    assert first[0] == [(10.0, 30.0), (31.0, 34.0)]
    assert again[0] == [(10.5, 14.0), (15.0, 22.0), (23.0, 29.0)]  # only the looping stretch, at every pause
    assert decode.no_repeat == [0, second_look.SECOND_LOOK_NO_REPEAT_TOKENS]  # and not into the same loop again
    assert [(w.text, w.start_s) for w in heard[0].words] == [("Wort", 11.5), ("Wort", 16.0), ("Wort", 24.0)]
    assert [w.text for w in heard[1].words] == ["Wort"]


def test_a_worse_second_look_is_not_taken(fake_model, monkeypatch):
    dropped = Heard(10.0, 30.0, (word("Wie", 10.5, 10.8), word("lange?", 10.8, 11.2)), -0.3)  # 15–22 s unheard
    decode = fake_batched({10.0: dropped, 10.5: Heard(10.5, 14.0, ()), 15.0: Heard(15.0, 22.0, ())})
    monkeypatch.setattr(whisper, "decode_batched", decode)
    speech = [(10.5, 14.0), (15.0, 22.0)]
    heard = second_look.decode_stretches(fake_model, LONG, [(10.0, 30.0)], speech, "de", TranscribeOptions())
    assert len(decode.calls) == 2 and heard[0].words == dropped.words
    without = second_look.decode_stretches(fake_model, LONG, [(10.0, 30.0)], speech, "de", TranscribeOptions(second_look=False))
    assert len(decode.calls) == 3 and without[0].words == dropped.words


def test_the_pieces_of_every_doubtful_stretch_share_one_batch_and_go_back_to_their_stretch(fake_model, monkeypatch):
    loop = tuple(word("Ich erinnere mich.", 10 + i, 10.9 + i) for i in range(20))
    decode = fake_batched({0.0: Heard(0.0, 9.0, loop, -0.2), 10.0: Heard(10.0, 20.0, GOOD.words, -0.3), 21.0: Heard(21.0, 30.0, loop, -0.2)})
    monkeypatch.setattr(whisper, "decode_batched", decode)
    speech = [(0.5, 3.0), (4.5, 8.0), (10.3, 12.6), (22.0, 29.0)]
    heard = second_look.decode_stretches(fake_model, LONG, [(0.0, 9.0), (10.0, 20.0), (21.0, 30.0)], speech, "de", TranscribeOptions())
    first, again = decode.calls
    assert again[0] == [(0.5, 3.0), (4.5, 8.0), (22.0, 29.0)]  # both loops' pieces in one call; the good stretch not again
    assert [[w.start_s for w in h.words] for h in heard] == [[1.5, 5.5], [w.start_s for w in GOOD.words], [23.0]]
