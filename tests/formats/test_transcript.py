from pipeline.formats import transcript as fmt
from pipeline.model import Transcript, Word


def transcript(*words):
    return Transcript(words=tuple(Word(t, s, e, 0.9) for t, s, e in words), language="de", duration_s=60.0, model="base")


SPEECH = transcript(
    ("Hallo", 0.0, 0.4), ("und", 0.5, 0.7), ("willkommen.", 0.8, 1.4),
    ("Heute", 4.0, 4.3), ("geht", 4.4, 4.6), ("es", 4.7, 4.8), ("um", 4.9, 5.0), ("<Kapitel>", 5.1, 5.8),
)


def test_json_round_trip():
    assert fmt.from_json(fmt.to_json(SPEECH)) == SPEECH


def test_cues_split_at_sentence_ends_and_pauses():
    assert [text for _, _, text in fmt.cues(SPEECH.words)] == ["Hallo und willkommen.", "Heute geht es um <Kapitel>"]


def test_long_speech_is_split_into_readable_cues():
    long = transcript(*[(f"wort{i}", i * 0.3, i * 0.3 + 0.2) for i in range(60)])
    cues = list(fmt.cues(long.words))
    assert all(len(text.split()) <= fmt.MAX_CUE_WORDS for _, _, text in cues)
    assert all(end - start <= fmt.MAX_CUE_S for start, end, _ in cues)
    assert sum(len(text.split()) for _, _, text in cues) == 60


def test_srt():
    assert fmt.to_srt(SPEECH).splitlines()[:3] == ["1", "00:00:00,000 --> 00:00:01,400", "Hallo und willkommen."]


def test_vtt_escapes_markup():
    vtt = fmt.to_vtt(SPEECH)
    assert vtt.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:01.400\nHallo")
    assert "&lt;Kapitel&gt;" in vtt and "<Kapitel>" not in vtt


def test_text_paragraphs_at_long_pauses():
    assert fmt.to_text(SPEECH) == "Hallo und willkommen.\n\nHeute geht es um <Kapitel>\n"
