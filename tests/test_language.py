import pytest

from pipeline import language


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Wie lange werden Neulinge geschult? Hat der Kundenservice ein Imageproblem? Was ist dran?", "de"),
        ("How did the show start? What gear do you recommend? Why do chapter markers matter for the listener?", "en"),
        ("Comment avez-vous commencé? Pourquoi les chapitres sont importants pour nous et pour vous?", "fr"),
    ],
)
def test_guess(text, code):
    assert language.guess(text) == code


@pytest.mark.parametrize("text", ["Intro\nOutro", "", "0:10 Intro 1:00 Q&A"])
def test_unclear_text_gives_none(text):
    assert language.guess(text) is None


def test_the_languages_we_accept_are_those_faster_whisper_knows():
    from faster_whisper.tokenizer import _LANGUAGE_CODES

    assert language.WHISPER_LANGUAGES == set(_LANGUAGE_CODES)
