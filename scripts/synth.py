"""Synthetic podcast episodes whose chapter starts are known exactly.

Speech comes from espeak-ng (two voices: host asks, guest answers), music and noise are generated,
pydub assembles and ffmpeg (from imageio-ffmpeg) encodes the MP3. Each episode gets shownotes, with
chapter times as a producer would have written them (possibly wrong), and a truth file in the
format of shared/samples: where each chapter really starts and the pause before it.

    python scripts/synth.py sample audio/        # the bundled sample (make chapters)
    python scripts/synth.py fixture tests/fixtures/
    python scripts/synth.py bench bench/episodes/
    python scripts/synth.py paraphrase bench/episodes/   # b14-b19: hosts ask in their own words (scripts/paraphrase.py)
    python scripts/synth.py heldout bench/heldout/       # h01-h06: the same kind, other subjects, titles and voices
    python scripts/synth.py heldout2 bench/heldout/      # h07-h12: made after the alignment was tuned, read once
    python scripts/synth.py heldout3 bench/heldout/      # h13-h18: written by helpers, first read after the placed-list tuning
    python scripts/synth.py heldout4 bench/heldout/      # h19-h24: likewise, first read at the end of that session
    python scripts/synth.py heldout5 bench/heldout/      # h25-h30: likewise, unread until the final measurement
    python scripts/synth.py heldout6 bench/heldout/      # h31-h36: likewise
    python scripts/synth.py heldout7 bench/heldout/      # h37-h42: likewise
    python scripts/synth.py heldout8 bench/heldout/      # h43-h48: likewise
    python scripts/synth.py heldout9 bench/heldout/      # h49-h54: likewise
    python scripts/synth.py tuning2 bench/episodes/      # b20-b25: harder interviews, added to the tuning set later

The interview sets need sox and MBROLA voices besides espeak-ng (Debian, with contrib and non-free enabled):
apt-get install espeak-ng sox mbrola mbrola-de1 mbrola-de2 mbrola-de3 mbrola-de4 mbrola-de5 mbrola-de6
mbrola-de7 mbrola-de8 mbrola-us1 mbrola-us2 mbrola-us3 mbrola-en1
"""

from __future__ import annotations

import argparse
import io
import json
import random
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import warnings

import imageio_ffmpeg

with warnings.catch_warnings():  # pydub warns that ffmpeg is not on PATH; we hand it imageio-ffmpeg's
    warnings.simplefilter("ignore", RuntimeWarning)
    from pydub import AudioSegment
    from pydub.generators import Sine, WhiteNoise

sys.path.insert(0, str(Path(__file__).resolve().parent))
from texts import ADVERT, ENGLISH, GERMAN, INTRO, OUTRO  # noqa: E402

AudioSegment.converter = imageio_ffmpeg.get_ffmpeg_exe()
RATE = 22050


@dataclass(frozen=True)
class EpisodeSpec:
    name: str
    language: str = "de"
    host_voice: str = "de+m3"
    guest_voice: str = "de+f2"
    words_per_minute: int = 165
    chapters: tuple[int, ...] = (0, 1, 2)  # indexes into the question bank
    pause_s: tuple[float, float] = (1.5, 3.0)  # silence before each question
    answer_sentences: int = 3
    noise_dbfs: float | None = None  # constant hiss under everything
    music_bed_dbfs: float | None = None  # music under the speech
    preroll: bool = False  # an ad inserted at the start after the shownotes were written
    midroll_before: int | None = None  # chapter number before whose question an ad was inserted afterwards
    drift_s: dict[int, float] = field(default_factory=dict)  # chapter number -> error in the shownotes
    cut: tuple[int, ...] = ()  # chapters listed in the shownotes but cut from the audio
    decoys: dict[int, str] = field(default_factory=dict)  # chapter number -> a look-alike sentence added to its answer
    time_format: str = "{t} – {title}"
    seed: int = 1


def speak(text: str, voice: str, words_per_minute: int) -> AudioSegment:
    wav = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(words_per_minute), "--stdout", text], check=True, capture_output=True
    ).stdout
    return AudioSegment.from_wav(io.BytesIO(wav)).set_frame_rate(RATE).set_channels(1)


def music(duration_s: float, seed: int) -> AudioSegment:
    """A few bars of chords: enough to be 'music' to a speech recogniser and a loudness meter."""
    rng = random.Random(seed)
    roots = [220.0, 246.9, 261.6, 293.7, 329.6]
    out = AudioSegment.silent(duration=0, frame_rate=RATE)
    while len(out) < duration_s * 1000:
        root = rng.choice(roots)
        chord = Sine(root).to_audio_segment(duration=500, volume=-20)
        for ratio in (1.26, 1.5):
            chord = chord.overlay(Sine(root * ratio).to_audio_segment(duration=500, volume=-23))
        out += chord.fade_in(20).fade_out(60)
    return out[: int(duration_s * 1000)].set_frame_rate(RATE).set_channels(1)


