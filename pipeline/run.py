"""One episode through the stages: shownotes and audio in, verdicts and files out. No argv, no printing."""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import numpy as np

from pipeline import align, audio, files, formats, id3, images, language, modelstore, pauses, shownotes, textmatch, transcribe
from pipeline.align import AlignOptions, Alignment
from pipeline.audio import DecodedAudio
from pipeline.errors import InputError
from pipeline.formats import transcript as transcript_format
from pipeline.model import Chapter, ChapterMark, Status, Transcript, Verdict
from pipeline.report import html_report, json_report
from pipeline.transcribe import ProgressCallback, TranscribeOptions

SHOWNOTE_SUFFIXES = (".txt", ".md", ".html")


@dataclass(frozen=True)
class Episode:
    """An MP3 whose audio is decoded only when something needs the samples (a cached re-run does not)."""

    path: Path
    frames_sha256: str

    @cached_property
    def audio(self) -> DecodedAudio:
        return audio.decode(self.path)

    def load_audio(self) -> DecodedAudio:
        return self.audio

    @cached_property
    def loudness_db(self) -> np.ndarray:
        cached = modelstore.cache_root() / "loudness" / f"{self.frames_sha256}.npy"
        try:
            return np.load(cached)
        except (OSError, ValueError):
            pass
        loudness = self.audio.loudness_db
        buffer = io.BytesIO()
        np.save(buffer, loudness)
        files.write_cache(cached, buffer.getvalue())
        return loudness

    @cached_property
    def duration_s(self) -> float:
        """As players will show it (see audio.published_duration_s)."""
        decoded_s = self.audio.duration_s if "audio" in self.__dict__ else len(self.loudness_db) * audio.FRAME_S
        return audio.published_duration_s(self.path, decoded_s)


@dataclass(frozen=True)
class RunOptions:
    transcribe: TranscribeOptions = field(default_factory=TranscribeOptions)
    align: AlignOptions = field(default_factory=AlignOptions)
    out_dir: Path = Path("output")
    in_place: bool = False
    id3_version: int = 3
    dry_run: bool = False
    chapter_images: Path | None = None  # folder with 1.jpg, 2.png, … by shownote chapter number
    language_from_shownotes: bool = True  # guess the language from the shownotes' words before listening


@dataclass(frozen=True)
class Outcome:
    transcript: Transcript
    alignment: Alignment
    report: dict
    written: tuple[Path, ...] = ()
    warnings: tuple[str, ...] = ()
    decided_on: str = "the whole transcript"  # or only windows of it (verify)


def find_shownotes(audio_path: Path) -> Path | None:
    for suffix in SHOWNOTE_SUFFIXES:
        candidate = audio_path.with_suffix(suffix)
        if candidate.is_file():
            return candidate
    return None


def read_shownotes(path: Path) -> tuple[list[Chapter], str]:
    """Chapters and the full text of a shownotes file; errors name the file."""
    if not path.is_file():
        raise InputError(f"{path}: no such shownotes file")
    try:
        text = shownotes.decode(path.read_bytes())
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        return shownotes.parse(text), text
    except InputError as exc:
        raise type(exc)(f"{path}: {exc}") from None


def load_episode(path: Path) -> Episode:
    audio.check_is_mp3(path)
    return Episode(path=path, frames_sha256=audio.frames_hash(path))


def check_times(chapters: Sequence[Chapter], duration_s: float, source: str) -> None:
    for chapter in chapters:
        if chapter.claimed_s >= duration_s:
            where = f"{source}:{chapter.line_no}" if chapter.line_no else source
            raise InputError(
                f"{where}: chapter '{chapter.title}' starts at {chapter.claimed_s:.0f} s, after the audio ends ({duration_s:.1f} s)"
            )


def transcribe_episode(episode: Episode, options: TranscribeOptions, text_hint: str, on_progress: ProgressCallback | None) -> Transcript:
    return transcribe.transcribe(episode.load_audio, episode.frames_sha256, _with_language(options, text_hint), on_progress)


def _with_language(options: TranscribeOptions, text_hint: str) -> TranscribeOptions:
    """The language asked for, else the one the text's words suggest (None: detected from speech)."""
    return options if options.language else replace(options, language=language.guess(text_hint))


