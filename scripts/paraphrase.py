"""Interview episodes whose hosts ask each chapter's question in their own words, with exact truth.

The interviews (scripts/interviews.py) are spoken by espeak-ng, with MBROLA voices and espeak-ng
variants, each voice optionally changed by sox (pitch, tempo, reverb). Every utterance is trimmed to
its sound, so the silences between them are known to the sample: a chapter's window runs from the
end of the last sound before its question to the question's first sound. Host interjections and
"thinking" pauses mid-answer are pauses followed by speech that start no chapter.

The sets, written through synth.py's command line:

    python scripts/synth.py paraphrase bench/episodes/   # tuning set: b14 … b19
    python scripts/synth.py heldout bench/heldout/       # held-out set: h01 … h06 (other subjects, titles, voices)
    python scripts/synth.py heldout2 bench/heldout/      # held-out set 2: h07 … h12
    python scripts/synth.py heldout3 bench/heldout/      # held-out set 3: h13 … h18 (written by helpers, unread)
    python scripts/synth.py heldout4 bench/heldout/      # held-out set 4: h19 … h24 (likewise, read once at the end)
    python scripts/synth.py heldout5 bench/heldout/      # held-out set 5: h25 … h30 (likewise, read once at the end)
    python scripts/synth.py heldout6 bench/heldout/      # held-out set 6: h31 … h36 (likewise, read once, then looked at)
    python scripts/synth.py heldout7 bench/heldout/      # held-out set 7: h37 … h42 (likewise, unread until the final measurement)
    python scripts/synth.py heldout8 bench/heldout/      # held-out set 8: h43 … h48 (likewise, the same code measured again)
    python scripts/synth.py heldout9 bench/heldout/      # held-out set 9: h49 … h54 (likewise, unread until the final measurement)
    python scripts/synth.py heldout10 bench/heldout/     # held-out set 10: h55 … h60 (likewise)
    python scripts/synth.py heldout11 bench/heldout/     # held-out set 11: h61 … h66 (likewise)
    python scripts/synth.py heldout12 bench/heldout/     # held-out set 12: h67 … h72 (likewise)
    python scripts/synth.py heldout13 bench/heldout/     # held-out set 13: h73 … h78 (likewise)
    python scripts/synth.py tuning2 bench/episodes/      # tuning set 2: b20 … b25 (harder: see interviews.py)

Needs espeak-ng, sox and the MBROLA voices (Debian: contrib and non-free components enabled):

    apt-get install espeak-ng sox mbrola mbrola-de1 mbrola-de2 mbrola-de3 mbrola-de4 mbrola-de5 \\
        mbrola-de6 mbrola-de7 mbrola-us1 mbrola-us2 mbrola-us3 mbrola-en1

`python scripts/paraphrase.py check DIR…` decodes each episode's MP3 and checks its truth: windows
silent before the question, sound at its end, claimed/expected consistent, shownotes parse.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import imageio_ffmpeg
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from interviews import ADVERTS, HELDOUT as HELDOUT_INTERVIEWS, TUNING as TUNING_INTERVIEWS, Host, Interview  # noqa: E402
from synth import RATE, expected_status, music as _music  # noqa: E402

FRAME_S = 0.005  # trimming resolution
TOLERANCE_S = 2.0


@dataclass(frozen=True)
class Voice:
    name: str  # espeak-ng voice: "mb-de4" (MBROLA) or "en-us+m3" (espeak-ng variant)
    wpm: int = 165
    effects: tuple[str, ...] = ()  # sox effects, e.g. ("pitch", "-200", "reverb", "30")
    level_dbfs: float = -20.0  # loudness of the voiced part

    def describe(self) -> str:
        return f"{self.name}@{self.wpm}" + (f" [{' '.join(self.effects)}]" if self.effects else "")


@dataclass(frozen=True)
class InterviewSpec:
    name: str
    interview: Interview
    host: Voice
    guest: Voice
    advert_set: str = "tuning"  # which ADVERTS text a pre-/mid-roll uses
    pause_s: tuple[float, float] = (1.5, 2.8)  # silence before each chapter's question
    interjection_pause_s: tuple[float, float] = (1.2, 2.6)  # silence before a host interjection mid-answer
    gap_s: tuple[float, float] = (0.25, 0.6)  # between the guest's sentences
    thinking: float = 0.15  # chance that a gap between sentences is a long pause (1.0–1.8 s) instead
    noise_dbfs: float | None = None  # hiss under everything (RMS)
    music_bed_dbfs: float | None = None  # music under everything (RMS)
    preroll: bool = False  # an ad at the start, inserted after the shownotes were written
    midroll_before: int | None = None  # chapter index (into interview.chapters) before which an ad was inserted afterwards
    drift_s: dict[int, float] = field(default_factory=dict)  # chapter index -> the producer's error in the shownotes
    time_format: str = "{t} – {title}"
    time_style: str = "m:ss"  # "m:ss", "mm:ss", "h:mm:ss", "hh:mm:ss"
    seed: int = 1


def speak(text: str, voice: Voice) -> np.ndarray:
    """The utterance as float samples at RATE, trimmed to its sound and brought to the voice's level."""
    wav = subprocess.run(["espeak-ng", "-v", voice.name, "-s", str(voice.wpm), "--stdout", text],
                         check=True, capture_output=True).stdout
    raw = subprocess.run(["sox", "-D", "-V1", "-t", "wav", "-", "-t", "raw", "-e", "signed", "-b", "16", "-c", "1", "-r", str(RATE), "-",
                          *voice.effects], input=wav, check=True, capture_output=True).stdout
    samples = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    return _level(_trim(samples), voice.level_dbfs)


def _frame_db(samples: np.ndarray, hop: int) -> np.ndarray:
    frames = samples[: len(samples) // hop * hop].reshape(-1, hop)
    return 20 * np.log10(np.maximum(np.sqrt((frames.astype(np.float64) ** 2).mean(axis=1)), 1e-7))


def _trim(samples: np.ndarray) -> np.ndarray:
    """Cut the silence before and after the sound; keep soft onsets and tails; fade the cut edges."""
    hop = int(RATE * FRAME_S)
    db = _frame_db(samples, hop)
    peak = db.max()
    loud = np.flatnonzero(db > max(peak - 40.0, -60.0))
    floor = max(peak - 55.0, -75.0)
    first, last = loud[0], loud[-1]
    while first > 0 and db[first - 1] > floor:
        first -= 1
    while last < len(db) - 1 and db[last + 1] > floor:
        last += 1
    out = samples[first * hop: (last + 1) * hop].copy()
    fade_in, fade_out = int(RATE * 0.002), int(RATE * 0.010)
    out[:fade_in] *= np.linspace(0.0, 1.0, fade_in, dtype=np.float32)
    out[-fade_out:] *= np.linspace(1.0, 0.0, fade_out, dtype=np.float32)
    return out


def _level(samples: np.ndarray, target_dbfs: float) -> np.ndarray:
    hop = int(RATE * FRAME_S)
    db = _frame_db(samples, hop)
    voiced = db[db > db.max() - 30.0]
    rms_db = 10 * np.log10(np.mean(10 ** (voiced / 10)))
    gain = 10 ** ((target_dbfs - rms_db) / 20)
    peak = float(np.abs(samples).max()) * gain
    if peak > 0.89:  # keep 1 dB of headroom
        gain *= 0.89 / peak
    return (samples * gain).astype(np.float32)


def music(seconds: float, seed: int) -> np.ndarray:
    segment = _music(seconds, seed)
    return np.array(segment.get_array_of_samples(), dtype=np.float32) / 32768.0


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(round(seconds * RATE)), dtype=np.float32)


class _Track:
    def __init__(self) -> None:
        self.parts: list[np.ndarray] = []
        self.samples = 0

    def add(self, *parts: np.ndarray) -> None:
        for part in parts:
            self.parts.append(part)
            self.samples += len(part)

    @property
    def t(self) -> float:
        return self.samples / RATE

    def join(self) -> np.ndarray:
        return np.concatenate(self.parts)


