"""Alignment on hand-written transcripts: each case states what is said when, and what must follow."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from pipeline import align, meaning, passages, textmatch, voices
from pipeline.align import AlignOptions, Heard, features
from pipeline.audio import FRAME_S
from pipeline.model import Chapter, Status, Transcript, Word
from spoken import ad_jingle_welcome

FILLER = [
    "Das ist eine lange Antwort über ganz andere Dinge.", "Die man im Alltag so erlebt.", "Und wir reden gern darüber.",
    "Weil es spannend ist.", "Und weil die Leute zuhören wollen.", "Manchmal dauert so etwas eben länger.",
    "Im Sommer fahren wir gern an die Ostsee.", "Mein Bruder hat drei Hunde und eine Katze.", "Der Zug war heute wieder zu spät.",
    "Wir haben im Garten Tomaten gepflanzt.", "Das Konzert am Samstag war ausverkauft.", "Früher habe ich viel Fußball gespielt.",
    "Die Bäckerei an der Ecke hat neue Brötchen.", "Am Wochenende regnet es wohl wieder.", "Meine Nachbarin repariert alte Fahrräder.",
    "Das Buch habe ich in zwei Tagen gelesen.", "Wir kochen am liebsten italienisch.", "Der Park ist abends schön ruhig.",
]


class Script:
    """A transcript as Whisper gives one: sentences said at given times, after a pause, and answer
    sentences (filler, half a second apart) everywhere else."""

    def __init__(self, duration_s: float = 600.0):
        self.duration_s = duration_s
        self.said: list[tuple[float, str, float]] = []

    def say(self, start_s: float, text: str, pause_s: float = 3.0) -> Script:
        """`text` at `start_s`, after `pause_s` of silence (filler speech before that)."""
        self.said.append((start_s, text, pause_s))
        return self

    def transcript(self) -> Transcript:
        words: list[Word] = []
        events = sorted(self.said)
        cursor, filler_index = 0.0, 0
        for start, text, pause in events + [(self.duration_s, "", 3.0)]:
            while True:  # filler sentences up to the pause before the next sentence
                sentence = FILLER[filler_index % len(FILLER)].split()
                if cursor + 0.4 * len(sentence) > start - pause:
                    break
                for token in sentence:
                    words.append(Word(token, cursor, cursor + 0.3))
                    cursor += 0.4
                cursor += 0.2  # half a second between sentences, with the word's own 0.1 s gap
                filler_index += 1
            cursor = max(cursor, start)
            for token in text.split():
                words.append(Word(token, cursor, cursor + 0.3))
                cursor += 0.4
            cursor += 0.2
        return Transcript(words=tuple(words), language="de", duration_s=self.duration_s, model="test")


def verdicts(chapters, script, **options):
    return align.verify(chapters, Heard(script.transcript(), meaning=meaning.similarity), AlignOptions(**options)).verdicts


def test_title_spoken_at_claimed_time_is_verified():
    script = Script().say(60, "Wie lange werden Neulinge geschult?").say(200, "Was verdient man im Service?")
    result = verdicts([Chapter("Wie lange werden Neulinge geschult?", 60), Chapter("Was verdient man im Service?", 201)], script)
    assert [v.status for v in result] == [Status.VERIFIED, Status.VERIFIED]
    assert [v.start_s for v in result] == [60, 201]  # the producer's time is kept
    assert "Neulinge" in result[0].evidence


def test_title_spoken_elsewhere_is_corrected_into_the_pause():
    script = Script().say(60, "Wie lange werden Neulinge geschult?").say(230, "Was verdient man eigentlich im Service?")
    result = verdicts([Chapter("Wie lange werden Neulinge geschult?", 60), Chapter("Was verdient man im Service?", 200)], script)
    assert result[1].status is Status.CORRECTED
    assert 229.0 <= result[1].start_s <= 230.0
    assert result[1].delta_s == pytest.approx(result[1].start_s - 200)
    assert result[1].confidence > 0.5


def test_title_not_in_audio_is_missing_not_invented():
    script = Script().say(60, "Wie lange werden Neulinge geschult?").say(300, "Wie lange werden Teller gespült?")
    result = verdicts([Chapter("Wie lange werden Neulinge geschult?", 60), Chapter("Warum ist der Himmel nachts dunkel?", 200)], script)
    assert result[1].status is Status.MISSING
    assert result[1].start_s == 200


def test_wordless_chapters_are_unverifiable_and_keep_their_time():
    script = Script().say(60, "Wie lange werden Neulinge geschult?")
    result = verdicts([Chapter("Intro", 0), Chapter("Wie lange werden Neulinge geschult?", 60), Chapter("Outro", 500)], script)
    assert [v.status for v in result] == [Status.UNVERIFIABLE, Status.VERIFIED, Status.UNVERIFIABLE]
    assert [v.start_s for v in result] == [0, 60, 500]


def test_inserted_ad_gives_a_global_offset_that_moves_wordless_chapters():
    titles = ["Wie lange werden Neulinge geschult?", "Was verdient man im Service?", "Arbeitet ihr remote oder im Büro?",
              "Hat der Kundenservice ein Imageproblem?"]
    script = Script(800)
    for number, title in enumerate(titles):
        script.say(100 + number * 120 + 30, title)  # everything 30 s later than written
    chapters = [Chapter("Intro", 10)] + [Chapter(t, 100 + n * 120) for n, t in enumerate(titles)] + [Chapter("Outro", 700)]
    result = align.verify(chapters, Heard(script.transcript()), AlignOptions())
    assert result.offset_s == pytest.approx(30, abs=1.0)
    assert [v.status for v in result.verdicts] == [Status.UNVERIFIABLE] + [Status.CORRECTED] * 4 + [Status.UNVERIFIABLE]
    assert result.verdicts[0].start_s == pytest.approx(40, abs=1.0)
    assert result.verdicts[-1].start_s == pytest.approx(730, abs=1.0)


def test_gender_forms_quotes_and_compounds_are_normalised():
    script = Script().say(100, "Findet man aktuell neue Mitarbeiterinnen für den Kunden service?")
    result = verdicts([Chapter("„Findet man aktuell neue Mitarbeiter*innen für den Kundenservice?“", 130)], script)
    assert result[0].status is Status.CORRECTED
    assert result[0].confidence >= 0.9


def test_chapter_order_decides_between_two_similar_sentences():
    script = (Script().say(100, "Wie sieht es mit der Bezahlung aus?")
              .say(250, "Wie sieht es mit den Arbeitszeiten aus?")
              .say(400, "Wie sieht es mit der Bezahlung aus?"))
    chapters = [Chapter("Wie sieht es mit der Bezahlung aus?", 90), Chapter("Wie sieht es mit den Arbeitszeiten aus?", 250)]
    result = verdicts(chapters, script)
    assert result[0].status is Status.CORRECTED and 99 <= result[0].start_s <= 100


def test_tolerance_separates_verified_from_corrected():
    script = Script().say(100, "Wie lange werden Neulinge geschult?")
    chapter = [Chapter("Wie lange werden Neulinge geschult?", 104)]
    assert verdicts(chapter, script, tolerance_s=2.0)[0].status is Status.CORRECTED
    assert verdicts(chapter, script, tolerance_s=5.0)[0].status is Status.VERIFIED


def test_start_snaps_to_the_pause_in_the_loudness():
    script = Script().say(100, "Wie lange werden Neulinge geschult?")
    transcript = script.transcript()
    loudness = np.full(int(600 / FRAME_S), -20.0, dtype=np.float32)
    loudness[int(97.5 / FRAME_S) : int(100.35 / FRAME_S)] = -90.0  # the real onset is 0.35 s after whisper's word start
    result = align.verify([Chapter("Wie lange werden Neulinge geschult?", 140)], Heard(transcript, loudness), AlignOptions())
    assert result.verdicts[0].status is Status.CORRECTED
    assert 97.5 <= result.verdicts[0].start_s <= 100.35


@pytest.mark.parametrize("title", ["Intro", "Outro", "Musik", "Werbung", "Intro & Musik", "Trailer", "Ad break"])
def test_unspoken_titles(title):
    assert align.is_unspoken(title)


@pytest.mark.parametrize("title", ["Vorstellung Martin und Robert", "Wie lange?", "Musik im Büro"])
def test_spoken_titles(title):
    assert not align.is_unspoken(title)


def test_the_list_order_wins_over_crossed_times():
    """Times drifted past each other: the shownote list still gives the order of the episode."""
    script = Script().say(60, "Wie lange werden Neulinge geschult?").say(100, "Was verdient man eigentlich im Service?")
    chapters = [Chapter("Wie lange werden Neulinge geschult?", 120), Chapter("Was verdient man im Service?", 70)]
    result = verdicts(chapters, script)
    assert [v.status for v in result] == [Status.CORRECTED, Status.CORRECTED]
    assert 59 <= result[0].start_s <= 60 and 99 <= result[1].start_s <= 100


class FakeCheck:
    """The audio's answer, by what was heard there: `said` maps a fragment of the heard text to the
    ratio forced alignment would give; anywhere else the title is far less likely than what was heard."""

    def __init__(self, said: dict[str, float]):
        self.said, self.calls = said, []

    def __call__(self, start_s, end_s, title, heard):
        self.calls.append((start_s, end_s, title, heard))
        return next((ratio for fragment, ratio in self.said.items() if fragment in heard), -5.0)


# "Plant ihr die Themen im Voraus?" garbled by the recogniser (text likeness 0.67), 15 s after the
# claimed time (which falls into an answer): a garbled title or a look-alike? Only the audio can tell.
GARBLED = (
    Script().say(60, "Wie lange werden Neulinge geschult?").say(155, "Dann die Biedemen im Vom aus.").say(250, "Was verdient man eigentlich im Service?")
)
GARBLED_CHAPTERS = [Chapter("Wie lange werden Neulinge geschult?", 60), Chapter("Plant ihr die Themen im Voraus?", 140),
                    Chapter("Was verdient man im Service?", 250)]


def test_a_garbled_title_borne_out_by_the_audio_corrects_the_chapter():
    check = FakeCheck({"Biedemen": -1.8})
    result = align.verify(GARBLED_CHAPTERS, Heard(GARBLED.transcript(), None, check, meaning.similarity), AlignOptions()).verdicts
    assert result[1].status is Status.CORRECTED and 154 <= result[1].start_s <= 155
    assert result[1].signals.words == 1.0  # what the audio made of the middling likeness
    asked = [(title, heard) for _, _, title, heard in check.calls]
    assert any(heard.startswith("Dann die Biedemen im Vom aus.") for _, heard in asked)
    assert all(title == "Plant ihr die Themen im Voraus?" for title, _ in asked)  # the sure chapters were not asked about


def test_without_the_audios_word_only_the_structure_places_the_garbled_title_less_surely():
    """A new passage after a long pause, where the claimed time falls into an answer: likely the
    chapter still, but the words no longer count for it."""
    borne_out = align.verify(GARBLED_CHAPTERS, Heard(GARBLED.transcript(), None, FakeCheck({"Biedemen": -1.8}), meaning.similarity), AlignOptions())
    check = FakeCheck({})  # the title is not said anywhere
    result = align.verify(GARBLED_CHAPTERS, Heard(GARBLED.transcript(), None, check, meaning.similarity), AlignOptions()).verdicts
    assert check.calls and result[1].signals.words == 0.5
    assert result[1].status is not Status.CORRECTED or result[1].confidence < borne_out.verdicts[1].confidence


def test_a_look_alike_sentence_inside_an_answer_does_not_move_a_paraphrased_chapter():
    script = (
        Script().say(60, "Wie lange werden Neulinge geschult?").say(120, "Wie viele Wochen braucht man, bis man im Team richtig mitarbeiten kann?")
        .say(150, "Wie lange dauert die Mittagspause im Büro, fragen manche.", pause_s=0.2).say(250, "Was verdient man eigentlich im Service?")
    )
    chapters = [Chapter("Wie lange werden Neulinge geschult?", 60), Chapter("Wie lange dauert die Einarbeitung im Team?", 120),
                Chapter("Was verdient man im Service?", 250)]
    result = verdicts(chapters, script)
    assert [v.status for v in result] == [Status.VERIFIED] * 3
    assert "Wochen" in result[1].evidence and result[1].signals.meaning_rank <= 3


def test_sure_matches_need_no_check():
    check = FakeCheck({})
    script = Script().say(60, "Wie lange werden Neulinge geschult?").say(230, "Was verdient man eigentlich im Service?")
    result = align.verify([Chapter("Was verdient man im Service?", 200)], Heard(script.transcript(), None, check, meaning.similarity), AlignOptions())
    assert result.verdicts[0].status is Status.CORRECTED and check.calls == []


def test_a_mid_roll_ad_moves_the_outro_but_not_the_intro():
    titles = ["Wie lange werden Neulinge geschult?", "Was verdient man im Service?", "Arbeitet ihr remote oder im Büro?",
              "Hat der Kundenservice ein Imageproblem?"]
    script = Script(900)
    claimed = [100, 220, 340, 460]
    for number, (title, at) in enumerate(zip(titles, claimed)):
        script.say(at + (40 if number >= 2 else 0), title)  # a 40 s ad went in before the third question
    chapters = [Chapter("Intro", 10)] + [Chapter(t, c) for t, c in zip(titles, claimed)] + [Chapter("Outro", 700)]
    result = align.verify(chapters, Heard(script.transcript()), AlignOptions()).verdicts
    assert [v.status for v in result] == [Status.UNVERIFIABLE, Status.VERIFIED, Status.VERIFIED, Status.CORRECTED, Status.CORRECTED, Status.UNVERIFIABLE]
    assert result[0].start_s == 10
    assert result[-1].start_s == pytest.approx(740, abs=1.0)


@pytest.mark.parametrize(
    ("said_at", "expected"),
    [(150, Status.VERIFIED), (162, Status.CORRECTED)],  # at the producer's time, and 12 s later
    ids=["at the claimed time", "elsewhere"],
)
def test_a_paraphrased_question_is_found_by_meaning(said_at, expected):
    """The host asks every question in other words; each follows a clear pause."""
    script = (
        Script().say(70, "Bevor wir loslegen: Erzählt doch mal, wer ihr seid.").say(said_at, "Wie viele Wochen dauert die Ausbildung am Anfang?")
        .say(260, "Wie ist euer Ruf eigentlich in der Öffentlichkeit?")
    )
    chapters = [Chapter("Vorstellung Martin und Robert", 70), Chapter("Wie lange werden Neulinge geschult?", 150),
                Chapter("Hat der Kund*innenservice ein Imageproblem?", 260)]
    result = verdicts(chapters, script)
    assert [v.status for v in result] == [Status.VERIFIED, expected, Status.VERIFIED]
    assert said_at - 1 <= result[1].start_s <= said_at
    assert "Ausbildung" in result[1].evidence and result[1].signals.question and result[1].signals.pause_s >= 2.0


# text likeness about 0.55 at the claimed time, nothing else to go by: a garbled title, or something else?
WEAK = Script().say(100, "Ich rübe die Abitier, die Zeit mir")
WEAK_CHAPTER = [Chapter("Arbeitet ihr aktuell remote oder seid ihr im Büro?", 100)]


def test_a_barely_similar_sentence_at_the_claimed_time_is_put_to_the_audio():
    """After a clear pause at the producer's time, the sentence may well be the title garbled: the
    audio's word makes it sure; without it only the structure speaks for the place, weakly."""
    index = textmatch.SpokenIndex.build(WEAK.transcript().words, "de")
    assert 0.5 <= textmatch.title_spans(WEAK_CHAPTER[0].title, index).similarity.max() < 0.6
    check = FakeCheck({"Abitier": -0.3})
    accepted = align.verify(WEAK_CHAPTER, Heard(WEAK.transcript(), None, check, meaning.similarity), AlignOptions()).verdicts[0]
    assert check.calls and accepted.status is Status.VERIFIED and accepted.signals.words == 1.0
    rejected = align.verify(WEAK_CHAPTER, Heard(WEAK.transcript(), None, FakeCheck({}), meaning.similarity), AlignOptions()).verdicts[0]
    assert rejected.signals.words == 0.5 and rejected.confidence < accepted.confidence


