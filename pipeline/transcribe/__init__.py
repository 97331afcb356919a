"""Speech to timed words with faster-whisper, cached on disk: the public face of transcription.

Speech found by VAD is cut in pauses into stretches of at most 30 s (one encoder pass each) that
go through faster-whisper's batched pipeline, about twice as fast on CPU as its sequential loop;
doubtful stretches are decoded again in short pieces (second_look). `make bench` measures what
each of these steps gains. whisper.py is the only module that imports faster-whisper.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from pipeline.audio import DecodedAudio
from pipeline.model import Transcript, Word
from pipeline.transcribe import cache, packing, second_look, stretches, whisper
from pipeline.transcribe.acoustic import AcousticCheck
from pipeline.transcribe.options import Heard, ProgressCallback, TranscribeOptions
from pipeline.transcribe.stretches import merge_windows
from pipeline.transcribe.whisper import STRETCH_S

__all__ = [
    "AcousticCheck", "Heard", "ProgressCallback", "STRETCH_S", "TranscribeOptions",
    "has_cached", "merge_windows", "transcribe", "transcribe_snippets", "transcribe_windows", "with_words_from",
]

has_cached = cache.has_whole


def transcribe(
    load_audio: Callable[[], DecodedAudio],
    frames_sha256: str,
    options: TranscribeOptions,
    on_progress: ProgressCallback | None = None,
) -> Transcript:
    """Timed words for the audio; `load_audio` is called only when the cache cannot answer."""
    key, model_dir, cached = cache.lookup(frames_sha256, options)
    if cached is not None:
        return cached
    audio, model, language = _start(load_audio, model_dir, options)
    words: list[Word] = []
    # A block at a time, cut in pauses: VAD and features then hold 20 minutes, not the whole episode.
    for block_start, block_end in stretches.blocks(audio):
        if options.batch_size:
            speech = whisper.speech_regions(audio, block_start, block_end)
            cut = stretches.cut_stretches(speech, audio.loudness_db)
            for heard in second_look.decode_stretches(model, audio, cut, speech, language, options):
                words += heard.words
                if on_progress:
                    on_progress(heard.end_s, audio.duration_s)
        else:
            for segment in whisper.decode_sequentially(model, audio.seconds(block_start, block_end), language, options):
                words += [whisper.to_word(w, block_start) for w in segment.words or ()]
                if on_progress:
                    on_progress(min(block_start + segment.end, audio.duration_s), audio.duration_s)
    if on_progress:
        on_progress(audio.duration_s, audio.duration_s)
    return _finish(key, words, language, audio, options)


def transcribe_windows(
    load_audio: Callable[[], DecodedAudio],
    frames_sha256: str,
    windows: list[tuple[float, float]],
    options: TranscribeOptions,
    on_progress: ProgressCallback | None = None,
) -> Transcript:
    """Timed words for stretches of the audio only; decoded like a whole file, cached like one.

    Only the windows go to the model (VAD, too): an upload whose chapters are right costs one
    encoder pass per chapter.
    """
    merged = merge_windows(windows)
    key, model_dir, cached = cache.lookup(frames_sha256, options, merged)
    if cached is not None:
        return cached
    audio, model, language = _start(load_audio, model_dir, options)
    cut: list[tuple[float, float]] = []
    speech: list[tuple[float, float]] = []
    for start, end in merged:
        end = min(end, audio.duration_s)
        if start < end:
            found = whisper.speech_regions(audio, start, end)
            speech += found
            # all of the window, not just its speech, unless asked for the surer short pieces
            cut += stretches.short_pieces(found, audio.loudness_db) if options.short_pieces else stretches.cut_stretches([(start, end)], audio.loudness_db)
    heard = second_look.decode_stretches(model, audio, cut, speech, language, options, on_progress)  # all windows in one batch
    return _finish(key, [w for h in heard for w in h.words], language, audio, options)


def transcribe_snippets(
    load_audio: Callable[[], DecodedAudio],
    frames_sha256: str,
    snippets: list[tuple[float, float]],
    options: TranscribeOptions,
    on_progress: ProgressCallback | None = None,
) -> Transcript:
    """Timed words for short snippets of the audio, packed several to an encoder pass (packing.py);
    cached like a whole file. For the first seconds after each claimed chapter time."""
    merged = merge_windows(snippets)
    key, model_dir, cached = cache.lookup(frames_sha256, options, ["packed", merged])
    if cached is not None:
        return cached
    audio, model, language = _start(load_audio, model_dir, options)
    packs = packing.pack([(start, min(end, audio.duration_s)) for start, end in merged if start < audio.duration_s])
    packed, spans, pieces = packing.packed_audio(audio, packs)
    # a pack that loops or drops speech is decoded again in short pieces, as any stretch is
    speech = whisper.speech_regions(packed, 0.0, packed.duration_s) if options.second_look else []
    heard = second_look.decode_stretches(model, packed, spans, speech, language, options, on_progress)
    return _finish(key, packing.unpacked([w for h in heard for w in h.words], pieces), language, audio, options)


def with_words_from(first: Transcript, second: Transcript, second_covers: list[tuple[float, float]]) -> Transcript:
    """The words of `second` where it was transcribed, those of `first` elsewhere."""
    outside = [w for w in first.words if not any(start <= w.start_s < end for start, end in second_covers)]
    return replace(first, words=tuple(sorted(outside + list(second.words), key=lambda w: w.start_s)))


def _start(load_audio: Callable[[], DecodedAudio], model_dir, options: TranscribeOptions):
    """The decoded audio, the loaded model and the language: what transcribing needs."""
    audio = load_audio()
    model = whisper.load_model(model_dir, options)
    return audio, model, options.language or whisper.detect_language(model, audio)


def _finish(key: str, words: list[Word], language: str, audio: DecodedAudio, options: TranscribeOptions) -> Transcript:
    """The transcript of what was heard, cached under `key` when the cache may be used."""
    transcript = Transcript(words=tuple(w for w in words if w.text), language=language, duration_s=audio.duration_s, model=options.model)
    if options.use_cache:
        cache.store(key, transcript)
    return transcript
