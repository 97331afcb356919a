"""Headless Chromium (Debian's `chromium`, installed by `make test` via scripts/ensure-chromium) for looking at the HTML report."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

# Without the background-networking flags Chromium tries to reach Google at start, which this
# offline machine refuses; a fresh profile keeps runs independent.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--enable-logging=stderr", "--v=0"]


def executable() -> str:
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    raise AssertionError("Chromium is not installed (make test installs it: scripts/ensure-chromium)")


def run(page: Path, *extra: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([executable(), *FLAGS, f"--user-data-dir={profile}", *extra, page.resolve().as_uri()],
                              capture_output=True, text=True, timeout=120)


def dom(page: Path) -> tuple[str, str]:
    """The document after its scripts ran, and what Chromium logged meanwhile."""
    result = run(page, "--dump-dom", "--virtual-time-budget=3000")
    return result.stdout, result.stderr


def screenshot(page: Path, png: Path, size: str = "1200,1000") -> str:
    result = run(page, f"--screenshot={png}", f"--window-size={size}", "--virtual-time-budget=3000")
    assert png.exists() and png.stat().st_size > 5000, result.stderr[-2000:]
    return result.stderr