def test_nothing_near_the_claimed_time_and_nothing_alike_anywhere_is_missing():
    script = Script().say(100, "Das Wetter war an dem Tag wirklich schön.")
    (verdict,) = verdicts([Chapter("Arbeitet ihr aktuell remote oder seid ihr im Büro?", 300)], script)
    assert verdict.status is Status.MISSING and verdict.start_s == 300


def _spectra_with_host(duration_s: float, host_spans: list[tuple[float, float]]) -> np.ndarray:
    """Band energies of an episode in the guest's voice, but for the host's stretches (voices.spectra's shape)."""
    frames = int(duration_s / voices.HOP_S)
    guest, host = np.linspace(2.0, 6.0, len(voices.BANDS_HZ) - 1), np.linspace(6.0, 1.0, len(voices.BANDS_HZ) - 1)
    spectra = np.tile(guest, (frames, 1))
    for start_s, end_s in host_spans:
        spectra[int(start_s / voices.HOP_S) : int(end_s / voices.HOP_S)] = host
    return spectra.astype(np.float16)


def test_the_hosts_voice_after_the_guests_tells_the_paraphrased_question_from_a_look_alike_in_the_answer():
    """The host asks about pay in other words 20 s after the shownote time; 20 s later the guest says
    the title's words in passing, after the same short pause. Only the change of voice tells them apart."""
    script = (
        Script().say(60, "Wie lange werden Neulinge geschult?")
        .say(120, "Und wie sieht es bei euch mit dem Geld aus, lohnt sich das?", pause_s=1.0)
        .say(140, "Was man im Service verdient, ist ja immer so eine Frage.", pause_s=1.0)
        .say(250, "Arbeitet ihr eigentlich remote oder im Büro?")
    )
    chapters = [Chapter("Wie lange werden Neulinge geschult?", 60), Chapter("Was verdient man im Service?", 100),
                Chapter("Arbeitet ihr remote oder im Büro?", 250)]
    transcript = script.transcript()
    blind = align.verify(chapters, Heard(transcript, meaning=meaning.similarity), AlignOptions()).verdicts
    assert blind[1].status is Status.MISSING  # words and meaning alone cannot decide
    spectra = _spectra_with_host(600, [(60, 63), (120, 125), (250, 254)])
    heard = align.verify(chapters, Heard(transcript, meaning=meaning.similarity, voice_spectra=spectra), AlignOptions()).verdicts
    assert heard[1].status is Status.CORRECTED and 119 <= heard[1].start_s <= 120 and heard[1].confidence >= 0.9
    assert [v.status for v in (heard[0], heard[2])] == [Status.VERIFIED] * 2


