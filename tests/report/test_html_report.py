"""The HTML report: escaped, self-contained, and rendered by a real browser without errors."""

from __future__ import annotations

import json
import re
import shutil

import pytest


import browser
from pipeline.report import html_report

HOSTILE = "<img src=x onerror=alert(1)>"
REPORT = {
    "audio": "folge <1>.mp3", "duration": 120.0, "language": "de", "model": "base", "tolerance": 2.0, "offset": 0.0,
    "chapters": [
        {"title": "Intro", "claimed": 0.0, "start": 0.0, "delta": 0.0, "status": "unverifiable", "confidence": 1.0, "evidence": ""},
        {"title": HOSTILE, "claimed": 20.0, "start": 31.5, "delta": 11.5, "status": "corrected", "confidence": 0.91,
         "evidence": "</script><script>alert(2)</script> & more"},
        {"title": "„Kund*innen“ & Service", "claimed": 60.0, "start": 60.0, "delta": 0.0, "status": "verified", "confidence": 0.8, "evidence": "kunden service",
         "signals": {"decided_by": "words 0.91 · meaning 0.40 (closest passage) · pause <2> s"}},
        {"title": "Gekürzt", "claimed": 90.0, "start": 90.0, "delta": 0.0, "status": "missing", "confidence": 0.7, "evidence": ""},
    ],
}


def page() -> str:
    return html_report.render(REPORT, activity=[0.0, 0.5, 1.0] * 100, audio_href="folge 1.mp3")


def test_everything_from_outside_is_escaped():
    text = page()
    assert HOSTILE not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "</script><script>alert(2)" not in text
    assert text.count("<script") == 2  # the data block and our own script, nothing else
    assert "folge &lt;1&gt;.mp3" in text


def test_the_signals_behind_a_verdict_are_shown():
    text = page()
    assert '<div class="signals">words 0.91 · meaning 0.40 (closest passage) · pause &lt;2&gt; s</div>' in text


def test_no_network_is_needed():
    text = page()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)
    assert re.findall(r"<link[^>]*>", text) == ['<link rel="icon" href="data:,">'] and "@import" not in text  # no icon fetched either


def test_renders_in_chromium_without_errors(tmp_path):
    path = tmp_path / "report.html"
    path.write_text(page(), encoding="utf-8")
    document, log = browser.dom(path)
    assert 'data-ready="yes"' in document, log[-2000:]
    assert "Uncaught" not in log and not re.search(r"CONSOLE\(\d+\)", log), log[-2000:]
    assert document.count('class="chapter') == 4
    assert "<img" not in document and "<script>alert" not in document  # the hostile texts stayed text


def test_screenshot_paints_each_chapter_where_it_starts(tmp_path):
    path = tmp_path / "report.html"
    path.write_text(page(), encoding="utf-8")
    png = tmp_path / "report.png"
    browser.screenshot(path, png)
    shutil.copy(png, tmp_path.parent / "report-screenshot.png")  # left beside the test folder for a person to look at
    painted = browser.timeline_marks(png, html_report.COLOURS)
    for chapter in REPORT["chapters"]:
        (where,) = painted[chapter["status"]]
        assert where == pytest.approx(chapter["start"] / REPORT["duration"], abs=0.01), chapter["title"]


def test_the_page_from_disk_plays_words_and_exports_the_chapters(tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from pipeline.model import Word

    words = [Word("Kunden", 60.2, 60.6), Word("Service", 60.6, 61.1)]
    path = tmp_path / "report.html"
    path.write_text(html_report.render(REPORT, activity=[0.5] * 100, audio_href=None, words=words), encoding="utf-8")
    downloads = tmp_path / "downloads"
    driver = browser.driven(download_dir=downloads)
    try:
        driver.get(path.as_uri())
        WebDriverWait(driver, 10).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "yes")
        assert not driver.find_element(By.ID, "save").is_displayed()  # read-only from disk
        assert [w.text for w in driver.find_elements(By.CSS_SELECTOR, "span.w")] == ["Kunden", "Service"]
        driver.find_element(By.ID, "export").click()
        WebDriverWait(driver, 10).until(lambda d: [p for p in downloads.glob("*.json")])
        (exported,) = downloads.glob("*.json")
        assert exported.name.startswith("folge ") and exported.name.endswith("1_.chapters.json")  # Chromium replaces < >
    finally:
        driver.quit()
    chapters = json.loads(exported.read_text(encoding="utf-8"))["chapters"]
    assert [(c["startTime"], c["title"]) for c in chapters] == [(0.0, "Intro"), (31.5, HOSTILE), (60.0, "„Kund*innen“ & Service"), (90.0, "Gekürzt")]


@pytest.mark.parametrize("width", [390, 1280])
def test_every_chapter_reads_whole_from_phone_to_desktop_width(tmp_path, width):
    """No sideways scrolling at phone width; every chapter's title, status and both times on screen
    (the table becomes one card per chapter); the timeline's marks big enough to tap."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from pipeline.model import Word

    path = tmp_path / "report.html"
    path.write_text(html_report.render(REPORT, activity=[0.5] * 300, audio_href="folge.mp3", words=[Word("Kunden", 60.2, 60.6)]), encoding="utf-8")
    driver = browser.driven(size=f"{width},900", phone_width=width if width < 800 else None)
    try:
        driver.get(path.as_uri())
        WebDriverWait(driver, 10).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "yes")
        inner = driver.execute_script("return window.innerWidth")
        assert inner == width and driver.execute_script("return document.documentElement.scrollWidth") <= inner  # nothing off to the right
        for row in driver.find_elements(By.CSS_SELECTOR, "tr.chapter"):
            for part in ("td.title", "span.badge", ".published", "td.time .was"):
                element = row.find_element(By.CSS_SELECTOR, part)
                box = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.left, r.right, r.width];", element)
                assert element.is_displayed() and box[2] > 0 and 0 <= box[0] and box[1] <= inner + 0.5, (part, box)
            assert "shownotes 0:0" in row.find_element(By.CSS_SELECTOR, "td.time .was").text  # the shownotes' time, not only the published one
        mark = driver.find_element(By.CSS_SELECTOR, "circle.mark").rect
        assert mark["width"] >= (12 if width < 800 else 8)  # CSS pixels: a thumb finds it on a phone
    finally:
        driver.quit()


def test_a_chapter_without_a_claimed_time_says_why_it_has_none(tmp_path):
    untimed = {"audio": "x.mp3", "duration": 120.0, "chapters": [
        {"title": "Intro", "claimed": None, "start": 0.0, "delta": None, "status": "unverifiable", "confidence": 1.0, "evidence": ""},
        {"title": "Wann?", "claimed": None, "start": 20.0, "delta": None, "status": "placed", "confidence": 0.9, "evidence": "Wann?"},
        {"title": "Hallo.", "claimed": None, "start": 40.0, "delta": None, "status": "proposed", "confidence": 0.9, "evidence": "Hallo."},
    ]}
    text = html_report.render(untimed, activity=[0.5] * 10, audio_href=None)
    expected = ["no time in the shownotes", "no time in the shownotes", "proposed from the speech"]  # the wordless Intro too, not "added"
    assert re.findall(r'<td class="time".*?<div class="was">(.*?)</div>', text) == expected
    path = tmp_path / "report.html"
    path.write_text(text, encoding="utf-8")
    document, log = browser.dom(path)  # the rows as page.js renders them
    assert 'data-ready="yes"' in document, log[-2000:]
    assert re.findall(r'<td class="time".*?<div class="was">(.*?)</div>', document) == expected
