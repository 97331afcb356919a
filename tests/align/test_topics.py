"""Titles that name a part of the show, and the host's welcome."""

from __future__ import annotations

import pytest

from pipeline.align import topics


@pytest.mark.parametrize("title", ["Vorstellung Jana Krüger", "Anke Reimers stellt sich vor", "Wir stellen uns vor", "Meet Rosa",
                                   "Introductions", "Tom introduces himself", "Ausblick: Wer kommt nach dir?", "Outro"])
def test_titles_naming_a_part_of_the_show_get_its_usual_openings(title):
    assert topics.openings_for(title)


@pytest.mark.parametrize("title", ["Wie stellt sich das Team den Umzug vor?", "Was macht eine freiberufliche Hebamme?", "Who will take over the farm?"])
def test_titles_that_ask_something_get_none(title):
    assert topics.openings_for(title) == ()


@pytest.mark.parametrize(("text", "welcome"), [
    ("Hallo und herzlich willkommen bei Ankommen. Heute sitze ich mit Anke Reimers am Küchentisch.", True),
    ("Moin, willkommen zur neuen Folge!", True),
    ("Hello, and welcome to Pass the Salt.", True),
    ("Welcome back, everyone.", True),
    ("Wie bist du zur Hebamme geworden?", False),
    ("Die Kinder sind hier immer willig und gut gelaunt.", False),
    ("Nemo sind herzlich mitkommen bei Önluft, dem Podcast über Menschen.", True),  # Whisper's ear, under a jingle's tail
    ("Servus und Herzich will kommen bei hoch hinaus.", True),
    ("Vielen herzlichen Dank für das Gespräch.", False),
    ("Das ist herzlich gemeint und vollkommen richtig.", False),
])
def test_the_hosts_welcome_is_told_by_its_words(text, welcome):
    assert topics.is_welcome(text) is welcome
