import pytest

from pipeline import timecode


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("0:10", 10), ("5:25", 325), ("15:10", 910), ("75:00", 4500), ("1:02:03", 3723), ("00:05:25.250", 325.25), ("5:25,5", 325.5)],
)
def test_parse(text, seconds):
    assert timecode.parse(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["5:75", "abc", "1:60:00", "", "5"])
def test_parse_rejects(text):
    with pytest.raises(ValueError):
        timecode.parse(text)


def test_format_clock():
    assert timecode.format_clock(325.4) == "5:25"
    assert timecode.format_clock(3723) == "1:02:03"
    assert timecode.format_clock(59.6) == "1:00"
    assert timecode.format_clock(5, always_hours=True) == "0:00:05"


def test_format_precise():
    assert timecode.format_precise(3723.0456) == "01:02:03.046"
    assert timecode.format_precise(1.5, ",") == "00:00:01,500"