def _language_hint(text_hint: str, options: RunOptions) -> str:
    return text_hint if options.language_from_shownotes else ""


def verify(episode: Episode, chapters: Sequence[Chapter], text_hint: str, options: RunOptions, on_progress: ProgressCallback | None = None) -> Outcome:
    check_times(chapters, episode.duration_s, "chapters")
    transcript = transcribe_episode(episode, options.transcribe, _language_hint(text_hint, options), on_progress)
    return decide(episode, chapters, transcript, options)


def acoustic_check(episode: Episode, options: RunOptions, language_code: str) -> transcribe.AcousticCheck:
    return transcribe.AcousticCheck(episode.load_audio, episode.frames_sha256, options.transcribe, language_code)


def decide(
    episode: Episode, chapters: Sequence[Chapter], transcript: Transcript, options: RunOptions, check: transcribe.AcousticCheck | None = None
) -> Outcome:
    """Verdicts and report for these chapters on this transcript (doubtful ones put to the audio)."""
    check = check or acoustic_check(episode, options, transcript.language)
    alignment = align.verify(chapters, transcript, episode.loudness_db, options.align, check)
    report = json_report.build(
        audio_name=episode.path.name,
        duration_s=episode.duration_s,
        language=transcript.language,
        model=options.transcribe.model,
        alignment=alignment,
        tolerance_s=options.align.tolerance_s,
    )
    warnings = tuple(f"shownotes {problem}" for problem in shownotes.problems(list(chapters)))
    return Outcome(transcript=transcript, alignment=alignment, report=report, warnings=warnings)


WINDOW_BEFORE_S = 8.0  # a window starts this long before a claimed time and lasts one encoder pass
WINDOWS_AT_MOST = 0.5  # share of the episode; windows covering more than this cost more than the whole file
NEAR_S = 5.0  # then the speech from this long before a claimed time to three times as long after, in short pieces
WIDER_REACH_S = (90.0,)  # at last, a chapter not settled is looked for this far either side of its time
SURE_VERIFIED = 0.85  # a verdict this confident would not change with the rest of the file
CHECK_AFTER_S = 10.0  # a weaker one is put to the audio over this much time after the claimed start
CLEAR_PAUSE_S, WEAK_VERIFIED = 1.0, 0.65  # … or accepted at a pause this long, if at least this confident


def verify_quickly(
    episode: Episode, chapters: Sequence[Chapter], text_hint: str, options: RunOptions, on_progress: ProgressCallback | None = None
) -> Outcome:
    """`verify` that transcribes only what it needs, with the verdicts of a whole-file run.

    A cached whole transcript answers at once. Otherwise a window around each claimed time is
    transcribed, in one batch and without second looks; when every chapter is settled there (see
    `_surely_settled`), that is the answer: the common case of an upload whose chapters are right.
    Only the chapters not settled go on, step by step: near their claimed times in short pieces,
    then in wider windows; what is still uncertain is decided on the whole transcript, as `run`
    does, and so is everything once the windows would cover more than WINDOWS_AT_MOST of the file.
    """
    window_options = replace(options, transcribe=_with_language(options.transcribe, _language_hint(text_hint, options)))
    if transcribe.has_cached(episode.frames_sha256, window_options.transcribe):  # the key `run` used
        return verify(episode, chapters, text_hint, options, on_progress)
    check_times(chapters, episode.duration_s, "chapters")
    spoken = [c for c in chapters if not align.is_unspoken(c.title)]
    steps = [
        ("windows", lambda c: _window(episode.loudness_db, c.claimed_s), replace(window_options.transcribe, second_look=False)),
        ("decoded again in short pieces", lambda c: (c.claimed_s - NEAR_S, c.claimed_s + 3 * NEAR_S), replace(window_options.transcribe, short_pieces=True, second_look=False)),
        *((f"widened to ±{reach:.0f} s", lambda c, r=reach: (c.claimed_s - r, c.claimed_s + r), window_options.transcribe) for reach in WIDER_REACH_S),
    ]
    transcript, check, pending, decided_on = None, None, spoken, []
    for label, window_of, transcribe_options in steps:
        windows = [(max(0.0, start), min(episode.duration_s, end)) for start, end in map(window_of, pending)]
        covered = transcribe.merge_windows(windows)
        if sum(end - start for start, end in covered) > WINDOWS_AT_MOST * episode.duration_s:
            break  # the whole file costs less (a short episode, or many chapters still to find)
        heard = transcribe.transcribe_windows(episode.load_audio, episode.frames_sha256, windows, transcribe_options)
        transcript = heard if transcript is None else _joined(transcript, heard, covered)
        decided_on.append(f"{len(windows)} {label}")
        check = check or acoustic_check(episode, window_options, transcript.language)
        outcome = decide(episode, chapters, transcript, window_options, check)
        unsettled = {v.chapter for v in outcome.alignment.verdicts if not _surely_settled(v, transcript, check, episode.loudness_db)}
        if not unsettled:
            return replace(outcome, decided_on=", ".join(decided_on))
        pending = [c for c in spoken if c in unsettled]
    return verify(episode, chapters, text_hint, options, on_progress)


