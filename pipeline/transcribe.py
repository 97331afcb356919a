"""Speech to timed words with faster-whisper (the only module that imports it), cached on disk.

Speech found by VAD is cut in pauses into stretches of at most 30 s (one encoder pass each) that
go through faster-whisper's batched pipeline, about twice as fast on CPU as its sequential loop.
The batched decoder has no fallback: a stretch whose text loops, is unlikely or leaves speech
unheard is decoded again in short pieces. `make bench` measures what each of these steps gains.

The cache key is the hash of the audio frames (not the file: writing chapters changes only the tag),
the model identity and every option that changes the words, so a re-run transcribes nothing.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import re
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline import files, modelstore, pauses
from pipeline.audio import SAMPLE_RATE, DecodedAudio
from pipeline.errors import ModelError
from pipeline.formats import transcript as transcript_format
from pipeline.model import Transcript, Word

CACHE_VERSION = 11  # 11: batched stretches cut in pauses, doubtful ones again in short pieces
ProgressCallback = Callable[[float, float], None]  # (seconds done, seconds total)

STRETCH_S = 30.0  # Whisper's input: one encoder pass
# A stretch is decoded again when its text is as repetitive or as unlikely as faster-whisper's own
# retry thresholds (compression_ratio_threshold, log_prob_threshold) …
REPETITIVE_RATIO, LOGPROB_FLOOR = 2.4, -1.0
LOOPED_SENTENCE = 3  # … or a sentence said this often (a loop in part of a stretch hardly moves the ratio) …
# … or when this much speech has no word within WORD_REACH_S of it (a dropped sentence or title).
UNHEARD_S, WORD_REACH_S = 1.0, 0.5
LONGEST_WORD_S = 1.5  # a word "spoken" longer than this, across a silence, starts too early
MIN_GAP_S = 0.05  # VAD regions closer than this are one stretch of speech
CUT_SEARCH_S = 6.0  # a stretch ends in a pause found in its last seconds, or at their quietest moment
# 30 s of fast speech is ~150 tokens; a loop runs on to the model's 448 and holds up its whole batch.
MAX_NEW_TOKENS, TIMESTAMP_TOKENS = 220, 2
SECOND_LOOK_S, SECOND_LOOK_PAUSE_S = 10.0, 1.0  # a doubtful stretch is decoded again in pieces this long, cut at such pauses


@dataclass(frozen=True)
class TranscribeOptions:
    model: str = "base"
    language: str | None = None  # None: detect from speech
    device: str = "cpu"
    compute_type: str = "int8"
    beam_size: int = 5
    # Stretches of speech (≤ 30 s, cut in VAD silences) decoded this many at a time: about twice as
    # fast on CPU as faster-whisper's sequential loop. 0: the sequential loop over the whole file.
    batch_size: int = 8
    # The batched decoder has no temperature fallback and sometimes loops or drops a sentence;
    # such stretches are decoded again in short pieces (see needs_second_look).
    second_look: bool = True
    # Windows only: decode their speech in short pieces from the start (slower, surer; verify's
    # second try on a window that did not settle its chapter).
    short_pieces: bool = False
    # Conditioning on the previous window lets one misheard sentence loop for a minute (DESIGN.md);
    # each window decoded on its own cannot carry an error forward.
    condition_on_previous_text: bool = False
    vad_filter: bool = True  # the sequential loop's own VAD (batched stretches always come from VAD)
    use_cache: bool = True

    def cache_fields(self) -> dict:
        fields = dataclasses.asdict(self)
        for irrelevant in ("model", "use_cache", "device"):
            fields.pop(irrelevant)
        return fields


@dataclass(frozen=True)
class Heard:
    """What one encoder pass made of one stretch, with the decoder's own doubt about it."""

    start_s: float
    end_s: float
    words: tuple[Word, ...]
    avg_logprob: float = 0.0
    truncated: bool = False  # stopped at MAX_NEW_TOKENS: a loop, or more words than 30 s hold


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
    words: list[Word] = []
    # A block at a time, cut in pauses: VAD and features then hold 20 minutes, not the whole episode.
    for block_start, block_end in blocks(audio):
        if options.batch_size:
            speech = speech_regions(audio, block_start, block_end)
            for heard in _decode_stretches(whisper, audio, cut_stretches(speech, audio.loudness_db), speech, language, options):
                words += heard.words
                if on_progress:
                    on_progress(heard.end_s, audio.duration_s)
        else:
            for segment in _decode_sequentially(whisper, audio.seconds(block_start, block_end), language, options):
                words += [_word(w, block_start) for w in segment.words or ()]
                if on_progress:
                    on_progress(min(block_start + segment.end, audio.duration_s), audio.duration_s)
    if on_progress:
        on_progress(audio.duration_s, audio.duration_s)
    return _finish(key, words, language, audio, options)


