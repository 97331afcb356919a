"""The whole pipeline with the real speech model on a short committed clip (tests/fixtures/short-de.*)."""

from __future__ import annotations

import json

import pytest

from pipeline import audio, cli, id3
from pipeline.transcribe import whisper
from readers import antennapod_chapters, ffmpeg_chapters

pytestmark = pytest.mark.model
FIXTURES_DIR = __import__("conftest").FIXTURES


@pytest.fixture(scope="module")
def episode(tmp_path_factory):
    """Run `chapters run` once on a copy of the clip; the tests below look at what it left."""
    import shutil

    from conftest import FIXTURES

    folder = tmp_path_factory.mktemp("episode")
    for name in ("short-de.mp3", "short-de.txt"):
        shutil.copy(FIXTURES / name, folder / name)
    truth = json.loads((FIXTURES / "short-de.truth.json").read_text(encoding="utf-8"))
    out = folder / "out"
    code = cli.main(["run", str(folder / "short-de.mp3"), "--out", str(out)])
    return folder, out, truth, code


def test_run_succeeds_and_writes_every_output(episode):
    folder, out, _, code = episode
    assert code == 0
    names = sorted(p.name for p in out.iterdir())
    suffixes = (".mp3", ".report.json", ".report.html", ".chapters.json", ".psc.xml", ".chapters.vtt", ".youtube.txt", ".ffmetadata.txt",
                ".labels.txt", ".shownotes.txt", ".transcript.json", ".transcript.p20.json", ".srt", ".vtt", ".txt")
    assert names == sorted(f"short-de{suffix}" for suffix in suffixes)


def test_verdicts_match_the_truth(episode):
    _, out, truth, _ = episode
    report = json.loads((out / "short-de.report.json").read_text(encoding="utf-8"))
    assert [c["status"] for c in report["chapters"]] == truth["expected"]
    assert report["language"] == "de"
    for entry, real in zip(report["chapters"], truth["chapters"]):
        assert entry["title"] == real["title"]
        if entry["status"] in ("corrected", "verified"):
            low, high = real["window"]
            assert low - 1.0 <= entry["start"] <= high + 1.0, entry
    corrected = report["chapters"][2]
    assert corrected["evidence"] and corrected["confidence"] > 0.5


def test_output_mp3_has_the_chapters_for_every_reader(episode):
    _, out, truth, _ = episode
    mp3 = out / "short-de.mp3"
    titles = [c["title"] for c in truth["chapters"]]
    assert [t for t, _, _ in ffmpeg_chapters(mp3)] == titles
    assert [t for t, _ in antennapod_chapters(mp3)] == titles
    assert id3.lint(mp3, audio.decode(mp3).duration_s) == []


def test_recording_itself_is_untouched(episode):
    from conftest import FIXTURES

    folder, _, _, _ = episode
    assert (folder / "short-de.mp3").read_bytes() == (FIXTURES / "short-de.mp3").read_bytes()


def no_model(*args, **kwargs):
    raise AssertionError("the speech model was loaded although everything needed was cached")


def test_verify_flags_the_original_and_accepts_the_output(episode, capsys, monkeypatch):
    folder, out, _, _ = episode
    monkeypatch.setattr(whisper, "load_model", no_model)  # run cached the transcript under the audio's key
    assert cli.main(["verify", str(folder / "short-de.mp3"), "--shownotes", str(folder / "short-de.txt")]) == 1
    assert cli.main(["verify", str(out / "short-de.mp3")]) == 0
    assert "corrected" in capsys.readouterr().out


def test_verify_writes_a_json_report(episode, tmp_path):
    folder, _, _, _ = episode
    report = tmp_path / "r.json"
    cli.main(["verify", str(folder / "short-de.mp3"), "--json", str(report)])
    assert [c["status"] for c in json.loads(report.read_text())["chapters"]][2] == "corrected"


