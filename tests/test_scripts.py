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
