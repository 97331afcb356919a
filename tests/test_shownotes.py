from pathlib import Path

import pytest

from pipeline import shownotes
from pipeline.errors import ShownotesError

SAMPLE = Path(__file__).resolve().parent / "fixtures" / "oton69-shownotes.txt"  # the shared sample episode's description


def one(line: str):
    (chapter,) = shownotes.parse(line)
    return chapter.claimed_s, chapter.title


@pytest.mark.parametrize(
    ("line", "seconds", "title"),
    [
        ("0:10 – Intro", 10, "Intro"),
        ("15:10 - Outro", 910, "Outro"),
        ("5:25 — Wie lange werden Neulinge geschult?", 325, "Wie lange werden Neulinge geschult?"),
        ("05:25 Wie lange?", 325, "Wie lange?"),
        ("1:02:03 – Lang", 3723, "Lang"),
        ("01:02:03 Lang", 3723, "Lang"),
        ("[12:30] Eckig", 750, "Eckig"),
        ("(12:30) Rund", 750, "Rund"),
        ("[1:12:30] – Eckig lang", 4350, "Eckig lang"),
        ("- 12:30 Bullet", 750, "Bullet"),
        ("* 12:30 – Stern", 750, "Stern"),
        ("• 12:30 Punkt", 750, "Punkt"),
        ("1. 12:30 Nummeriert", 750, "Nummeriert"),
        ("**12:30** Fett", 750, "Fett"),
        ("12:30: Doppelpunkt", 750, "Doppelpunkt"),
        ("12:30 | Strich", 750, "Strich"),
        ("  12:30\tTab", 750, "Tab"),
        ("00:05:25.500 Millis", 325.5, "Millis"),
        ("4:10 – Was entgegnet ihr der Aussage: „Alle Mitarbeiter*innen im Relation Center sind unqualifiziert“?", 250,
         "Was entgegnet ihr der Aussage: „Alle Mitarbeiter*innen im Relation Center sind unqualifiziert“?"),
        ('5:50 – „Jede*r Mitarbeiter*in gibt mir", das hört man', 350, '„Jede*r Mitarbeiter*in gibt mir", das hört man'),
        ("3:35 – Kund*innen-Service", 215, "Kund*innen-Service"),
        ("0:00 - 42 Gründe", 0, "42 Gründe"),
        ("12:30 - - Doppelt", 750, "- Doppelt"),
    ],
)
def test_chapter_line_formats(line, seconds, title):
    assert one(line) == (pytest.approx(seconds), title)


@pytest.mark.parametrize(
    "line",
    [
        "Um 12 Uhr geht es los",
        "Shownotes",
        "Den OTTO O-TON Podcast gibts auf Spotify",
        "Version 1.2.3 ist da",
        "12:75 kaputt",
        "Treffpunkt 12:30 am Bahnhof",
        "12:30",
    ],
)
def test_description_lines_are_not_chapters(line):
    with pytest.raises(ShownotesError):
        shownotes.parse(line)


def test_shared_sample_gives_fourteen_chapters_verbatim():
    chapters = shownotes.parse(SAMPLE.read_text(encoding="utf-8"))
    assert len(chapters) == 14
    assert [c.claimed_s for c in chapters][:3] == [10, 65, 155]
    assert chapters[-1].title == "Outro"
    assert chapters[5].title == "Was entgegnet ihr der Aussage: „Alle Mitarbeiter*innen im Relation Center sind unqualifiziert“?"
    assert chapters[1].line_no == 8


def test_markdown_link_becomes_url():
    (chapter,) = shownotes.parse("- 12:30 [Unser Gast](https://example.org/gast) erzählt")
    assert chapter.title == "Unser Gast erzählt"
    assert chapter.url == "https://example.org/gast"


def test_bare_url_becomes_url():
    (chapter,) = shownotes.parse("12:30 – Mehr dazu – https://example.org/mehr")
    assert chapter.title == "Mehr dazu"
    assert chapter.url == "https://example.org/mehr"


def test_html_description_from_rss():
    html = (
        "<p>Eine Folge über Service.</p><p><strong>Shownotes</strong><br>"
        "0:10 &ndash; Intro<br/>5:25 &#8211; Wie lange werden Neulinge geschult?<br>"
        "7:40 – <a href=\"https://example.org/geld\">Bezahlung</a> &amp; Arbeitszeiten</p>"
        "<ul><li>13:15 – Hat der Kund*innenservice ein Imageproblem?</li></ul>"
    )
    chapters = shownotes.parse(html)
    assert [(c.claimed_s, c.title) for c in chapters] == [
        (10, "Intro"),
        (325, "Wie lange werden Neulinge geschult?"),
        (460, "Bezahlung & Arbeitszeiten"),
        (795, "Hat der Kund*innenservice ein Imageproblem?"),
    ]
    assert chapters[2].url == "https://example.org/geld"