def test_every_sidecar_agrees_with_the_id3_chapters(episode):
    from pipeline import formats

    _, out, _, _ = episode
    embedded = id3.read(out / "short-de.mp3").marks
    for suffix, module in formats.CHAPTER_FORMATS.values():
        marks = module.parse((out / f"short-de{suffix}").read_text(encoding="utf-8"))
        youtube = module is formats.youtube
        wanted = formats.youtube.fit(embedded)[0] if youtube else embedded  # YouTube's rules drop chapters under 10 s
        assert [m.title for m in marks] == [m.title for m in wanted], suffix
        tolerance = 0.5 if youtube else 0.0005  # YouTube lines have whole seconds
        assert all(abs(a.start_s - b.start_s) <= tolerance for a, b in zip(marks, wanted)), suffix


def test_run_says_what_the_youtube_lines_had_to_leave_out(episode, capsys):
    folder, out, _, _ = episode
    assert cli.main(["run", str(folder / "short-de.mp3"), "--out", str(out)]) == 0  # the transcript is cached
    warnings = [line for line in capsys.readouterr().err.splitlines() if "short-de.youtube.txt" in line]
    assert len(warnings) == 4 and "'Welche Rolle spielen Kapitelmarken?' dropped: shorter than 10 s" in warnings[0]
    assert warnings[-1].endswith("only 1 chapter(s): YouTube shows description chapters only from 3 on")


def test_corrected_shownotes_keep_the_text_and_fix_the_time(episode):
    _, out, _, _ = episode
    corrected = (out / "short-de.shownotes.txt").read_text(encoding="utf-8").splitlines()
    original = (FIXTURES_DIR / "short-de.txt").read_text(encoding="utf-8").splitlines()
    assert corrected[:4] == original[:4] and corrected[5:] == original[5:]
    assert corrected[4] != original[4] and corrected[4].endswith("– Wie wichtig ist die Tonqualität?")


def test_transcripts_are_consistent(episode):
    _, out, _, _ = episode
    words = json.loads((out / "short-de.transcript.json").read_text(encoding="utf-8"))["words"]
    assert len(words) > 20
    assert all(w["start"] <= w["end"] for w in words)
    assert (out / "short-de.vtt").read_text().startswith("WEBVTT")
    import srt
    import webvtt

    subtitles = list(srt.parse((out / "short-de.srt").read_text(encoding="utf-8")))
    captions = webvtt.read(str(out / "short-de.vtt"))
    assert len(subtitles) == len(captions) > 3
    assert all(s.content == c.text for s, c in zip(subtitles, captions) if "<" not in s.content and "&" not in s.content)
    assert "Tonqualität" in (out / "short-de.txt").read_text() or "Ton" in (out / "short-de.txt").read_text()


def test_in_place_with_chapter_images_uses_the_cache(episode, tmp_path, monkeypatch):
    import shutil

    from mutagen.id3 import ID3

    from id3.test_write import PNG

    folder, _, _, _ = episode
    mp3 = tmp_path / "short-de.mp3"
    shutil.copy(folder / "short-de.mp3", mp3)
    shutil.copy(folder / "short-de.txt", tmp_path / "short-de.txt")
    pictures = tmp_path / "bilder"
    pictures.mkdir()
    (pictures / "2.png").write_bytes(PNG)
    monkeypatch.setattr(whisper, "load_model", no_model)
    code = cli.main(["run", str(mp3), "--in-place", "--chapter-images", str(pictures), "--out", str(tmp_path / "side")])
    assert code == 0
    chaps = sorted(ID3(mp3).getall("CHAP"), key=lambda c: c.start_time)
    assert [bool(c.sub_frames.getall("APIC")) for c in chaps] == [False, True, False, False]
    assert not (tmp_path / "side" / "short-de.mp3").exists()


def test_dry_run_writes_nothing(episode, tmp_path):
    folder, _, _, _ = episode
    before = (folder / "short-de.mp3").read_bytes()
    assert cli.main(["run", str(folder / "short-de.mp3"), "--dry-run", "--out", str(tmp_path / "o")]) == 0
    assert not (tmp_path / "o").exists()
    assert (folder / "short-de.mp3").read_bytes() == before