def placed(chapters, script):
    return align.place(chapters, Heard(script.transcript(), meaning=meaning.similarity), AlignOptions()).verdicts


def test_titles_without_times_are_placed_where_they_are_said_in_list_order():
    titles = ["Wie lange werden Neulinge geschult?", "Was verdient man im Service?", "Arbeitet ihr remote oder im Büro?"]
    script = Script(500).say(80, titles[0]).say(210, titles[1]).say(350, titles[2])
    result = placed([Chapter("Intro", None), *(Chapter(t, None) for t in titles), Chapter("Outro", None)], script)
    assert [v.status for v in result[1:4]] == [Status.PLACED] * 3
    assert [v.start_s for v in result[1:4]] == [pytest.approx(at, abs=0.3) for at in (80, 210, 350)]
    assert "Neulinge" in result[1].evidence and result[1].delta_s is None
    assert result[0].status is Status.UNVERIFIABLE and result[0].start_s == 0.0  # a wordless title opening the list starts the episode
    assert result[4].start_s > 350  # the Outro after the last chapter


def _quiet_after_the_last_words(transcript: Transcript, quiet_s: float) -> np.ndarray:
    """Sound all along, but quiet for `quiet_s` after the last words (then closing music)."""
    loudness = np.full(int(transcript.duration_s / FRAME_S), -20.0, dtype=np.float32)
    last_end = transcript.words[-1].end_s
    loudness[int(last_end / FRAME_S) : int((last_end + quiet_s) / FRAME_S)] = -90.0
    return loudness