def _window(loudness_db: np.ndarray, claimed_s: float) -> tuple[float, float]:
    """From a pause about WINDOW_BEFORE_S before a claimed time to a pause at most one encoder pass
    later (a window cut in a word loses that word, and a few seconds more cost a second pass)."""
    start = pauses.quiet_before(loudness_db, claimed_s - WINDOW_BEFORE_S)
    return start, pauses.quiet_before(loudness_db, start + transcribe.STRETCH_S, search_s=6.0)


def _joined(first: Transcript, second: Transcript, second_covers: list[tuple[float, float]]) -> Transcript:
    """The words of `second` where it was transcribed, those of `first` elsewhere."""
    outside = [w for w in first.words if not any(start <= w.start_s < end for start, end in second_covers)]
    return replace(first, words=tuple(sorted(outside + list(second.words), key=lambda w: w.start_s)))


def _surely_settled(verdict: Verdict, transcript: Transcript, check: transcribe.AcousticCheck, loudness_db: np.ndarray) -> bool:
    """Would the whole transcript decide this chapter the same way? Yes for a confident verdict
    (verified, or corrected to a place found as surely); for a weaker verification when the
    claimed time sits at a clear pause (a paraphrased question after an answer), or when the
    audio there bears the title out (forced alignment). Never for a missing title: the rest of
    the file may hold it.
    """
    if verdict.status is Status.UNVERIFIABLE:
        return True
    if verdict.status is Status.MISSING:
        return False
    if verdict.confidence >= SURE_VERIFIED:
        return True
    if verdict.status is not Status.VERIFIED:
        return False
    claimed = verdict.chapter.claimed_s
    pause = pauses.pause_before(
        loudness_db, claimed, earliest_s=max(0.0, claimed - 4.0), latest_onset_s=claimed + 2.0, threshold_db=pauses.quiet_threshold_db(loudness_db)
    )
    if pause is not None and pause.end_s - pause.start_s >= CLEAR_PAUSE_S and verdict.confidence >= WEAK_VERIFIED:
        return True
    start, end = max(0.0, verdict.start_s - 2.5), verdict.start_s + CHECK_AFTER_S
    heard = " ".join(w.text for w in transcript.words if start <= w.start_s < end)
    return bool(heard) and check(start, end, textmatch.spoken_form(verdict.chapter.title), heard) >= align.ACOUSTIC_ACCEPT


