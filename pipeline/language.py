"""A language guess from shownote text, so that a German title list means German without listening."""

from __future__ import annotations

import re

# The commonest short function words of each language Whisper handles well; enough to tell a title
# list apart, and cheap. A guess needs a clear lead, otherwise the speech decides.
_FUNCTION_WORDS = {
    "de": "der die das und ist nicht ein eine wie was wir ihr sie es im mit für auf den dem des zu von bei oder auch warum wer hat sind wird gibt".split(),
    "en": "the and is are not a an how what we you they it in with for on of to from at or also why who has was does".split(),
    "fr": "le la les et est pas un une comment que nous vous ils dans avec pour sur de du des au ou aussi pourquoi qui".split(),
    "es": "el la los las y es no un una como que nosotros en con para por sobre de del al o también qué quién".split(),
    "it": "il lo la gli le e è non un una come che noi voi in con per su di del al o anche perché chi".split(),
    "nl": "de het een en is niet hoe wat wij jullie zij in met voor op van naar bij of ook waarom wie".split(),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# The languages Whisper can be told to transcribe (faster-whisper's list; a test keeps them equal).
# Kept here so that a wrong --language is refused before faster-whisper is imported.
WHISPER_LANGUAGES = frozenset(
    "af am ar as az ba be bg bn bo br bs ca cs cy da de el en es et eu fa fi fo fr gl gu ha haw he hi hr ht hu hy id is it"
    " ja jw ka kk km kn ko la lb ln lo lt lv mg mi mk ml mn mr ms mt my ne nl nn no oc pa pl ps pt ro ru sa sd si sk sl sn so"
    " sq sr su sv sw ta te tg th tk tl tr tt uk ur uz vi yi yo zh yue".split()
)


def guess(text: str, *, min_hits: int = 3, min_lead: float = 1.5) -> str | None:
    """ISO 639-1 code of the language `text` is written in, or None when it is not clear."""
    words = [w.lower() for w in _WORD.findall(text)]
    hits = {lang: sum(w in set(vocab) for w in words) for lang, vocab in _FUNCTION_WORDS.items()}
    ranked = sorted(hits.items(), key=lambda item: item[1], reverse=True)
    (best, best_hits), (_, second_hits) = ranked[0], ranked[1]
    if best_hits >= min_hits and best_hits >= min_lead * max(second_hits, 1):
        return best
    return None