def test_an_outro_without_a_goodbye_is_unverifiable_not_placed_on_some_answer():
    titles = ["Wie lange werden Neulinge geschult?", "Was verdient man im Service?"]
    result = placed([*(Chapter(t, None) for t in titles), Chapter("Outro", None)], Script(300).say(80, titles[0]).say(200, titles[1]))
    assert [v.status for v in result] == [Status.PLACED, Status.PLACED, Status.UNVERIFIABLE]
    assert result[2].start_s > 200 and result[2].evidence == ""


def test_closing_music_starts_where_the_sound_resumes_after_the_last_words():
    titles = ["Wie lange werden Neulinge geschult?", "Was verdient man im Service?"]
    transcript = Script(300).say(80, titles[0]).say(200, titles[1]).transcript()
    heard = Heard(transcript, _quiet_after_the_last_words(transcript, 2.5), meaning=meaning.similarity)
    result = align.place([*(Chapter(t, None) for t in titles), Chapter("Musik", None)], heard, AlignOptions()).verdicts
    assert result[2].status is Status.UNVERIFIABLE
    assert result[2].start_s == pytest.approx(transcript.words[-1].end_s + 2.5, abs=0.02)


def test_an_outro_is_placed_where_the_host_says_goodbye():
    titles = ["Wie lange werden Neulinge geschult?", "Was verdient man im Service?"]
    script = Script(300).say(80, titles[0]).say(200, titles[1]).say(270, "Das war's für heute. Danke fürs Zuhören und bis zum nächsten Mal.")
    result = placed([*(Chapter(t, None) for t in titles), Chapter("Outro", None)], script)
    assert result[2].status is Status.PLACED and result[2].start_s == pytest.approx(270, abs=0.3)