def speech_regions(audio: DecodedAudio, start_s: float, end_s: float) -> list[tuple[float, float]]:
    """Where Silero VAD hears speech between two times (episode seconds), no region over 30 s."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    found = get_speech_timestamps(audio.seconds(start_s, end_s), VadOptions(min_silence_duration_ms=160, max_speech_duration_s=STRETCH_S))
    return [(round(start_s + r["start"] / SAMPLE_RATE, 3), round(start_s + r["end"] / SAMPLE_RATE, 3)) for r in found]


def cut_stretches(
    regions: list[tuple[float, float]], loudness_db: np.ndarray, longest_s: float = STRETCH_S, search_s: float = CUT_SEARCH_S
) -> list[tuple[float, float]]:
    """Speech regions gathered into stretches of the episode, each ≤ `longest_s` (one encoder pass).

    A stretch ends where speech pauses when one falls in its last `search_s`; otherwise it is cut
    at the quietest moment there. Whisper drops a word cut in half at the end of its input, and
    the words that a chapter title starts with are often just there. Unlike faster-whisper's own
    packing the silences stay in, so that times in a stretch are times in the episode.
    """
    pending: list[tuple[float, float]] = []
    for start, end in sorted(r for r in regions if r[1] > r[0]):
        if pending and start - pending[-1][1] < MIN_GAP_S:  # VAD splits long speech without a pause
            pending[-1] = (pending[-1][0], max(end, pending[-1][1]))
        else:
            pending.append((start, end))
    stretches: list[tuple[float, float]] = []
    while pending:
        start = pending[0][0]
        end = start
        while pending and pending[0][1] - start <= longest_s:
            end = pending.pop(0)[1]
        if pending and pending[0][0] < start + longest_s and (end == start or end < start + longest_s - search_s):
            # no pause late enough: cut inside the speech, in the stretch's second half at the latest
            cut = pauses.quietest(loudness_db, max(pending[0][0], start + longest_s - min(search_s, longest_s / 2)), start + longest_s)
            end, pending[0] = cut, (cut, pending[0][1])
        stretches.append((start, end))
    return stretches


def needs_second_look(heard: Heard, speech: list[tuple[float, float]]) -> bool:
    """Whether the batched decoder probably got this stretch wrong.

    The checks faster-whisper's sequential loop makes before it retries at a higher temperature
    (text that repeats itself, low mean log-probability), plus the failure only batches show:
    speech dropped from the text.
    """
    if heard.truncated or heard.words and (heard.avg_logprob < LOGPROB_FLOOR or _repetitive(heard)):
        return True
    return unheard_s(heard, speech) >= UNHEARD_S


def _repetitive(heard: Heard) -> bool:
    """Text that loops: as compressible as faster-whisper's threshold says, or one sentence of
    several words said LOOPED_SENTENCE times (a loop in part of a stretch hardly moves the ratio)."""
    text = " ".join(w.text for w in heard.words)
    sentences = [" ".join(part.lower().split()) for part in re.split(r"[.?!]", text) if len(part.split()) >= 3]
    return compression_ratio(text) > REPETITIVE_RATIO or any(n >= LOOPED_SENTENCE for n in Counter(sentences).values())


def compression_ratio(text: str) -> float:
    raw = text.encode("utf-8")
    return len(raw) / len(zlib.compress(raw)) if raw else 0.0


def unheard_s(heard: Heard, speech: list[tuple[float, float]]) -> float:
    """Seconds of VAD speech inside `heard` that no word is near (a dropped title is short: all of them count)."""
    covered = sorted((w.start_s - WORD_REACH_S, w.end_s + WORD_REACH_S) for w in heard.words)
    total = 0.0
    for start, end in speech:
        start, end = max(start, heard.start_s), min(end, heard.end_s)
        for covered_start, covered_end in covered:
            if start >= end or covered_start >= end:
                break
            if covered_end > start:
                total += max(0.0, covered_start - start)
                start = covered_end
        total += max(0.0, end - start)
    return total


def _decode_stretches(
    whisper, audio: DecodedAudio, stretches: list[tuple[float, float]], speech: list[tuple[float, float]], language: str, options: TranscribeOptions
) -> list[Heard]:
    """Every stretch through the batched decoder, then the doubtful ones again in short pieces."""
    heard = _decode_batched(whisper, audio, stretches, language, options)
    if options.second_look:
        heard = [_decode_again(whisper, audio, h, speech, language, options) if needs_second_look(h, speech) else h for h in heard]
    return [dataclasses.replace(h, words=starts_in_speech(h.words, speech)) for h in heard]


def starts_in_speech(words: tuple[Word, ...], speech: list[tuple[float, float]]) -> tuple[Word, ...]:
    """Words stretched back over a silence start where their speech does.

    Whisper sometimes lets the first word after a pause begin where the last one ended ("One."
    from 11.4 s to 22.1 s, said at 21.6 s); a title's start is exactly such a word.
    """
    starts = np.array([start for start, _end in speech])
    fixed = []
    for word in words:
        if word.end_s - word.start_s > LONGEST_WORD_S and len(starts):
            region = int(np.searchsorted(starts, word.end_s, side="left")) - 1
            if region >= 0 and speech[region][0] > word.start_s and speech[region][0] < word.end_s - 0.1:
                word = dataclasses.replace(word, start_s=speech[region][0])
        fixed.append(word)
    return tuple(fixed)


def _decode_batched(whisper, audio: DecodedAudio, stretches: list[tuple[float, float]], language: str, options: TranscribeOptions) -> list[Heard]:
    """The stretches, end to end, through faster-whisper's batched pipeline; times mapped back."""
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
        words[index] += [_word(w, stretches[index][0] - at[index]) for w in segment.words or () if w.start < at[index + 1]]
    return [
        Heard(start, end, tuple(w for w in found if w.text), logprob, truncated=count >= MAX_NEW_TOKENS - TIMESTAMP_TOKENS)
        for (start, end), found, logprob, count in zip(stretches, words, logprobs, tokens)
    ]


