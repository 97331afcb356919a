"""Exit codes and messages of the command line: one clear line and code 2 for every bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import make_mp3
from pipeline import cli
from robustness import record


@pytest.fixture
def episode(tmp_path):
    mp3 = make_mp3(tmp_path / "folge.mp3", 20.0)
    (tmp_path / "folge.txt").write_text("0:00 – Intro\n0:10 – Frage\n", encoding="utf-8")
    return mp3


def refused(capsys, *args: str) -> str:
    """Run the command, expect exit 2 with one clear line (counted for the robustness summary), return the line."""
    assert cli.main(list(args)) == 2
    line = error_line(capsys)
    record("bad input", clear_errors=1, intact=1)
    return line


def error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "Traceback" not in err[0]
    return err[0]


def file_with(content: bytes):
    def make(folder):
        path = folder / "x.mp3"
        path.write_bytes(content)
        return path

    return make


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        (lambda p: p / "nope.mp3", "no such file"),
        (lambda p: p, "is a folder"),
        (file_with(b""), "empty file"),
        (file_with(b"hello " * 200), "text file"),
        (file_with(b"RIFF" + b"\0" * 400), "WAV audio"),
        (file_with(b"fLaC" + b"\0" * 400), "FLAC audio"),
        (file_with(bytes(range(256)) * 4), "not an MP3"),
    ],
    ids=["missing", "folder", "empty", "text", "wav", "flac", "garbage"],
)
@pytest.mark.parametrize("command", ["run", "verify", "show", "transcribe", "fix"])
def test_bad_audio_gives_one_line_and_exit_2(tmp_path, capsys, setup, expected, command):
    target = setup(tmp_path)
    if command in ("run", "verify"):
        (tmp_path / "notes.txt").write_text("0:00 Intro\n", encoding="utf-8")
        args = [command, str(target), "--shownotes", str(tmp_path / "notes.txt")]
    else:
        args = [command, str(target)] + (["--out", str(tmp_path / "out")] if command == "fix" else [])
    before = target.read_bytes() if target.is_file() else None
    assert expected in refused(capsys, *args)
    assert before is None or target.read_bytes() == before


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [("notes.txt", "Nur Beschreibung\n", ("notes.txt", "no chapter times")),
     ("late.txt", "0:00 Intro\n5:00 – Viel zu spät\n", ("late.txt:2", "after the audio ends"))],
    ids=["no times", "times past the end"],
)
def test_bad_shownotes_name_the_file_and_line(episode, capsys, name, text, expected):
    notes = episode.with_name(name)
    notes.write_text(text, encoding="utf-8")
    line = refused(capsys, "run", str(episode), "--shownotes", str(notes), "--out", str(episode.parent / "out"))
    assert all(fragment in line for fragment in expected)


def test_missing_shownotes_file(episode, capsys):
    assert "no such shownotes file" in refused(capsys, "run", str(episode), "--shownotes", str(episode.with_name("gibtsnicht.txt")))


def test_no_shownotes_beside_the_mp3_proposes_chapters_from_the_speech(tmp_path, monkeypatch):
    from pipeline import run

    mp3 = make_mp3(tmp_path / "solo.mp3", 5.0)
    asked = []

    def verify(_episode, chapters, text, options, on_progress=None):
        asked.append((chapters, text, options.auto))
        raise SystemExit(0)

    monkeypatch.setattr(run, "verify", verify)
    for extra in ([], ["--auto"]):
        with pytest.raises(SystemExit):
            cli.main(["run", str(mp3), "--out", str(tmp_path / "out"), *extra])
    assert asked == [([], "", False), ([], "", True)]  # no chapters given: proposed (propose.py)


def test_output_would_overwrite_the_recording(episode, capsys):
    assert "--in-place" in refused(capsys, "run", str(episode), "--out", str(episode.parent))


def test_verify_without_any_chapters(tmp_path, capsys):
    mp3 = make_mp3(tmp_path / "bare.mp3", 5.0)
    assert "carries no chapters" in refused(capsys, "verify", str(mp3))


def test_verify_with_a_broken_chapters_file(episode, capsys):
    broken = episode.with_name("c.json")
    broken.write_text("{not json", encoding="utf-8")
    assert "c.json" in refused(capsys, "verify", str(episode), "--chapters", str(broken))


def test_show_lints_a_file_without_chapters(episode, capsys):
    assert cli.main(["show", str(episode)]) == 1
    assert "no chapters" in capsys.readouterr().out


def test_unknown_model_is_a_clear_error(episode, capsys):
    assert cli.main(["transcribe", str(episode), "--model", "gigantic", "--out", str(episode.parent / "o")]) == 2
    assert "not a built-in model" in error_line(capsys)


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as raised:
        cli.main(["run"])
    assert raised.value.code == 2
    assert cli.main([]) == 2


def test_help_does_not_load_the_speech_model():
    code = "import sys; from pipeline import cli; cli._parser(); print('faster_whisper' in sys.modules, 'mutagen' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_python_dash_m_runs_the_cli():
    result = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "verify" in result.stdout


def usage_refused(capsys, *args: str) -> str:
    """A usage error: exit 2 with one line, before anything is read or heard."""
    with pytest.raises(SystemExit) as raised:
        cli.main(list(args))
    assert raised.value.code == 2
    line = error_line(capsys)
    record("bad input", clear_errors=1, intact=1)
    return line


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [("--language", "xx", "--language: expected a language code"), ("--tolerance", "abc", "--tolerance: expected a number of seconds"),
     ("--tolerance", "-1", "between 0 and 600"), ("--id3-version", "2.5", "--id3-version: expected 2.3 or 2.4")],
)
def test_option_errors_name_the_option_in_one_line(episode, capsys, option, value, expected):
    assert expected in usage_refused(capsys, "run", str(episode), option, value)


def test_transcribe_never_overwrites_the_shownotes_beside_the_mp3(episode, capsys, monkeypatch):
    """`transcribe --out` the MP3's own folder used to write the plain transcript over X.txt."""
    from pipeline.transcribe import whisper

    monkeypatch.setattr(whisper, "load_model", lambda *a: pytest.fail("refused only after transcribing"))
    notes = episode.with_suffix(".txt")
    before = notes.read_bytes()
    line = refused(capsys, "transcribe", str(episode), "--out", str(episode.parent))
    assert "the text output would overwrite the input" in line and "folge.txt" in line
    assert notes.read_bytes() == before


