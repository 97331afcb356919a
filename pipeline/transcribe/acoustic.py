"""Is a title really said here? Forced alignment of the title against the audio, with the model's own decoder."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from pipeline import files, modelstore
from pipeline.audio import DecodedAudio
from pipeline.transcribe import whisper
from pipeline.transcribe.cache import CACHE_VERSION
from pipeline.transcribe.options import TranscribeOptions


class AcousticCheck:
    """How likely a text is for a stretch of audio, by forced alignment with the model's own decoder.

    Returns the mean log-probability per token of `title` minus that of `heard` (what the
    transcription said there): near 0 when the title was really said and only misheard, far below
    when a look-alike sentence was said. The model is loaded only when first asked; answers are
    cached on disk beside the transcript so a re-run asks nothing.
    """

    def __init__(self, load_audio: Callable[[], DecodedAudio], frames_sha256: str, options: TranscribeOptions, language: str):
        self._load_audio = load_audio
        self._options = options
        self._language = language
        self._model_dir, model_id = modelstore.resolve(options.model)
        key = hashlib.sha256(json.dumps([CACHE_VERSION, frames_sha256, model_id, language]).encode()).hexdigest()
        self._path = modelstore.cache_root() / "checks" / f"{key}.json"
        self._answers: dict[str, float] = {}
        if options.use_cache:
            try:
                self._answers = json.loads(self._path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._answers = {}

    def __call__(self, start_s: float, end_s: float, title: str, heard: str) -> float:
        key = json.dumps([round(start_s, 2), round(end_s, 2), title, heard], ensure_ascii=False)
        if key not in self._answers:
            self._answers[key] = round(self._ratio(start_s, min(end_s, start_s + whisper.STRETCH_S), title, heard), 4)
            if self._options.use_cache:
                files.write_cache(self._path, json.dumps(self._answers, ensure_ascii=False).encode("utf-8"))
        return self._answers[key]

    def _ratio(self, start_s: float, end_s: float, title: str, heard: str) -> float:
        model = whisper.load_model(self._model_dir, self._options)  # the process's one model
        title_logprob, heard_logprob = whisper.forced_logprobs(model, self._load_audio().seconds(start_s, end_s), self._language, [title, heard])
        return title_logprob - heard_logprob