def test_html_report_renders_with_the_episode(episode, tmp_path):
    import browser

    _, out, _, _ = episode
    page = out / "short-de.report.html"
    document, log = browser.dom(page)
    assert 'data-ready="yes"' in document and "Uncaught" not in log
    assert 'src="short-de.mp3"' in document
    assert document.count('class="chapter') == 4
    browser.screenshot(page, tmp_path / "report.png")
    import shutil

    from pipeline.report import html_report

    shutil.copy(tmp_path / "report.png", tmp_path.parent / "episode-report.png")
    report = json.loads((out / "short-de.report.json").read_text(encoding="utf-8"))
    painted = browser.timeline_marks(tmp_path / "report.png", html_report.COLOURS)
    for status in html_report.COLOURS:
        starts = [c["start"] / report["duration"] for c in report["chapters"] if c["status"] == status]
        assert painted[status] == pytest.approx(sorted(starts), abs=0.01), status


def test_verify_transcribes_only_snippets_when_the_chapters_are_right(episode, tmp_path, monkeypatch):
    """A fresh cache: verify of the corrected output settles it on the seconds after each claimed time, with run's verdicts."""
    _, out, _, _ = episode
    from pipeline import episode as episode_module
    from pipeline import run, transcribe, verify
    from pipeline.transcribe import TranscribeOptions

    run_report = json.loads((out / "short-de.report.json").read_text(encoding="utf-8"))
    monkeypatch.setenv("CHAPTERS_CACHE_DIR", str(tmp_path / "cache"))
    chapters = run.embedded_chapters(out / "short-de.mp3")
    # the clip is short: windows would cover most of it, so let them
    hint = " ".join(c.title for c in chapters)
    decoded_with = []
    snippets = transcribe.transcribe_snippets
    monkeypatch.setattr(transcribe, "transcribe_snippets", lambda load, sha, spans, options, on_progress=None: decoded_with.append(options) or snippets(load, sha, spans, options, on_progress))
    outcome = verify.check(episode_module.load(out / "short-de.mp3"), chapters, hint, run.RunOptions(), verify.VerifyOptions(windows_at_most=1.0))
    assert outcome.decided_on == "2 snippets"
    assert [(o.beam_size, o.second_look) for o in decoded_with] == [(1, False)]  # greedy, and a lost question goes on to a window
    assert [v.status.value for v in outcome.alignment.verdicts] == ["unverifiable", "verified", "verified", "unverifiable"]
    assert [v.start_s for v in outcome.alignment.verdicts] == pytest.approx([c["start"] for c in run_report["chapters"]], abs=0.002)

    frames = audio.frames_hash(out / "short-de.mp3")
    assert not transcribe.has_cached(frames, TranscribeOptions(language="de"))  # no whole transcript was made


def test_verify_of_a_short_episode_with_a_wrong_time_goes_to_the_whole_file(episode, tmp_path, monkeypatch, capsys):
    """The snippets do not settle the wrong time, and windows around it would cover most of a 38 s
    clip: the whole file costs less, and decides as `run` does."""
    from pipeline import transcribe
    from pipeline.transcribe import TranscribeOptions

    folder, _, _, _ = episode
    monkeypatch.setenv("CHAPTERS_CACHE_DIR", str(tmp_path / "cache"))
    assert cli.main(["verify", str(folder / "short-de.mp3"), "--shownotes", str(folder / "short-de.txt")]) == 1
    assert "decided on the whole transcript" in capsys.readouterr().err
    assert transcribe.has_cached(audio.frames_hash(folder / "short-de.mp3"), TranscribeOptions(language="de"))


def test_verify_after_run_loads_no_model(episode, monkeypatch):
    """Everything verify needs was cached by run: the transcript under the same key, the checks, the loudness."""
    monkeypatch.setattr(whisper, "load_model", no_model)
    folder, _, _, _ = episode
    assert cli.main(["verify", str(folder / "short-de.mp3")]) == 1  # the shownotes beside it: one chapter is off