def test_verify_never_writes_its_report_over_an_input(episode, capsys):
    chapters = episode.with_name("kapitel.json")
    chapters.write_text('{"chapters": [{"startTime": 0, "title": "Intro"}]}', encoding="utf-8")
    before = chapters.read_bytes()
    assert "would overwrite the input" in refused(capsys, "verify", str(episode), "--chapters", str(chapters), "--json", str(chapters))
    assert chapters.read_bytes() == before


@pytest.mark.parametrize("command", ["run", "transcribe"])
def test_an_unwritable_output_folder_is_refused_before_transcribing(episode, capsys, monkeypatch, command):
    from pipeline.transcribe import whisper

    monkeypatch.setattr(whisper, "load_model", lambda *a: pytest.fail("refused only after transcribing"))
    out = episode.parent / "out"
    out.mkdir()
    out.chmod(0o555)
    assert "not writable" in refused(capsys, command, str(episode), "--out", str(out), "--language", "de")


@pytest.mark.parametrize(
    ("content", "expected"),
    [('{"chapters": [5]}', "chapter 1 is 5, not an object"), ('{"chapters": [{"startTime": "soon", "title": "A"}]}', "startTime must be a number"),
     ('{"chapters": {"a": 1}}', 'no "chapters" list'), ("[1, 2]", 'no "chapters" list'),
     ('{"chapters": [{"startTime": NaN, "title": "A"}]}', "no usable start time"), ('{"chapters": [{"startTime": -3, "title": "A"}]}', "no usable start time")],
    ids=["number", "text time", "object", "list", "NaN", "negative"],
)
def test_malformed_chapter_lists_are_clear_errors(episode, capsys, content, expected):
    broken = episode.with_name("c.json")
    broken.write_text(content, encoding="utf-8")
    line = refused(capsys, "verify", str(episode), "--chapters", str(broken))
    assert "c.json" in line and expected in line


def _valued_options():
    """(command, option) for every option of every command that takes a typed value or a choice."""
    parser = cli._parser()
    commands = next(a for a in parser._actions if a.choices and isinstance(a.choices, dict)).choices
    for name, sub in commands.items():
        for action in sub._actions:
            if action.option_strings and (action.type not in (None, Path) or action.choices) and action.nargs != 0:
                yield name, action.option_strings[-1]


@pytest.mark.parametrize(("command", "option"), list(_valued_options()))
def test_every_option_error_names_the_option_and_what_it_expects(capsys, command, option):
    positional = {"batch": ["x", "--out", "o"], "review": ["x.mp3"]}.get(command, ["x.mp3"])
    with pytest.raises(SystemExit) as stopped:  # argparse's own exit, with our one line
        cli.main([command, *positional, option, "not-a-value"])
    assert stopped.value.code == 2
    line = error_line(capsys)
    assert f"argument {option}:" in line and ("expected" in line or "choose from" in line), line
    assert "invalid" not in line.replace("invalid choice", "") and "_" not in line.split(f"argument {option}:")[1].split("got")[0], line


def test_version_names_the_model_and_faster_whisper(capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["--version"])
    printed = capsys.readouterr().out.strip()
    assert stopped.value.code == 0 and len(printed.splitlines()) == 1
    assert printed.startswith("chapters 0.") and "speech model base" in printed and "faster-whisper 1." in printed