def test_a_title_never_said_is_missing_not_placed():
    script = Script(400).say(80, "Wie lange werden Neulinge geschult?").say(250, "Was verdient man im Service?")
    result = placed([Chapter("Wie lange werden Neulinge geschult?", None), Chapter("Warum ist der Himmel nachts dunkel?", None),
                     Chapter("Was verdient man im Service?", None)], script)
    assert [v.status for v in result[1:]] == [Status.MISSING, Status.PLACED]
    assert result[0].start_s == pytest.approx(80, abs=0.3)  # where it is said (placed, or flagged: the unsaid title might be there too)
    assert 80 < result[1].start_s < 250 or result[1].start_s == pytest.approx(80, abs=1) or result[1].start_s == pytest.approx(250, abs=1)


def test_list_order_decides_between_two_places_of_the_same_words():
    # the second title's words are said twice; only the later place keeps the list's order
    script = Script(500).say(60, "Was verdient man im Service?").say(200, "Wie lange werden Neulinge geschult?").say(330, "Was verdient man im Service?")
    result = placed([Chapter("Wie lange werden Neulinge geschult?", None), Chapter("Was verdient man im Service?", None)], script)
    assert result[1].status is Status.PLACED and result[1].start_s == pytest.approx(330, abs=0.3)


def _opening(j: int) -> passages.Opening:
    return passages.Opening(first_word=j, passage_end=j, onset_s=30.0 * j, pause_start_s=30.0 * j - 1.5, text="Und wie ist das so?")


