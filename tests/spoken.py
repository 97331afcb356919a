"""Spoken words and loudness made up for tests: timed words, and a pre-roll ad before the show's jingle."""

from __future__ import annotations

import numpy as np

from pipeline.audio import FRAME_S
from pipeline.model import Word


def said(*sentences: tuple[float, str]) -> list[Word]:
    words = []
    for start, text in sentences:
        for number, token in enumerate(text.split()):
            words.append(Word(token, start + number * 0.4, start + number * 0.4 + 0.3))
    return words


def ad_jingle_welcome(jingle: bool = True) -> tuple[list[Word], np.ndarray]:
    """A pre-roll ad, its bumper, the show's jingle (or none), the host's welcome: words and loudness."""
    words = said((0.0, "Use the code kettle for twenty percent off."), (19.3, "Hello and welcome to the show."))
    level = np.full(int(40 / FRAME_S), -80.0)
    for start_s, end_s in [(0.0, 3.2), (10.3, 11.8), (12.8, 18.8), (19.3, 21.7)]:
        if jingle or start_s != 12.8:
            level[int(start_s / FRAME_S) : int(end_s / FRAME_S)] = -20.0
    return words, level