def render(spec: InterviewSpec, out_dir: Path, *, tolerance_s: float = TOLERANCE_S) -> dict:
    rng = random.Random(spec.seed)
    interview = spec.interview
    track = _Track()
    truth: list[dict] = []
    inserted_s = 0.0  # audio added after the shownotes were written, before the current point

    def mark(title: str, spoken: str | None, pause_start_s: float) -> None:
        truth.append({"title": title, "start": round(track.t, 3), "spoken": spoken, "inserted": inserted_s,
                      "window": [round(pause_start_s, 3), round(track.t + 0.01, 3)]})

    def advert() -> list[np.ndarray]:
        return [music(2.0, spec.seed + 7), silence(0.3), speak(ADVERTS[spec.advert_set][interview.language], spec.host),
                silence(0.3), music(1.5, spec.seed + 8)]

    if spec.preroll:
        track.add(*advert(), silence(1.0))
        inserted_s = track.t
    mark("Intro", None, max(0.0, inserted_s - 1.0))
    track.add(music(6.0, spec.seed), silence(0.5), speak(interview.intro, spec.host))
    for index, chapter in enumerate(interview.chapters):
        if index == spec.midroll_before:
            before = track.t
            track.add(silence(1.0), *advert())
            inserted_s += track.t - before
        pause_start = track.t
        track.add(silence(rng.uniform(*spec.pause_s)))
        mark(chapter.title, chapter.spoken, pause_start)
        track.add(speak(chapter.spoken, spec.host))
        previous_was_host = True
        for line in chapter.answer:
            if isinstance(line, Host):
                track.add(silence(rng.uniform(*spec.interjection_pause_s)), speak(line, spec.host))
                previous_was_host = True
                continue
            if previous_was_host:
                gap = rng.uniform(0.5, 0.9)
            elif rng.random() < spec.thinking:
                gap = rng.uniform(1.0, 1.8)
            else:
                gap = rng.uniform(*spec.gap_s)
            track.add(silence(gap), speak(line, spec.guest))
            previous_was_host = False
    pause_start = track.t
    track.add(silence(1.5))
    mark("Outro", None, pause_start)
    track.add(speak(interview.outro, spec.host), silence(0.4), music(5.0, spec.seed + 1))

    audio = track.join()
    _check_dry(audio, truth)
    noise_rng = np.random.default_rng(spec.seed)
    if spec.music_bed_dbfs is not None:
        bed = music(len(audio) / RATE, spec.seed + 3)[: len(audio)]
        bed = np.pad(bed, (0, len(audio) - len(bed)))
        audio = audio + bed * (10 ** (spec.music_bed_dbfs / 20) / np.sqrt(np.mean(bed.astype(np.float64) ** 2)))
    if spec.noise_dbfs is not None:
        audio = audio + noise_rng.standard_normal(len(audio)).astype(np.float32) * 10 ** (spec.noise_dbfs / 20)

    out_dir.mkdir(parents=True, exist_ok=True)
    _encode(audio, out_dir / f"{spec.name}.mp3")
    claimed, lines = _shownotes(spec, truth, tolerance_s)
    (out_dir / f"{spec.name}.txt").write_text("\n".join([*interview.description, *lines]) + "\n", encoding="utf-8")
    document = {"duration": round(len(audio) / RATE, 3), "language": interview.language, "chapters": truth, "claimed": claimed,
                "expected": [c["expected"] for c in truth]}
    (out_dir / f"{spec.name}.truth.json").write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return document


def _check_dry(audio: np.ndarray, truth: list[dict]) -> None:
    """Before noise and bed: each spoken chapter's window is digital silence, with sound right before and at its end."""
    for chapter in truth:
        if chapter["spoken"] is None:
            continue
        ms = int(0.001 * RATE) + 1  # the truth is rounded to milliseconds
        low, start = round(chapter["window"][0] * RATE), round(chapter["start"] * RATE)
        ok = (not audio[low + ms: start - ms].any() and audio[low - 20 * ms: low - ms].any()
              and np.abs(audio[start + ms: start + 10 * ms]).max() > 1e-3)
        if not ok:
            raise AssertionError(f"window {chapter['window']} of {chapter['title']!r} is not the pause before it")


def _encode(audio: np.ndarray, path: Path) -> None:
    pcm = (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2").tobytes()
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-f", "s16le", "-ar", str(RATE), "-ac", "1", "-i", "-",
                    "-codec:a", "libmp3lame", "-b:a", "48k", "-ac", "1", "-map_metadata", "-1", "-fflags", "+bitexact",
                    "-flags:a", "+bitexact", "-f", "mp3", str(path)], input=pcm, check=True)


def _clock(seconds: float, style: str) -> str:
    total = int(round(seconds))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return {"m:ss": f"{h * 60 + m}:{s:02d}", "mm:ss": f"{h * 60 + m:02d}:{s:02d}",
            "h:mm:ss": f"{h}:{m:02d}:{s:02d}", "hh:mm:ss": f"{h:02d}:{m:02d}:{s:02d}"}[style]


def _shownotes(spec: InterviewSpec, truth: list[dict], tolerance_s: float) -> tuple[list[float], list[str]]:
    """Times as the producer wrote them: before any ad was inserted, rounded, some drifted."""
    claimed: list[float] = []
    indexes = [None, *range(len(spec.interview.chapters)), None]
    for index, chapter in zip(indexes, truth):
        original = max(0.0, chapter["start"] - chapter.pop("inserted"))
        claimed_s = float(max(0, round(original + (spec.drift_s.get(index, 0.0) if index is not None else 0.0))))
        claimed.append(claimed_s)
        chapter["expected"] = expected_status(chapter, claimed_s, tolerance_s)
    lines = [spec.time_format.format(t=_clock(t, spec.time_style), title=c["title"]) for t, c in zip(claimed, truth)]
    return claimed, lines


# ---------------------------------------------------------------------------------------------
# The sets. Voices: tuning uses MBROLA de2 de4 de5 us1 us2 and espeak-ng de+m3 en-us+m3 en-gb+f2;
# held-out uses MBROLA de1 de3 de6 de7 us3 en1 and espeak-ng de+klatt6 en-gb-x-rp+f4 en-gb-scotland+m7.
# ---------------------------------------------------------------------------------------------

T = TUNING_INTERVIEWS
PARAPHRASE = [
    InterviewSpec(name="b14-bakery-paraphrase", interview=T["bakery"], seed=114,
                  host=Voice("mb-de4", 170), guest=Voice("mb-de5", 160, level_dbfs=-21.0),
                  drift_s={2: 24.0, 5: -11.0, 7: -1.5}),
    InterviewSpec(name="b15-ward-noise", interview=T["ward"], seed=115, noise_dbfs=-44.0,
                  host=Voice("mb-de5", 165, ("pitch", "120")), guest=Voice("de+m3", 155, level_dbfs=-21.0),
                  drift_s={1: 9.0, 4: -30.0, 6: 17.0}, time_format="[{t}] {title}", time_style="mm:ss"),
    InterviewSpec(name="b16-football-musicbed", interview=T["football"], seed=116, music_bed_dbfs=-35.0,
                  host=Voice("mb-de2", 180), guest=Voice("mb-de5", 175, ("pitch", "-150"), level_dbfs=-19.0),
                  drift_s={3: -8.0, 5: 38.0, 8: 12.0}, time_format="- {t} {title}"),
    InterviewSpec(name="b17-theatre-midroll", interview=T["theatre"], seed=117, midroll_before=5,
                  pause_s=(0.8, 1.6), interjection_pause_s=(0.8, 1.5), gap_s=(0.2, 0.45),
                  host=Voice("mb-de2", 195, ("pitch", "-100", "reverb", "25")), guest=Voice("mb-de4", 200, ("pitch", "250")),
                  drift_s={2: 15.0}, time_format="{t} | {title}"),
    InterviewSpec(name="b18-startup-english", interview=T["startup"], seed=118,
                  host=Voice("en-us+m3", 175), guest=Voice("mb-us1", 185, level_dbfs=-21.0),
                  drift_s={2: 30.0, 5: -20.0, 7: 7.0}, time_format="({t}) {title}", time_style="mm:ss"),
    InterviewSpec(name="b19-farm-slow-noise", interview=T["farm"], seed=119, noise_dbfs=-40.0, pause_s=(2.0, 3.5),
                  host=Voice("mb-us2", 145), guest=Voice("en-gb+f2", 140, ("reverb", "40")),
                  drift_s={2: -40.0, 5: 12.0}),
]

