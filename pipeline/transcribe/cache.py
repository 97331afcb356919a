"""Transcripts on disk, keyed so that a re-run transcribes nothing and a change of words is never served stale.

The key is the hash of the audio frames (not the file: writing chapters changes only the tag),
the model's identity, every option that changes the words, and the versions of the decoding
libraries. A damaged or unwritable entry only costs a transcription.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from pipeline import files, modelstore
from pipeline.formats import transcript as transcript_format
from pipeline.model import Transcript
from pipeline.transcribe import whisper
from pipeline.transcribe.options import TranscribeOptions

CACHE_VERSION = 13  # 13: a phrase looped back to back is decoded again; 12: library versions in the key; 11: batched stretches cut in pauses


@functools.lru_cache(maxsize=1)
def _versions() -> dict[str, str]:
    return whisper.library_versions()


def key(frames_sha256: str, model_id: str, options: TranscribeOptions, windows: list | None = None) -> str:
    parts = [CACHE_VERSION, _versions(), frames_sha256, model_id, options.cache_fields()] + ([windows] if windows is not None else [])
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def path(entry_key: str) -> Path:
    return modelstore.cache_root() / "transcripts" / f"{entry_key}.json"


def load(entry_key: str) -> Transcript | None:
    try:
        return transcript_format.from_json(json.loads(path(entry_key).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # absent or damaged: transcribe again


def store(entry_key: str, transcript: Transcript) -> None:
    files.write_cache(path(entry_key), json.dumps(transcript_format.to_json(transcript), ensure_ascii=False).encode("utf-8"))


def lookup(frames_sha256: str, options: TranscribeOptions, windows: list | None = None) -> tuple[str, Path, Transcript | None]:
    """(cache key, model folder, the cached transcript if the cache may and can answer)."""
    model_dir, model_id = modelstore.resolve(options.model)
    entry_key = key(frames_sha256, model_id, options, windows)
    return entry_key, model_dir, load(entry_key) if options.use_cache else None


def has_whole(frames_sha256: str, options: TranscribeOptions) -> bool:
    """Whether a whole transcript is already cached (then nothing needs transcribing)."""
    _, model_id = modelstore.resolve(options.model)
    return options.use_cache and path(key(frames_sha256, model_id, options)).is_file()