def _evidence_of_a_title_list(meaning_z, pause_rank, question, meaning_rank=None, title_best=None) -> features.Evidence:
    """What a list without times is weighed by (titles × openings), no title's words heard and no voices known."""
    shape = meaning_z.shape
    return features.Evidence(
        words=np.full(shape, 0.3), sound=np.zeros(shape), meaning=meaning_z / 10, meaning_z=meaning_z,
        meaning_rank=np.ones(shape, dtype=int) if meaning_rank is None else meaning_rank,
        title_best=np.ones(shape, dtype=bool) if title_best is None else title_best, pause_rank=pause_rank,
        question=question, voice_change=np.zeros(shape[1]), from_asker=np.full(shape[1], np.nan),
    )


def test_titles_in_other_words_follow_the_interviews_chapter_starts_not_a_look_alike_between_them():
    """Six questions after equally long pauses; the title-free model starts chapters at 1, 3 and 5
    (2 and 4 are follow-ups). The first title's meaning is closest to the follow-up at 2: with its
    meaning at full weight and no structure it goes there and pushes the list along; placed by
    the interview's chapter starts, every title keeps its own."""
    count = 6
    meaning_z = np.zeros((3, count))
    meaning_z[0, 2] = 3.0  # the first title's look-alike
    meaning_z[1, 3], meaning_z[2, 5] = 1.0, 1.0
    rank = np.argsort(np.argsort(-meaning_z, axis=1), axis=1) + 1
    evidence = _evidence_of_a_title_list(meaning_z, np.array([0.2, 0.95, 0.95, 0.95, 0.95, 0.95]), np.ones(count, dtype=bool),
                                         meaning_rank=rank, title_best=meaning_z >= meaning_z.max(axis=0, keepdims=True))
    opens = [_opening(j) for j in range(count)]
    likely = np.array([False, True, False, True, False, True])
    parts = np.zeros(3, dtype=bool)
    assert align._place_anywhere(evidence, opens, likely, parts).best == (1, 3, 5)
    assert align._place_anywhere(evidence, opens, None, parts).best[0] == 2  # meaning alone: the look-alike


