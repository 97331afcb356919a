"""How to transcribe (options that change the words), and what one encoder pass heard."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.model import Word

ProgressCallback = Callable[[float, float], None]  # (seconds done, seconds total)


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
    # such stretches are decoded again in short pieces (see second_look.needs_second_look).
    second_look: bool = True
    # Windows only: decode their speech in short pieces from the start (slower, surer; verify's
    # second try on a window that did not settle its chapter).
    short_pieces: bool = False
    # Conditioning on the previous window lets one misheard sentence loop for a minute (DESIGN.md);
    # each window decoded on its own cannot carry an error forward.
    condition_on_previous_text: bool = False
    vad_filter: bool = True  # the sequential loop's own VAD (batched stretches always come from VAD)
    use_cache: bool = True
    cpu_threads: int = 0  # the model's threads; 0: every core (a batch gives each worker its share)

    def cache_fields(self) -> dict:
        """The fields that change the words (the model is keyed by its identity, the device not at all)."""
        fields = dataclasses.asdict(self)
        for irrelevant in ("model", "use_cache", "device", "cpu_threads"):
            fields.pop(irrelevant)
        return fields


@dataclass(frozen=True)
class Heard:
    """What one encoder pass made of one stretch, with the decoder's own doubt about it."""

    start_s: float
    end_s: float
    words: tuple[Word, ...]
    avg_logprob: float = 0.0
    truncated: bool = False  # stopped at whisper.MAX_NEW_TOKENS: a loop, or more words than 30 s hold
