import pytest

from pipeline import textmatch
from pipeline.model import Word


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Mitarbeiter*innen", ["mitarbeiterinnen"]),
        ("Jede*r", ["jeder"]),
        ("Kund:innen-Service", ["kundinnen", "service"]),
        ("„Alle sind unqualifiziert“?", ["alle", "sind", "unqualifiziert"]),
        ("Straße", ["strasse"]),
        ("O-TON #69", ["o", "ton", "69"]),
    ],
)
def test_tokens(text, tokens):
    assert textmatch.tokens(text) == tokens


def words(text, start=0.0):
    return [Word(w, start + i * 0.4, start + i * 0.4 + 0.3) for i, w in enumerate(text.split())]


def test_span_match_ignores_word_boundaries():
    index = textmatch.SpokenIndex.build(words("also ja Hat der Kunden service ein Image Problem? Leider ja"))
    spans = textmatch.title_spans("Hat der Kundenservice ein Imageproblem?", index)
    best = int(spans.similarity.argmax())
    assert best == 2 and spans.similarity[best] == pytest.approx(1.0)
    assert index.words[spans.last_word[best]].text == "Problem?"


def test_phonetics_forgive_misheard_spelling():
    index = textmatch.SpokenIndex.build(words("Wie lange werden Neulinger geschuld"))
    exact = textmatch.SpokenIndex.build(words("Wie lange werden Weinberge gemalt"))
    title = "Wie lange werden Neulinge geschult?"
    assert textmatch.title_spans(title, index).similarity[0] > 0.9
    assert textmatch.title_spans(title, exact).similarity[0] < 0.8


def test_bag_of_words_finds_a_paraphrase():
    heard = words("Stellt euch doch bitte kurz vor. Ich bin Martin und das ist Robert")
    assert textmatch.bag_of_words("Vorstellung Martin und Robert", heard) >= 2 / 3
    assert textmatch.bag_of_words("Bezahlung und Arbeitszeiten", heard) == 0


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [("Sonnet 1", "en", ["sonnet", "one"]), ("12 Jahre", "de", ["zwölf", "jahre"]), ("21 ways", "en", ["twentyone", "ways"]),
     ("12 Jahre", None, ["12", "jahre"]), ("Top 5", "xx", ["top", "5"])],
)
def test_numbers_are_spelled_in_the_episode_language(text, language, expected):
    assert textmatch.tokens(text, language) == expected


def test_spoken_form():
    assert textmatch.spoken_form("„Jede*r Mitarbeiter:in gibt mir\" Auskunft“") == "Jeder Mitarbeiterin gibt mir Auskunft"