H = HELDOUT_INTERVIEWS
HELDOUT = [
    InterviewSpec(name="h01-fire-brigade-noise", interview=H["fire-brigade"], seed=201, advert_set="heldout", noise_dbfs=-42.0,
                  host=Voice("mb-de6", 170), guest=Voice("mb-de1", 165, level_dbfs=-21.0),
                  drift_s={1: 20.0, 4: -10.0, 6: 35.0}, time_style="mm:ss"),
    InterviewSpec(name="h02-library-musicbed", interview=H["library"], seed=202, advert_set="heldout", music_bed_dbfs=-34.0,
                  host=Voice("mb-de1", 175, ("pitch", "-80")), guest=Voice("mb-de3", 160),
                  drift_s={2: -15.0, 5: 28.0, 8: -7.0}, time_format="* **{t}** {title}"),
    InterviewSpec(name="h03-bike-shop-preroll", interview=H["bike-shop"], seed=203, advert_set="heldout", preroll=True,
                  pause_s=(1.0, 2.0), host=Voice("mb-de7", 190), guest=Voice("de+klatt6", 185, level_dbfs=-19.0),
                  drift_s={3: 12.0}, time_format="{t} {title}"),
    InterviewSpec(name="h04-shelter-midroll", interview=H["animal-shelter"], seed=204, advert_set="heldout", midroll_before=4,
                  host=Voice("mb-de6", 160, ("reverb", "35")), guest=Voice("mb-de7", 175, ("pitch", "-60")),
                  drift_s={1: 40.0, 6: -9.0}, time_style="h:mm:ss"),
    InterviewSpec(name="h05-climate-lab-english", interview=H["climate-lab"], seed=205, advert_set="heldout",
                  host=Voice("mb-us3", 160), guest=Voice("en-gb-x-rp+f4", 175),
                  drift_s={0: -9.0, 3: 33.0, 6: -25.0}, time_format="[{t}] {title}"),
    InterviewSpec(name="h06-mountain-rescue-english", interview=H["mountain-rescue"], seed=206, advert_set="heldout",
                  noise_dbfs=-46.0, music_bed_dbfs=-36.0, pause_s=(1.8, 3.2),
                  host=Voice("mb-en1", 155), guest=Voice("en-gb-scotland+m7", 150, ("reverb", "20")),
                  drift_s={1: 14.0, 5: -35.0}, time_style="hh:mm:ss", time_format="{t} - {title}"),
]

SETS = {"paraphrase": PARAPHRASE, "heldout": HELDOUT}

# ---------------------------------------------------------------------------------------------
# Held-out 2: h07 … h12 into bench/heldout/ (python scripts/synth.py heldout2 bench/heldout/).
# Voice pairs and sox effects not used above: MBROLA de1 de3 de4 de5 de6 us1 us2 en1 with other partners
# and effects (not de8: it lacks diphones espeak-ng's German uses, e.g. i-i, and drops them as silence), espeak-ng de+steph en-us-nyc+m2 en-gb-x-gbclan+f3 en-029+m5.
# ---------------------------------------------------------------------------------------------

from interviews import HELDOUT2 as HELDOUT2_INTERVIEWS  # noqa: E402

H2 = HELDOUT2_INTERVIEWS
HELDOUT2 = [
    InterviewSpec(name="h07-beekeeper-preroll", interview=H2["beekeeper"], seed=207, advert_set="heldout2", preroll=True,
                  host=Voice("mb-de6", 175, ("pitch", "70")), guest=Voice("mb-de3", 170, ("pitch", "140"), level_dbfs=-21.0),
                  drift_s={3: -22.0, 6: 30.0}, time_format="{t} · {title}", time_style="mm:ss"),
    InterviewSpec(name="h08-harbour-noise", interview=H2["harbour"], seed=208, advert_set="heldout2", noise_dbfs=-41.0,
                  host=Voice("mb-de1", 180, ("pitch", "-120")), guest=Voice("mb-de4", 175, ("reverb", "45")),
                  drift_s={1: 8.0, 4: -33.0, 7: 19.0}, time_format="- **{t}** – {title}"),
    InterviewSpec(name="h09-school-fast", interview=H2["school"], seed=209, advert_set="heldout2",
                  pause_s=(0.45, 0.65), interjection_pause_s=(0.4, 0.6), gap_s=(0.15, 0.35), thinking=0.1,
                  host=Voice("mb-de5", 205, ("tempo", "1.08")), guest=Voice("de+steph", 210, level_dbfs=-19.0),
                  drift_s={2: 26.0, 5: -7.0, 8: -16.0}, time_format="{t} — {title}", time_style="h:mm:ss"),
    InterviewSpec(name="h10-brewery-midroll", interview=H2["brewery"], seed=210, advert_set="heldout2", midroll_before=6,
                  host=Voice("mb-us2", 170, ("pitch", "-90")), guest=Voice("en-us-nyc+m2", 175),
                  drift_s={1: -6.0, 3: 37.0, 4: 11.0}, time_format="+ {t} {title}", time_style="mm:ss"),
    InterviewSpec(name="h11-orchestra-musicbed", interview=H2["orchestra"], seed=211, advert_set="heldout2", music_bed_dbfs=-33.0,
                  host=Voice("en-gb-x-gbclan+f3", 165), guest=Voice("mb-us1", 160, ("reverb", "30"), level_dbfs=-21.0),
                  drift_s={2: -28.0, 6: 9.0, 9: 15.0}, time_format="**{t}** – {title}"),
    InterviewSpec(name="h12-marathon-slow", interview=H2["marathon"], seed=212, advert_set="heldout2",
                  pause_s=(2.6, 4.2), interjection_pause_s=(1.8, 3.0), gap_s=(0.45, 0.9), thinking=0.25,
                  host=Voice("mb-en1", 140, ("pitch", "-100", "reverb", "15")), guest=Voice("en-029+m5", 135, ("tempo", "0.95")),
                  drift_s={2: 40.0, 5: -14.0, 7: 6.0}, time_format="[{t}] – {title}", time_style="h:mm:ss"),
]

SETS["heldout2"] = HELDOUT2


# ---------------------------------------------------------------------------------------------
# Tuning 2: b20 … b25 into bench/episodes/ (python scripts/synth.py tuning2 bench/episodes/).
# Tuning voices (MBROLA de2 de4 de5 us1 us2, espeak-ng de+m3 en-us+m3 en-gb+f2) with other pairs and effects.
# ---------------------------------------------------------------------------------------------

from interviews import TUNING2 as TUNING2_INTERVIEWS  # noqa: E402

T2 = TUNING2_INTERVIEWS
TUNING2 = [
    InterviewSpec(name="b20-workshop-midroll", interview=T2["car-workshop"], seed=120, midroll_before=5,
                  host=Voice("mb-de5", 175, ("pitch", "-90")), guest=Voice("mb-de2", 170, ("pitch", "300"), level_dbfs=-21.0),
                  drift_s={2: 27.0, 6: -13.0, 9: 34.0}, time_format="{t} – {title}", time_style="mm:ss"),
    InterviewSpec(name="b21-midwife-noise", interview=T2["midwife"], seed=121, noise_dbfs=-42.0,
                  host=Voice("mb-de4", 165, ("reverb", "30")), guest=Voice("de+m3", 160, ("pitch", "200")),
                  drift_s={1: -18.0, 4: 36.0, 8: 8.0, 10: -25.0}, time_format="[{t}] {title}"),
    InterviewSpec(name="b22-allotment-musicbed", interview=T2["allotment"], seed=122, music_bed_dbfs=-34.0, preroll=True,
                  host=Voice("mb-de2", 160), guest=Voice("mb-de4", 155, ("pitch", "-120")),
                  drift_s={3: 21.0, 7: -31.0}, time_format="- {t} {title}", time_style="h:mm:ss"),
    InterviewSpec(name="b23-chef-fast", interview=T2["chef"], seed=123,
                  pause_s=(0.5, 0.8), interjection_pause_s=(0.45, 0.7), gap_s=(0.15, 0.35), thinking=0.1,
                  host=Voice("mb-us2", 200, ("tempo", "1.05")), guest=Voice("en-gb+f2", 205, level_dbfs=-19.0),
                  drift_s={2: -16.0, 5: 29.0, 9: 11.0}, time_format="{t} | {title}"),
    InterviewSpec(name="b24-astronomer-slow-noise", interview=T2["astronomer"], seed=124, noise_dbfs=-43.0,
                  pause_s=(2.4, 3.8), interjection_pause_s=(1.8, 2.8), gap_s=(0.4, 0.8), thinking=0.25,
                  host=Voice("en-us+m3", 145, ("pitch", "-60")), guest=Voice("mb-us1", 140, ("reverb", "35")),
                  drift_s={1: 38.0, 4: -9.0, 7: 19.0}, time_format="({t}) {title}", time_style="mm:ss"),
    InterviewSpec(name="b25-locksmith-preroll-musicbed", interview=T2["locksmith"], seed=125, preroll=True, music_bed_dbfs=-36.0,
                  host=Voice("mb-us1", 170, ("pitch", "150")), guest=Voice("mb-us2", 165, ("pitch", "-150"), level_dbfs=-21.0),
                  drift_s={2: 33.0, 6: -22.0, 10: 6.0}, time_format="{t} - {title}"),
]

