"""What `chapters verify` tells a CI system about many files: JUnit XML, GitHub annotations and a step summary.

One checked file is a `Checked`: its verdicts, or the one line that said why it could not be read.
Each chapter is a test case: verified passes, corrected or missing fails (the delta, the verdict
and the transcript evidence in the message), unverifiable is skipped (nothing said to check). A
file where no chapter could be checked fails as a whole unless that is allowed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import EXIT_ATTENTION, EXIT_BAD_INPUT, EXIT_OK
from pipeline.model import Status, Verdict
from pipeline.report import json_report
from pipeline.timecode import format_clock

NOTHING_CHECKED = "no chapter could be checked: every one is unverifiable (nothing said to check)"


@dataclass(frozen=True)
class Checked:
    audio: Path
    verdicts: tuple[Verdict, ...] = ()
    error: str | None = None  # bad input: the one line
    allow_unverifiable: bool = False

    @property
    def nothing_checked(self) -> bool:
        return self.error is None and not self.allow_unverifiable and all(v.status is Status.UNVERIFIABLE for v in self.verdicts)

    @property
    def exit_code(self) -> int:
        if self.error is not None:
            return EXIT_BAD_INPUT
        return EXIT_ATTENTION if any(v.status.needs_a_look for v in self.verdicts) or self.nothing_checked else EXIT_OK


def worst(checked: Sequence[Checked]) -> int:
    return max((c.exit_code for c in checked), default=EXIT_OK)


def summary_line(checked: Sequence[Checked]) -> str:
    counts = {
        "all verified": sum(c.exit_code == EXIT_OK for c in checked),
        "with chapters off or missing": sum(c.exit_code == EXIT_ATTENTION and not c.nothing_checked for c in checked),
        "with nothing checked": sum(c.nothing_checked for c in checked),
        "not readable": sum(c.exit_code == EXIT_BAD_INPUT for c in checked),
    }
    return f"{len(checked)} file(s): " + ", ".join(f"{n} {what}" for what, n in counts.items() if n)


def problem(verdict: Verdict) -> str | None:
    """Why a chapter fails the check, in a line; None when it passes."""
    if verdict.status is Status.CORRECTED:
        return (f"corrected: the chapter starts at {format_clock(verdict.start_s)}, not {format_clock(verdict.chapter.claimed_s)} "
                f"({verdict.delta_s:+.1f} s), confidence {verdict.confidence:.2f}")
    if verdict.status is Status.MISSING:
        return f"missing: not found near {format_clock(verdict.chapter.claimed_s)} or elsewhere (confidence {verdict.confidence:.2f})"
    return None


def _details(verdict: Verdict) -> str:
    lines = [f"evidence: {verdict.evidence}" if verdict.evidence else "evidence: none heard"]
    if verdict.signals:
        lines.append(f"signals: {json_report.decided_by(verdict.signals)}")
    return "\n".join(lines)


def junit(checked: Sequence[Checked]) -> str:
    """JUnit XML: a test suite per file, a test case per chapter."""
    suites = ET.Element("testsuites", name="chapters verify")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for file in checked:
        suite = ET.SubElement(suites, "testsuite", name=str(file.audio))
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        if file.error is not None:
            case = ET.SubElement(suite, "testcase", classname=str(file.audio), name="read the file")
            ET.SubElement(case, "error", message=file.error, type="bad input")
            counts.update(tests=1, errors=1)
        for number, verdict in enumerate(file.verdicts, start=1):
            case = ET.SubElement(suite, "testcase", classname=str(file.audio), name=f"{number:02d} {verdict.chapter.title}")
            counts["tests"] += 1
            failed = problem(verdict)
            if failed:
                ET.SubElement(case, "failure", message=failed, type=verdict.status.value).text = _details(verdict)
                counts["failures"] += 1
            elif verdict.status is Status.UNVERIFIABLE:
                ET.SubElement(case, "skipped", message=f"unverifiable: nothing said to check (published at {format_clock(verdict.start_s)})")
                counts["skipped"] += 1
            else:
                ET.SubElement(case, "system-out").text = _details(verdict)
        if file.nothing_checked:
            case = ET.SubElement(suite, "testcase", classname=str(file.audio), name="some chapter checked")
            ET.SubElement(case, "failure", message=NOTHING_CHECKED, type="nothing checked")
            counts["tests"] += 1
            counts["failures"] += 1
        suite.attrib.update({name: str(value) for name, value in counts.items()})
        for name, value in counts.items():
            totals[name] += value
    suites.attrib.update({name: str(value) for name, value in totals.items()})
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def github_annotations(checked: Sequence[Checked]) -> list[str]:
    """Workflow commands (`::error file=…,title=…::…`) for every chapter off or missing and every file that failed."""
    lines = []
    for file in checked:
        where = _property(str(file.audio))
        if file.error is not None:
            lines.append(f"::error file={where},title={_property('cannot check this file')}::{_data(file.error)}")
        for number, verdict in enumerate(file.verdicts, start=1):
            failed = problem(verdict)
            if failed:
                title = _property(f"chapter {number} {verdict.status.value}: {verdict.chapter.title}")
                lines.append(f"::error file={where},title={title}::{_data(failed + chr(10) + _details(verdict))}")
        if file.nothing_checked:
            lines.append(f"::error file={where},title={_property('nothing checked')}::{_data(NOTHING_CHECKED)}")
    return lines


def _data(text: str) -> str:
    """A workflow command's message: %, CR and LF escaped as the runner expects."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """A workflow command's property value: also : and , escaped."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def markdown(checked: Sequence[Checked]) -> str:
    """The job summary: a line over all files, then a table of the chapters of each."""
    parts = [f"### chapters verify: {summary_line(checked)}", ""]
    for file in checked:
        parts.append(f"**{_cell(str(file.audio))}** — " + (_cell(file.error) if file.error else "nothing checked" if file.nothing_checked else
                     "all verified" if file.exit_code == EXIT_OK else "needs a look"))
        if file.verdicts:
            parts += ["", "| # | chapter | verdict | shownotes | published | Δ s | confidence | evidence |", "|---|---|---|---|---|---|---|---|"]
            for number, v in enumerate(file.verdicts, start=1):
                mark = "❌ " if problem(v) else ""
                parts.append(f"| {number} | {_cell(v.chapter.title)} | {mark}{v.status.value} | {format_clock(v.chapter.claimed_s)} | {format_clock(v.start_s)} | "
                             f"{v.delta_s:+.1f} | {v.confidence:.2f} | {_cell(v.evidence)} |")
        parts.append("")
    return "\n".join(parts) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