def test_a_follow_up_taken_for_a_start_stays_with_the_chapter_whose_answer_it_goes_on_with(monkeypatch):
    """Three titles asked in other words (no question's meaning points at any); the title-free model
    starts chapters at 1, 4, 8 and 12, but 4 is a follow-up inside the first chapter's answer. The
    answers say which chapter is which (2–3 and 5–7 the first title's, 9–11 the second's, 13–14 the
    third's). With what each chapter holds counted, the second title starts at 8; by the questions
    alone it could as well start at the follow-up."""
    count, starts = 15, [1, 4, 8, 12]
    meaning_z = np.zeros((3, count))
    meaning_z[0, [2, 3, 5, 6, 7]], meaning_z[1, [9, 10, 11]], meaning_z[2, [13, 14]] = 3.0, 3.0, 3.0
    at_starts = np.isin(np.arange(count), starts)
    evidence = _evidence_of_a_title_list(meaning_z, np.where(at_starts, 0.95, 0.3), at_starts)
    opens = [_opening(j) for j in range(count)]
    parts = np.zeros(3, dtype=bool)
    placement = align._place_anywhere(evidence, opens, at_starts, parts)
    assert placement.best == (1, 8, 12)
    monkeypatch.setattr(align, "CONTENT_WEIGHT", 0.0)
    by_the_questions = align._place_anywhere(evidence, opens, at_starts, parts).posterior[1, 8]
    assert by_the_questions < 0.55 and placement.posterior[1, 8] > by_the_questions + 0.15


@pytest.mark.parametrize(("posterior", "status"), [(0.95, Status.PLACED), (0.8, Status.MISSING)])
def test_a_title_without_a_time_is_placed_only_when_its_place_is_clearly_likeliest(posterior, status):
    """No producer's time backs a title without one: below PLACED_FROM it is flagged missing, at
    the same likeliest place (where a producer who opens the review finds it)."""
    count = 3
    evidence = _evidence_of_a_title_list(np.zeros((1, count)), np.full(count, 0.9), np.ones(count, dtype=bool))
    opens = [_opening(j) for j in range(count)]
    rest = (1.0 - posterior) / 2
    placement = align.order.Placement(best=(1,), posterior=np.array([[rest, posterior, rest]]), absent=np.zeros(1))
    words = [Word("Und", 30.0 * j, 30.0 * j + 0.3) for j in range(count)]
    verdict = align._decide_place(Chapter("Wie ist das so?", None), 0, evidence, placement, opens, words)
    assert verdict.status is status and verdict.start_s == opens[1].chapter_start_s


def _turn(texts_and_pauses: list[tuple[str, float]]) -> list[passages.Opening]:
    """Openings 10 s apart, each after the pause given."""
    return [passages.Opening(first_word=j, passage_end=j, onset_s=10.0 * j + 5, pause_start_s=10.0 * j + 5 - pause, text=text)
            for j, (text, pause) in enumerate(texts_and_pauses)]


def test_a_listed_intro_holds_the_hosts_welcome_turn():
    """The host's welcome (the turn of the first opening that welcomes, before the first likely
    start) belongs to a listed Intro: openings 0 and 1 (one turn: a short pause, the same voice),
    not the question at 2 after a long pause."""
    opens = _turn([("Hallo und herzlich willkommen bei Ankommen.", 2.0), ("Heute zu Gast ist Anke Reimers, Hebamme.", 0.3),
                   ("Wer bist du und wie lange machst du das schon?", 2.0), ("Seit fünfundzwanzig Jahren.", 1.0),
                   ("Was gehört alles dazu?", 2.0)])
    evidence = _evidence_of_a_title_list(np.zeros((2, len(opens))), np.full(len(opens), 0.5), np.ones(len(opens), dtype=bool))
    likely = np.array([False, False, True, False, True])
    assert list(align._welcome(opens, evidence, likely)) == [0, 1]
    after_a_jingle = np.array([True, False, False, False, True])  # the welcome itself looked like a start
    assert list(align._welcome(opens, evidence, after_a_jingle)) == [0, 1]
    assert align._welcome(opens, evidence, None) is None  # free talk: no likely starts to bound it
    no_greeting = [replace(o, text="Heute zu Gast ist Anke Reimers.") if j == 0 else o for j, o in enumerate(opens)]
    assert align._welcome(no_greeting, evidence, likely) is None


def test_a_listed_intro_starts_with_the_jingle_after_a_pre_roll_ad_and_at_the_start_otherwise():
    words, level = ad_jingle_welcome()
    opens = passages.openings(words, level)
    welcome = np.array([1])  # the host's welcome, after the ad
    assert align._show_start(opens, welcome, words, level) == pytest.approx(12.55)  # the ad before it is no part of the show
    words, no_jingle = ad_jingle_welcome(jingle=False)
    assert align._show_start(opens, welcome, words, no_jingle) == 0.0  # words straight before the welcome: a cold open, the show's own
    assert align._show_start(opens, None, words, level) == 0.0  # no welcome heard
    welcome_first = words[8:]  # the same audio, no words before the welcome
    assert align._show_start(passages.openings(welcome_first, level), np.array([0]), welcome_first, level) == 0.0


