"""The title-free model of chapter starts: which openings start a chapter, in an interview and in free talk."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from pipeline import passages
from pipeline.align import features, starts


def _evidence(questions, asker, known=True):
    count = len(questions)
    return features.Evidence(
        words=np.zeros((0, count)), sound=np.zeros((0, count)), meaning=np.zeros((0, count)), meaning_z=np.zeros((0, count)),
        meaning_rank=np.zeros((0, count), dtype=int), title_best=np.zeros((0, count), dtype=bool), pause_rank=np.zeros(count),
        question=np.array(questions, dtype=bool), voice_change=np.zeros(count),
        from_asker=np.array([0.0 if a else 2.0 for a in asker]) if known else np.full(count, np.nan),
    )


def test_an_interview_gets_a_chapter_per_likely_question_never_two_within_the_gap():
    asked = {0.0: 5.0, 20.0: 3.0, 24.0: 4.0, 60.0: 2.0, 80.0: -1.0, 100.0: -2.0}  # 20 s and 24 s: a question put again
    answers = [5.0, 10.0, 30.0, 35.0, 40.0, 45.0, 50.0, 65.0, 70.0, 90.0, 95.0]  # the guest's sentences
    onsets = np.array(sorted([*asked, *answers]))
    odds = np.array([asked.get(t, -6.0) for t in onsets])
    evidence = _evidence([t in asked for t in onsets], [t in asked for t in onsets])
    chosen, kind = starts.choose(odds, evidence, onsets, duration_s=120.0)
    assert kind == "interview"
    assert [onsets[j] for j in chosen] == [24.0, 60.0, 80.0]  # the stronger of the two; 0 s is the episode's start; -2 is unlikely


def test_free_talk_gets_at_least_three_chapters_none_under_thirty_seconds():
    onsets = np.arange(0.0, 200.0, 5.0)
    odds = np.sin(onsets / 17.0)  # no one asks: topic changes only
    evidence = _evidence([False] * len(onsets), [False] * len(onsets), known=False)
    chosen, kind = starts.choose(odds, evidence, onsets, duration_s=200.0)
    assert kind == "free talk" and len(chosen) == 2  # three chapters with the one at the start
    bounds = [0.0, *(onsets[j] for j in chosen), 200.0]
    assert min(b - a for a, b in zip(bounds, bounds[1:])) >= starts.FREE_TALK_MIN_S


def test_free_talk_too_short_for_three_chapters_of_thirty_seconds_gets_fewer():
    onsets = np.arange(0.0, 70.0, 5.0)
    chosen, _kind = starts.choose(np.ones(len(onsets)), _evidence([False] * len(onsets), [False] * len(onsets), known=False), onsets, 70.0)
    bounds = [0.0, *(onsets[j] for j in chosen), 70.0]
    assert min(b - a for a, b in zip(bounds, bounds[1:])) >= starts.FREE_TALK_MIN_S


def test_a_follow_up_that_cuts_its_chapter_short_needs_stronger_cues_than_a_question_that_opens_one():
    questions = np.arange(60.0, 600.0, 60.0)  # a question a minute, the episode 10 minutes
    answers = np.array([t + d for t in [0.0, *questions] for d in (5.0, 20.0, 35.0, 50.0)])
    for follow_up_odds, kept in [(starts.LIKELY_FROM + 1.0, False), (starts.LIKELY_FROM + 6.0, True)]:
        asked = {**{t: 3.0 for t in questions}, 75.0: follow_up_odds}  # a follow-up 15 s into the first answer
        onsets = np.array(sorted({*asked, *answers}))
        odds = np.array([asked.get(t, -6.0) for t in onsets])
        evidence = _evidence([t in asked for t in onsets], [t in asked for t in onsets])
        chosen, kind = starts.choose(odds, evidence, onsets, duration_s=600.0)
        expected = sorted([*questions, *([75.0] if kept else [])])
        assert kind == "interview" and [onsets[j] for j in chosen] == expected


def _openings(onsets, pauses):
    return [passages.Opening(j, j, onset, onset - pause, f"passage {j}") for j, (onset, pause) in enumerate(zip(onsets, pauses))]


def test_a_turn_runs_on_over_short_pauses_in_the_same_voice_and_ends_at_a_change_of_voice_or_a_long_pause():
    onsets = np.array([0.0, 4.0, 8.0, 12.0, 16.0, 20.0, 24.0, 28.0, 32.0])
    pauses = [0.0, 0.3, 0.3, 1.2, 0.3, 0.3, 0.3, 0.3, 0.3]  # 12 s: a long pause
    evidence = _evidence([False] * 9, [False] * 9)
    evidence = replace(evidence, voice_change=np.array([0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0, 0.0]))  # 20 s: another voice
    turn_of = starts.turns(_openings(onsets, pauses), evidence, onsets)
    assert turn_of.tolist() == [0, 0, 0, 3, 3, 5, 5, 5, 5]
    long_turn = starts.turns(_openings(np.arange(0.0, 40.0, 4.0), [0.3] * 10), _evidence([False] * 10, [False] * 10), np.arange(0.0, 40.0, 4.0))
    assert long_turn.tolist() == [0, 0, 0, 0, 4, 4, 4, 4, 8, 8]  # a turn reaches TURN_REACH_S (15 s) from where it began


def test_a_host_who_leads_in_and_then_asks_opens_one_chapter_where_they_begin():
    # 60 s: the host's lead-in, 66 s: their question in the same turn (likelier: a question mark)
    asked = {60.0: 2.0, 66.0: 4.0, 120.0: 3.0, 180.0: 3.0}
    answers = [5.0, 20.0, 35.0, 50.0, 80.0, 95.0, 110.0, 135.0, 150.0, 165.0, 195.0, 210.0]
    onsets = np.array(sorted([*asked, *answers]))
    odds = np.array([asked.get(t, -6.0) for t in onsets])
    evidence = _evidence([t in asked for t in onsets], [t in asked for t in onsets])
    turn_of = np.arange(len(onsets))
    turn_of[list(onsets).index(66.0)] = list(onsets).index(60.0)
    alone, _kind = starts.choose(odds, evidence, onsets, 240.0)
    assert [onsets[j] for j in alone] == [66.0, 120.0, 180.0]  # the stronger of the two within the gap
    chosen, kind = starts.choose(odds, evidence, onsets, 240.0, turn_of)
    assert kind == "interview" and [onsets[j] for j in chosen] == [60.0, 120.0, 180.0]
    # a question whose turn seems to begin in the guest's answer (the change of voice unheard) stays where it is
    turn_of[list(onsets).index(66.0)] = list(onsets).index(50.0)
    odds[list(onsets).index(60.0)] = -6.0
    heard_late, _kind = starts.choose(odds, evidence, onsets, 240.0, turn_of)
    assert [onsets[j] for j in heard_late] == [66.0, 120.0, 180.0]


def test_openings_held_by_a_known_part_of_the_show_start_no_chapter_and_free_the_question_near_them():
    """A welcome after the jingle (23 s) looks likelier than the first question 7 s later, which the
    gap leaves out. Held by a listed Intro, the welcome starts nothing and the question starts its chapter."""
    asked = {23.0: 2.0, 30.0: 1.0, 90.0: 3.0, 150.0: 3.0}
    answers = [40.0, 55.0, 70.0, 100.0, 115.0, 130.0, 160.0, 175.0]
    onsets = np.array(sorted([*asked, *answers]))
    x = np.zeros((len(onsets), len(starts.FEATURES)))
    x[:, 0] = np.array([asked.get(t, -6.0) for t in onsets]) / starts.WEIGHTS[0]  # log-odds through the intercept alone
    evidence = _evidence([t in asked for t in onsets], [t in asked for t in onsets])
    opens = _openings(onsets, [1.2] * len(onsets))
    _odds, chosen, kind = starts.decide(x, evidence, opens, onsets, 200.0)
    assert kind == "interview" and [onsets[j] for j in chosen] == [23.0, 90.0, 150.0]
    _odds, held, _kind = starts.decide(x, evidence, opens, onsets, 200.0, np.array([list(onsets).index(23.0)]))
    assert [onsets[j] for j in held] == [30.0, 90.0, 150.0]


def _opening(first: int, text: str, onset: float) -> passages.Opening:
    words = text.split()
    readings = tuple(" ".join(words[: k + 1]) for k, word in enumerate(words) if word.endswith((".", "?")))
    return passages.Opening(first, first + len(words) - 1, onset, onset - 1.0, text, readings)


def test_a_short_question_costs_as_a_follow_up_a_long_one_a_statement_or_a_lead_in_does_not():
    asked_at_length = "Wie bist du eigentlich zu diesem Beruf gekommen, und was hat dich damals daran so gereizt?"  # 16 words
    short = " ".join(["wort"] * (starts.FOLLOW_UP_WORDS - 1)) + " so?"  # one question of FOLLOW_UP_WORDS words
    long = " ".join(["wort"] * starts.FOLLOW_UP_WORDS) + " so?"
    texts = [asked_at_length, asked_at_length, "Und wer zahlt das?", short, long, "Twenty pairs.", "Kommen wir zum Geld. Was kostet das?"]
    opens = [_opening(20 * j, text, 10.0 * j) for j, text in enumerate(texts)]
    asked = np.array([True, True, False, False, False, False, False])
    cost = starts.FOLLOW_UP_COST
    assert starts.follow_up_cost(opens, asked).tolist() == [0.0, 0.0, cost, cost, 0.0, 0.0, 0.0]
    # a host who asks every question in a few words: none of them is short for that episode
    terse = np.array([False, False, True, True, False, False, False])
    assert starts.follow_up_cost(opens, terse).tolist() == [0.0] * len(opens)


def test_a_follow_up_asked_just_before_the_next_question_leaves_that_question_its_chapter():
    """h65: "Do you have one of your own?" 12 s before the host's last question, which Whisper heard
    without its question mark: the follow-up looked likelier, and the gap left the question out."""
    question = "Let's talk money. What does a roof like that cost a family in your part of the county?"
    asked = {30.0: (question, 3.0), 60.0: (question, 3.0), 90.0: (question, 3.0),
             120.0: ("Do you have one of your own?", 3.5), 128.0: ("To finish, looking back on forty years, would you do it all again", 0.8)}
    answers = [5.0, 15.0, 45.0, 75.0, 105.0, 140.0, 155.0, 170.0]
    onsets = np.array(sorted([*asked, *answers]))
    opens = [_opening(20 * j, asked[t][0] if t in asked else "The guest goes on.", t) for j, t in enumerate(onsets)]
    x = np.zeros((len(onsets), len(starts.FEATURES)))
    x[:, 0] = np.array([asked[t][1] if t in asked else -6.0 for t in onsets]) / starts.WEIGHTS[0]  # log-odds through the intercept alone
    evidence = _evidence([t in asked for t in onsets], [t in asked for t in onsets])
    odds, chosen, kind = starts.decide(x, evidence, opens, onsets, 180.0)
    assert odds[list(onsets).index(120.0)] > odds[list(onsets).index(128.0)]  # the model's odds stand; the cost only weighs in choosing
    assert kind == "interview" and [onsets[j] for j in chosen] == [30.0, 60.0, 90.0, 128.0]


def test_what_an_episode_is_taken_for_does_not_change_with_the_cost_of_follow_ups():
    questions = [30.0, 60.0, 90.0, 120.0]
    onsets = np.array(sorted([*questions, 10.0, 45.0, 75.0, 105.0, 135.0]))
    evidence = _evidence([t in questions for t in onsets], [t in questions for t in onsets])
    odds = np.where(np.isin(onsets, questions), 1.0, -6.0)  # four likely questions: an interview, even were all of them costed below likely
    chosen, kind = starts.choose(odds, evidence, onsets, 150.0, cost=np.full(len(onsets), 4.0))
    assert kind == "interview" and chosen == []
    chosen, kind = starts.choose(odds, evidence, onsets, 150.0)
    assert kind == "interview" and [onsets[j] for j in chosen] == questions
