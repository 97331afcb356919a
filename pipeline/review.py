"""`chapters review`: the producer's review desk — the alignment's verdicts, the producer's edits, and a save.

A desk holds one episode: the alignment's outcome before any decision (`aligned`, from the same
`run.verify` that `run` uses, so a transcript `run` cached makes it quick), and where a save
writes. The page shows the outcome with the kept decisions in force; a save turns the page's
chapter list into decisions (what the producer set by hand, measured against the alignment),
writes the MP3 and every sidecar through `run.write_outputs`, and keeps the decisions beside them,
where every later `chapters run` applies them.

Two ways in: an MP3 with its shownotes (outputs go to --out, as with `run`), or an output folder
of `run`, or an MP3 in one (its X.mp3 with X.shownotes.txt, whose times are the published ones:
what still needs a look is what is still missing there; a save rewrites that folder's files).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline import decisions, episode, id3, outputs, run
from pipeline.errors import InputError
from pipeline.episode import Episode
from pipeline.model import Verdict
from pipeline.report import json_report
from pipeline.transcribe import ProgressCallback

MAX_TITLE = 500


@dataclass(frozen=True)
class Desk:
    episode: Episode
    source: Path  # the MP3 the chapters are written from (its audio frames are copied untouched)
    targets: dict[str, Path]
    shownotes_text: str
    aligned: run.Outcome  # the alignment's, before the producer's decisions
    options: run.RunOptions

    def kept(self) -> decisions.Decisions | None:
        """The producer's decisions as saved now (read from disk: another tab may have saved)."""
        return decisions.load(self.targets["decisions"])


def open_desk(path: Path, shownotes_path: Path | None, options: run.RunOptions, on_progress: ProgressCallback | None = None) -> Desk:
    """The desk for an MP3 (with its shownotes) or for an output folder of `run`."""
    if path.is_dir() or shownotes_path is None and outputs.paths(path, path.parent, ("shownotes",))["shownotes"].is_file():
        audio = _in_output_folder(path) if path.is_dir() else path
        targets = outputs.paths(audio, audio.parent)  # the folder's own outputs, rewritten in place
        notes = targets["shownotes"]
    else:
        audio = path
        notes = shownotes_path or run.find_shownotes(audio)
        if notes is None:
            raise InputError(f"{audio}: no shownotes given and no {'/'.join(outputs.SHOWNOTE_SUFFIXES)} file beside it")
        targets = outputs.paths(audio, options.out_dir)
        outputs.guard(targets, [audio, notes, *outputs.shownotes_beside(audio)])
    chapters, text = run.read_shownotes(notes)
    decisions.load(targets["decisions"])  # a damaged file is refused now, not at the first save
    the_episode = episode.load(audio)
    aligned = run.verify(the_episode, chapters, text, options, on_progress)
    return Desk(the_episode, audio, targets, text, aligned, options)


def _in_output_folder(folder: Path) -> Path:
    """The one MP3 of an output folder of `run` (the one beside its X.shownotes.txt)."""
    found = sorted(p for p in folder.glob("*.shownotes.txt") if p.with_name(p.name.removesuffix(".shownotes.txt") + ".mp3").is_file())
    if len(found) != 1:
        what = "no X.mp3 with X.shownotes.txt" if not found else f"{len(found)} episodes ({', '.join(p.name.removesuffix('.shownotes.txt') for p in found)})"
        raise InputError(f"{folder}: {what}; name one: chapters review {folder}/X.mp3" if found else f"{folder}: {what} (an output folder of chapters run)")
    return found[0].with_name(found[0].name.removesuffix(".shownotes.txt") + ".mp3")


def page_chapters(desk: Desk, kept: decisions.Decisions | None, shown: Sequence[Verdict]) -> list[dict]:
    """The page's chapter records: `shown`, the verdicts with these decisions in force (as
    run.with_decisions gave them), and for each what the alignment said and what the producer set by hand."""
    verdicts = desk.aligned.alignment.verdicts
    pairs, _warnings = decisions.match(verdicts, kept, desk.episode.frames_sha256)
    position = {id(v): i for i, v in enumerate(verdicts)}  # by identity: two chapters may read alike
    return [_record(verdict, aligned, decision, position[id(aligned)] if aligned else None) for verdict, (aligned, decision) in zip(shown, pairs, strict=True)]


def current(desk: Desk) -> tuple[run.Outcome, list[dict]]:
    """The outcome with the decisions saved now in force, and the page's chapter records of it."""
    kept = desk.kept()
    outcome = run.with_decisions(desk.aligned, kept, desk.episode, desk.options)
    return outcome, page_chapters(desk, kept, outcome.alignment.verdicts)