def test_verify_many_files_for_ci_the_worst_exit_junit_annotations_summary_and_reports(episode, tmp_path, monkeypatch, capsys):
    from junitparser import JUnitXml

    folder, out, _, _ = episode
    monkeypatch.setattr(whisper, "load_model", no_model)  # both files' transcripts are cached
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    junit, reports = tmp_path / "chapters.xml", tmp_path / "reports"
    files = [str(out / "short-de.mp3"), str(folder / "short-de.mp3"), str(tmp_path / "gone.mp3")]
    code = cli.main(["verify", *files, "--junit", str(junit), "--reports", str(reports), "--format", "github", "--json", str(tmp_path / "all.json")])
    printed = capsys.readouterr()
    assert code == 2  # the worst: one file cannot be read
    assert printed.out.count("== ") == 3 and "3 file(s): 1 all verified, 1 with chapters off or missing, 1 not readable" in printed.out
    annotations = [line for line in printed.out.splitlines() if line.startswith("::error")]
    assert len(annotations) == 2 and "title=chapter 3 corrected%3A Wie wichtig ist die Tonqualität?" in annotations[0] and "gone.mp3" in annotations[1]
    suites = {suite.name: suite for suite in JUnitXml.fromfile(str(junit))}
    assert [(s.tests, s.failures, s.errors, s.skipped) for s in suites.values()] == [(4, 0, 0, 2), (4, 1, 0, 2), (1, 0, 1, 0)]
    assert "❌ corrected" in summary.read_text(encoding="utf-8")
    named = sorted(p.name for p in reports.iterdir())  # two files named alike: their folders tell them apart
    assert len(named) == 4 and all(name.endswith(("-short-de.report.html", "-short-de.report.json")) for name in named)
    assert [entry.get("error") for entry in json.loads((tmp_path / "all.json").read_text())["files"]][2].endswith("gone.mp3: no such file")
    assert cli.main(["verify", str(folder / "*.mp3")]) == 1  # a glob the shell left alone


def test_a_file_where_nothing_could_be_checked_fails_unless_allowed(tmp_path, capsys):
    from conftest import make_mp3
    from pipeline.model import ChapterMark

    mp3 = make_mp3(tmp_path / "music.mp3", 20.0)
    id3.write(mp3, mp3, [ChapterMark("Intro", 0.0), ChapterMark("Outro", 15.0)], duration_s=audio.decode(mp3).duration_s, toc_title="Musik")
    assert cli.main(["verify", str(mp3)]) == 1
    assert "no chapter could be checked" in capsys.readouterr().err
    assert cli.main(["verify", str(mp3), "--allow-unverifiable"]) == 0


