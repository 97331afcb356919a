"""The review desk end to end: a real run, the page in a real browser (Chromium through chromedriver), a save, a re-run."""

from __future__ import annotations

import json
import shutil
import threading

import pytest
from mutagen.id3 import ID3, TIT2, TPE1

import readers
from conftest import FIXTURES
from pipeline import audio, cli, review, review_server, run
from pipeline.errors import InputError
from pipeline.model import Chapter, Status, Verdict

# The second question's time is off (corrected to 0:22); the clip has no third question, so a
# chapter the producer wrote for it is missing.
SHOWNOTES = """Eine Folge über das Podcasten selbst.
0:00 – Intro
0:14 – Welche Rolle spielen Kapitelmarken?
0:16 – Wie wichtig ist die Tonqualität?
0:26 – Was kostet ein gutes Mikrofon?
0:29 – Outro
"""
MISSING = "Was kostet ein gutes Mikrofon?"
TONE = "Wie wichtig ist die Tonqualität?"


@pytest.fixture(scope="module")
def episode(tmp_path_factory):
    folder = tmp_path_factory.mktemp("review")
    mp3 = folder / "short-de.mp3"
    shutil.copy(FIXTURES / "short-de.mp3", mp3)
    tags = ID3(mp3)
    tags.add(TIT2(encoding=3, text="Folge 7: Podcasten"))
    tags.add(TPE1(encoding=3, text="Grünzeug"))
    tags.save(mp3, v2_version=3)
    (folder / "short-de.txt").write_text(SHOWNOTES, encoding="utf-8")
    out = folder / "out"
    assert cli.main(["run", str(mp3), "--out", str(out)]) == 0
    report = json.loads((out / "short-de.report.json").read_text(encoding="utf-8"))
    assert [c["status"] for c in report["chapters"]] == ["unverifiable", "verified", "corrected", "missing", "unverifiable"]
    return mp3, out


def serving(desk):
    server, url = review_server.start(desk)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, url