def test_a_title_whose_words_the_welcome_names_starts_at_its_question_when_an_intro_is_listed():
    """The welcome names the guest ("Heute zu Gast ist Anke Reimers"): the first title ("Anke
    Reimers stellt sich vor") is far likelier there than anywhere. With the Intro listed, the
    welcome is the Intro's and the title starts at the first likely start (2); without, the title
    takes the welcome and the second title is pushed onto its question."""
    count = 5
    meaning_z = np.zeros((2, count))
    meaning_z[0, 0], meaning_z[0, 2], meaning_z[1, 4] = 30.0, 1.0, 1.0
    evidence = _evidence_of_a_title_list(meaning_z, np.array([0.9, 0.2, 0.95, 0.2, 0.95]), np.ones(count, dtype=bool))
    opens = [_opening(j) for j in range(count)]
    likely = np.array([False, False, True, False, True])
    parts = np.zeros(2, dtype=bool)
    assert align._place_anywhere(evidence, opens, likely, parts).best[0] == 0
    assert align._place_anywhere(evidence, opens, likely, parts, welcome=np.array([0, 1])).best == (2, 4)


def test_with_an_intro_listed_the_welcome_that_names_the_guest_leaves_the_first_title_to_its_question():
    """The host's welcome names the guest and her trade; the first title ("Anke Reimers stellt sich
    vor") is asked at 40 s in other words. The listed Intro holds the welcome, so the title is placed
    at its question, sure of it; without the Intro some of it stays on the welcome (flagged missing)."""
    questions = [(40, "Anke, wer bist du eigentlich, und wie lange machst du das schon?"),
                 (120, "Wie findet man denn heute überhaupt noch eine Hebamme?"),
                 (200, "Was machst du, wenn du nach der Geburt zu einer Familie kommst?"),
                 (280, "Und wo bringen die Frauen hier ihre Kinder zur Welt, seit die Station zu ist?")]
    script = Script(360).say(10, "Hallo und herzlich willkommen bei Ankommen. Heute zu Gast ist Anke Reimers, freiberufliche Hebamme.")
    for at, question in questions:
        script.say(at, question)
    heard = Heard(script.transcript(), meaning=meaning.similarity, voice_spectra=_spectra_with_host(360, [(10, 17)] + [(at, at + 5) for at, _ in questions]))
    titles = [Chapter(t, None) for t in ("Anke Reimers stellt sich vor", "Warum ist es so schwer, eine Hebamme zu finden?",
                                         "Hausbesuche im Wochenbett", "Kreißsaalschließungen auf dem Land")]
    with_intro = align.place([Chapter("Intro", None), *titles], heard, AlignOptions()).verdicts
    assert [(v.status, round(v.start_s)) for v in with_intro[1:]] == [(Status.PLACED, at) for at, _ in questions]
    without = align.place(titles, heard, AlignOptions()).verdicts
    assert without[0].status is Status.MISSING and round(without[0].start_s) == 40


def test_a_follow_up_that_would_cut_a_chapter_to_a_few_seconds_starts_none_when_the_list_has_fewer_titles():
    """Four titles with nothing to tell them apart; the title-free model starts five chapters (at 20,
    100, 112, 200 and 300 s of 400 s), one of them a follow-up 12 s after a question. Weighed as
    they are, the list takes the first four and a 12 s chapter; with a chapter much shorter than
    the typical one (400 s over four) charged, one of the two close starts goes and the list runs to 300 s."""
    onsets = [0, 20, 60, 100, 112, 150, 200, 250, 300, 350]
    opens = [passages.Opening(j, j, float(t), float(t) - 2.0, "Und wie ist das so?") for j, t in enumerate(onsets)]
    likely = np.isin(onsets, [20, 100, 112, 200, 300])
    evidence = _evidence_of_a_title_list(np.zeros((4, len(onsets))), np.where(likely, 0.95, 0.3), likely)
    parts = np.zeros(4, dtype=bool)
    weighed_as_they_are = align._place_anywhere(evidence, opens, likely, parts)
    assert weighed_as_they_are.best == (1, 3, 4, 6)
    charged = align._place_anywhere(evidence, opens, likely, parts, typical_s=100.0)
    assert not {3, 4} <= set(charged.best) and charged.best[-1] == 8
    assert charged.posterior[3, 8] > 0.8 > weighed_as_they_are.posterior[3, 8]