SETS["tuning2"] = TUNING2


# ---------------------------------------------------------------------------------------------
# Held-out 3: h13 … h18 into bench/heldout/ (python scripts/synth.py heldout3 bench/heldout/).
# espeak-ng variants used nowhere before (de+m7 de+Annie de+f4 de+Andy en-gb+m4 en-us+f5), each with an
# MBROLA partner under effects not used with it before.
# ---------------------------------------------------------------------------------------------

from interviews import HELDOUT3 as HELDOUT3_INTERVIEWS  # noqa: E402

H3 = HELDOUT3_INTERVIEWS
HELDOUT3 = [
    InterviewSpec(name="h13-chimney-sweep-noise", interview=H3["chimney-sweep"], seed=213, advert_set="heldout3", noise_dbfs=-42.0,
                  host=Voice("de+m7", 170), guest=Voice("mb-de5", 165, ("pitch", "-80", "reverb", "25"), level_dbfs=-21.0),
                  drift_s={1: 18.0, 5: -24.0, 9: 7.0}, time_format="{t} – {title}"),
    InterviewSpec(name="h14-undertaker-slow-preroll", interview=H3["undertaker"], seed=214, advert_set="heldout3", preroll=True,
                  pause_s=(2.4, 3.8), interjection_pause_s=(1.8, 2.8), gap_s=(0.4, 0.8), thinking=0.25,
                  host=Voice("mb-de6", 145, ("pitch", "-60")), guest=Voice("de+Annie", 140),
                  drift_s={2: -12.0, 6: 31.0}, time_format="[{t}] {title}", time_style="mm:ss"),
    InterviewSpec(name="h15-food-bank-midroll", interview=H3["food-bank"], seed=215, advert_set="heldout3", midroll_before=6,
                  host=Voice("de+f4", 175), guest=Voice("mb-de1", 170, ("pitch", "100"), level_dbfs=-19.0),
                  drift_s={3: 22.0, 8: -9.0}, time_format="- {t} {title}", time_style="h:mm:ss"),
    InterviewSpec(name="h16-swimming-pool-fast-musicbed", interview=H3["swimming-pool"], seed=216, advert_set="heldout3", music_bed_dbfs=-35.0,
                  pause_s=(0.45, 0.7), interjection_pause_s=(0.4, 0.65), gap_s=(0.15, 0.35), thinking=0.1,
                  host=Voice("mb-de7", 200, ("tempo", "1.05")), guest=Voice("de+Andy", 205),
                  drift_s={1: -7.0, 4: 26.0, 10: 14.0}, time_format="{t} | {title}"),
    InterviewSpec(name="h17-air-traffic-english-noise", interview=H3["air-traffic"], seed=217, advert_set="heldout3", noise_dbfs=-44.0,
                  host=Voice("en-gb+m4", 175), guest=Voice("mb-us3", 180, ("pitch", "-100")),
                  drift_s={2: 35.0, 7: -16.0}, time_format="({t}) {title}", time_style="mm:ss"),
    InterviewSpec(name="h18-tailor-english-preroll-musicbed", interview=H3["tailor"], seed=218, advert_set="heldout3", preroll=True,
                  music_bed_dbfs=-36.0, host=Voice("mb-en1", 165, ("pitch", "120")), guest=Voice("en-us+f5", 160, ("reverb", "30"), level_dbfs=-21.0),
                  drift_s={1: 9.0, 5: -28.0, 11: 12.0}, time_format="**{t}** – {title}"),
]

SETS["heldout3"] = HELDOUT3



# ---------------------------------------------------------------------------------------------
# Held-out 4: h19 … h24 into bench/heldout/ (python scripts/synth.py heldout4 bench/heldout/).
# espeak-ng variants used nowhere before (de+Alex de+Mario de+f5 de+Max en-gb+Gene en-us+Linda), with MBROLA partners.
# ---------------------------------------------------------------------------------------------

from interviews import HELDOUT4 as HELDOUT4_INTERVIEWS  # noqa: E402

H4 = HELDOUT4_INTERVIEWS
HELDOUT4 = [
    InterviewSpec(name="h19-piano-tuner-musicbed", interview=H4["piano-tuner"], seed=219, advert_set="heldout4", music_bed_dbfs=-34.0,
                  host=Voice("de+Alex", 165), guest=Voice("mb-de3", 160, ("pitch", "-60"), level_dbfs=-21.0),
                  drift_s={2: 16.0, 6: -27.0}, time_format="{t} – {title}", time_style="mm:ss"),
    InterviewSpec(name="h20-florist-preroll-noise", interview=H4["florist"], seed=220, advert_set="heldout4", preroll=True, noise_dbfs=-43.0,
                  host=Voice("mb-de2", 170, ("pitch", "90", "reverb", "20")), guest=Voice("de+Mario", 165),
                  drift_s={1: -10.0, 5: 24.0, 9: 8.0}, time_format="[{t}] {title}"),
    InterviewSpec(name="h21-postwoman-fast", interview=H4["postwoman"], seed=221, advert_set="heldout4",
                  pause_s=(0.5, 0.75), interjection_pause_s=(0.45, 0.7), gap_s=(0.15, 0.35), thinking=0.1,
                  host=Voice("de+f5", 200, ("tempo", "1.05")), guest=Voice("mb-de4", 200, ("pitch", "-40")),
                  drift_s={3: 21.0, 7: -12.0}, time_format="- {t} {title}", time_style="h:mm:ss"),
    InterviewSpec(name="h22-climbing-gym-midroll-slow", interview=H4["climbing-gym"], seed=222, advert_set="heldout4", midroll_before=5,
                  pause_s=(2.4, 3.6), interjection_pause_s=(1.8, 2.6), gap_s=(0.4, 0.8), thinking=0.25,
                  host=Voice("mb-de5", 145, ("pitch", "60")), guest=Voice("de+Max", 140, ("reverb", "30")),
                  drift_s={2: -18.0, 8: 33.0}, time_format="{t} | {title}"),
    InterviewSpec(name="h23-concert-piano-tuner-english-midroll", interview=H4["concert-piano-tuner"], seed=223, advert_set="heldout4",
                  midroll_before=6, host=Voice("en-gb+Gene", 170), guest=Voice("mb-us1", 165, ("pitch", "-120"), level_dbfs=-21.0),
                  drift_s={1: 12.0, 4: -25.0, 10: 6.0}, time_format="({t}) {title}", time_style="mm:ss"),
    InterviewSpec(name="h24-tree-surgeon-english-noise", interview=H4["tree-surgeon"], seed=224, advert_set="heldout4", noise_dbfs=-42.0,
                  host=Voice("mb-us2", 175, ("pitch", "80")), guest=Voice("en-us+Linda", 170, ("reverb", "25")),
                  drift_s={2: 30.0, 6: -9.0}, time_format="**{t}** – {title}"),
]

SETS["heldout4"] = HELDOUT4


# ---------------------------------------------------------------------------------------------
# Held-out 5: h25 … h30 into bench/heldout/ (python scripts/synth.py heldout5 bench/heldout/).
# Written by helpers told the house style and the subject only (no guidance on how hosts open);
# kept unread until the final measurement. espeak-ng variants used nowhere before (de+Adam
# de+Belinda de+Michael de+Paul en-gb+Robert en-us+Zac) and MBROLA de8, each with a partner.
# ---------------------------------------------------------------------------------------------

from interviews import HELDOUT5 as HELDOUT5_INTERVIEWS  # noqa: E402

