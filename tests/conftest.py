"""Shared test helpers: fixture copies, generated MP3s and an isolated cache per test session."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import imageio_ffmpeg
import pytest

FIXTURES = Path(__file__).parent / "fixtures"
FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()


@pytest.fixture(scope="session", autouse=True)
def isolated_cache(tmp_path_factory):
    """Transcripts and the assembled model go to a per-session folder, never the user's cache."""
    folder = tmp_path_factory.mktemp("cache")
    patcher = pytest.MonkeyPatch()
    patcher.setenv("CHAPTERS_CACHE_DIR", str(folder))
    yield folder
    patcher.undo()


@pytest.fixture
def fixture_copy(tmp_path):
    """Copy committed fixture files into tmp_path before a test may write to them."""

    def copy(*names: str) -> Path:
        for name in names:
            shutil.copy(FIXTURES / name, tmp_path / name)
        return tmp_path / names[0]

    return copy


def make_mp3(path: Path, seconds: float = 5.0, *, extra: tuple[str, ...] = (), frequency: int = 440) -> Path:
    """A short mono tone MP3 made by ffmpeg (no tag unless `extra` asks for one)."""
    subprocess.run(
        [FFMPEG, "-v", "error", "-y", "-f", "lavfi", "-i", f"sine=frequency={frequency}:duration={seconds}",
         "-ac", "1", "-b:a", "32k", *extra, str(path)],
        check=True,
    )
    return path


@pytest.fixture
def chrome():
    """A driven Chromium, quit after the test."""
    import browser

    driver = browser.driven()
    yield driver
    driver.quit()


@pytest.fixture
def tone_mp3(tmp_path) -> Path:
    return make_mp3(tmp_path / "tone.mp3", 30.0, extra=("-id3v2_version", "0", "-write_xing", "1"))


def pytest_terminal_summary(terminalreporter):
    from robustness import TALLY

    if not TALLY:
        return
    terminalreporter.section("robustness battery")
    kinds = sorted({key.split(": ")[0] for key in TALLY})
    for kind in kinds:
        terminalreporter.write_line(
            f"{kind}: {TALLY[kind + ': tried']} tried, {TALLY[kind + ': clear errors']} clear errors, "
            f"{TALLY[kind + ': files intact']} inputs intact"
        )
