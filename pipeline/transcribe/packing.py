"""Short snippets of an episode packed into shared encoder passes, and their words mapped back.

Whisper pays one encoder pass per 30 s of input however little speech it holds. `verify` needs
only the first seconds after each claimed chapter time; packing four seven-second snippets into
one pass, with a moment of silence between them, costs a quarter of transcribing them apart.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from pipeline.audio import SAMPLE_RATE, DecodedAudio, loudness_envelope
from pipeline.model import Word
from pipeline.transcribe.whisper import STRETCH_S

GAP_S = 0.6  # silence between two snippets in a pack: a pause Whisper hears as a sentence end


@dataclass(frozen=True)
class Piece:
    packed_s: float  # where the snippet begins in the packed audio
    episode_s: float  # where it begins in the episode
    length_s: float


def pack(snippets: list[tuple[float, float]], longest_s: float = STRETCH_S) -> list[list[tuple[float, float]]]:
    """Snippets (each shorter than `longest_s`) in order, grouped so that each group with its gaps fits one pass."""
    packs: list[list[tuple[float, float]]] = []
    used = longest_s
    for start, end in snippets:
        length = min(end - start, longest_s)
        if packs and used + GAP_S + length <= longest_s:
            packs[-1].append((start, start + length))
            used += GAP_S + length
        else:
            packs.append([(start, start + length)])
            used = length
    return packs


def packed_audio(audio: DecodedAudio, packs: list[list[tuple[float, float]]]) -> tuple[DecodedAudio, list[tuple[float, float]], list[Piece]]:
    """(the packs one after another as audio, each pack's span in it, where each snippet lies)."""
    chunks: list[np.ndarray] = []
    spans: list[tuple[float, float]] = []
    pieces: list[Piece] = []
    cursor = 0.0
    for group in packs:
        pack_start = cursor
        for number, (start, end) in enumerate(group):
            if number:
                chunks.append(np.zeros(int(GAP_S * SAMPLE_RATE), dtype=np.int16))
                cursor += GAP_S
            samples = audio.samples[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)]
            chunks.append(samples)
            pieces.append(Piece(round(cursor, 3), start, len(samples) / SAMPLE_RATE))
            cursor += len(samples) / SAMPLE_RATE
        spans.append((round(pack_start, 3), round(cursor, 3)))
    samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)
    return DecodedAudio(samples=samples, loudness_db=loudness_envelope(samples)), spans, pieces


def unpacked(words: list[Word], pieces: list[Piece]) -> list[Word]:
    """Words heard in the packed audio, in episode time; a word in the silence between two snippets
    belongs to the nearer one."""
    starts = np.array([p.packed_s for p in pieces])
    found = []
    for word in words:
        index = int(np.searchsorted(starts, word.start_s, side="right")) - 1
        if index + 1 < len(pieces) and pieces[index + 1].packed_s - word.start_s < word.start_s - (starts[index] + pieces[index].length_s):
            index += 1
        piece = pieces[max(0, index)]
        shift = piece.episode_s - piece.packed_s
        start = min(max(word.start_s, piece.packed_s), piece.packed_s + piece.length_s)
        end = min(max(word.end_s, start), piece.packed_s + piece.length_s)
        found.append(dataclasses.replace(word, start_s=round(float(start + shift), 3), end_s=round(float(end + shift), 3)))
    return found