H5 = HELDOUT5_INTERVIEWS
HELDOUT5 = [
    InterviewSpec(name="h25-farrier-noise", interview=H5["farrier"], seed=225, advert_set="heldout5", noise_dbfs=-42.0,
                  host=Voice("de+Adam", 170), guest=Voice("mb-de8", 160, ("pitch", "-50"), level_dbfs=-21.0),
                  drift_s={2: 19.0, 7: -14.0}, time_format="{t} – {title}"),
    InterviewSpec(name="h26-train-conductor-preroll-musicbed", interview=H5["train-conductor"], seed=226, advert_set="heldout5", preroll=True,
                  music_bed_dbfs=-35.0, host=Voice("mb-de3", 165, ("pitch", "40")), guest=Voice("de+Belinda", 170, ("reverb", "20")),
                  drift_s={1: -8.0, 5: 27.0}, time_format="[{t}] {title}", time_style="mm:ss"),
    InterviewSpec(name="h27-coffee-roaster-midroll-fast", interview=H5["coffee-roaster"], seed=227, advert_set="heldout5", midroll_before=6,
                  pause_s=(0.5, 0.75), interjection_pause_s=(0.45, 0.7), gap_s=(0.15, 0.35), thinking=0.1,
                  host=Voice("de+Michael", 195, ("tempo", "1.05")), guest=Voice("mb-de6", 195, ("pitch", "70")),
                  drift_s={3: 15.0, 9: -22.0}, time_format="- {t} {title}", time_style="h:mm:ss"),
    InterviewSpec(name="h28-country-vet-slow-noise", interview=H5["country-vet"], seed=228, advert_set="heldout5", noise_dbfs=-44.0,
                  pause_s=(2.4, 3.6), interjection_pause_s=(1.8, 2.6), gap_s=(0.4, 0.8), thinking=0.25,
                  host=Voice("mb-de4", 145, ("pitch", "-70")), guest=Voice("de+Paul", 140),
                  drift_s={2: -20.0, 6: 11.0, 10: 30.0}, time_format="{t} | {title}"),
    InterviewSpec(name="h29-conservator-english-preroll", interview=H5["conservator"], seed=229, advert_set="heldout5", preroll=True,
                  host=Voice("en-gb+Robert", 170), guest=Voice("mb-us3", 165, ("pitch", "60", "reverb", "25"), level_dbfs=-21.0),
                  drift_s={1: 10.0, 4: -26.0}, time_format="({t}) {title}", time_style="mm:ss"),
    InterviewSpec(name="h30-interpreter-english-musicbed-midroll", interview=H5["interpreter"], seed=230, advert_set="heldout5", midroll_before=5,
                  music_bed_dbfs=-36.0, host=Voice("mb-en1", 170, ("pitch", "-40")), guest=Voice("en-us+Zac", 175),
                  drift_s={3: 24.0, 8: -13.0}, time_format="**{t}** – {title}"),
]

SETS["heldout5"] = HELDOUT5


# ---------------------------------------------------------------------------------------------
# Held-out 6: h31 … h36 into bench/heldout/ (python scripts/synth.py heldout6 bench/heldout/).
# Written from held-out 5's brief; kept unread until the final measurement. espeak-ng variants
# used nowhere before (de+norbert de+anika de+Hugo de+Andrea en-us+Caleb en-gb+Alicia).
# ---------------------------------------------------------------------------------------------

from interviews import HELDOUT6 as HELDOUT6_INTERVIEWS  # noqa: E402

H6 = HELDOUT6_INTERVIEWS
HELDOUT6 = [
    InterviewSpec(name="h31-forester-noise", interview=H6["forester"], seed=231, advert_set="heldout6", noise_dbfs=-43.0,
                  host=Voice("de+norbert", 165), guest=Voice("mb-de7", 160, ("pitch", "-40"), level_dbfs=-21.0),
                  drift_s={2: -16.0, 7: 21.0}, time_format="{t} – {title}"),
    InterviewSpec(name="h32-zookeeper-preroll-musicbed", interview=H6["zookeeper"], seed=232, advert_set="heldout6", preroll=True,
                  music_bed_dbfs=-35.0, host=Voice("mb-de2", 165, ("pitch", "30")), guest=Voice("de+anika", 170, ("reverb", "20")),
                  drift_s={1: 9.0, 6: -24.0}, time_format="[{t}] {title}", time_style="mm:ss"),
    InterviewSpec(name="h33-organ-builder-midroll-fast", interview=H6["organ-builder"], seed=233, advert_set="heldout6", midroll_before=5,
                  pause_s=(0.5, 0.75), interjection_pause_s=(0.45, 0.7), gap_s=(0.15, 0.35), thinking=0.1,
                  host=Voice("de+Hugo", 195, ("tempo", "1.05")), guest=Voice("mb-de1", 195, ("pitch", "60")),
                  drift_s={2: 14.0, 8: -19.0}, time_format="- {t} {title}", time_style="h:mm:ss"),
    InterviewSpec(name="h34-glassblower-slow-noise", interview=H6["glassblower"], seed=234, advert_set="heldout6", noise_dbfs=-44.0,
                  pause_s=(2.4, 3.6), interjection_pause_s=(1.8, 2.6), gap_s=(0.4, 0.8), thinking=0.25,
                  host=Voice("mb-de6", 145, ("pitch", "-60")), guest=Voice("de+Andrea", 140),
                  drift_s={3: -22.0, 6: 12.0, 10: 28.0}, time_format="{t} | {title}"),
    InterviewSpec(name="h35-lifeboat-english-preroll", interview=H6["lifeboat"], seed=235, advert_set="heldout6", preroll=True,
                  host=Voice("en-us+Caleb", 170), guest=Voice("mb-us2", 165, ("pitch", "50", "reverb", "25"), level_dbfs=-21.0),
                  drift_s={1: 11.0, 5: -25.0}, time_format="({t}) {title}", time_style="mm:ss"),
    InterviewSpec(name="h36-bookbinder-english-musicbed-midroll", interview=H6["bookbinder"], seed=236, advert_set="heldout6", midroll_before=6,
                  music_bed_dbfs=-36.0, host=Voice("mb-en1", 170, ("pitch", "-30")), guest=Voice("en-gb+Alicia", 175),
                  drift_s={2: 23.0, 9: -12.0}, time_format="**{t}** – {title}"),
]

SETS["heldout6"] = HELDOUT6


# ---------------------------------------------------------------------------------------------
# Held-out 7: h37 … h42 into bench/heldout/ (python scripts/synth.py heldout7 bench/heldout/).
# Written from held-out 5's brief; kept unread until the final measurement. espeak-ng variants
# used nowhere before (de+Boris de+Iven de+victor de+Storm en-gb+Edward en-us+Mike).
# ---------------------------------------------------------------------------------------------

from interviews import HELDOUT7 as HELDOUT7_INTERVIEWS  # noqa: E402

H7 = HELDOUT7_INTERVIEWS
HELDOUT7 = [
    InterviewSpec(name="h37-taxi-driver-noise-midroll", interview=H7["taxi-driver"], seed=237, advert_set="heldout7", noise_dbfs=-42.0,
                  midroll_before=6, host=Voice("de+Boris", 170), guest=Voice("mb-de5", 160, ("pitch", "-30"), level_dbfs=-21.0),
                  drift_s={2: 17.0, 8: -21.0}, time_format="{t} – {title}"),
    InterviewSpec(name="h38-winemaker-preroll", interview=H7["winemaker"], seed=238, advert_set="heldout7", preroll=True,
                  host=Voice("mb-de4", 165, ("pitch", "20")), guest=Voice("de+Iven", 165, ("reverb", "20")),
                  drift_s={1: -10.0, 6: 26.0}, time_format="[{t}] {title}", time_style="mm:ss"),
    InterviewSpec(name="h39-hospital-clown-fast-musicbed", interview=H7["hospital-clown"], seed=239, advert_set="heldout7",
                  music_bed_dbfs=-36.0, pause_s=(0.5, 0.75), interjection_pause_s=(0.45, 0.7), gap_s=(0.15, 0.35), thinking=0.1,
                  host=Voice("de+victor", 195, ("tempo", "1.05")), guest=Voice("mb-de3", 190, ("pitch", "50")),
                  drift_s={3: 13.0, 9: -18.0}, time_format="- {t} {title}", time_style="h:mm:ss"),
    InterviewSpec(name="h40-bike-courier-slow-noise", interview=H7["bike-courier"], seed=240, advert_set="heldout7", noise_dbfs=-45.0,
                  pause_s=(2.4, 3.6), interjection_pause_s=(1.8, 2.6), gap_s=(0.4, 0.8), thinking=0.25,
                  host=Voice("mb-de8", 145, ("pitch", "-40")), guest=Voice("de+Storm", 140),
                  drift_s={2: -19.0, 7: 14.0, 10: 27.0}, time_format="{t} | {title}"),
    InterviewSpec(name="h41-wildlife-rescue-english-midroll-noise", interview=H7["wildlife-rescue"], seed=241, advert_set="heldout7",
                  midroll_before=5, noise_dbfs=-43.0, host=Voice("en-gb+Edward", 170),
                  guest=Voice("mb-us1", 165, ("pitch", "40", "reverb", "25"), level_dbfs=-21.0),
                  drift_s={1: 12.0, 6: -23.0}, time_format="({t}) {title}", time_style="mm:ss"),
    InterviewSpec(name="h42-lighting-designer-english-preroll-musicbed", interview=H7["lighting-designer"], seed=242, advert_set="heldout7",
                  preroll=True, music_bed_dbfs=-35.0, host=Voice("mb-us3", 170, ("pitch", "-20")), guest=Voice("en-us+Mike", 175),
                  drift_s={3: 22.0, 9: -11.0}, time_format="**{t}** – {title}"),
]