def test_the_github_actions_shell_steps_run_here_on_the_sample(episode, tmp_path):
    """action.yml's `run` steps, as the runner would run them (inputs and paths filled in), but for
    the install step: this environment has the package already."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    import yaml
    from junitparser import JUnitXml

    root = Path(__file__).resolve().parents[1]
    folder, _out, _, _ = episode
    action = yaml.safe_load((root / "action.yml").read_text(encoding="utf-8"))
    inputs = {name: spec.get("default", "") for name, spec in action["inputs"].items()} | {"files": f"{folder}/*.mp3\n"}

    def filled(text: str) -> str:
        text = text.replace("${{ github.action_path }}", str(root))
        for name, value in inputs.items():
            text = text.replace(f"${{{{ inputs.{name} }}}}", value)
        assert "${{" not in text, text
        return text

    outputs_file, summary = tmp_path / "github_output", tmp_path / "summary.md"
    environment = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", "GITHUB_OUTPUT": str(outputs_file), "GITHUB_STEP_SUMMARY": str(summary)}
    ran = {}
    for step in action["runs"]["steps"]:
        if "run" not in step or "pip install" in step["run"]:
            continue
        env = environment | {name: filled(str(value)) for name, value in step.get("env", {}).items()}
        ran[step.get("id")] = subprocess.run([step["shell"], "-c", filled(step["run"])], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    (verified,) = ran.values()
    assert verified.returncode == 1 and outputs_file.read_text() == "exit-code=1\n"  # the clip's shownotes have a time off
    assert verified.stdout.count("::error file=") == 1 and "title=chapter 3 corrected" in verified.stdout
    reports = tmp_path / "chapters-reports"
    suite = next(iter(JUnitXml.fromfile(str(reports / "chapters-junit.xml"))))
    assert (suite.tests, suite.failures) == (4, 1)
    assert (reports / "short-de.report.html").is_file() and "❌ corrected" in summary.read_text(encoding="utf-8")


def test_verify_tells_its_progress_while_it_transcribes_snippets(episode):
    from dataclasses import replace

    from pipeline import episode as episodes, run, verify

    folder, _out, _, _ = episode
    chapters, text = run.read_shownotes(folder / "short-de.txt")
    options = run.RunOptions()
    options = replace(options, transcribe=replace(options.transcribe, use_cache=False))
    told = []
    verify.check(episodes.load(folder / "short-de.mp3"), chapters, text, options, verify.VerifyOptions(reuse_whole_transcript=False),
                 on_progress=lambda done, total: told.append((done, total)))
    assert told and told[-1][0] == told[-1][1] > 0  # seconds of the packed snippets, to the last


def test_a_list_of_titles_without_times_is_placed_and_written(episode, tmp_path, capsys):
    folder, _, truth, _ = episode
    titles = tmp_path / "titles.md"
    titles.write_text("Themen dieser Folge:\n\n- Intro\n- Welche Rolle spielen Kapitelmarken?\n- Wie wichtig ist die Tonqualität?\n", encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["run", str(folder / "short-de.mp3"), "--shownotes", str(titles), "--out", str(out)]) == 0
    report = json.loads((out / "short-de.report.json").read_text(encoding="utf-8"))
    assert [c["status"] for c in report["chapters"]] == ["unverifiable", "placed", "placed"]
    assert all(c["claimed"] is None and c["delta"] is None for c in report["chapters"])
    for entry, real in zip(report["chapters"][1:], truth["chapters"][1:3]):
        low, high = real["window"]
        assert low - 1.0 <= entry["start"] <= high + 1.0, entry
    assert [t for t, _, _ in ffmpeg_chapters(out / "short-de.mp3")] == ["Intro", "Welche Rolle spielen Kapitelmarken?", "Wie wichtig ist die Tonqualität?"]
    notes = (out / "short-de.shownotes.txt").read_text(encoding="utf-8")
    assert notes.startswith("Themen dieser Folge:\n\n- 0:00 – Intro\n- 0:") and "– Wie wichtig ist die Tonqualität?" in notes
    assert "placed" in capsys.readouterr().out
    # verify has no time to check in such a list: one line, exit 2
    assert cli.main(["verify", str(folder / "short-de.mp3"), "--shownotes", str(titles)]) == 2
    assert "titles without times" in capsys.readouterr().err


def test_no_shownotes_proposes_chapters_titled_from_the_speech(episode, tmp_path):
    folder, _, _, _ = episode
    out = tmp_path / "out"
    assert cli.main(["run", str(folder / "short-de.mp3"), "--auto", "--out", str(out)]) == 0
    report = json.loads((out / "short-de.report.json").read_text(encoding="utf-8"))
    assert report["chapters"] and all(c["status"] == "proposed" and c["claimed"] is None for c in report["chapters"])
    assert report["chapters"][0]["start"] == 0.0 and report["proposed_as"] in ("interview", "free talk")
    assert all(c["title"] and c["title"] in " ".join(c["evidence"].split()) or c["title"].endswith("…") for c in report["chapters"])
    listed = (out / "short-de.shownotes.txt").read_text(encoding="utf-8").splitlines()
    assert listed[0] == f"0:00 – {report['chapters'][0]['title']}" and len(listed) == len(report["chapters"])
    assert [t for t, _, _ in ffmpeg_chapters(out / "short-de.mp3")] == [c["title"] for c in report["chapters"]]
