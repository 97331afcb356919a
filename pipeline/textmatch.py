"""How much a stretch of transcript sounds like a chapter title.

Both sides are normalised (case, punctuation, gender markers such as "Mitarbeiter*innen", ß,
digits spelled out in the episode's language) and compared without spaces, so that compounds split or joined by the
recogniser ("Kunden service" / "Kundenservice") cost nothing. A second comparison on Kölner
Phonetik codes forgives misheard spellings ("geschuld" for "geschult").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
from cologne_phonetics import encode as cologne_encode
from rapidfuzz import process
from rapidfuzz.distance import Indel

from pipeline.model import Word

_GENDER_MARK = re.compile(r"(?<=\w)[*:_/·](?=\w)")
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
# Function words carry no evidence that a paraphrased title was meant (used by bag_of_words only).
_STOPWORDS = frozenset(
    "der die das den dem des ein eine einen einem einer und oder aber ist sind wird werden hat haben"
    " mit für von zu im in am an auf aus bei wie was wer warum ihr wir sie es ich du man doch noch"
    " the a an and or but is are was were has have with for of to in on at by how what who why you we they it"
    .split()
)


MAX_GAP_IN_TITLE_S = 8.0  # Whisper may put a title's first word seconds early, but not this far


def tokens(text: str, language: str | None = None) -> list[str]:
    text = unicodedata.normalize("NFKC", text).lower()
    text = _GENDER_MARK.sub("", text).replace("ß", "ss")
    return [_spelled(t, language) if t.isdigit() else t for t in _TOKEN.findall(text)]


def spoken_form(title: str) -> str:
    """A title as it would be said: gender markers and typographic quotes dropped ("Gäst*innen" → "Gästinnen")."""
    return re.sub(r"[„“”\"«»‚‘’]", "", _GENDER_MARK.sub("", title)).strip()


@lru_cache(maxsize=4096)
def _spelled(number: str, language: str | None) -> str:
    """"12" as "zwölf": titles and transcripts write numbers either way."""
    if not language or len(number) > 6:
        return number
    try:
        from num2words import num2words

        words = num2words(int(number), lang=language)
    except (NotImplementedError, OverflowError, ValueError):
        return number
    return "".join(_TOKEN.findall(unicodedata.normalize("NFKC", words).lower())).replace("ß", "ss")


@lru_cache(maxsize=65536)
def phonetic(token: str) -> str:
    if not token.isalpha():
        return token
    return "".join(code for _, code in cologne_encode(token))


@dataclass(frozen=True)
class SpokenIndex:
    """The transcript, prepared once for many title searches."""

    words: tuple[Word, ...]
    letters: tuple[str, ...]  # normalised word, spaces removed
    sounds: tuple[str, ...]  # phonetic code of the word
    language: str | None = None

    @cached_property
    def joined_letters(self) -> tuple[str, np.ndarray]:
        return _joined(self.letters)

    @cached_property
    def joined_sounds(self) -> tuple[str, np.ndarray]:
        return _joined(self.sounds)

    @cached_property
    def span_limits(self) -> tuple[np.ndarray, np.ndarray]:
        """Letters before each word (one more entry: all), and for each word the first at or after it
        that follows a silence longer than any inside a title (the count when none): the same for every title."""
        cumulative = np.concatenate([[0], np.cumsum([len(letters) for letters in self.letters])]).astype(int)
        count = len(self.words)
        starts_at = np.array([w.start_s for w in self.words])
        ends_at = np.array([w.end_s for w in self.words])
        breaks = np.flatnonzero(starts_at[1:] - ends_at[:-1] > MAX_GAP_IN_TITLE_S) + 1 if count else np.array([], dtype=int)
        next_break = np.append(breaks, count)[np.searchsorted(breaks, np.arange(count + 1), side="left")]
        return cumulative, next_break

    @classmethod
    def build(cls, words: Sequence[Word], language: str | None = None) -> SpokenIndex:
        token_lists = [tokens(w.text, language) for w in words]
        return cls(
            language=language,
            words=tuple(words),
            letters=tuple("".join(t) for t in token_lists),
            sounds=tuple("".join(phonetic(t) for t in ts) for ts in token_lists),
        )


def _joined(parts: tuple[str, ...]) -> tuple[str, np.ndarray]:
    """All parts in one string, and where each starts (one more entry: the end)."""
    return "".join(parts), np.concatenate([[0], np.cumsum([len(p) for p in parts])]).astype(int)


@dataclass(frozen=True)
class SpanMatches:
    """For each transcript word: how well the title matches a span starting there, and where it ends."""

    similarity: np.ndarray  # float, 0..1: letters, lifted by sound
    last_word: np.ndarray  # int, index of the span's last word
    sound: np.ndarray  # float, 0..1: the Kölner Phonetik codes alone, for the same span


def title_spans(title: str, index: SpokenIndex, *, max_words: int = 60) -> SpanMatches:
    """Best likeness of the title to a span starting at each word (spans of 0.6–1.4× the title's length)."""
    title_tokens = tokens(title, index.language)
    letters = "".join(title_tokens)
    sounds = "".join(phonetic(t) for t in title_tokens)
    count = len(index.words)
    similarity, sound = np.zeros(count), np.zeros(count)
    last_word = np.arange(count)
    if not letters or not count:
        return SpanMatches(similarity, last_word, sound)
    starts, ends = _span_bounds(index, len(letters), max_words)
    if not len(starts):
        return SpanMatches(similarity, last_word, sound)
    text, text_at = index.joined_letters
    code, code_at = index.joined_sounds
    by_letters = process.cdist([letters], _slices(text, text_at, starts, ends), scorer=Indel.normalized_similarity)[0]
    if sounds:
        by_sound = process.cdist([sounds], _slices(code, code_at, starts, ends), scorer=Indel.normalized_similarity)[0]
        # sound alone over-forgives (many words share codes): it may only lift letters halfway
        scores = np.maximum(by_letters, (by_letters + by_sound) / 2)
    else:
        scores = by_sound = by_letters
    # the best end for each start: sort by (start, score) and keep the last of each start
    order = np.lexsort((scores, starts))
    best = order[np.r_[np.flatnonzero(np.diff(starts[order])), len(order) - 1]]
    similarity[starts[best]] = scores[best]
    last_word[starts[best]] = ends[best]
    sound[starts[best]] = by_sound[best]
    return SpanMatches(similarity, last_word, sound)


def _slices(joined: str, at: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> list[str]:
    """The joined text of each span (plain ints: indexing with numpy scalars costs more than the slicing)."""
    return [joined[a:b] for a, b in zip(at[starts].tolist(), at[ends + 1].tolist())]


def _span_bounds(index: SpokenIndex, title_length: int, max_words: int) -> tuple[np.ndarray, np.ndarray]:
    """Every (first word, last word) whose letters are 0.6–1.4× the title's, within one stretch of speech.

    As in reading left to right: a span may end with the first word that makes it too long.
    """
    cumulative, next_break = index.span_limits
    count = len(next_break) - 1
    first = np.arange(count)
    limit = np.minimum(np.minimum(next_break[np.minimum(first + 1, count)], first + max_words), count) - 1
    low = np.searchsorted(cumulative, cumulative[:-1] + 0.6 * title_length, side="left") - 1
    high = np.searchsorted(cumulative, cumulative[:-1] + 1.4 * title_length, side="right") - 1
    low, high = np.maximum(low, first), np.minimum(high, limit)
    sizes = np.maximum(high - low + 1, 0)
    if not sizes.sum():
        return np.array([], dtype=int), np.array([], dtype=int)
    starts = np.repeat(first, sizes)
    # each start's ends run from its `low` upwards: the position within its run, added to that low
    within = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    return starts, np.repeat(low, sizes) + within


def bag_of_words(title: str, words: Sequence[Word], language: str | None = None) -> float:
    """Share of the title's content words heard among `words` (for paraphrased titles)."""
    wanted = [t for t in tokens(title, language) if len(t) >= 4 and t not in _STOPWORDS]
    if not wanted:
        return 0.0
    heard = {t for w in words for t in tokens(w.text, language)}
    found = sum(1 for t in wanted if any(_same_word(t, h) for h in heard))
    return found / len(wanted)


def _same_word(a: str, b: str) -> bool:
    if len(b) < 3:
        return False
    if a.startswith(b[:5]) and len(b) >= 5 or b.startswith(a[:5]) and len(a) >= 5:
        return True  # shared stem: "vorstellung" / "vorstellen"
    return Indel.normalized_similarity(a, b) >= 0.8 or Indel.normalized_similarity(phonetic(a), phonetic(b)) >= 0.9