SETS["heldout7"] = HELDOUT7


# ---------------------------------------------------------------------------------------------
# Checking rendered episodes against their truth
# ---------------------------------------------------------------------------------------------

def _decode(path: Path) -> np.ndarray:
    raw = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path), "-ac", "1", "-ar", str(RATE), "-f", "s16le", "-"],
                         check=True, capture_output=True).stdout
    return np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0


def check(truth_path: Path, tolerance_s: float = TOLERANCE_S) -> list[str]:
    """Problems with one episode: its windows in the decoded MP3, its claimed/expected, its shownotes."""
    problems: list[str] = []
    name = truth_path.name.removesuffix(".truth.json")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    audio = _decode(truth_path.with_name(f"{name}.mp3"))
    hop = int(RATE * 0.01)
    db = _frame_db(audio, hop)  # ~10 ms frames
    at = lambda seconds: int(seconds * RATE / hop)  # noqa: E731  frame index of a time
    chapters, claimed = truth["chapters"], truth["claimed"]
    expected = truth.get("expected") or [c.get("expected") for c in chapters]
    if not len(chapters) == len(claimed) == len(expected):
        problems.append("chapters, claimed and expected differ in length")
    # The background: what the windows hold (digital silence, or the noise / music bed laid under everything).
    pooled = np.concatenate([db[at(c["window"][0]) + 2: at(c["start"]) - 1] for c in chapters if c["spoken"] is not None] or [db])
    pooled = pooled if len(pooled) else db
    background = float(np.percentile(pooled, 95))
    clean = background < -70.0
    silent = max(background + 3.0, -55.0)  # louder than this is sound (MP3 smears a little around each edge)
    speech = float(np.percentile(db, 90))
    if speech < background + 10.0:
        problems.append(f"speech ({speech:.1f} dB) hardly louder than the background ({background:.1f} dB)")
    for number, (chapter, when, exp) in enumerate(zip(chapters, claimed, expected)):
        if chapter.get("cut"):  # listed in the shownotes, cut from the audio
            if exp != "missing":
                problems.append(f"{number}: cut, but expected {exp!r}")
            continue
        low, high = chapter["window"]
        if abs(high - 0.01 - chapter["start"]) > 1e-3 or low > high:
            problems.append(f"{number}: window {chapter['window']} does not end at start {chapter['start']}")
        if chapter["spoken"] is None:
            want = "unverifiable"
        else:
            want = "verified" if low - tolerance_s <= when <= high + tolerance_s else "corrected"
        if exp != want or chapter.get("expected") != exp:
            problems.append(f"{number}: expected {exp!r}, claimed {when} makes it {want!r}")
        if chapter["spoken"] is None:
            continue
        start = chapter["start"]
        quiet = db[at(low) + 2: at(start) - 1]  # 10–20 ms margins: frames straddle the edges, MP3 smears them
        onset = db[at(start) + 1: at(start) + 31]
        if len(quiet) < 5:
            problems.append(f"{number}: window only {high - low:.2f} s")
            continue
        if quiet.max() > silent:
            problems.append(f"{number}: sound in the window (max {quiet.max():.1f} dB, background {background:.1f} dB)")
        rise = np.flatnonzero(onset > max(quiet.max(), silent) + 6.0)
        if not len(rise) or rise[0] > 25:
            problems.append(f"{number}: no rise within 0.25 s of the question's start ({onset.max():.1f} dB after, {quiet.max():.1f} dB before)")
        if clean and db[at(low) - 30: at(low)].max() < silent:  # under noise a soft ending may be masked
            problems.append(f"{number}: the window could start earlier (silence before {low})")
    if abs(truth["duration"] - len(audio) / RATE) > 0.1:
        problems.append(f"duration {truth['duration']} but the MP3 decodes to {len(audio) / RATE:.2f} s")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from pipeline import shownotes

    parsed = shownotes.parse(truth_path.with_name(f"{name}.txt").read_text(encoding="utf-8"))
    if [c.title for c in parsed] != [c["title"] for c in chapters] or [c.claimed_s for c in parsed] != claimed:
        problems.append(f"shownotes parse to {[(c.claimed_s, c.title) for c in parsed]}")
    return problems


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["check"])
    parser.add_argument("dirs", nargs="+", type=Path)
    args = parser.parse_args()
    failed = 0
    for folder in args.dirs:
        for truth_file in sorted(folder.glob("*.truth.json")):
            found = check(truth_file)
            failed += bool(found)
            print(f"{truth_file.name}: {'ok' if not found else ''}")
            for problem in found:
                print(f"    {problem}")
    sys.exit(1 if failed else 0)


# ---------------------------------------------------------------------------------------------
# Held-out 8: h43 … h48 into bench/heldout/ (python scripts/synth.py heldout8 bench/heldout/).
# Written from held-out 5's brief, after h37–h42 had been read, to measure the same code once more
# on episodes nobody had read; kept unread until that measurement. espeak-ng variants used nowhere
# before (de+david de+travis de+f2 de+grandpa en-gb+john en-us+quincy).
# ---------------------------------------------------------------------------------------------

from interviews import HELDOUT8 as HELDOUT8_INTERVIEWS  # noqa: E402

H8 = HELDOUT8_INTERVIEWS
HELDOUT8 = [
    InterviewSpec(name="h43-cheesemaker-noise", interview=H8["cheesemaker"], seed=243, advert_set="heldout8", noise_dbfs=-43.0,
                  host=Voice("de+david", 165), guest=Voice("mb-de6", 160, ("pitch", "30"), level_dbfs=-21.0),
                  drift_s={2: 15.0, 7: -22.0}, time_format="{t} – {title}"),
    InterviewSpec(name="h44-stonemason-midroll-fast", interview=H8["stonemason"], seed=244, advert_set="heldout8", midroll_before=6,
                  pause_s=(0.5, 0.75), interjection_pause_s=(0.45, 0.7), gap_s=(0.15, 0.35), thinking=0.1,
                  host=Voice("mb-de2", 195, ("pitch", "-20")), guest=Voice("de+travis", 195, ("tempo", "1.05")),
                  drift_s={1: -12.0, 8: 19.0}, time_format="- {t} {title}", time_style="h:mm:ss"),
    InterviewSpec(name="h45-violin-maker-preroll-musicbed", interview=H8["violin-maker"], seed=245, advert_set="heldout8", preroll=True,
                  music_bed_dbfs=-35.0, host=Voice("de+f2", 170), guest=Voice("mb-de5", 160, ("pitch", "-40", "reverb", "20")),
                  drift_s={3: 18.0, 9: -14.0}, time_format="[{t}] {title}", time_style="mm:ss"),
    InterviewSpec(name="h46-hairdresser-slow-noise", interview=H8["hairdresser"], seed=246, advert_set="heldout8", noise_dbfs=-44.0,
                  pause_s=(2.4, 3.6), interjection_pause_s=(1.8, 2.6), gap_s=(0.4, 0.8), thinking=0.25,
                  host=Voice("mb-de7", 145, ("pitch", "40")), guest=Voice("de+grandpa", 140),
                  drift_s={2: 21.0, 6: -16.0, 10: 24.0}, time_format="{t} | {title}"),
    InterviewSpec(name="h47-ferry-captain-english-midroll", interview=H8["ferry-captain"], seed=247, advert_set="heldout8", midroll_before=5,
                  host=Voice("en-gb+john", 170), guest=Voice("mb-en1", 160, ("pitch", "-30", "reverb", "25"), level_dbfs=-21.0),
                  drift_s={1: 10.0, 6: -24.0}, time_format="({t}) {title}", time_style="mm:ss"),
    InterviewSpec(name="h48-sign-painter-english-preroll-musicbed", interview=H8["sign-painter"], seed=248, advert_set="heldout8",
                  preroll=True, music_bed_dbfs=-36.0, host=Voice("mb-us2", 170, ("pitch", "20")), guest=Voice("en-us+quincy", 175),
                  drift_s={2: -20.0, 9: 13.0}, time_format="**{t}** – {title}"),
]

SETS["heldout8"] = HELDOUT8


# ---------------------------------------------------------------------------------------------
# Held-out 9: h49 … h54 into bench/heldout/ (python scripts/synth.py heldout9 bench/heldout/).
# Written from held-out 5's brief, after h43–h48 had been read, for the figures of one proposed
# chapter per turn of the host; kept unread until that measurement. espeak-ng variants used nowhere
# before (de+m1 de+f1 de+shelby de+benjamin en-gb+rob en-us+aunty).
# ---------------------------------------------------------------------------------------------

