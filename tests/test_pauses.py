import numpy as np

from pipeline import pauses
from pipeline.audio import FRAME_S


def envelope(quiet_spans, total_s=20.0, speech_db=-20.0, quiet_db=-80.0):
    level = np.full(int(total_s / FRAME_S), speech_db, dtype=np.float32)
    for start, end in quiet_spans:
        level[int(start / FRAME_S) : int(end / FRAME_S)] = quiet_db
    return level


def test_finds_the_pause_before_a_word_even_if_whisper_is_early():
    level = envelope([(5.0, 8.0)])
    pause = pauses.pause_before(level, 7.7, earliest_s=4.0, latest_onset_s=8.3, threshold_db=pauses.quiet_threshold_db(level))
    assert (pause.start_s, pause.end_s) == (5.0, 8.0)


def test_prefers_the_long_pause_over_a_gap_between_syllables():
    level = envelope([(3.0, 6.0), (6.3, 6.4)])
    pause = pauses.pause_before(level, 6.2, earliest_s=2.0, latest_onset_s=6.8, threshold_db=-50)
    assert pause.end_s == 6.0


def test_no_pause_under_a_music_bed():
    level = envelope([], speech_db=-25)
    assert pauses.pause_before(level, 10.0, earliest_s=9.0, latest_onset_s=10.6, threshold_db=pauses.quiet_threshold_db(level)) is None


def test_threshold_lies_between_noise_and_speech():
    level = envelope([(0, 10)], quiet_db=-45)
    threshold = pauses.quiet_threshold_db(level)
    assert -45 < threshold < -20


def test_whisper_placing_the_word_inside_the_silence():
    level = envelope([(5.0, 8.0)])
    pause = pauses.pause_before(level, 5.6, earliest_s=4.0, latest_onset_s=9.0, threshold_db=pauses.quiet_threshold_db(level))
    assert (pause.start_s, pause.end_s) == (5.0, 8.0)


def test_whisper_placing_the_word_before_a_long_silence():
    level = envelope([(6.0, 9.0)])
    pause = pauses.pause_before(level, 5.2, earliest_s=3.0, latest_onset_s=9.5, threshold_db=pauses.quiet_threshold_db(level))
    assert (pause.start_s, pause.end_s) == (6.0, 9.0)
    assert pauses.pause_before(level, 5.2, earliest_s=3.0, latest_onset_s=8.0, threshold_db=-50) is None  # onset too late


def test_the_pause_before_the_first_word_beats_a_longer_one_after_it():
    level = envelope([(20.0, 21.5), (22.2, 24.1)], total_s=30.0)  # "One." between two pauses, whisper says 21.2
    pause = pauses.pause_before(level, 21.2, earliest_s=19.0, latest_onset_s=25.0, threshold_db=-50)
    assert pause.end_s == 21.5


def test_quiet_before_finds_a_place_to_cut():
    level = envelope([(5.0, 6.0)])
    assert pauses.quiet_before(level, 7.5) == 5.99
    assert pauses.quiet_before(level, 12.0) == 12.0  # nothing quiet in the 3 s before
    assert pauses.quiet_before(level, -4.0) == 0.0


def test_quietest_moment_prefers_a_breath_to_a_dip_inside_a_word():
    loudness = np.full(3000, -20.0, dtype=np.float32)
    loudness[1200] = -80.0  # one frame: a dip inside a word
    loudness[2500:2520] = -50.0  # 0.2 s: a breath between words
    assert 25.0 <= pauses.quietest(loudness, 10.0, 30.0) <= 25.2
    assert pauses.quietest(loudness, 10.0, 10.02) == 10.02  # too short to judge: the end


def test_the_sound_after_the_longest_quiet_stretch_after_a_time():
    level = envelope([(3.0, 3.3), (12.0, 15.0), (16.0, 16.5)])
    assert pauses.onset_after_longest_quiet(level, 10.0) == 15.0  # the closing music after the long silence
    assert pauses.onset_after_longest_quiet(level, 15.5) == 16.5


def test_no_sound_after_the_quiet_or_no_quiet_at_all():
    assert pauses.onset_after_longest_quiet(envelope([(15.0, 20.0)]), 10.0) is None  # quiet to the end
    assert pauses.onset_after_longest_quiet(envelope([], speech_db=-25), 10.0) is None  # music under everything


def test_the_jingle_between_the_last_word_and_the_pause_before_the_next_is_found():
    # an ad's last word ends at 10 s, its 1.5 s bumper, a second of quiet, the show's 6 s jingle, half a second, the welcome
    level = envelope([(10.0, 10.3), (11.8, 12.8), (18.8, 19.3)])
    assert pauses.wordless_sound_before(level, 18.8, after_s=10.0, min_s=3.0) == 12.8


def test_a_bumper_shorter_than_a_jingle_or_sound_right_after_the_words_is_no_jingle():
    level = envelope([(10.0, 10.3), (11.8, 12.8)])
    assert pauses.wordless_sound_before(level, 11.8, after_s=10.0, min_s=3.0) is None  # 1.5 s: an ad's bumper
    level = envelope([(16.0, 16.5)])
    assert pauses.wordless_sound_before(level, 16.0, after_s=10.0, min_s=3.0) is None  # sounding on from the last word: no quiet before it
