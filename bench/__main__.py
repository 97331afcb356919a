"""Benchmark: `python -m bench [--verify] [--speed] [--long] [--only NAME] [--no-cache] [--decoding NAME]`.

Accuracy: every episode in bench/episodes/ (synthetic, made by scripts/synth.py, and two from
LibriVox, by scripts/real_speech.py) and the shared samples, scored against their truth files.
--verify: `chapters verify` from windows against run's verdicts, on the shownotes and on run's
output. --speed: bare faster-whisper against `chapters run`, `chapters verify` and a cached re-run
on one long episode, measured in the same run. --long: peak memory of a run on a 3-hour file.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

from bench.score import score, summarise
from pipeline import episode as episodes_module
from pipeline import run, verify
from pipeline.align import AlignOptions
from pipeline.transcribe import TranscribeOptions

ROOT = Path(__file__).resolve().parents[1]
TOLERANCE_S = 2.0
SAME_START_S = 0.25


def episodes() -> list[tuple[str, Path, Path, Path]]:
    """(name, mp3, shownotes, truth) for every benchmark episode found."""
    found = []
    for truth in sorted((ROOT / "bench" / "episodes").glob("*.truth.json")):
        stem = truth.name.removesuffix(".truth.json")
        found.append((stem, truth.with_name(f"{stem}.mp3"), truth.with_name(f"{stem}.txt"), truth))
    shared = ROOT.parent / "shared" / "samples"
    for folder in sorted(shared.glob("*")) if shared.is_dir() else []:
        if (folder / "truth.json").exists():
            found.append((folder.name, folder / "episode.mp3", folder / "shownotes.txt", folder / "truth.json"))
    return found


DECODINGS = {
    "default": TranscribeOptions(),  # batched, beam 5, doubtful stretches decoded again
    "no-second-look": TranscribeOptions(second_look=False),
    "greedy": TranscribeOptions(beam_size=1),
    "sequential": TranscribeOptions(batch_size=0),
    "sequential-greedy": TranscribeOptions(batch_size=0, beam_size=1),
}


def accuracy(selected, use_cache: bool, decoding: TranscribeOptions = TranscribeOptions()) -> bool:
    header = f"{'episode':<22}{'ch':>4}{'≤1s':>7}{'≤2s':>7}{'median':>8}{'max':>8}{'verdicts':>10}{'false corr':>11}{'align ms':>9}{'words s':>8}"
    print(header)
    all_scores = []
    for name, mp3, notes, truth_path in selected:
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        chapters, text = run.read_shownotes(notes)
        episode = episodes_module.load(mp3)
        started = time.perf_counter()
        options = replace(decoding, use_cache=use_cache)
        transcript = episodes_module.transcript(episode, options, text, None)
        transcribe_s = time.perf_counter() - started
        started = time.perf_counter()
        outcome = run.decide(episode, chapters, transcript, run.RunOptions(transcribe=options, align=AlignOptions(tolerance_s=TOLERANCE_S)))
        align_ms = (time.perf_counter() - started) * 1000
        scores = score(list(outcome.alignment.verdicts), truth, TOLERANCE_S)
        all_scores += scores
        s = summarise(scores)
        print(f"{name:<22}{s.chapters:>4}{s.within_1s:>7.0%}{s.within_2s:>7.0%}{s.median_error_s:>8.2f}{s.max_error_s:>8.2f}"
              f"{s.verdicts_right:>10.0%}{s.false_corrections:>11}{align_ms:>9.0f}{transcribe_s:>8.1f}")
        for chapter in scores:
            if not chapter.verdict_right or (chapter.error_s or 0) > 1.0:
                print(f"    ! {chapter.status:<12} expected {chapter.expected:<12} error {chapter.error_s if chapter.error_s is not None else '-'!s:<6.6} {chapter.title[:60]}")
    total = summarise(all_scores)
    print(f"{'TOTAL':<22}{total.chapters:>4}{total.within_1s:>7.0%}{total.within_2s:>7.0%}{total.median_error_s:>8.2f}"
          f"{total.max_error_s:>8.2f}{total.verdicts_right:>10.0%}{total.false_corrections:>11}")
    return total.within_1s >= 0.95 and total.within_2s == 1.0 and total.verdicts_right == 1.0 and total.false_corrections == 0


def verify_agreement(selected) -> bool:
    """`chapters verify` (windows first) against `run`'s verdicts, on the shownotes and on run's output.

    The whole transcript (cached by the accuracy pass) is hidden from verify, so that it must
    settle what it can on windows; where it falls back, it decides on that whole transcript.
    """
    from pipeline.model import Chapter

    print(f"\n{'verify against run':<32}{'ch':>4}{'same':>6}{'verify s':>9}  decided on")
    options = run.RunOptions(align=AlignOptions(tolerance_s=TOLERANCE_S))
    # the whole transcript is hidden, and short episodes use windows too: the windows are what is tested here
    windows_only = verify.VerifyOptions(windows_at_most=1.0, reuse_whole_transcript=False)
    agreed, total = 0, 0
    if True:
        for name, mp3, notes, _truth in selected:
            chapters, text = run.read_shownotes(notes)
            episode = episodes_module.load(mp3)
            full = run.decide(episode, chapters, episodes_module.transcript(episode, options.transcribe, text, None), options)
            corrected = [Chapter(v.chapter.title, v.start_s) for v in full.alignment.verdicts]
            for label, claimed in (("shownotes", chapters), ("run's output", corrected)):
                expected = (full if claimed is chapters else run.decide(episode, claimed, full.transcript, options)).alignment.verdicts
                started = time.perf_counter()
                outcome = verify.check(episode, claimed, text, options, windows_only)
                got = outcome.alignment.verdicts
                # the same verdict, and the same start but for word times that differ between two decodings
                same = sum(a.status == b.status and abs(a.start_s - b.start_s) <= SAME_START_S for a, b in zip(got, expected))
                agreed, total = agreed + same, total + len(expected)
                print(f"{name[:18] + ' ' + label:<32}{len(expected):>4}{same:>6}{time.perf_counter() - started:>9.1f}  {outcome.decided_on}")
    print(f"{'TOTAL':<32}{total:>4}{agreed:>6}")
    return agreed == total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="episodes whose name contains this")
    parser.add_argument("--no-cache", action="store_true", help="transcribe again instead of using cached transcripts")
    parser.add_argument("--speed", action="store_true", help="also run the speed comparison (slow)")
    parser.add_argument("--verify", action="store_true", help="also compare `chapters verify` (windows) with run's verdicts")
    parser.add_argument("--long", action="store_true", help="also measure peak memory of a run on a 3-hour file (slow: ~15 minutes)")
    parser.add_argument("--decoding", choices=sorted(DECODINGS), default="default", help="decoding settings to measure")
    args = parser.parse_args(argv)
    selected = [e for e in episodes() if not args.only or args.only in e[0]]
    print(f"decoding: {args.decoding} {DECODINGS[args.decoding]}")
    met = accuracy(selected, use_cache=not args.no_cache, decoding=DECODINGS[args.decoding])
    print("accuracy targets met" if met else "accuracy targets NOT met")
    if args.verify:
        print("verify agrees with run" if verify_agreement(selected) else "verify DISAGREES with run")
    if args.speed:
        from bench.speed import compare

        compare()
    if args.long:
        from bench.speed import long_file_memory

        long_file_memory()
    return 0


if __name__ == "__main__":
    sys.exit(main())
