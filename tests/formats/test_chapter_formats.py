"""Every chapter format: rendered, checked by an independent parser or schema, and read back unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import webvtt
import xmlschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import formats
from pipeline.errors import InputError
from pipeline.formats import audacity, ffmetadata, podcasting20, psc, webvtt_chapters, youtube
from pipeline.model import ChapterMark

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MARKS = [
    ChapterMark("Intro", 0.0, 12.345),
    ChapterMark('„Jede*r Mitarbeiter*in" <b>&</b> = ; # \\ Sonderzeichen', 12.345, 3725.5, url="https://example.org/a?b=1&c=2"),
    ChapterMark("Begrüßung 🎙️ – Schluss", 3725.5, 3800.0),
]
MODULES = [module for _, module in formats.CHAPTER_FORMATS.values()]


def comparable(marks, *, with_end=True, with_url=True):
    return [(m.title, round(m.start_s, 3), round(m.end_s, 3) if with_end and m.end_s is not None else None, m.url if with_url else None) for m in marks]


@pytest.mark.parametrize("module", MODULES, ids=[m.__name__.rsplit(".", 1)[1] for m in MODULES])
def test_round_trip(module):
    back = module.parse(module.render(MARKS, title="Folge 1"))
    has_end = module in (podcasting20, webvtt_chapters, ffmetadata, audacity)
    has_url = module in (podcasting20, psc)
    expected = MARKS if module is not youtube else [ChapterMark(m.title, float(round(m.start_s)), None) for m in MARKS]
    assert comparable(back, with_end=has_end, with_url=has_url) == comparable(expected, with_end=has_end, with_url=has_url)


@pytest.mark.parametrize("module", MODULES, ids=[m.__name__.rsplit(".", 1)[1] for m in MODULES])
def test_detected_from_content(module, tmp_path):
    path = tmp_path / "chapters.any"
    path.write_text(module.render(MARKS), encoding="utf-8")
    assert formats.detect(path, path.read_text(encoding="utf-8")) is module
    assert [m.title for m in formats.read(path)] == [m.title for m in MARKS]


def test_psc_is_valid_against_the_schema():
    schema = xmlschema.XMLSchema(FIXTURES / "psc-1.2.xsd")
    schema.validate(psc.render(MARKS))
    assert 'start="01:02:05.500"' in psc.render(MARKS)


def test_webvtt_chapters_parse_with_webvtt_py(tmp_path):
    path = tmp_path / "c.vtt"
    path.write_text(webvtt_chapters.render(MARKS), encoding="utf-8")
    captions = webvtt.read(str(path))
    assert [c.start for c in captions] == ["00:00:00.000", "00:00:12.345", "01:02:05.500"]
    assert "&lt;b&gt;" in captions[1].raw_text


def test_youtube_lines_follow_youtubes_rules_and_say_what_changed():
    late = [ChapterMark("A", 5.0, 20.0), ChapterMark("B", 20.0, 30.0), ChapterMark("C", 30.0, 60.0)]
    assert youtube.render(late).splitlines() == ["0:00 A", "0:20 B", "0:30 C"]  # the list must start at 0:00
    short = [ChapterMark("Intro", 0.0, 4.0), ChapterMark("Frage 1", 4.0, 40.0), ChapterMark("Werbung", 40.0, 46.0),
             ChapterMark("Frage 2", 46.0, 90.0), ChapterMark("Frage 3", 90.0, 130.0), ChapterMark("Outro", 130.0, 135.0)]
    fitted, notes = youtube.fit(short)
    assert [(m.title, m.start_s) for m in fitted] == [("Frage 1", 0.0), ("Frage 2", 46.0), ("Frage 3", 90.0)]
    assert youtube.render(short).splitlines() == ["0:00 Frage 1", "0:46 Frage 2", "1:30 Frage 3"]
    assert notes == [f"'{title}' dropped: shorter than 10 s, which YouTube does not allow" for title in ("Intro", "Werbung", "Outro")]
    few, notes = youtube.fit([ChapterMark("A", 0.0, 30.0), ChapterMark("B", 30.0, 60.0)])
    assert len(few) == 2 and notes == ["only 2 chapter(s): YouTube shows description chapters only from 3 on"]
    assert youtube.render(MARKS).splitlines()[2].startswith("1:02:06 ")


def test_ffmetadata_escapes_special_characters():
    text = ffmetadata.render(MARKS)
    assert "title=„Jede*r Mitarbeiter*in\" <b>&</b> \\= \\; \\# \\\\ Sonderzeichen" in text
    assert "START=12345" in text and "END=3725500" in text


@pytest.mark.parametrize(
    ("module", "text"),
    [(psc, "<notpsc/>"), (psc, "<broken"), (webvtt_chapters, "hello"), (ffmetadata, "[CHAPTER]"), (audacity, "x\ty\tz"),
     (ffmetadata, ";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=x\nEND=1\n")],
)
def test_malformed_files_are_clear_errors(module, text):
    with pytest.raises(InputError):
        module.parse(text)


JSONISH = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(["chapters", "startTime", "endTime", "title", "url", "toc"]), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(), JSONISH.map(json.dumps), st.sampled_from([";FFMETADATA1\n[CHAPTER]\n", "WEBVTT\n\n", '<?xml version="1.0"?><x/>'])
                 .flatmap(lambda head: st.text().map(lambda rest: head + rest))))
def test_any_chapter_file_gives_chapters_or_one_clear_error(tmp_path, text):
    path = tmp_path / "chapters.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        marks = formats.read(path)
    except InputError:
        return
    assert all(isinstance(m.title, str) and m.start_s >= 0 for m in marks)


def test_youtube_lines_without_times_are_not_a_chapter_file(tmp_path):
    from pipeline.errors import ShownotesError

    with pytest.raises(ShownotesError, match="no chapter times"):
        youtube.parse("- Intro\n- Wie geht es weiter?\n")