def _decode_again(whisper, audio: DecodedAudio, heard: Heard, speech: list[tuple[float, float]], language: str, options: TranscribeOptions) -> Heard:
    """A doubtful stretch decoded again in short pieces (see `short_pieces`); the better look wins.

    The sequential loop was tried instead: its retries at random temperatures changed the words
    from run to run. Each piece costs an encoder pass, so only doubtful stretches get this.
    """
    inside = [(max(start, heard.start_s), min(end, heard.end_s)) for start, end in speech if end > heard.start_s and start < heard.end_s]
    words = tuple(w for piece in _decode_batched(whisper, audio, short_pieces(inside, audio.loudness_db), language, options) for w in piece.words)
    again = Heard(heard.start_s, heard.end_s, words)
    # A loop never wins; then whichever left less speech unheard, the second look on a tie.
    return min((again, heard), key=lambda h: (_repetitive(h), round(unheard_s(h, speech), 2)))


def short_pieces(regions: list[tuple[float, float]], loudness_db: np.ndarray) -> list[tuple[float, float]]:
    """Speech cut at every pause into pieces of at most SECOND_LOOK_S.

    Given less context the decoder loops and skips far less; what it skips is mostly the
    sentence after a pause (a title after a music break), and a piece never holds one.
    """
    runs: list[list[tuple[float, float]]] = []
    for region in sorted(regions):
        if runs and region[0] - runs[-1][-1][1] < SECOND_LOOK_PAUSE_S:
            runs[-1].append(region)
        else:
            runs.append([region])
    return [piece for run in runs for piece in cut_stretches(run, loudness_db, longest_s=SECOND_LOOK_S)]


