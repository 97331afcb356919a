"""Speech to timed words with faster-whisper (the only module that imports it), cached on disk.

The cache key is the hash of the audio frames (not the file: writing chapters changes only the tag),
the model identity and every option that changes the words, so a re-run transcribes nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline import files, modelstore, pauses
from pipeline.audio import DecodedAudio
from pipeline.errors import ModelError
from pipeline.formats import transcript as transcript_format
from pipeline.model import Transcript, Word

CACHE_VERSION = 3  # 3: transcribed in blocks of BLOCK_S
ProgressCallback = Callable[[float, float], None]  # (seconds done, seconds total)


@dataclass(frozen=True)
class TranscribeOptions:
    model: str = "base"
    language: str | None = None  # None: detect from speech
    device: str = "cpu"
    compute_type: str = "int8"
    beam_size: int = 5
    batch_size: int = 0  # > 0: faster-whisper's batched pipeline over VAD chunks
    # Conditioning on the previous window lets one misheard sentence loop for a minute (DESIGN.md);
    # each window decoded on its own cannot carry an error forward.
    condition_on_previous_text: bool = False
    vad_filter: bool = True
    use_cache: bool = True

    def cache_fields(self) -> dict:
        fields = dataclasses.asdict(self)
        for irrelevant in ("model", "use_cache", "device"):
            fields.pop(irrelevant)
        return fields


def transcribe(
    load_audio: Callable[[], DecodedAudio],
    frames_sha256: str,
    options: TranscribeOptions,
    on_progress: ProgressCallback | None = None,
) -> Transcript:
    """Timed words for the audio; `load_audio` is called only when the cache cannot answer."""
    key, model_dir, cached = _lookup(frames_sha256, options)
    if cached is not None:
        return cached
    audio, whisper, language = _start(load_audio, model_dir, options)
    decoding = dict(language=language, beam_size=options.beam_size, word_timestamps=True, condition_on_previous_text=options.condition_on_previous_text)
    words: list[Word] = []
    # A block at a time, cut in pauses: features and VAD then hold 20 minutes, not the whole episode.
    for block_start, block_end in blocks(audio):
        samples = audio.seconds(block_start, block_end)
        if options.batch_size:
            from faster_whisper import BatchedInferencePipeline

            segments, _info = BatchedInferencePipeline(whisper).transcribe(samples, batch_size=options.batch_size, vad_filter=True, **decoding)
        else:
            segments, _info = whisper.transcribe(samples, vad_filter=options.vad_filter, **decoding)
        for segment in segments:
            words += [_word(w, block_start) for w in segment.words or ()]
            if on_progress:
                on_progress(min(block_start + segment.end, audio.duration_s), audio.duration_s)
    if on_progress:
        on_progress(audio.duration_s, audio.duration_s)
    transcript = Transcript(words=tuple(w for w in words if w.text), language=language, duration_s=audio.duration_s, model=options.model)
    if options.use_cache:
        _store(key, transcript)
    return transcript


def _lookup(frames_sha256: str, options: TranscribeOptions, windows: list | None = None) -> tuple[str, Path, Transcript | None]:
    """(cache key, model folder, the cached transcript if the cache may and can answer)."""
    model_dir, model_id = modelstore.resolve(options.model)
    key = _cache_key(frames_sha256, model_id, options, windows)
    return key, model_dir, _load_cached(key) if options.use_cache else None


def _start(load_audio: Callable[[], DecodedAudio], model_dir: Path, options: TranscribeOptions):
    """The decoded audio, the loaded model and the language: what transcribing needs."""
    audio = load_audio()
    whisper = _load_model(model_dir, options)
    return audio, whisper, options.language or detect_language(whisper, audio)


def has_cached(frames_sha256: str, options: TranscribeOptions) -> bool:
    """Whether a whole transcript is already cached (then nothing needs transcribing)."""
    _, model_id = modelstore.resolve(options.model)
    return options.use_cache and _cache_path(_cache_key(frames_sha256, model_id, options)).is_file()


def transcribe_windows(
    load_audio: Callable[[], DecodedAudio],
    frames_sha256: str,
    windows: list[tuple[float, float]],
    options: TranscribeOptions,
) -> Transcript:
    """Timed words for stretches of the audio only (each cut to ≤ 30 s: one encoder pass each).

    The stretches go through faster-whisper's batched pipeline together; cached like a transcript.
    """
    pieces = split_windows(windows)
    key, model_dir, cached = _lookup(frames_sha256, options, pieces)
    if cached is not None:
        return cached
    audio, whisper, language = _start(load_audio, model_dir, options)
    from faster_whisper import BatchedInferencePipeline

    # Only the windows, end to end, go to the model; times are mapped back afterwards.
    pieces = [(start, min(end, audio.duration_s)) for start, end in pieces if start < audio.duration_s]
    joined = np.concatenate([audio.seconds(start, end) for start, end in pieces]) if pieces else np.zeros(0, dtype=np.float32)
    at = np.cumsum([0.0] + [end - start for start, end in pieces])
    clips = [{"start": float(at[i]), "end": float(at[i + 1])} for i in range(len(pieces))]
    segments, _info = BatchedInferencePipeline(whisper).transcribe(
        joined,
        language=language,
        beam_size=options.beam_size,
        word_timestamps=True,
        condition_on_previous_text=False,
        clip_timestamps=clips,
        batch_size=max(options.batch_size, 8),
    )
    words = []
    for segment in segments:
        for w in segment.words or ():
            piece = min(int(np.searchsorted(at, w.start, side="right")) - 1, len(pieces) - 1)
            words.append(_word(w, pieces[piece][0] - at[piece]))
    transcript = Transcript(words=tuple(w for w in words if w.text), language=language, duration_s=audio.duration_s, model=options.model)
    if options.use_cache:
        _store(key, transcript)
    return transcript


def split_windows(windows: list[tuple[float, float]], longest_s: float = 30.0) -> list[tuple[float, float]]:
    """Overlapping windows merged, then cut into pieces no longer than the model's 30 s input."""
    merged: list[list[float]] = []
    for start, end in sorted((max(0.0, a), b) for a, b in windows if b > a):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces = []
    for start, end in merged:
        count = max(1, -(-(end - start) // longest_s))
        step = (end - start) / count
        pieces += [(round(start + i * step, 3), round(start + (i + 1) * step, 3)) for i in range(int(count))]
    return pieces


def _word(w, offset_s: float = 0.0) -> Word:
    return Word(
        text=w.word.strip(), start_s=round(w.start + offset_s, 3), end_s=round(w.end + offset_s, 3), probability=round(w.probability, 4)
    )


# Transcribed at a time: memory stays flat for long episodes (faster-whisper's VAD holds a block
# at once: ~2.5 GB peak for 30 min), episodes up to 1.5 blocks go in one piece.
BLOCK_S = 1200.0


def blocks(audio: DecodedAudio, block_s: float | None = None) -> list[tuple[float, float]]:
    """Consecutive stretches of about `block_s`, each cut at a quiet moment (never inside a word)."""
    block_s = block_s or BLOCK_S
    cuts = [0.0]
    while audio.duration_s - cuts[-1] > block_s * 1.5:
        cuts.append(max(cuts[-1] + 1.0, pauses.quiet_before(audio.loudness_db, cuts[-1] + block_s, search_s=30.0)))
    return list(zip(cuts, cuts[1:] + [audio.duration_s]))


def detect_language(whisper, audio: DecodedAudio) -> str:
    """Language of the first speech, VAD first so that a music intro does not decide it."""
    opening = audio.seconds(0.0, min(audio.duration_s, 300.0))  # enough speech after any intro, little memory
    language, _probability, _all = whisper.detect_language(opening, vad_filter=True, language_detection_segments=2)
    return language


def _load_model(model_dir: Path, options: TranscribeOptions):
    from faster_whisper import WhisperModel  # heavy: imported only when we really transcribe

    try:
        return WhisperModel(str(model_dir), device=options.device, compute_type=options.compute_type, cpu_threads=os.cpu_count() or 0)
    except (RuntimeError, ValueError, OSError) as exc:
        raise ModelError(f"{model_dir}: cannot load the speech model ({exc})") from None


def _cache_key(frames_sha256: str, model_id: str, options: TranscribeOptions, windows: list | None = None) -> str:
    parts = [CACHE_VERSION, frames_sha256, model_id, options.cache_fields()] + ([windows] if windows is not None else [])
    material = json.dumps(parts, sort_keys=True)
    return hashlib.sha256(material.encode()).hexdigest()


def _cache_path(key: str) -> Path:
    return modelstore.cache_root() / "transcripts" / f"{key}.json"


def _load_cached(key: str) -> Transcript | None:
    path = _cache_path(key)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return transcript_format.from_json(data)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # absent or damaged: transcribe again


def _store(key: str, transcript: Transcript) -> None:
    files.write_cache(_cache_path(key), json.dumps(transcript_format.to_json(transcript), ensure_ascii=False).encode("utf-8"))


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
        self._whisper = None

    def __call__(self, start_s: float, end_s: float, title: str, heard: str) -> float:
        key = json.dumps([round(start_s, 2), round(end_s, 2), title, heard], ensure_ascii=False)
        if key not in self._answers:
            self._answers[key] = round(self._ratio(start_s, min(end_s, start_s + 30.0), title, heard), 4)
            if self._options.use_cache:
                files.write_cache(self._path, json.dumps(self._answers, ensure_ascii=False).encode("utf-8"))
        return self._answers[key]

    def _ratio(self, start_s: float, end_s: float, title: str, heard: str) -> float:
        from faster_whisper.tokenizer import Tokenizer

        if self._whisper is None:
            self._whisper = _load_model(self._model_dir, self._options)
        whisper = self._whisper
        window = self._load_audio().seconds(start_s, end_s)
        features = whisper.feature_extractor(window)
        frames = min(features.shape[-1], 3000)
        padded = np.zeros((features.shape[0], 3000), dtype=features.dtype)
        padded[:, :frames] = features[:, :frames]
        encoded = whisper.encode(padded)
        tokenizer = Tokenizer(whisper.hf_tokenizer, whisper.model.is_multilingual, task="transcribe", language=self._language)
        texts = [tokenizer.encode(" " + text.strip()) for text in (title, heard)]
        results = [whisper.model.align(encoded, tokenizer.sot_sequence, [tokens], frames)[0] for tokens in texts]
        means = [float(np.mean(np.log(np.maximum(np.asarray(r.text_token_probs), 1e-9)))) for r in results]
        return means[0] - means[1]