def silence(seconds: float) -> AudioSegment:
    return AudioSegment.silent(duration=int(seconds * 1000), frame_rate=RATE)


def clock(seconds: float) -> str:
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def render(spec: EpisodeSpec, out_dir: Path, *, tolerance_s: float = 2.0) -> dict:
    rng = random.Random(spec.seed)
    bank = GERMAN if spec.language == "de" else ENGLISH
    talk = lambda text, voice: speak(text, voice, spec.words_per_minute)  # noqa: E731
    track = silence(0)
    truth: list[dict] = []

    inserted_ms = 0  # audio added after the shownotes were written, before the current point

    def mark(title: str, spoken: str | None, pause_start_ms: int) -> None:
        truth.append({"title": title, "start": round(len(track) / 1000, 3), "spoken": spoken, "inserted": inserted_ms / 1000,
                      "window": [round(pause_start_ms / 1000, 3), round(len(track) / 1000 + 0.01, 3)]})

    def advert() -> AudioSegment:
        return music(2.0, spec.seed + 7) + talk(ADVERT[spec.language], spec.host_voice) + music(1.5, spec.seed + 8) + silence(1.0)

    if spec.preroll:
        track += advert()
        inserted_ms = len(track)
    mark("Intro", None, max(0, inserted_ms - 1000))
    track += music(6.0, spec.seed) + silence(0.5) + talk(INTRO[spec.language], spec.host_voice)
    for number in spec.chapters:
        title, spoken, answers = bank[number]
        spoken = spoken or title
        if number in spec.cut:
            truth.append({"title": title, "start": None, "spoken": None, "window": None, "cut": True})
            continue
        if number == spec.midroll_before:
            before = len(track)
            track += silence(1.0) + advert()
            inserted_ms += len(track) - before
        pause_start = len(track)
        track += silence(rng.uniform(*spec.pause_s))
        mark(title, spoken, pause_start)
        track += talk(spoken, spec.host_voice) + silence(0.6)
        for sentence in [*answers[: spec.answer_sentences], *([spec.decoys[number]] if number in spec.decoys else [])]:
            track += talk(sentence, spec.guest_voice) + silence(rng.uniform(0.25, 0.5))
    pause_start = len(track)
    track += silence(1.5)
    mark("Outro", None, pause_start)
    track += talk(OUTRO[spec.language], spec.host_voice) + silence(0.4) + music(5.0, spec.seed + 1)

    if spec.music_bed_dbfs is not None:
        bed = music(len(track) / 1000, spec.seed + 3)
        track = track.overlay(bed.apply_gain(spec.music_bed_dbfs - bed.dBFS))
    if spec.noise_dbfs is not None:
        track = track.overlay(WhiteNoise().to_audio_segment(duration=len(track), volume=spec.noise_dbfs).set_frame_rate(RATE))

    out_dir.mkdir(parents=True, exist_ok=True)
    track.export(out_dir / f"{spec.name}.mp3", format="mp3", bitrate="48k", parameters=["-ac", "1"])
    claimed, lines = _shownotes(spec, truth, tolerance_s)
    header = {"de": "Eine Folge über das Podcasten selbst.\nShownotes", "en": "An episode about podcasting.\nChapters"}[spec.language]
    (out_dir / f"{spec.name}.txt").write_text(header + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    document = {"duration": round(len(track) / 1000, 3), "language": spec.language, "chapters": truth, "claimed": claimed,
                "expected": [c["expected"] for c in truth]}
    (out_dir / f"{spec.name}.truth.json").write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return document


def expected_status(chapter: dict, claimed_s: float, tolerance_s: float) -> str:
    """The verdict a chapter of the truth file should get for this claimed time (DESIGN.md)."""
    if chapter["spoken"] is None:
        return "unverifiable"
    low, high = chapter["window"]
    return "verified" if low - tolerance_s <= claimed_s <= high + tolerance_s else "corrected"


def _shownotes(spec: EpisodeSpec, truth: list[dict], tolerance_s: float) -> tuple[list[float], list[str]]:
    """Times as the producer wrote them: before the ad was inserted, rounded, some drifted; cut ones interpolated."""
    claimed: list[float] = []
    bank_numbers = [None, *spec.chapters, None]
    for position, chapter in enumerate(truth):
        number = bank_numbers[position]
        if chapter.get("cut"):
            before = next(c for c in reversed(claimed))
            claimed.append(float(round(before + 20)))
            chapter["expected"] = "missing"
            continue
        original = max(0.0, chapter["start"] - chapter.pop("inserted"))
        claimed_s = float(round(original + spec.drift_s.get(number, 0.0))) if number is not None else float(round(original))
        claimed.append(claimed_s)
        chapter["expected"] = expected_status(chapter, claimed_s, tolerance_s)
    lines = [spec.time_format.format(t=clock(t), title=c["title"]) for t, c in zip(claimed, truth)]
    return claimed, lines


SAMPLE = EpisodeSpec(name="podcast-werkstatt", chapters=(0, 1, 3, 8, 10), drift_s={3: -9.0}, seed=3)
FIXTURE = EpisodeSpec(name="short-de", chapters=(8, 10), answer_sentences=1, drift_s={10: -6.0}, seed=5)

BENCH = [
    EpisodeSpec(name="b01-studio", chapters=(0, 1, 2, 3, 4, 5, 6), seed=11),
    EpisodeSpec(name="b02-drifted", chapters=(7, 8, 9, 10, 11, 12, 13), drift_s={8: 35.0, 10: -28.0, 12: 9.0}, seed=12,
                host_voice="de+m1", guest_voice="de+f4", time_format="[{t}] {title}"),
    EpisodeSpec(name="b03-preroll-ad", chapters=(1, 3, 5, 7, 9, 11), preroll=True, seed=13, host_voice="de+f3", guest_voice="de+m5"),
    EpisodeSpec(name="b04-noise", chapters=(0, 2, 4, 6, 8, 10, 12), noise_dbfs=-38.0, drift_s={4: -40.0}, seed=14,
                time_format="- {t} {title}"),
    EpisodeSpec(name="b05-music-bed", chapters=(13, 11, 9, 7, 5, 3), music_bed_dbfs=-30.0, drift_s={9: 20.0}, seed=15,
                host_voice="de+m7", guest_voice="de+f1"),
    EpisodeSpec(name="b06-cut-question", chapters=(0, 1, 2, 3, 4, 5), cut=(3,), drift_s={4: -15.0}, seed=16),
    EpisodeSpec(name="b07-fast-tight", chapters=(6, 7, 8, 9, 10, 11, 12), words_per_minute=210, pause_s=(0.5, 0.9),
                drift_s={7: 25.0, 11: -12.0}, seed=17, host_voice="de+m2", guest_voice="de+f5"),
    EpisodeSpec(name="b08-english", language="en", host_voice="en-us+m3", guest_voice="en-gb+f2", chapters=(0, 1, 2, 3, 4, 5),
                drift_s={2: 18.0, 4: -33.0}, seed=18, time_format="({t}) {title}"),
    EpisodeSpec(name="b12-decoys", chapters=(1, 2, 5, 7, 9, 11), cut=(2, 7), seed=20, host_voice="de+m6", guest_voice="de+f3",
                decoys={5: "Wie lange dauert eigentlich die Produktion eines Videos, wollten wir auch wissen.",
                        11: "Wie steht ihr zur Kritik an eurem Format, fragen manche."},
                drift_s={9: 14.0}),
    EpisodeSpec(name="b13-midroll-ad", chapters=(0, 3, 6, 9, 12, 13), midroll_before=9, seed=21, host_voice="de+m1", guest_voice="de+f5",
                drift_s={3: 6.0}),
    EpisodeSpec(name="b09-slow-paraphrase", chapters=(3, 4, 6, 12, 13), words_per_minute=140, drift_s={6: 40.0}, seed=19,
                host_voice="de+f2", guest_voice="de+m4"),
]

SETS = {"sample": [SAMPLE], "fixture": [FIXTURE], "bench": BENCH}
INTERVIEW_SETS = ("paraphrase", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7", "heldout8", "heldout9", "heldout10", "heldout11", "heldout12", "heldout13", "tuning2")  # rendered by scripts/paraphrase.py, imported only when asked for

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("which", choices=sorted([*SETS, *INTERVIEW_SETS]))
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--only", help="render only the episode with this name")
    args = parser.parse_args()
    if args.which in INTERVIEW_SETS:
        import paraphrase

        specs, render_one = paraphrase.SETS[args.which], paraphrase.render
    else:
        specs, render_one = SETS[args.which], render
    for spec in specs:
        if args.only and spec.name != args.only:
            continue
        doc = render_one(spec, args.out_dir)
        print(f"{spec.name}: {doc['duration']:.0f} s, {len(doc['chapters'])} chapters, expected {doc['expected']}")