def _decode_sequentially(whisper, samples: np.ndarray, language: str, options: TranscribeOptions):
    segments, _info = whisper.transcribe(
        samples,
        language=language,
        beam_size=options.beam_size,
        word_timestamps=True,
        condition_on_previous_text=options.condition_on_previous_text,
        vad_filter=options.vad_filter,
    )
    return segments


def _lookup(frames_sha256: str, options: TranscribeOptions, windows: list | None = None) -> tuple[str, Path, Transcript | None]:
    """(cache key, model folder, the cached transcript if the cache may and can answer)."""
    model_dir, model_id = modelstore.resolve(options.model)
    key = _cache_key(frames_sha256, model_id, options, windows)
    return key, model_dir, _load_cached(key) if options.use_cache else None


def _finish(key: str, words: list[Word], language: str, audio: DecodedAudio, options: TranscribeOptions) -> Transcript:
    """The transcript of what was heard, cached under `key` when the cache may be used."""
    transcript = Transcript(words=tuple(w for w in words if w.text), language=language, duration_s=audio.duration_s, model=options.model)
    if options.use_cache:
        _store(key, transcript)
    return transcript


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
    """Timed words for stretches of the audio only; decoded like a whole file, cached like one.

    Only the windows go to the model (VAD, too): an upload whose chapters are right costs one
    encoder pass per chapter.
    """
    merged = merge_windows(windows)
    key, model_dir, cached = _lookup(frames_sha256, options, merged)
    if cached is not None:
        return cached
    audio, whisper, language = _start(load_audio, model_dir, options)
    stretches: list[tuple[float, float]] = []
    speech: list[tuple[float, float]] = []
    for start, end in merged:
        end = min(end, audio.duration_s)
        if start < end:
            found = speech_regions(audio, start, end)
            speech += found
            # all of the window, not just its speech, unless asked for the surer short pieces
            stretches += short_pieces(found, audio.loudness_db) if options.short_pieces else cut_stretches([(start, end)], audio.loudness_db)
    heard = _decode_stretches(whisper, audio, stretches, speech, language, options)  # all windows in one batch
    return _finish(key, [w for h in heard for w in h.words], language, audio, options)


def merge_windows(windows: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Overlapping or touching windows joined."""
    merged: list[tuple[float, float]] = []
    for start, end in sorted((max(0.0, a), b) for a, b in windows if b > a):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


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
    return _loaded_model(str(model_dir), options.device, options.compute_type)


@functools.lru_cache(maxsize=1)
def _loaded_model(model_dir: str, device: str, compute_type: str):
    """One model per process: transcription, windows and acoustic checks share it (a load is ~1 s)."""
    from faster_whisper import WhisperModel  # heavy: imported only when we really transcribe

    try:
        return WhisperModel(model_dir, device=device, compute_type=compute_type, cpu_threads=os.cpu_count() or 0)
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

    def __call__(self, start_s: float, end_s: float, title: str, heard: str) -> float:
        key = json.dumps([round(start_s, 2), round(end_s, 2), title, heard], ensure_ascii=False)
        if key not in self._answers:
            self._answers[key] = round(self._ratio(start_s, min(end_s, start_s + 30.0), title, heard), 4)
            if self._options.use_cache:
                files.write_cache(self._path, json.dumps(self._answers, ensure_ascii=False).encode("utf-8"))
        return self._answers[key]

    def _ratio(self, start_s: float, end_s: float, title: str, heard: str) -> float:
        from faster_whisper.tokenizer import Tokenizer

        whisper = _load_model(self._model_dir, self._options)  # the process's one model
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
