"""X.report.json: the shape DESIGN.md fixes, with the signals each verdict rests on."""

from __future__ import annotations

import json

from pipeline.align import Alignment
from pipeline.model import Chapter, Signals, Status, Verdict
from pipeline.report import json_report

SIGNALS = Signals(words=0.48, sound=0.52, meaning=0.41, meaning_rank=1, pause_s=2.34, question=True, voice_change=0.9, asker_voice=0.7)


def test_each_chapter_says_which_signals_decided_it():
    verdicts = (
        Verdict(Chapter("Intro", 0.0), 0.0, Status.UNVERIFIABLE, 1.0, ""),
        Verdict(Chapter("Wie lange werden Neulinge geschult?", 325.0), 337.0, Status.CORRECTED, 0.87, "Wie viele Wochen dauert die Ausbildung?", SIGNALS),
    )
    report = json_report.build(audio_name="x.mp3", duration_s=900.0, language="de", model="base", alignment=Alignment(verdicts, 0.0), tolerance_s=2.0)
    intro, question = json.loads(json_report.render(report))["chapters"]
    assert "signals" not in intro  # nothing was heard to weigh
    assert question["delta"] == 12.0 and question["status"] == "corrected"
    assert question["signals"] == {
        "words": 0.48, "sound": 0.52, "meaning": 0.41, "meaning_rank": 1, "pause": 2.34, "question": True, "heard_again": False,
        "voice_change": 0.9, "asker_voice": 0.7, "topic_shift": 0.0,
        "decided_by": "words 0.48 · sound 0.52 · meaning 0.41 (closest passage) · pause 2.3 s · a question · a new voice · the asker's voice",
    }


def test_a_proposed_chapter_is_said_to_rest_on_its_topic_shift_pause_and_voice_not_on_a_title():
    said = json_report.decided_by(Signals(0.0, 0.0, 0.0, 0, 1.8, True, asker_voice=0.9, topic_shift=2.26))
    assert said == "topic shift 2.3 · pause 1.8 s · a question · the asker's voice"


def test_ranks_read_as_words():
    assert "3rd closest" in json_report.decided_by(Signals(0.5, 0.5, 0.2, 3, 0.4, False))
    assert "11th closest" in json_report.decided_by(Signals(0.5, 0.5, 0.2, 11, 0.4, False))


def test_a_voice_much_like_the_one_before_is_not_called_new_nor_the_askers():
    said = json_report.decided_by(Signals(0.5, 0.5, 0.2, 1, 0.4, False, voice_change=0.2, asker_voice=0.1))
    assert "a new voice" not in said and "asker" not in said
