import json

import pytest

from pipeline.errors import InputError
from pipeline.formats import podcasting20
from pipeline.model import ChapterMark


def test_render_and_parse_round_trip():
    marks = [ChapterMark("Intro", 0.0, 12.5), ChapterMark("Frage „eins“", 12.5, 60.0, url="https://example.org")]
    text = podcasting20.render(marks, title="Folge 1")
    document = json.loads(text)
    assert document["version"] == "1.2.0"
    assert document["chapters"][1] == {"startTime": 12.5, "title": "Frage „eins“", "endTime": 60.0, "url": "https://example.org"}
    assert podcasting20.parse(text) == marks


def test_parse_sorts_by_start():
    text = json.dumps({"version": "1.2.0", "chapters": [{"startTime": 30, "title": "B"}, {"startTime": 0, "title": "A"}]})
    assert [m.title for m in podcasting20.parse(text)] == ["A", "B"]


@pytest.mark.parametrize("text", ["{", "[]", '{"chapters": [{"title": "no start"}]}', '{"chapters": 5}'])
def test_parse_rejects_other_documents(text):
    with pytest.raises(InputError):
        podcasting20.parse(text)


def test_silent_entries_are_not_chapters():
    text = json.dumps({"chapters": [{"startTime": 0, "title": "A"}, {"startTime": 5, "img": "x.png", "toc": False}]})
    assert [m.title for m in podcasting20.parse(text)] == ["A"]
