"""scripts/ensure-chromium, which `make test` runs first: a browser and its driver found, installed, or one line saying what to install."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "ensure-chromium"


def run_with(tmp_path, tools: dict[str, str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The script on a PATH holding only bash and the given stand-in commands."""
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "bash").symlink_to(shutil.which("bash"))
    for name, body in tools.items():
        (folder / name).write_text(f"#!{shutil.which('bash')}\n{body}\n")
        (folder / name).chmod(0o755)
    return subprocess.run([str(folder / "bash"), str(SCRIPT)], env={"PATH": str(folder), **(env or {})}, capture_output=True, text=True)


@pytest.mark.parametrize(
    ("tools", "expected"),
    [
        ({"id": "echo 0"}, "install them with your package manager"),  # no apt-get: not Debian
        ({"id": "echo 1000", "apt-get": "exit 99"}, "sudo apt-get install chromium chromium-driver"),  # Debian, but no right to install
    ],
    ids=["no package manager", "no permission"],
)
def test_without_a_browser_it_says_in_one_line_what_to_install(tmp_path, tools, expected):
    result = run_with(tmp_path, tools)
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert expected in line


@pytest.mark.parametrize("present", [{}, {"chromium": "exit 0"}], ids=["nothing", "a browser without its driver"])
def test_as_root_on_debian_it_installs_chromium_and_its_driver(tmp_path, present):
    log = tmp_path / "apt.log"
    result = run_with(tmp_path, {"id": "echo 0", "apt-get": f'echo "$@" >> {log}', **present})
    assert result.returncode == 0, result.stderr
    assert log.read_text().splitlines() == ["update -qq", "install -y -qq chromium chromium-driver"]


def test_a_browser_on_path_or_named_with_its_driver_is_enough(tmp_path):
    assert run_with(tmp_path, {"chromium": "exit 0", "chromedriver": "exit 0"}).returncode == 0
    browser = tmp_path / "my-chrome"
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)
    driver = tmp_path / "drivers"
    driver.mkdir()
    (driver / "chromedriver").write_text("#!/bin/sh\n")
    (driver / "chromedriver").chmod(0o755)
    assert subprocess.run([shutil.which("bash"), str(SCRIPT)], env={"PATH": str(driver), "CHROMIUM": str(browser)}).returncode == 0


ALL = SCRIPT.with_name("chapters-all")


def test_make_chapters_goes_on_past_a_failing_episode_and_sums_up(tmp_path):
    audio = tmp_path / "audio"
    audio.mkdir()
    for name in ("a", "b", "c"):
        (audio / f"{name}.mp3").write_bytes(b"mp3")
        (audio / f"{name}.txt").write_text("0:00 Intro")
    (audio / "no-notes.mp3").write_bytes(b"mp3")
    fake = tmp_path / "chapters"
    fake.write_text(f'#!{shutil.which("bash")}\necho "$@" >> {tmp_path / "calls"}\ncase "$2" in *b.mp3) exit 2;; esac\n')
    fake.chmod(0o755)
    result = subprocess.run([shutil.which("bash"), str(ALL), str(fake), str(audio), str(tmp_path / "out")], capture_output=True, text=True)
    assert result.returncode == 1
    assert len((tmp_path / "calls").read_text().splitlines()) == 3  # a, b (failed), and c after it; not the one without shownotes
    summary = result.stdout.split("make chapters: 3 episode(s)\n")[1].splitlines()
    assert summary == [f"  written  {audio}/a.mp3", f"  FAILED   {audio}/b.mp3 (exit 2)", f"  written  {audio}/c.mp3"]


def test_make_chapters_with_nothing_to_do_says_so(tmp_path):
    (tmp_path / "audio").mkdir()
    result = subprocess.run([shutil.which("bash"), str(ALL), "chapters", str(tmp_path / "audio"), str(tmp_path / "out")], capture_output=True, text=True)
    assert result.returncode == 2 and "no " in result.stderr and "X.mp3 with shownotes" in result.stderr
