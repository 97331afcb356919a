"""The MP3 as the stages see it: its audio frames' hash, samples decoded only when needed, loudness, duration."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import numpy as np

from pipeline import audio, files, language, meaning, modelstore, transcribe, voices
from pipeline.audio import DecodedAudio
from pipeline.errors import InputError
from pipeline.model import Chapter, Transcript
from pipeline.transcribe import ProgressCallback, TranscribeOptions


@dataclass(frozen=True)
class Episode:
    """An MP3 whose audio is decoded only when something needs the samples (a cached re-run does not)."""

    path: Path
    frames_sha256: str

    @cached_property
    def audio(self) -> DecodedAudio:
        return audio.decode(self.path)

    def load_audio(self) -> DecodedAudio:
        return self.audio

    @cached_property
    def loudness_db(self) -> np.ndarray:
        return self._cached("loudness", lambda: self.audio.loudness_db)

    @cached_property
    def voice_spectra(self) -> np.ndarray:
        """Band energies every voices.HOP_S (where the voice changes: voices.py)."""
        return self._cached(f"voices-{voices.VERSION}", lambda: voices.spectra(self.audio.samples, audio.SAMPLE_RATE))

    @cached_property
    def meaning_vectors(self) -> meaning.Remembered:
        """The sentence vectors of this episode's titles and passages, as far as they were embedded before."""
        return meaning.Remembered.at(self._cache_file(meaning.KEPT_AS, "npz"))

    def _cache_file(self, kind: str, suffix: str) -> Path:
        return modelstore.cache_root() / kind / f"{self.frames_sha256}.{suffix}"

    def _cached(self, kind: str, compute) -> np.ndarray:
        """An array measured on the audio, kept in the cache so that a cached re-run need not decode it."""
        cached = self._cache_file(kind, "npy")
        try:
            return np.load(cached)
        except (OSError, ValueError):
            pass
        measured = compute()
        buffer = io.BytesIO()
        np.save(buffer, measured)
        files.write_cache(cached, buffer.getvalue())
        return measured

    @cached_property
    def duration_s(self) -> float:
        """As players will show it (see audio.published_duration_s)."""
        decoded_s = self.audio.duration_s if "audio" in self.__dict__ else len(self.loudness_db) * audio.FRAME_S
        return audio.published_duration_s(self.path, decoded_s)


def load(path: Path, frames_sha256: str | None = None) -> Episode:
    """The episode of an MP3 (refused when it is none); `frames_sha256`: its frames' hash when already taken."""
    audio.check_is_mp3(path)
    return Episode(path=path, frames_sha256=frames_sha256 or audio.frames_hash(path))


def check_times(chapters: Sequence[Chapter], duration_s: float, source: str) -> None:
    for chapter in chapters:
        if chapter.claimed_s is not None and chapter.claimed_s >= duration_s:
            where = f"{source}:{chapter.line_no}" if chapter.line_no else source
            raise InputError(
                f"{where}: chapter '{chapter.title}' starts at {chapter.claimed_s:.0f} s, after the audio ends ({duration_s:.1f} s)"
            )


def with_language(options: TranscribeOptions, text_hint: str) -> TranscribeOptions:
    """The language asked for, else the one the text's words suggest (None: detected from speech)."""
    return options if options.language else replace(options, language=language.guess(text_hint))


def transcript(episode: Episode, options: TranscribeOptions, text_hint: str, on_progress: ProgressCallback | None) -> Transcript:
    """The whole episode's words (from the cache when it has them)."""
    return transcribe.transcribe(episode.load_audio, episode.frames_sha256, with_language(options, text_hint), on_progress)


def acoustic_check(episode: Episode, options: TranscribeOptions, language_code: str) -> transcribe.AcousticCheck:
    return transcribe.AcousticCheck(episode.load_audio, episode.frames_sha256, options, language_code)
