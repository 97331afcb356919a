"""The one wrapper around faster-whisper (the only module that imports it): model, VAD, decoders, alignment.

faster-whisper is imported inside the functions, so that `chapters --help` and cached re-runs do
not pay for loading it. Float seconds from faster-whisper become `Word`s here, once.
"""

from __future__ import annotations

import functools
import os
from importlib import metadata
from pathlib import Path

import numpy as np

from pipeline.audio import SAMPLE_RATE, DecodedAudio
from pipeline.errors import ModelError
from pipeline.model import Word
from pipeline.transcribe.options import Heard, TranscribeOptions

STRETCH_S = 30.0  # Whisper's input: one encoder pass
# 30 s of fast speech is ~150 tokens; a loop runs on to the model's 448 and holds up its whole batch.
MAX_NEW_TOKENS, TIMESTAMP_TOKENS = 220, 2
# The libraries whose versions change the words heard (so they are part of the transcript cache key).
DECODING_LIBRARIES = ("faster-whisper", "ctranslate2", "av")


def library_versions() -> dict[str, str]:
    return {name: metadata.version(name) for name in DECODING_LIBRARIES}


def load_model(model_dir: Path, options: TranscribeOptions):
    return _loaded_model(str(model_dir), options.device, options.compute_type, options.cpu_threads or os.cpu_count() or 0)


def model_loads() -> int:
    """How often this process has loaded a speech model (a batch worker should load it once)."""
    return _loaded_model.cache_info().misses


@functools.lru_cache(maxsize=1)
def _loaded_model(model_dir: str, device: str, compute_type: str, cpu_threads: int):
    """One model per process: transcription, windows and acoustic checks share it (a load is ~1 s)."""
    from faster_whisper import WhisperModel  # heavy: imported only when we really transcribe

    try:
        return WhisperModel(model_dir, device=device, compute_type=compute_type, cpu_threads=cpu_threads)
    except (RuntimeError, ValueError, OSError) as exc:
        raise ModelError(f"{model_dir}: cannot load the speech model ({exc})") from None


def speech_regions(audio: DecodedAudio, start_s: float, end_s: float) -> list[tuple[float, float]]:
    """Where Silero VAD hears speech between two times (episode seconds), no region over 30 s."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    found = get_speech_timestamps(audio.seconds(start_s, end_s), VadOptions(min_silence_duration_ms=160, max_speech_duration_s=STRETCH_S))
    return [(round(start_s + r["start"] / SAMPLE_RATE, 3), round(start_s + r["end"] / SAMPLE_RATE, 3)) for r in found]


def detect_language(whisper, audio: DecodedAudio) -> str:
    """Language of the first speech, VAD first so that a music intro does not decide it."""
    opening = audio.seconds(0.0, min(audio.duration_s, 300.0))  # enough speech after any intro, little memory
    language, _probability, _all = whisper.detect_language(opening, vad_filter=True, language_detection_segments=2)
    return language


def decode_batched(
    whisper, audio: DecodedAudio, stretches: list[tuple[float, float]], language: str, options: TranscribeOptions, on_progress=None,
    no_repeat_ngram_size: int = 0,
) -> list[Heard]:
    """The stretches, end to end, through faster-whisper's batched pipeline; times mapped back.
    `on_progress(done_s, total_s)` hears how many seconds of the stretches are decoded, as batches end;
    `no_repeat_ngram_size` (tokens; 0: no such limit) keeps a second look from looping again."""
    from faster_whisper import BatchedInferencePipeline

    if not stretches:
        return []
    pieces = [audio.seconds(start, end) for start, end in stretches]
    at = np.cumsum([0.0] + [len(piece) / SAMPLE_RATE for piece in pieces])
    joined = np.concatenate(pieces)
    del pieces
    segments, _info = BatchedInferencePipeline(whisper).transcribe(
        joined,
        language=language,
        beam_size=options.beam_size,
        word_timestamps=True,
        condition_on_previous_text=False,
        clip_timestamps=[{"start": float(at[i]), "end": float(at[i + 1])} for i in range(len(stretches))],
        batch_size=options.batch_size,
        max_new_tokens=MAX_NEW_TOKENS,
        no_repeat_ngram_size=no_repeat_ngram_size,
    )
    words: list[list[Word]] = [[] for _ in stretches]
    logprobs = [0.0] * len(stretches)
    tokens = [0] * len(stretches)
    for segment in segments:
        # A segment names its stretch by the stretch's offset, in centiseconds.
        index = min(len(stretches) - 1, max(0, int(np.searchsorted(at, segment.seek / 100 + 0.011, side="right")) - 1))
        logprobs[index] = segment.avg_logprob
        tokens[index] += len(segment.tokens)
        # A padded stretch can make the decoder run on past its end; what it hears there is invented.
        words[index] += [to_word(w, stretches[index][0] - at[index]) for w in segment.words or () if w.start < at[index + 1]]
        if on_progress:
            on_progress(float(at[index + 1]), float(at[-1]))
    if on_progress:
        on_progress(float(at[-1]), float(at[-1]))
    return [
        Heard(start, end, tuple(w for w in found if w.text), logprob, truncated=count >= MAX_NEW_TOKENS - TIMESTAMP_TOKENS)
        for (start, end), found, logprob, count in zip(stretches, words, logprobs, tokens)
    ]


def decode_sequentially(whisper, samples: np.ndarray, language: str, options: TranscribeOptions):
    """faster-whisper's own sequential loop (with its temperature fallback) over `samples`."""
    segments, _info = whisper.transcribe(
        samples,
        language=language,
        beam_size=options.beam_size,
        word_timestamps=True,
        condition_on_previous_text=options.condition_on_previous_text,
        vad_filter=options.vad_filter,
    )
    return segments


def to_word(w, offset_s: float = 0.0) -> Word:
    return Word(
        text=w.word.strip(), start_s=round(w.start + offset_s, 3), end_s=round(w.end + offset_s, 3), probability=round(w.probability, 4)
    )


def forced_logprobs(whisper, samples: np.ndarray, language: str, texts: list[str]) -> list[float]:
    """Mean log-probability per token of each text, forced through the decoder against `samples` (≤ 30 s)."""
    from faster_whisper.tokenizer import Tokenizer

    features = whisper.feature_extractor(samples)
    frames = min(features.shape[-1], 3000)
    padded = np.zeros((features.shape[0], 3000), dtype=features.dtype)
    padded[:, :frames] = features[:, :frames]
    encoded = whisper.encode(padded)
    tokenizer = Tokenizer(whisper.hf_tokenizer, whisper.model.is_multilingual, task="transcribe", language=language)
    results = [whisper.model.align(encoded, tokenizer.sot_sequence, [tokenizer.encode(" " + text.strip())], frames)[0] for text in texts]
    return [float(np.mean(np.log(np.maximum(np.asarray(r.text_token_probs), 1e-9)))) for r in results]