def test_markdown_list_with_heading_and_prose():
    text = "# Folge 12\n\nHeute sprechen wir über Kapitel.\n\n## Kapitel\n\n- **00:00** Intro\n- **03:15** Technik\n"
    assert [(c.claimed_s, c.title) for c in shownotes.parse(text)] == [(0, "Intro"), (195, "Technik")]


def test_no_times_is_a_clear_error():
    with pytest.raises(ShownotesError, match="no chapter times"):
        shownotes.parse("Nur eine Beschreibung.\nOhne Zeiten.")


def test_empty_text_is_a_clear_error():
    with pytest.raises(ShownotesError):
        shownotes.parse("")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("0:10 – Begrüßung".encode("utf-8"), "0:10 – Begrüßung"),
        ("\ufeff0:10 – Begrüßung".encode("utf-8"), "0:10 – Begrüßung"),
        ("0:10 – Begrüßung".encode("cp1252"), "0:10 – Begrüßung"),
        ("0:10 - Begrüßung".encode("latin-1"), "0:10 - Begrüßung"),
    ],
)
def test_decode_tries_utf8_then_windows_then_latin1(data, expected):
    assert shownotes.decode(data) == expected


def test_problems_name_unsorted_and_repeated_times():
    chapters = shownotes.parse("0:00 A\n5:00 B\n3:00 C\n3:00 D\n")
    found = shownotes.problems(chapters)
    assert len(found) == 2
    assert found[0].startswith("line 3: time goes back") and found[1].startswith("line 4: same time")
    assert shownotes.problems(shownotes.parse("0:00 A\n1:00 B")) == []


def test_a_list_of_titles_without_times_gives_untimed_chapters():
    text = "# Folge 12\n\nHeute: Brot.\n\n## Kapitel\n\n- Intro\n- **Wann beginnt der Tag?**\n\n1. Was kostet Mehl?\n\nZum Weiterlesen:\n- [Bäckerei](https://example.org)\n- https://example.org/mehl\n"
    chapters = shownotes.parse(text)
    assert [(c.title, c.claimed_s, c.line_no) for c in chapters] == [("Intro", None, 7), ("Wann beginnt der Tag?", None, 8), ("Was kostet Mehl?", None, 10)]


def test_an_html_list_without_times_gives_untimed_chapters():
    chapters = shownotes.parse("<p>Über Beete.</p><ul><li>Intro</li><li><b>Wie gießt man richtig?</b></li></ul>")
    assert [(c.title, c.claimed_s) for c in chapters] == [("Intro", None), ("Wie gießt man richtig?", None)]


def test_timed_lines_win_over_a_list_and_untimed_can_be_refused():
    assert [c.claimed_s for c in shownotes.parse("- Vorab\n- 0:10 Intro\n- 1:00 Technik\n")] == [10, 60]
    with pytest.raises(ShownotesError, match="no chapter times"):
        shownotes.parse("- Intro\n- Technik\n", untimed=False)


def test_a_titles_file_is_every_line_without_bullets_or_times():
    chapters = shownotes.parse_titles("Intro\n\n1. Wie?\n- 5:00 Wo? https://example.org\n")
    assert [(c.title, c.claimed_s, c.url, c.line_no) for c in chapters] == [("Intro", None, None, 1), ("Wie?", None, None, 3), ("Wo?", None, "https://example.org", 4)]
    with pytest.raises(ShownotesError, match="no titles"):
        shownotes.parse_titles("\n  \n")


def test_rewrite_puts_the_found_time_before_each_untimed_title():
    text = "Kapitel\n- Intro\n- Wann beginnt der Tag?\n"
    assert shownotes.rewrite(text, {2: 0.0, 3: 3725.4}) == "Kapitel\n- 0:00 – Intro\n- 1:02:05 – Wann beginnt der Tag?\n"
    assert shownotes.rewrite("Intro\nWo?\n", {1: 0, 2: 65}) == "0:00 – Intro\n1:05 – Wo?\n"


def test_listing_of_proposed_chapters():
    from pipeline.model import ChapterMark

    assert shownotes.listing([ChapterMark("Hallo", 0.0), ChapterMark("Wann klingelt der Wecker?", 65.2)]) == "0:00 – Hallo\n1:05 – Wann klingelt der Wecker?\n"