from interviews import HELDOUT9 as HELDOUT9_INTERVIEWS  # noqa: E402

H9 = HELDOUT9_INTERVIEWS
HELDOUT9 = [
    InterviewSpec(name="h49-shepherd-slow-noise", interview=H9["shepherd"], seed=249, advert_set="heldout9", noise_dbfs=-44.0,
                  pause_s=(2.4, 3.6), interjection_pause_s=(1.8, 2.6), gap_s=(0.4, 0.8), thinking=0.25,
                  host=Voice("de+m1", 145), guest=Voice("mb-de4", 140, ("pitch", "-30")),
                  drift_s={2: 18.0, 7: -15.0, 10: 22.0}, time_format="{t} | {title}"),
    InterviewSpec(name="h50-watchmaker-preroll-musicbed", interview=H9["watchmaker"], seed=250, advert_set="heldout9", preroll=True,
                  music_bed_dbfs=-35.0, host=Voice("mb-de3", 165, ("pitch", "20")), guest=Voice("de+benjamin", 160, ("reverb", "20")),
                  drift_s={1: -11.0, 6: 24.0}, time_format="[{t}] {title}", time_style="mm:ss"),
    InterviewSpec(name="h51-cabinet-maker-midroll-fast", interview=H9["cabinet-maker"], seed=251, advert_set="heldout9", midroll_before=6,
                  pause_s=(0.5, 0.75), interjection_pause_s=(0.45, 0.7), gap_s=(0.15, 0.35), thinking=0.1,
                  host=Voice("de+f1", 195, ("tempo", "1.05")), guest=Voice("mb-de8", 190, ("pitch", "40")),
                  drift_s={2: 16.0, 8: -20.0}, time_format="- {t} {title}", time_style="h:mm:ss"),
    InterviewSpec(name="h52-tram-driver-noise", interview=H9["tram-driver"], seed=252, advert_set="heldout9", noise_dbfs=-42.0,
                  host=Voice("mb-de1", 170, ("pitch", "-20")), guest=Voice("de+shelby", 165, ("reverb", "15"), level_dbfs=-21.0),
                  drift_s={3: 14.0, 9: -23.0}, time_format="{t} – {title}"),
    InterviewSpec(name="h53-park-ranger-english-preroll-noise", interview=H9["park-ranger"], seed=253, advert_set="heldout9", preroll=True,
                  noise_dbfs=-43.0, host=Voice("en-gb+rob", 170), guest=Voice("mb-us3", 165, ("pitch", "30", "reverb", "25"), level_dbfs=-21.0),
                  drift_s={1: 12.0, 6: -21.0}, time_format="({t}) {title}", time_style="mm:ss"),
    InterviewSpec(name="h54-potter-english-musicbed-midroll", interview=H9["potter"], seed=254, advert_set="heldout9", midroll_before=5,
                  music_bed_dbfs=-36.0, host=Voice("mb-us1", 170, ("pitch", "-20")), guest=Voice("en-us+aunty", 175),
                  drift_s={2: -18.0, 9: 12.0}, time_format="**{t}** – {title}"),
]

SETS["heldout9"] = HELDOUT9


# ---------------------------------------------------------------------------------------------
# Held-out 10: h55 … h60 into bench/heldout/ (python scripts/synth.py heldout10 bench/heldout/).
# Written from the house-style brief after h49–h54 had been read; kept unread until the final
# measurement of the session that wrote them. espeak-ng variants used nowhere before (de+m5 de+m2
# de+f3 de+iven2 en-gb+m5 en-us+edward).
# ---------------------------------------------------------------------------------------------

from interviews import HELDOUT10 as HELDOUT10_INTERVIEWS  # noqa: E402

H10 = HELDOUT10_INTERVIEWS
HELDOUT10 = [
    InterviewSpec(name="h55-roofer-noise", interview=H10["roofer"], seed=255, advert_set="heldout10", noise_dbfs=-43.0,
                  host=Voice("de+m5", 165), guest=Voice("mb-de2", 160, ("pitch", "-30"), level_dbfs=-21.0),
                  drift_s={2: 17.0, 8: -19.0}, time_format="{t} – {title}"),
    InterviewSpec(name="h56-butcher-midroll-fast", interview=H10["butcher"], seed=256, advert_set="heldout10", midroll_before=6,
                  pause_s=(0.5, 0.75), interjection_pause_s=(0.45, 0.7), gap_s=(0.15, 0.35), thinking=0.1,
                  host=Voice("mb-de5", 190, ("pitch", "20")), guest=Voice("de+m2", 195, ("tempo", "1.05")),
                  drift_s={1: -13.0, 9: 18.0}, time_format="- {t} {title}", time_style="h:mm:ss"),
    InterviewSpec(name="h57-mountain-guide-preroll-musicbed", interview=H10["mountain-guide"], seed=257, advert_set="heldout10",
                  preroll=True, music_bed_dbfs=-35.0, host=Voice("de+f3", 170), guest=Voice("mb-de1", 160, ("reverb", "20")),
                  drift_s={3: 16.0, 8: -12.0}, time_format="[{t}] {title}", time_style="mm:ss"),
    InterviewSpec(name="h58-goldsmith-slow-noise", interview=H10["goldsmith"], seed=258, advert_set="heldout10", noise_dbfs=-44.0,
                  pause_s=(2.4, 3.6), interjection_pause_s=(1.8, 2.6), gap_s=(0.4, 0.8), thinking=0.25,
                  host=Voice("mb-de6", 145, ("pitch", "30")), guest=Voice("de+iven2", 140),
                  drift_s={2: 20.0, 6: -17.0, 10: 23.0}, time_format="{t} | {title}"),
    InterviewSpec(name="h59-sommelier-english-preroll-noise", interview=H10["sommelier"], seed=259, advert_set="heldout10",
                  preroll=True, noise_dbfs=-43.0, host=Voice("en-gb+m5", 170),
                  guest=Voice("mb-us1", 165, ("pitch", "20", "reverb", "25"), level_dbfs=-21.0),
                  drift_s={1: 11.0, 7: -22.0}, time_format="({t}) {title}", time_style="mm:ss"),
    InterviewSpec(name="h60-falconer-english-musicbed-midroll", interview=H10["falconer"], seed=260, advert_set="heldout10", midroll_before=5,
                  music_bed_dbfs=-36.0, host=Voice("mb-us2", 170, ("pitch", "-20")), guest=Voice("en-us+edward", 175),
                  drift_s={2: -16.0, 9: 14.0}, time_format="**{t}** – {title}"),
]

SETS["heldout10"] = HELDOUT10


# ---------------------------------------------------------------------------------------------
# Held-out 11: h61 … h66 into bench/heldout/ (python scripts/synth.py heldout11 bench/heldout/).
# Written from the house-style brief after h55–h60 had been read; kept unread until the final
# measurement of the session that wrote them. espeak-ng variants used nowhere before (de+m6
# de+iven3 de+steph2 de+m8 en-gb+m6 en-gb+m8).
# ---------------------------------------------------------------------------------------------

from interviews import HELDOUT11 as HELDOUT11_INTERVIEWS  # noqa: E402

