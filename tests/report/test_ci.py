"""CI output of `chapters verify`: JUnit read back by junitparser, GitHub workflow commands, the step summary, exit codes."""

from __future__ import annotations

from pathlib import Path

from junitparser import Error, Failure, JUnitXml, Skipped

from pipeline.model import Chapter, Signals, Status, Verdict
from pipeline.report import ci

SIGNALS = Signals(words=0.44, sound=0.4, meaning=0.25, meaning_rank=1, pause_s=3.3, question=True)
GOOD = ci.Checked(Path("ep 1.mp3"), (
    Verdict(Chapter("Intro", 0.0), 0.0, Status.UNVERIFIABLE, 1.0, ""),
    Verdict(Chapter("Wie lange?", 14.0), 14.0, Status.VERIFIED, 0.97, "Wie lange dauert das?", SIGNALS),
))
OFF = ci.Checked(Path("folge, 2: neu.mp3"), (
    Verdict(Chapter("Wie lange werden Neulinge geschult?", 325.0), 316.4, Status.CORRECTED, 0.93, "wie lange werden neulinge geschult", SIGNALS),
    Verdict(Chapter("Ausblick 100%", 600.0), 600.0, Status.MISSING, 0.71, ""),
))
SILENT = ci.Checked(Path("music.mp3"), (Verdict(Chapter("Intro", 0.0), 0.0, Status.UNVERIFIABLE, 1.0, ""), Verdict(Chapter("Outro", 50.0), 50.0, Status.UNVERIFIABLE, 1.0, "")))
BROKEN = ci.Checked(Path("broken.mp3"), error="broken.mp3: cannot decode MP3 (Invalid data found when processing input)")


def test_a_corrected_or_a_missing_chapter_alone_needs_a_look():
    def checked(*statuses):
        return ci.Checked(Path("a.mp3"), tuple(Verdict(Chapter(f"T{k}", 0.0), 0.0, status, 1.0, "") for k, status in enumerate(statuses)))

    assert checked(Status.VERIFIED, Status.UNVERIFIABLE).exit_code == 0
    assert checked(Status.CORRECTED).exit_code == 1
    assert checked(Status.MISSING).exit_code == 1


def test_exit_codes_and_the_worst_of_many():
    assert [c.exit_code for c in (GOOD, OFF, SILENT, BROKEN)] == [0, 1, 1, 2]
    assert ci.worst([GOOD, OFF]) == 1 and ci.worst([GOOD, BROKEN, OFF]) == 2 and ci.worst([GOOD]) == 0
    allowed = ci.Checked(SILENT.audio, SILENT.verdicts, allow_unverifiable=True)
    assert allowed.exit_code == 0 and not allowed.nothing_checked and SILENT.nothing_checked
    assert ci.summary_line([GOOD, OFF, SILENT, BROKEN]) == "4 file(s): 1 all verified, 1 with chapters off or missing, 1 with nothing checked, 1 not readable"


def test_junit_reads_back_with_the_right_counts_and_the_evidence_in_the_messages(tmp_path):
    path = tmp_path / "chapters.xml"
    path.write_text(ci.junit([GOOD, OFF, SILENT, BROKEN]), encoding="utf-8")
    xml = JUnitXml.fromfile(str(path))
    suites = {suite.name: suite for suite in xml}
    assert (xml.tests, xml.failures, xml.errors, xml.skipped) == (8, 3, 1, 3)
    assert [(s.tests, s.failures, s.errors, s.skipped) for s in suites.values()] == [(2, 0, 0, 1), (2, 2, 0, 0), (3, 1, 0, 2), (1, 0, 1, 0)]
    off = {case.name: case for case in suites["folge, 2: neu.mp3"]}
    (failure,) = off["01 Wie lange werden Neulinge geschult?"].result
    assert isinstance(failure, Failure) and failure.type == "corrected"
    assert failure.message == "corrected: the chapter starts at 5:16, not 5:25 (-8.6 s), confidence 0.93"
    assert "evidence: wie lange werden neulinge geschult" in failure.text and "signals: words 0.44" in failure.text
    assert off["02 Ausblick 100%"].result[0].type == "missing"
    good = {case.name: case for case in suites["ep 1.mp3"]}
    assert good["02 Wie lange?"].is_passed and isinstance(good["01 Intro"].result[0], Skipped)
    nothing = {case.name: case for case in suites["music.mp3"]}
    assert nothing["some chapter checked"].result[0].message == ci.NOTHING_CHECKED
    (error,) = next(iter(suites["broken.mp3"])).result
    assert isinstance(error, Error) and "cannot decode MP3" in error.message


def test_github_annotations_escape_what_the_runner_parses():
    lines = ci.github_annotations([GOOD, OFF, SILENT, BROKEN])
    assert len(lines) == 4 and all(line.startswith("::error file=") for line in lines)
    first = lines[0]
    assert first.startswith("::error file=folge%2C 2%3A neu.mp3,title=chapter 1 corrected%3A Wie lange werden Neulinge geschult?::corrected: ")
    assert "%0Aevidence: wie lange werden neulinge geschult%0Asignals:" in first and "\n" not in first
    assert "title=chapter 2 missing%3A Ausblick 100%25::" in lines[1]
    assert lines[2] == f"::error file=music.mp3,title=nothing checked::{ci.NOTHING_CHECKED}"
    assert lines[3].startswith("::error file=broken.mp3,title=cannot check this file::broken.mp3: cannot decode MP3")


def test_the_step_summary_is_a_markdown_table_per_file():
    text = ci.markdown([GOOD, OFF, BROKEN])
    assert text.startswith("### chapters verify: 3 file(s): 1 all verified, 1 with chapters off or missing, 1 not readable\n")
    assert "| 1 | Wie lange werden Neulinge geschult? | ❌ corrected | 5:25 | 5:16 | -8.6 | 0.93 | wie lange werden neulinge geschult |" in text
    assert "**broken.mp3** — broken.mp3: cannot decode MP3" in text