def _record(shown: Verdict, aligned: Verdict | None, decision: decisions.Decision | None, source: int | None) -> dict:
    set_by_hand = decisions.set_by_hand(decision)
    return {
        "title": shown.chapter.title,
        "start": round(shown.start_s, 3),
        "claimed": round(aligned.chapter.claimed_s, 3) if aligned and aligned.chapter.claimed_s is not None else None,
        "status": shown.status.value,
        "confidence": shown.confidence,
        "evidence": shown.evidence,
        "decided_by": json_report.decided_by(aligned.signals) if aligned and aligned.signals else "",
        "source": source,
        "shownote_title": aligned.chapter.title if aligned else None,
        "start_set": "start" in set_by_hand or aligned is None,
        "title_set": "title" in set_by_hand,
        "aligned_status": aligned.status.value if aligned else None,
        "aligned_start": round(aligned.start_s, 3) if aligned else None,
    }


def page(desk: Desk, *, save_url: str | None, token: str | None, audio_href: str, nonce: str | None = None) -> str:
    outcome, records = current(desk)
    return outputs.report_page(
        outcome.report, desk.episode.loudness_db, outcome.transcript.words, audio_href,
        chapters=records, review={"save": save_url, "token": token} if save_url else None, nonce=nonce,
    )


def decisions_from_edits(aligned: tuple[Verdict, ...], edits: object, duration_s: float, frames_sha256: str) -> decisions.Decisions:
    """The producer's decisions from the page's chapter list: what differs from the alignment, set
    by hand; shownote chapters left out, deleted. Anything malformed is refused whole (InputError)."""
    if not isinstance(edits, list) or len(edits) > id3.MAX_CHAPTERS:
        raise InputError(f"expected a list of at most {id3.MAX_CHAPTERS} chapters (what ID3 can hold)")
    chosen: list[decisions.Decision] = []
    sources: set[int] = set()
    for number, edit in enumerate(edits, start=1):
        title, start, source, start_set = _checked(edit, number, len(aligned), duration_s)
        if source is None:
            chosen.append(decisions.Decision(None, title, start))
            continue
        if source in sources:
            raise InputError(f"chapter {number}: shownote chapter {source + 1} appears twice")
        sources.add(source)
        shownote = aligned[source].chapter.title
        if start_set or title != shownote:
            chosen.append(decisions.Decision(shownote, title, start if start_set else None))
    removed = tuple(v.chapter.title for i, v in enumerate(aligned) if i not in sources)
    return decisions.Decisions(frames_sha256, tuple(chosen), removed)


def _checked(edit: object, number: int, shownote_chapters: int, duration_s: float) -> tuple[str, float, int | None, bool]:
    if not isinstance(edit, dict):
        raise InputError(f"chapter {number}: not an object")
    title, start, source, start_set = edit.get("title"), edit.get("start"), edit.get("source"), edit.get("start_set", False)
    if not isinstance(title, str) or not title.strip() or len(title) > MAX_TITLE:
        raise InputError(f"chapter {number}: a title of 1 to {MAX_TITLE} characters is needed")
    if isinstance(start, bool) or not isinstance(start, (int, float)) or not math.isfinite(start) or not 0 <= start < duration_s:  # id3.validate's rule
        raise InputError(f"chapter {number}: start must be a time within the episode (0 to {duration_s:.1f} s)")
    if source is not None and (isinstance(source, bool) or not isinstance(source, int) or not 0 <= source < shownote_chapters):
        raise InputError(f"chapter {number}: no shownote chapter {source!r}")
    if not isinstance(start_set, bool):
        raise InputError(f"chapter {number}: start_set must be true or false")
    return " ".join(title.split()), round(float(start), 3), source, start_set


def save(desk: Desk, edits: object) -> tuple[list[dict], list[Path]]:
    """Write the producer's chapters (MP3 and every sidecar, as `run` writes them) and keep the
    decisions for later runs. Returns the page's new chapter records and the files written."""
    chosen = decisions_from_edits(desk.aligned.alignment.verdicts, edits, desk.episode.duration_s, desk.episode.frames_sha256)
    outcome = run.with_decisions(desk.aligned, chosen, desk.episode, desk.options)
    written = run.write_outputs(desk.episode, desk.source, desk.targets, outcome, desk.shownotes_text, desk.options).written
    decisions.save(desk.targets["decisions"], chosen)
    return page_chapters(desk, chosen, outcome.alignment.verdicts), [*written, desk.targets["decisions"]]