H11 = HELDOUT11_INTERVIEWS
HELDOUT11 = [
    InterviewSpec(name="h61-lake-fisher-noise", interview=H11["lake-fisher"], seed=261, advert_set="heldout11", noise_dbfs=-43.0,
                  host=Voice("de+m6", 165), guest=Voice("mb-de3", 160, ("pitch", "-20"), level_dbfs=-21.0),
                  drift_s={2: 15.0, 8: -18.0}, time_format="{t} – {title}"),
    InterviewSpec(name="h62-bell-founder-midroll-fast", interview=H11["bell-founder"], seed=262, advert_set="heldout11", midroll_before=7,
                  pause_s=(0.5, 0.75), interjection_pause_s=(0.45, 0.7), gap_s=(0.15, 0.35), thinking=0.1,
                  host=Voice("mb-de7", 190, ("pitch", "10")), guest=Voice("de+iven3", 195, ("tempo", "1.05")),
                  drift_s={1: -12.0, 10: 17.0}, time_format="- {t} {title}", time_style="h:mm:ss"),
    InterviewSpec(name="h63-shoemaker-preroll-musicbed", interview=H11["shoemaker"], seed=263, advert_set="heldout11",
                  preroll=True, music_bed_dbfs=-35.0, host=Voice("de+steph2", 170), guest=Voice("mb-de4", 160, ("reverb", "20")),
                  drift_s={3: 14.0, 9: -13.0}, time_format="[{t}] {title}", time_style="mm:ss"),
    InterviewSpec(name="h64-lock-keeper-slow-noise", interview=H11["lock-keeper"], seed=264, advert_set="heldout11", noise_dbfs=-44.0,
                  pause_s=(2.4, 3.6), interjection_pause_s=(1.8, 2.6), gap_s=(0.4, 0.8), thinking=0.25,
                  host=Voice("mb-de2", 145, ("pitch", "20")), guest=Voice("de+m8", 140),
                  drift_s={2: 19.0, 7: -16.0, 11: 21.0}, time_format="{t} | {title}"),
    InterviewSpec(name="h65-thatcher-english-preroll-noise", interview=H11["thatcher"], seed=265, advert_set="heldout11",
                  preroll=True, noise_dbfs=-43.0, host=Voice("en-gb+m6", 170),
                  guest=Voice("mb-en1", 165, ("pitch", "20", "reverb", "25"), level_dbfs=-21.0),
                  drift_s={1: 12.0, 6: -20.0}, time_format="({t}) {title}", time_style="mm:ss"),
    InterviewSpec(name="h66-groundskeeper-english-musicbed-midroll", interview=H11["groundskeeper"], seed=266, advert_set="heldout11", midroll_before=6,
                  music_bed_dbfs=-36.0, host=Voice("mb-us3", 170, ("pitch", "-20")), guest=Voice("en-gb+m8", 175),
                  drift_s={2: -17.0, 9: 13.0}, time_format="**{t}** – {title}"),
]

SETS["heldout11"] = HELDOUT11


# ---------------------------------------------------------------------------------------------
# Held-out 12: h67 … h72 into bench/heldout/ (python scripts/synth.py heldout12 bench/heldout/).
# Written from the house-style brief after h61–h66 had been read; kept unread until the final
# measurement of the session that wrote them. espeak-ng variants used nowhere before (de+m4
# de+iven4 de+steph3 de+gustave en-gb+m3 en-us+m7).
# ---------------------------------------------------------------------------------------------

from interviews import HELDOUT12 as HELDOUT12_INTERVIEWS  # noqa: E402

H12 = HELDOUT12_INTERVIEWS
HELDOUT12 = [
    InterviewSpec(name="h67-cable-car-musicbed-midroll", interview=H12["cable-car"], seed=267, advert_set="heldout12", midroll_before=7,
                  music_bed_dbfs=-36.0, host=Voice("de+m4", 170), guest=Voice("mb-de6", 160, ("pitch", "-10")),
                  drift_s={2: 16.0, 9: -14.0}, time_format="{t} – {title}"),
    InterviewSpec(name="h68-basket-maker-preroll-noise", interview=H12["basket-maker"], seed=268, advert_set="heldout12",
                  preroll=True, noise_dbfs=-43.0, host=Voice("mb-de5", 165, ("pitch", "15")), guest=Voice("de+iven4", 160, level_dbfs=-21.0),
                  drift_s={1: -13.0, 8: 18.0}, time_format="- {t} {title}", time_style="h:mm:ss"),
    InterviewSpec(name="h69-well-builder-fast", interview=H12["well-builder"], seed=269, advert_set="heldout12",
                  pause_s=(0.5, 0.8), interjection_pause_s=(0.45, 0.7), gap_s=(0.15, 0.35), thinking=0.1,
                  host=Voice("de+steph3", 190), guest=Voice("mb-de1", 190, ("tempo", "1.05")),
                  drift_s={3: 12.0, 10: -17.0}, time_format="[{t}] {title}", time_style="mm:ss"),
    InterviewSpec(name="h70-mushroom-farm-slow-reverb", interview=H12["mushroom-farm"], seed=270, advert_set="heldout12",
                  pause_s=(2.4, 3.6), interjection_pause_s=(1.8, 2.6), gap_s=(0.4, 0.8), thinking=0.25,
                  host=Voice("mb-de8", 145, ("pitch", "-15")), guest=Voice("de+gustave", 145, ("reverb", "25")),
                  drift_s={2: 19.0, 7: -15.0, 11: 20.0}, time_format="{t} | {title}"),
    InterviewSpec(name="h71-stone-waller-english-noise-midroll", interview=H12["stone-waller"], seed=271, advert_set="heldout12", midroll_before=6,
                  noise_dbfs=-44.0, host=Voice("en-gb+m3", 170), guest=Voice("mb-en1", 160, ("pitch", "-15"), level_dbfs=-21.0),
                  drift_s={1: 14.0, 8: -18.0}, time_format="({t}) {title}", time_style="mm:ss"),
    InterviewSpec(name="h72-crossword-setter-english-preroll-musicbed", interview=H12["crossword-setter"], seed=272, advert_set="heldout12",
                  preroll=True, music_bed_dbfs=-35.0, host=Voice("mb-us2", 175, ("pitch", "10")), guest=Voice("en-us+m7", 170),
                  drift_s={2: -16.0, 10: 13.0}, time_format="**{t}** – {title}"),
]

SETS["heldout12"] = HELDOUT12


# ---------------------------------------------------------------------------------------------
# Held-out 13: h73 … h78 into bench/heldout/ (python scripts/synth.py heldout13 bench/heldout/).
# Written from the house-style brief after h67–h72 had been read; kept unread until the final
# measurement of the session that wrote them. espeak-ng variants used nowhere before (de+denis
# de+marco de+Gene2 de+grandma en-gb+m1 en-us+f3).
# ---------------------------------------------------------------------------------------------

from interviews import HELDOUT13 as HELDOUT13_INTERVIEWS  # noqa: E402

H13 = HELDOUT13_INTERVIEWS
HELDOUT13 = [
    InterviewSpec(name="h73-glacier-guide-noise-midroll", interview=H13["glacier-guide"], seed=273, advert_set="heldout13", midroll_before=8,
                  noise_dbfs=-43.0, host=Voice("de+denis", 165), guest=Voice("mb-de2", 160, ("pitch", "-10"), level_dbfs=-21.0),
                  drift_s={2: 17.0, 9: -13.0}, time_format="{t} – {title}"),
    InterviewSpec(name="h74-food-truck-fast-musicbed", interview=H13["food-truck"], seed=274, advert_set="heldout13",
                  music_bed_dbfs=-36.0, pause_s=(0.5, 0.8), interjection_pause_s=(0.45, 0.7), gap_s=(0.15, 0.35), thinking=0.1,
                  host=Voice("mb-de4", 190, ("pitch", "-10")), guest=Voice("de+marco", 195),
                  drift_s={1: 12.0, 7: -16.0}, time_format="- {t} {title}", time_style="h:mm:ss"),
    InterviewSpec(name="h75-signal-box-preroll-noise", interview=H13["signal-box"], seed=275, advert_set="heldout13",
                  preroll=True, noise_dbfs=-44.0, host=Voice("de+Gene2", 170), guest=Voice("mb-de7", 160, ("reverb", "15")),
                  drift_s={3: 15.0, 10: -14.0}, time_format="[{t}] {title}", time_style="mm:ss"),
    InterviewSpec(name="h76-dog-trainer-slow", interview=H13["dog-trainer"], seed=276, advert_set="heldout13",
                  pause_s=(2.4, 3.6), interjection_pause_s=(1.8, 2.6), gap_s=(0.4, 0.8), thinking=0.25,
                  host=Voice("mb-de6", 145, ("pitch", "15")), guest=Voice("de+grandma", 145),
                  drift_s={2: 18.0, 6: -17.0, 11: 19.0}, time_format="{t} | {title}"),
    InterviewSpec(name="h77-canal-boat-english-preroll-musicbed", interview=H13["canal-boat"], seed=277, advert_set="heldout13",
                  preroll=True, music_bed_dbfs=-35.0, host=Voice("en-gb+m1", 170), guest=Voice("mb-us1", 165, ("pitch", "-15")),
                  drift_s={1: 13.0, 8: -19.0}, time_format="({t}) {title}", time_style="mm:ss"),
    InterviewSpec(name="h78-radio-dj-english-noise-midroll", interview=H13["radio-dj"], seed=278, advert_set="heldout13", midroll_before=6,
                  noise_dbfs=-43.0, host=Voice("mb-en1", 170, ("pitch", "10")), guest=Voice("en-us+f3", 170, level_dbfs=-21.0),
                  drift_s={2: -15.0, 9: 14.0}, time_format="**{t}** – {title}"),
]

SETS["heldout13"] = HELDOUT13
