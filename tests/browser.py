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
    assert png.exists(), result.stderr[-2000:]
    return result.stderr


def timeline_marks(png: Path, colours: dict[str, str]) -> dict[str, list[float]]:
    """Where the filled chapter marks of each colour were painted, as fractions of the timeline's width.

    The timeline is found by its grey activity bars (#bbb); the marks lie in the band just below them.
    """
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(png).convert("RGB")).astype(int)
    bars = np.all(pixels == (187, 187, 187), axis=2)
    rows = np.flatnonzero(bars.sum(axis=1) > 100)
    assert len(rows), "no timeline painted"
    columns = np.flatnonzero(bars[rows.min() : rows.max() + 1].any(axis=0))
    left, right = columns.min(), columns.max()
    band = pixels[rows.max() + 1 : rows.max() + 45]
    found = {}
    for status, colour in colours.items():
        rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
        mask = np.all(band == rgb, axis=2)
        painted_rows = np.flatnonzero(mask.any(axis=1))
        # the lower half of the dots only: a corrected chapter's line comes down to their tops
        xs = np.flatnonzero(mask[painted_rows.max() - 6 :].any(axis=0)) if len(painted_rows) else np.array([], dtype=int)
        clusters = np.split(xs, np.flatnonzero(np.diff(xs) > 3) + 1) if len(xs) else []
        found[status] = [round(float((c.mean() - left) / (right - left)), 3) for c in clusters if len(c) >= 6]
    return found


def driven(download_dir: Path | None = None, size: str = "1280,900", phone_width: int | None = None):
    """Chromium driven through chromedriver (Debian's chromium-driver), for clicking and typing in a
    page; `phone_width`: as a phone of that CSS width (the page's viewport meta applies)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    driver_path = shutil.which("chromedriver")
    assert driver_path, "chromedriver is not installed (make test installs Debian's chromium-driver: scripts/ensure-chromium)"
    options = webdriver.ChromeOptions()
    options.binary_location = executable()
    for flag in FLAGS:
        if not flag.startswith(("--enable-logging", "--v=")):
            options.add_argument(flag)
    options.add_argument(f"--window-size={size}")
    if phone_width:
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": phone_width, "height": 844, "pixelRatio": 2}})
    options.add_argument("--autoplay-policy=no-user-gesture-required")
    if download_dir is not None:
        options.add_experimental_option("prefs", {"download.default_directory": str(download_dir), "download.prompt_for_download": False})
    return webdriver.Chrome(service=Service(driver_path), options=options)
