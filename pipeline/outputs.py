"""Every file a command writes: where it goes, the guard that keeps it off the inputs, and its text.

All writes go through files.write_text / id3.write (one atomic writer). The guard runs before
any work starts, so that a refusal costs nothing and a producer's file is never overwritten.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from pipeline import files, formats, id3, pauses, shownotes
from pipeline.errors import InputError
from pipeline.formats import transcript as transcript_format
from pipeline.model import Chapter, ChapterMark, Transcript, Verdict, Word
from pipeline.report import html_report, json_report

SHOWNOTE_SUFFIXES = (".txt", ".md", ".html")
TRANSCRIPT_SUFFIXES = {
    "transcript": ".transcript.json",
    "transcript_p20": ".transcript.p20.json",
    "srt": ".srt",
    "vtt": ".vtt",
    "text": ".txt",
}
SUFFIXES = {
    "mp3": ".mp3",
    "report": ".report.json",
    "report_html": ".report.html",
    **{kind: suffix for kind, (suffix, _) in formats.CHAPTER_FORMATS.items()},
    "shownotes": ".shownotes.txt",
    **TRANSCRIPT_SUFFIXES,
    "decisions": ".decisions.json",  # the producer's, from `chapters review`: read by `run`, written only by review's save
}


def paths(audio_path: Path, out_dir: Path, kinds: Iterable[str] = SUFFIXES) -> dict[str, Path]:
    return {kind: out_dir / f"{audio_path.stem}{SUFFIXES[kind]}" for kind in kinds}


def shownotes_beside(audio_path: Path) -> list[Path]:
    """The producer's shownotes next to the MP3 (X.txt, X.md, X.html), which no output may replace."""
    return [candidate for suffix in SHOWNOTE_SUFFIXES if (candidate := audio_path.with_suffix(suffix)).is_file()]


def guard(targets: Mapping[str, Path], inputs: Iterable[Path], *, may_replace: Mapping[str, Path] | None = None) -> None:
    """Refuse, before any work, an output that would land on an input (the recording, shownotes,
    a chapter list, an image) or on the producer's shownotes beside the MP3. `may_replace` names
    the one allowed case: the recording itself, for --in-place."""
    allowed = {kind: _resolved(path) for kind, path in (may_replace or {}).items()}
    protected = {_resolved(path): path for path in inputs}
    for kind, target in targets.items():
        resolved = _resolved(target)
        if resolved in protected and allowed.get(kind) != resolved:
            hint = " (use --in-place to change the recording itself, or --out DIR)" if kind == "mp3" else " (use --out DIR)"
            raise InputError(f"{target}: the {kind.replace('_', ' ')} output would overwrite the input {protected[resolved]}{hint}")


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def transcript_texts(transcript: Transcript) -> dict[str, str]:
    return {
        "transcript": json.dumps(transcript_format.to_json(transcript), ensure_ascii=False, indent=1) + "\n",
        "transcript_p20": json.dumps(transcript_format.to_podcasting20(transcript), ensure_ascii=False, indent=1) + "\n",
        "srt": transcript_format.to_srt(transcript),
        "vtt": transcript_format.to_vtt(transcript),
        "text": transcript_format.to_text(transcript),
    }


def chapter_marks(
    verdicts: Sequence[Verdict], duration_s: float, pictures: dict[Chapter, tuple[bytes, str]] | None = None
) -> list[ChapterMark]:
    """Chapters to publish, in time order; equal starts nudged apart by a millisecond."""
    pictures = pictures or {}
    marks: list[ChapterMark] = []
    for verdict in sorted(verdicts, key=lambda v: v.start_s):
        start = id3.after(verdict.start_s, marks[-1].start_s if marks else None)
        image, mime = pictures.get(verdict.chapter, (None, None))
        marks.append(ChapterMark(verdict.chapter.title, start, url=verdict.chapter.url, image=image, image_mime=mime))
    return marks


def sidecar_texts(
    *, report: dict, marks: Sequence[ChapterMark], duration_s: float, loudness_db, episode_title: str | None,
    shownotes_text: str, verdicts: Sequence[Verdict], transcript: Transcript, targets: Mapping[str, Path],
) -> tuple[dict[str, str], tuple[str, ...]]:
    """The text of every sidecar `run` writes, all from the one verified chapter list, and what a
    sidecar had to leave out to follow its format's own rules (YouTube's), a line each."""
    full_marks = id3.with_ends(marks, duration_s)
    texts = {
        **report_texts(report, loudness_db, transcript.words, os.path.relpath(targets["mp3"], targets["report_html"].parent)),
        **{kind: module.render(full_marks, title=episode_title) for kind, (_, module) in formats.CHAPTER_FORMATS.items()},
        # the producer's shownotes with the times found; proposed chapters (no shownotes): their list
        "shownotes": shownotes.rewrite(shownotes_text, {v.chapter.line_no: v.start_s for v in verdicts if v.chapter.line_no})
        if shownotes_text.strip() else shownotes.listing(marks),
        **transcript_texts(transcript),
    }
    _fitted, notes = formats.youtube.fit(full_marks)
    return texts, tuple(f"{targets['youtube'].name}: {note}" for note in notes)


TIMELINE_BARS = 500  # the report's loudness strip


def report_page(report: dict, loudness_db, words: Sequence[Word], audio_href: str | None, **page) -> str:
    """X.report.html (`page`: html_report.render's review desk arguments)."""
    return html_report.render(report, activity=pauses.activity(loudness_db, TIMELINE_BARS), audio_href=audio_href, words=words, **page)


def report_texts(report: dict, loudness_db, words: Sequence[Word], audio_href: str | None) -> dict[str, str]:
    """X.report.json and X.report.html, by their kinds in SUFFIXES."""
    return {"report": json_report.render(report), "report_html": report_page(report, loudness_db, words, audio_href)}


def write_texts(texts: Mapping[str, str], targets: Mapping[str, Path]) -> list[Path]:
    for kind, text in texts.items():
        files.write_text(targets[kind], text)
    return [targets[kind] for kind in texts]