def opened(chrome, url):
    """The review page loaded and its script run; the wait, for what follows."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    chrome.get(url)
    wait = WebDriverWait(chrome, 20)
    wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "yes")
    return wait


def row_of(chrome, title):
    """The chapter row whose title field holds `title`."""
    from selenium.webdriver.common.by import By

    return next(r for r in chrome.find_elements(By.CSS_SELECTOR, "tr.chapter") if r.find_element(By.CSS_SELECTOR, "td.title textarea").get_attribute("value") == title)


@pytest.mark.model
def test_the_producer_starts_a_missing_chapter_at_a_word_and_saves(episode, chrome, tmp_path):
    from selenium.webdriver.common.by import By

    mp3, out = episode
    written = out / "short-de.mp3"
    before = {title: (start, end) for title, start, end in readers.ffmpeg_chapters(written)}
    before_tags = ID3(written)
    desk = review.open_desk(mp3, None, run.RunOptions(out_dir=out))
    words = desk.aligned.transcript.words
    # the first word after a pause once the second question is asked: its answer ("Wichtiger als …",
    # however this machine's Whisper spells it)
    asked_s = json.loads((FIXTURES / "short-de.truth.json").read_text(encoding="utf-8"))["chapters"][2]["start"]
    at = next(i for i in range(1, len(words)) if words[i].start_s > asked_s and words[i].start_s - words[i - 1].end_s >= 0.5)
    server, url = serving(desk)
    try:
        wait = opened(chrome, url)
        assert MISSING in chrome.find_element(By.ID, "attention").text  # listed as needing a look
        chrome.find_element(By.CSS_SELECTOR, "tr.chapter.missing td.num").click()  # select the missing chapter
        chrome.find_element(By.CSS_SELECTOR, f'#transcript-words span.w[data-i="{at}"]').click()  # the word where it really starts
        chrome.find_element(By.CSS_SELECTOR, 'tr.chapter.selected button[data-act="here"]').click()
        chrome.find_element(By.ID, "save").click()
        wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-saved") == "1")
        assert "Saved" in chrome.find_element(By.ID, "status-line").text
        logs = [entry for entry in chrome.get_log("browser") if entry["level"] == "SEVERE"]
        assert not logs, logs
    finally:
        server.shutdown()
    stored = {title: start for title, start, _end in readers.eyed3_chapters(written)[0]}  # the CHAP frames' own times
    start_ms = stored[MISSING]
    assert words[at - 1].end_s * 1000 <= start_ms <= words[at].start_s * 1000  # in the pause before that word
    after = {title: (start, end) for title, start, end in readers.ffmpeg_chapters(written)}
    assert {t: s for t, (s, _e) in after.items() if t != MISSING} == {t: s for t, (s, _e) in before.items() if t != MISSING}
    # ffmpeg shows every chapter shifted by the stream's start (the encoder delay; one at 0 stays there): the same shift here
    shift = {stored[t] - s for t, (s, _e) in after.items() if stored[t] > 0}
    assert len(shift) == 1 and 0 <= shift.pop() <= 60
    assert readers.ffmpeg_audio_md5(written) == readers.ffmpeg_audio_md5(mp3)
    assert audio.frames_hash(written) == audio.frames_hash(mp3)  # the audio frames, byte for byte
    after_tags = ID3(written)
    assert [str(after_tags[k]) for k in ("TIT2", "TPE1")] == [str(before_tags[k]) for k in ("TIT2", "TPE1")] == ["Folge 7: Podcasten", "Grünzeug"]
    report = json.loads((out / "short-de.report.json").read_text(encoding="utf-8"))
    (saved,) = [c for c in report["chapters"] if c["title"] == MISSING]
    assert saved["status"] == "confirmed" and round(saved["start"] * 1000) == start_ms
    assert (out / "short-de.decisions.json").exists()


@pytest.mark.model
def test_titles_placed_without_times_each_need_a_look_and_accept_confirms_one(tmp_path, chrome):
    from selenium.webdriver.common.by import By

    mp3 = tmp_path / "short-de.mp3"
    shutil.copy(FIXTURES / "short-de.mp3", mp3)
    (tmp_path / "short-de.md").write_text("Eine Folge über das Podcasten selbst.\n\n- Intro\n- Welche Rolle spielen Kapitelmarken?\n"
                                          "- Wie wichtig ist die Tonqualität?\n- Outro\n", encoding="utf-8")
    desk = review.open_desk(mp3, tmp_path / "short-de.md", run.RunOptions(out_dir=tmp_path / "out"))
    placed = [v.chapter.title for v in desk.aligned.alignment.verdicts if v.status is Status.PLACED]
    assert TONE in placed
    server, url = serving(desk)
    try:
        wait = opened(chrome, url)
        attention = chrome.find_element(By.ID, "attention").text
        assert all(title in attention for title in placed)  # however sure the placement, the producer confirms it
        row_of(chrome, TONE).find_element(By.CSS_SELECTOR, 'button[data-act="keep"]').click()
        assert TONE not in chrome.find_element(By.ID, "attention").text
        chrome.find_element(By.ID, "save").click()
        wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-saved") == "1")
    finally:
        server.shutdown()
    report = json.loads((tmp_path / "out" / "short-de.report.json").read_text(encoding="utf-8"))
    by_title = {c["title"]: c for c in report["chapters"]}
    assert by_title[TONE]["status"] == "confirmed"
    assert all(by_title[t]["status"] == "placed" for t in placed if t != TONE)


@pytest.mark.model
def test_a_later_run_keeps_the_time_the_producer_set(episode):
    mp3, out = episode
    desk = review.open_desk(mp3, None, run.RunOptions(out_dir=out))
    records = review.current(desk)[1]
    chosen = [{"title": r["title"], "start": r["start"], "source": r["source"], "start_set": r["start_set"]} for r in records]
    (moved,) = [c for c in chosen if c["title"] == MISSING]
    moved.update(start=24.5, start_set=True)
    review.save(desk, chosen)
    assert cli.main(["run", str(mp3), "--out", str(out)]) == 0  # the alignment alone would say: missing, at 0:26
    report = json.loads((out / "short-de.report.json").read_text(encoding="utf-8"))
    (kept,) = [c for c in report["chapters"] if c["title"] == MISSING]
    assert (kept["status"], kept["start"]) == ("confirmed", 24.5)
    assert {t: s for t, s, _e in readers.eyed3_chapters(out / "short-de.mp3")[0]}[MISSING] == 24500


@pytest.mark.model
def test_keys_nudge_and_undo_drag_add_and_delete_then_save(episode, chrome, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    mp3, _out = episode
    desk = review.open_desk(mp3, None, run.RunOptions(out_dir=tmp_path))
    server, url = serving(desk)

    def published(title):
        return row_of(chrome, title).find_element(By.CSS_SELECTOR, ".published").text

    try:
        wait = opened(chrome, url)
        body = chrome.find_element(By.TAG_NAME, "body")
        body.send_keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN)  # Intro, then „Welche Rolle …“
        assert published("Welche Rolle spielen Kapitelmarken?") == "0:00:14.000"
        body.send_keys("]", "]")
        assert published("Welche Rolle spielen Kapitelmarken?") == "0:00:15.000"
        body.send_keys(Keys.CONTROL, "z")
        assert published("Welche Rolle spielen Kapitelmarken?") == "0:00:14.500"
        corrected = published(TONE)
        row_of(chrome, TONE).find_element(By.CSS_SELECTOR, 'button[data-act="reject"]').click()
        assert published(TONE) == "0:00:16.000"  # the shownote time kept
        body.send_keys(Keys.CONTROL, "z")
        row_of(chrome, TONE).find_element(By.CSS_SELECTOR, 'button[data-act="accept"]').click()
        assert published(TONE) == corrected and not row_of(chrome, TONE).find_elements(By.CSS_SELECTOR, 'button[data-act="accept"]')
        outro = chrome.find_element(By.CSS_SELECTOR, 'circle.mark[data-index="4"]')
        ActionChains(chrome).drag_and_drop_by_offset(outro, 60, 0).perform()  # a little later on the timeline
        assert published("Outro") > "0:00:29.000"
        chrome.find_element(By.CSS_SELECTOR, 'span.w[data-i="2"]').click()  # „herzlich“
        body.send_keys("a")
        title = chrome.switch_to.active_element
        title.send_keys(Keys.CONTROL, "a")
        title.send_keys("Begrüßung", Keys.ENTER)
        row_of(chrome, "Begrüßung").find_element(By.CSS_SELECTOR, 'button[data-act="delete"]').click()  # deleted again
        body.send_keys(Keys.CONTROL, "z")  # and back
        row_of(chrome, "Intro").find_element(By.CSS_SELECTOR, 'button[data-act="delete"]').click()
        body.send_keys(Keys.CONTROL, "s")
        wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-saved") == "1")
    finally:
        server.shutdown()
    kept = json.loads((tmp_path / "short-de.decisions.json").read_text(encoding="utf-8"))
    by_title = {c["title"]: c for c in kept["chapters"]}
    assert kept["removed"] == ["Intro"]
    assert by_title["Welche Rolle spielen Kapitelmarken?"]["start"] == 14.5
    assert by_title["Outro"]["start"] > 29.0
    assert by_title[TONE]["start"] == desk.aligned.alignment.verdicts[2].start_s  # accepted: the correction, now set by hand
    words = desk.aligned.transcript.words
    assert by_title["Begrüßung"]["shownote"] is None and words[1].end_s <= by_title["Begrüßung"]["start"] <= words[2].start_s
    assert [t for t, _s, _e in readers.eyed3_chapters(tmp_path / "short-de.mp3")[0]] == [
        "Begrüßung", "Welche Rolle spielen Kapitelmarken?", TONE, MISSING, "Outro"]


@pytest.mark.model
def test_an_output_folder_is_reviewed_and_saved_in_place(episode, tmp_path):
    _mp3, out = episode
    folder = tmp_path / "published"
    folder.mkdir()
    for name in ("short-de.mp3", "short-de.shownotes.txt"):
        shutil.copy(out / name, folder / name)
    desk = review.open_desk(folder, None, run.RunOptions(out_dir=tmp_path / "elsewhere"))
    assert desk.source == folder / "short-de.mp3" == desk.targets["mp3"]
    records = review.current(desk)[1]
    chosen = [{"title": r["title"], "start": r["start"], "source": r["source"]} for r in records]
    chosen[1]["title"] = "Kapitelmarken: wozu?"
    review.save(desk, chosen)
    assert [t for t, _s, _e in readers.eyed3_chapters(folder / "short-de.mp3")[0]][1] == "Kapitelmarken: wozu?"
    assert (folder / "short-de.decisions.json").exists() and not (tmp_path / "elsewhere").exists()
    one = review.open_desk(folder / "short-de.mp3", None, run.RunOptions(out_dir=tmp_path / "elsewhere"))  # an MP3 in an output folder
    assert one.targets == desk.targets and review.current(one)[1][1]["title"] == "Kapitelmarken: wozu?"


ALIGNED = (
    Verdict(Chapter("Intro", 0.0), 0.0, Status.UNVERIFIABLE, 1.0, ""),
    Verdict(Chapter("Frage", 10.0), 12.0, Status.CORRECTED, 0.9, ""),
    Verdict(Chapter("Outro", 50.0), 50.0, Status.UNVERIFIABLE, 1.0, ""),
)


def test_edits_become_decisions_only_where_the_producer_differs_from_the_alignment():
    edits = [
        {"title": "Intro", "start": 0.0, "source": 0, "start_set": False},
        {"title": "Die  Frage ", "start": 10.0, "source": 1, "start_set": True},  # rejected the correction, retitled
        {"title": "Neu", "start": 30.0, "source": None, "start_set": True},
    ]
    chosen = review.decisions_from_edits(ALIGNED, edits, 60.0, "a" * 64)
    assert [(d.shownote_title, d.title, d.start_s) for d in chosen.chapters] == [("Frage", "Die Frage", 10.0), (None, "Neu", 30.0)]
    assert chosen.removed == ("Outro",)


@pytest.mark.parametrize("edits, message", [
    ("nope", "a list"),
    ([{"title": "", "start": 1.0, "source": 0}], "a title"),
    ([{"title": "x" * 501, "start": 1.0, "source": 0}], "a title"),
    ([{"title": "A", "start": 61.0, "source": 0}], "within the episode"),
    ([{"title": "A", "start": 60.0, "source": 0}], "within the episode"),  # where the audio ends: ID3 cannot start a chapter there
    ([{"title": f"C{n}", "start": 0.1 * n} for n in range(256)], "at most 255"),
    ([{"title": "A", "start": float("nan"), "source": 0}], "within the episode"),
    ([{"title": "A", "start": True, "source": 0}], "within the episode"),
    ([{"title": "A", "start": 1.0, "source": 3}], "no shownote chapter"),
    ([{"title": "A", "start": 1.0, "source": 0}, {"title": "B", "start": 2.0, "source": 0}], "twice"),
    ([{"title": "A", "start": 1.0, "source": 0, "start_set": "yes"}], "start_set"),
])
def test_malformed_edits_are_refused_whole(edits, message):
    with pytest.raises(InputError, match=message):
        review.decisions_from_edits(ALIGNED, edits, 60.0, "a" * 64)


def test_an_output_folder_needs_exactly_one_episode(tmp_path):
    with pytest.raises(InputError, match="no X.mp3 with X.shownotes.txt"):
        review.open_desk(tmp_path, None, run.RunOptions())