def run(audio_path: Path, shownotes_path: Path | None, options: RunOptions, on_progress: ProgressCallback | None = None) -> Outcome:
    """Verify the shownotes' chapters and write the chapter-marked MP3 and every sidecar."""
    notes = shownotes_path or find_shownotes(audio_path)
    if notes is None:
        raise InputError(f"{audio_path}: no shownotes given and no {'/'.join(SHOWNOTE_SUFFIXES)} file beside it")
    chapters, text = read_shownotes(notes)
    pictures = images.from_folder(options.chapter_images, len(chapters)) if options.chapter_images else {}
    targets = output_paths(audio_path, options)
    _refuse_overwriting_inputs(targets, {audio_path: options.in_place, notes: False})
    episode = load_episode(audio_path)
    check_times(chapters, episode.duration_s, str(notes))
    outcome = verify(episode, chapters, text, options, on_progress)
    if options.dry_run:
        return outcome
    files.ensure_folder(targets["report"].parent)
    by_chapter = {chapters[number - 1]: picture for number, picture in pictures.items()}
    marks = chapter_marks(outcome.alignment.verdicts, episode.duration_s, by_chapter)
    toc_title = id3.episode_title(audio_path) or "Chapters"
    id3.write(
        audio_path,
        targets["mp3"],
        marks,
        duration_s=episode.duration_s,
        toc_title=toc_title,
        version=options.id3_version,
        frames_sha256=episode.frames_sha256,
    )
    full_marks = id3.with_ends(marks, episode.duration_s)
    episode_title = toc_title if toc_title != "Chapters" else None
    sidecars = {
        "report": json_report.render(outcome.report),
        "report_html": html_report.render(
            outcome.report, activity=pauses.activity(episode.loudness_db, 500), audio_href=os.path.relpath(targets["mp3"], targets["report_html"].parent)
        ),
        **{kind: module.render(full_marks, title=episode_title) for kind, (_, module) in formats.CHAPTER_FORMATS.items()},
        "shownotes": shownotes.rewrite(text, {v.chapter.line_no: v.start_s for v in outcome.alignment.verdicts if v.chapter.line_no}),
        **transcript_outputs(outcome.transcript),
    }
    for kind, text_out in sidecars.items():
        files.write_text(targets[kind], text_out)
    return replace(outcome, written=tuple(targets[k] for k in ["mp3", *sidecars]))


def transcript_outputs(transcript: Transcript) -> dict[str, str]:
    import json

    return {
        "transcript": json.dumps(transcript_format.to_json(transcript), ensure_ascii=False, indent=1) + "\n",
        "transcript_p20": json.dumps(transcript_format.to_podcasting20(transcript), ensure_ascii=False, indent=1) + "\n",
        "srt": transcript_format.to_srt(transcript),
        "vtt": transcript_format.to_vtt(transcript),
        "text": transcript_format.to_text(transcript),
    }


OUTPUT_SUFFIXES = {
    "mp3": ".mp3",
    "report": ".report.json",
    "report_html": ".report.html",
    **{kind: suffix for kind, (suffix, _) in formats.CHAPTER_FORMATS.items()},
    "shownotes": ".shownotes.txt",
    "transcript": ".transcript.json",
    "transcript_p20": ".transcript.p20.json",
    "srt": ".srt",
    "vtt": ".vtt",
    "text": ".txt",
}


def output_paths(audio_path: Path, options: RunOptions) -> dict[str, Path]:
    stem = audio_path.stem
    paths = {kind: options.out_dir / f"{stem}{suffix}" for kind, suffix in OUTPUT_SUFFIXES.items()}
    if options.in_place:
        paths["mp3"] = audio_path
    return paths


def _refuse_overwriting_inputs(targets: dict[str, Path], inputs: dict[Path, bool]) -> None:
    """An output must never land on an input, except the MP3 itself with --in-place."""
    for kind, target in targets.items():
        for source, allowed in inputs.items():
            if _same_path(target, source) and not (allowed and kind == "mp3"):
                hint = " (use --in-place to change the recording itself, or --out DIR)" if kind == "mp3" else " (use --out DIR)"
                raise InputError(f"{target}: the {kind} output would overwrite an input{hint}")


def _same_path(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def chapter_marks(
    verdicts: Sequence[Verdict], duration_s: float, pictures: dict[Chapter, tuple[bytes, str]] | None = None
) -> list[ChapterMark]:
    """Chapters to publish, in time order; equal starts nudged apart by a millisecond."""
    pictures = pictures or {}
    marks: list[ChapterMark] = []
    for verdict in sorted(verdicts, key=lambda v: v.start_s):
        start = verdict.start_s
        if marks and round(start * 1000) <= round(marks[-1].start_s * 1000):
            start = marks[-1].start_s + 0.001
        image, mime = pictures.get(verdict.chapter, (None, None))
        marks.append(ChapterMark(verdict.chapter.title, round(start, 3), url=verdict.chapter.url, image=image, image_mime=mime))
    return marks


def embedded_chapters(path: Path) -> list[Chapter]:
    """The chapters a file already carries, as claims to verify (the CI case)."""
    return [Chapter(title=m.title, claimed_s=m.start_s) for m in id3.read(path).marks]


def needs_attention(verdicts: Sequence[Verdict]) -> bool:
    return any(v.status in (Status.CORRECTED, Status.MISSING) for v in verdicts)
