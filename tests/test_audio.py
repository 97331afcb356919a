import numpy as np
import pytest
from mutagen.id3 import ID3, TIT2

from conftest import make_mp3
from pipeline import audio
from pipeline.errors import AudioError


def test_decode_gives_16k_mono_and_duration(tmp_path):
    mp3 = make_mp3(tmp_path / "a.mp3", 3.0)
    decoded = audio.decode(mp3)
    assert decoded.samples.dtype == np.int16
    assert decoded.seconds(1.0, 2.0).dtype == np.float32 and len(decoded.seconds(1.0, 2.0)) == 16000
    assert decoded.duration_s == pytest.approx(3.0, abs=0.1)
    assert len(decoded.loudness_db) == pytest.approx(300, abs=10)
    assert -24 < decoded.loudness_db.mean() < -18  # ffmpeg's sine has amplitude 1/8: RMS -21 dBFS


def test_frames_hash_ignores_tags(tmp_path):
    mp3 = make_mp3(tmp_path / "a.mp3", 2.0)
    before = audio.frames_hash(mp3)
    tags = ID3()
    tags.add(TIT2(encoding=3, text=["Titel"]))
    tags.save(mp3)
    with mp3.open("ab") as f:
        f.write(b"TAG" + b"\0" * 125)
    assert audio.frames_hash(mp3) == before
    region = audio.audio_region(mp3)
    assert region.id3v2_tags == 1 and region.end == mp3.stat().st_size - 128


def test_frames_hash_changes_with_the_audio(tmp_path):
    assert audio.frames_hash(make_mp3(tmp_path / "a.mp3", 2.0)) != audio.frames_hash(make_mp3(tmp_path / "b.mp3", 2.0, frequency=300))


def test_truncated_mp3_decodes_what_is_there(tmp_path):
    mp3 = make_mp3(tmp_path / "a.mp3", 4.0)
    data = mp3.read_bytes()
    mp3.write_bytes(data[: len(data) // 2 + 17])
    assert audio.decode(mp3).duration_s == pytest.approx(2.0, abs=0.4)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"ID3\x03\x00\x00\x00\x00\x00\x05hello", "no audio"), (b"OggS" + b"\0" * 100, "Ogg")],
)
def test_refusals(tmp_path, content, message):
    path = tmp_path / "x.mp3"
    path.write_bytes(content)
    with pytest.raises(AudioError, match=message):
        audio.decode(path)
