"""Alignment on hand-written transcripts: each case states what is said when, and what must follow."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline import align, textmatch
from pipeline.align import AlignOptions
from pipeline.audio import FRAME_S
from pipeline.model import Chapter, Status, Transcript, Word

FILLER = (
    "Das ist eine lange Antwort über ganz andere Dinge die man im Alltag so erlebt und wir reden gern darüber "
    "weil es spannend ist und weil die Leute zuhören wollen"
).split()


class Script:
    """Build a transcript by saying sentences at times, with filler speech between them."""

    def __init__(self, duration_s: float = 600.0):
        self.duration_s = duration_s
        self.said: list[tuple[float, str]] = []

    def say(self, start_s: float, text: str) -> Script:
        self.said.append((start_s, text))
        return self

    def transcript(self) -> Transcript:
        words: list[Word] = []
        events = sorted(self.said)
        cursor, filler_index = 0.0, 0
        for start, text in events + [(self.duration_s, "")]:
            # filler up to 3 s before the next sentence, leaving a pause
            while cursor + 0.4 < start - 3.0:
                words.append(Word(FILLER[filler_index % len(FILLER)], cursor, cursor + 0.3))
                filler_index += 1
                cursor += 0.4
            cursor = max(cursor, start)
            for token in text.split():
                words.append(Word(token, cursor, cursor + 0.3))
                cursor += 0.4
        return Transcript(words=tuple(words), language="de", duration_s=self.duration_s, model="test")


def verdicts(chapters, script, **options):
    return align.verify(chapters, script.transcript(), None, AlignOptions(**options)).verdicts


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
    result = align.verify(chapters, script.transcript(), None, AlignOptions())
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
    result = align.verify([Chapter("Wie lange werden Neulinge geschult?", 140)], transcript, loudness, AlignOptions())
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
    def __init__(self, ratio):
        self.ratio, self.calls = ratio, []

    def __call__(self, start_s, end_s, title, heard):
        self.calls.append((start_s, end_s, title, heard))
        return self.ratio


# text likeness 0.63: a garbled transcription of the title, or a look-alike sentence? Only the audio can tell.
DOUBTFUL = Script().say(60, "Wie lange werden Neulinge geschult?").say(150, "Wie lange dauert die Mittagspause im Büro?")
DOUBTFUL_CHAPTERS = [Chapter("Wie lange werden Neulinge geschult?", 60), Chapter("Wie lange dauert die Einarbeitung im Team?", 120)]


def test_a_doubtful_correction_is_asked_of_the_audio_and_accepted():
    check = FakeCheck(-0.5)
    result = align.verify(DOUBTFUL_CHAPTERS, DOUBTFUL.transcript(), None, AlignOptions(), check).verdicts
    assert result[1].status is Status.CORRECTED and 149 <= result[1].start_s <= 150
    (call,) = check.calls
    assert call[2] == "Wie lange dauert die Einarbeitung im Team?" and "Mittagspause" in call[3]


def test_a_look_alike_rejected_by_the_audio_stays_missing():
    result = align.verify(DOUBTFUL_CHAPTERS, DOUBTFUL.transcript(), None, AlignOptions(), FakeCheck(-3.0)).verdicts
    assert result[1].status is Status.MISSING and result[1].start_s == 120


def test_sure_matches_need_no_check():
    check = FakeCheck(-9.0)
    script = Script().say(60, "Wie lange werden Neulinge geschult?").say(230, "Was verdient man eigentlich im Service?")
    result = align.verify([Chapter("Was verdient man im Service?", 200)], script.transcript(), None, AlignOptions(), check)
    assert result.verdicts[0].status is Status.CORRECTED and check.calls == []


def test_a_mid_roll_ad_moves_the_outro_but_not_the_intro():
    titles = ["Wie lange werden Neulinge geschult?", "Was verdient man im Service?", "Arbeitet ihr remote oder im Büro?",
              "Hat der Kundenservice ein Imageproblem?"]
    script = Script(900)
    claimed = [100, 220, 340, 460]
    for number, (title, at) in enumerate(zip(titles, claimed)):
        script.say(at + (40 if number >= 2 else 0), title)  # a 40 s ad went in before the third question
    chapters = [Chapter("Intro", 10)] + [Chapter(t, c) for t, c in zip(titles, claimed)] + [Chapter("Outro", 700)]
    result = align.verify(chapters, script.transcript(), None, AlignOptions()).verdicts
    assert [v.status for v in result] == [Status.UNVERIFIABLE, Status.VERIFIED, Status.VERIFIED, Status.CORRECTED, Status.CORRECTED, Status.UNVERIFIABLE]
    assert result[0].start_s == 10
    assert result[-1].start_s == pytest.approx(740, abs=1.0)


# text likeness about 0.55 at the claimed time, no content word of the title heard there
WEAK = Script().say(100, "Ich rübe die Abitier, die Zeit mir")
WEAK_CHAPTER = [Chapter("Arbeitet ihr aktuell remote oder seid ihr im Büro?", 100)]


def test_a_barely_similar_sentence_at_the_claimed_time_is_put_to_the_audio():
    index = textmatch.SpokenIndex.build(WEAK.transcript().words, "de")
    assert 0.5 <= textmatch.title_spans(WEAK_CHAPTER[0].title, index).similarity.max() < 0.6
    rejected = align.verify(WEAK_CHAPTER, WEAK.transcript(), None, AlignOptions(), FakeCheck(-4.0)).verdicts[0]
    assert rejected.status is Status.MISSING
    accepted = align.verify(WEAK_CHAPTER, WEAK.transcript(), None, AlignOptions(), FakeCheck(-0.3)).verdicts[0]
    assert accepted.status is Status.VERIFIED
