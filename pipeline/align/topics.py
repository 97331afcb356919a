"""Titles that name a part of the show rather than ask something, and how hosts open that part.

A sentence embedder knows that "Wie lange werden Neulinge geschult?" and "Wie viele Wochen dauert
die Ausbildung am Anfang?" mean much the same; it does not know that "Vorstellung" is what a host
does with "Erzähl doch mal, wer du bist": the title names the part, the host performs it (measured:
cosine 0.00 between the two). These are the conventional parts of an interview episode, in German
and English, with typical ways of opening each; a title that names one is compared with the
passages as itself and as each opening, and the closest counts.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from pipeline import textmatch

# How hosts say goodbye: what places a listed Outro, and the goodbye chapters are proposed at
GOODBYES = (
    "Das war's für heute. Danke fürs Zuhören und bis zum nächsten Mal.",
    "Danke, dass du da warst, und bis zur nächsten Folge.",
    "That's it for today. Thanks for listening, and see you next time.",
    "Thank you for joining us, and until next time.",
)

# (words that name the part, at the start of a title word) -> how hosts open it
PARTS: dict[tuple[str, ...], tuple[str, ...]] = {
    # wordless in a timed list (it moves with its neighbours); in a list without times, the goodbye places it
    ("outro", "abspann", "verabschiedung", "goodbye", "signoff"): GOODBYES,
    ("vorstellung", "stelltsichvor", "stellensichvor", "stellenunsvor", "introduc", "meet", "kennenlernen", "steckbrief"): (
        "Erzähl doch mal, wer du bist und was du machst.",
        "Stell dich doch bitte kurz vor.",
        "Wer seid ihr eigentlich?",
        "Tell us a bit about yourself.",
        "Who are you and what do you do?",
    ),
    ("ausblick", "outlook", "zukunft", "future", "whatsnext"): (
        "Wie geht es in Zukunft weiter?",
        "Was habt ihr als Nächstes vor?",
        "Wo siehst du dich in ein paar Jahren?",
        "What's next for you?",
        "Where do you see this in a few years?",
    ),
    ("hörerfragen", "hörerinnenfragen", "zuhörerfragen", "hörerpost", "listener", "mailbag", "community"): (
        "Wir haben Post von unseren Hörerinnen und Hörern bekommen.",
        "Eine Hörerin möchte wissen,",
        "Ein Zuhörer hat uns geschrieben und fragt,",
        "A listener wrote in and asked",
        "We got some questions from our listeners.",
    ),
    ("fazit", "abschluss", "schluss", "wrapup", "closing", "takeaway", "takeaways", "final"): (
        "Zum Schluss noch eine letzte Frage.",
        "Was möchtest du unseren Hörern zum Abschluss mitgeben?",
        "One last question before we wrap up.",
        "What should listeners take away from this?",
    ),
    ("tipps", "ratschläge", "tips", "advice"): (
        "Hast du ein paar Tipps für alle, die das ausprobieren wollen?",
        "Was rätst du jemandem, der neu anfängt?",
        "Do you have any tips for people starting out?",
        "What advice would you give?",
    ),
}


def openings_for(title: str) -> tuple[str, ...]:
    """How hosts open the parts of the show a title names (none for a title that asks something)."""
    words = textmatch.tokens(title)
    joined = "".join(words)
    found: list[str] = []
    for names, phrases in PARTS.items():
        if any(word.startswith(name) for word in words for name in names) or any(name in joined for name in names if len(name) > 8):
            found += phrases
    return tuple(found)


# How a host opens the show: the welcome belongs to the Intro, not to the first question, even where
# it names the guest and the topics to come (a title's words heard there start no chapter). Whisper
# garbles the German greeting under a jingle's tail ("herzlich mitkommen", "Herzich will kommen"):
# a passage this close to it welcomes too ("herzlichen Dank", "herzlichen Glückwunsch": below 70).
WELCOME_WORDS = ("willkommen", "welcome")
GREETING, GREETING_LIKENESS = "herzlich willkommen", 80.0


def is_welcome(text: str) -> bool:
    return any(word.startswith(WELCOME_WORDS) for word in textmatch.tokens(text)) or fuzz.partial_ratio(text.lower(), GREETING) >= GREETING_LIKENESS
