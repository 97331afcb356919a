"""Stretches through the batched decoder, and the doubtful ones decoded again in short pieces.

The batched decoder has no temperature fallback: a stretch whose text loops, is unlikely or
leaves speech unheard is decoded again, and the better look wins. The sequential loop was tried
as the second look: its retries at random temperatures changed the words from run to run.
"""

from __future__ import annotations

import dataclasses
import re
import zlib
from collections import Counter

from pipeline.audio import DecodedAudio
from pipeline.transcribe import stretches, whisper
from pipeline.transcribe.options import Heard, TranscribeOptions

# A stretch is decoded again when its text is as repetitive or as unlikely as faster-whisper's own
# retry thresholds (compression_ratio_threshold, log_prob_threshold) …
REPETITIVE_RATIO, LOGPROB_FLOOR = 2.4, -1.0
LOOPED_SENTENCE = 3  # … or a sentence said this often (a loop in part of a stretch hardly moves the ratio) …
# … or a phrase said again and again back to back, with no sentence end to split it ("das halb ist
# der Boden, das halb ist der Boden, …"; "wir, wir, wir, …"): a phrase of several words this often,
# a single word this often (people do say "ja, ja, ja") …
LOOPED_PHRASE, LOOPED_WORD, LOOPED_PHRASE_WORDS = 3, 5, 8
# The second look, in pieces of a few seconds, may not say any run of this many tokens twice: in
# so short a piece a repeat is a loop (the batched decoder has no temperature fallback to leave it).
SECOND_LOOK_NO_REPEAT_TOKENS = 6
# … or when this much speech has no word within WORD_REACH_S of it (a dropped sentence or title).
UNHEARD_S, WORD_REACH_S = 1.0, 0.5


def decode_stretches(
    model, audio: DecodedAudio, cut: list[tuple[float, float]], speech: list[tuple[float, float]], language: str, options: TranscribeOptions,
    on_progress=None,
) -> list[Heard]:
    """Every stretch through the batched decoder (its progress told), then the doubtful ones again in short pieces."""
    heard = whisper.decode_batched(model, audio, cut, language, options, on_progress)
    if options.second_look:
        heard = _decode_doubtful_again(model, audio, heard, speech, language, options)
    return [dataclasses.replace(h, words=stretches.starts_in_speech(h.words, speech)) for h in heard]


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
    """Text that loops: as compressible as faster-whisper's threshold says, one sentence of
    several words said LOOPED_SENTENCE times (a loop in part of a stretch hardly moves the ratio),
    or a phrase repeated back to back (_repeats_back_to_back)."""
    text = " ".join(w.text for w in heard.words)
    sentences = [" ".join(part.lower().split()) for part in re.split(r"[.?!]", text) if len(part.split()) >= 3]
    return (compression_ratio(text) > REPETITIVE_RATIO or any(n >= LOOPED_SENTENCE for n in Counter(sentences).values())
            or _repeats_back_to_back([w.text for w in heard.words]))


def _repeats_back_to_back(words: list[str]) -> bool:
    """Whether some phrase of up to LOOPED_PHRASE_WORDS words follows itself LOOPED_PHRASE times in a
    row (a single word LOOPED_WORD times), punctuation and case aside."""
    tokens = [re.sub(r"[^\w']", "", word.lower()) for word in words]
    for size in range(1, LOOPED_PHRASE_WORDS + 1):
        needed = LOOPED_WORD if size == 1 else LOOPED_PHRASE
        for i in range(len(tokens) - size * needed + 1):
            phrase = tokens[i : i + size]
            if all(tokens[i + k * size : i + (k + 1) * size] == phrase for k in range(1, needed)):
                return True
    return False


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


def _decode_doubtful_again(
    model, audio: DecodedAudio, heard: list[Heard], speech: list[tuple[float, float]], language: str, options: TranscribeOptions
) -> list[Heard]:
    """The doubtful stretches decoded again in short pieces; the better look wins. Each piece costs
    an encoder pass, so only doubtful stretches get this; the pieces of all of them share batches
    (on two cores a full batch decodes ~20 % faster per stretch than half a one)."""
    pieces_of = {
        index: stretches.short_pieces([(max(start, h.start_s), min(end, h.end_s)) for start, end in speech if end > h.start_s and start < h.end_s], audio.loudness_db)
        for index, h in enumerate(heard)
        if needs_second_look(h, speech)
    }
    if not pieces_of:
        return heard
    decoded = whisper.decode_batched(model, audio, [piece for pieces in pieces_of.values() for piece in pieces], language, options,
                                     no_repeat_ngram_size=SECOND_LOOK_NO_REPEAT_TOKENS)
    better, used = list(heard), 0
    for index, pieces in pieces_of.items():
        first = heard[index]
        again = Heard(first.start_s, first.end_s, tuple(w for piece in decoded[used : used + len(pieces)] for w in piece.words))
        used += len(pieces)
        # A loop never wins; then whichever left less speech unheard, the second look on a tie.
        better[index] = min((again, first), key=lambda h: (_repetitive(h), round(unheard_s(h, speech), 2)))
    return better
