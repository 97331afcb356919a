import pytest

from pipeline import episode
from pipeline.errors import InputError
from pipeline.model import Chapter
from pipeline.transcribe import TranscribeOptions


def test_check_times_names_the_line():
    with pytest.raises(InputError, match="notes.txt:3"):
        episode.check_times([Chapter("Zu spät", 100.0, line_no=3)], 50.0, "notes.txt")
    episode.check_times([Chapter("Rechtzeitig", 49.0, line_no=3)], 50.0, "notes.txt")


def test_language_from_the_text_only_when_not_given():
    assert episode.with_language(TranscribeOptions(), "Wie lange werden die Neulinge geschult und was ist das?").language == "de"
    assert episode.with_language(TranscribeOptions(language="en"), "Wie lange werden die Neulinge geschult?").language == "en"
    assert episode.with_language(TranscribeOptions(), "").language is None


def test_duration_comes_from_the_cached_loudness_without_decoding(tmp_path, monkeypatch):
    from conftest import make_mp3

    mp3 = make_mp3(tmp_path / "x.mp3", 3.0)
    first = episode.load(mp3)
    assert first.duration_s == pytest.approx(3.0, abs=0.1)
    second = episode.load(mp3)
    monkeypatch.setattr(episode.audio, "decode", lambda path: pytest.fail("decoded although the loudness was cached"))
    assert second.duration_s == pytest.approx(first.duration_s)


def test_voice_spectra_are_cached_like_the_loudness(tmp_path, monkeypatch):
    from conftest import make_mp3

    mp3 = make_mp3(tmp_path / "x.mp3", 3.0)
    measured = episode.load(mp3).voice_spectra
    assert len(measured) == pytest.approx(3.0 / episode.voices.HOP_S, abs=5)
    monkeypatch.setattr(episode.audio, "decode", lambda path: pytest.fail("decoded although the spectra were cached"))
    assert (episode.load(mp3).voice_spectra == measured).all()
