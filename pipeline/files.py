"""The one way outputs reach the disk: a temporary file beside the target, synced, then renamed."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pipeline.errors import OutputError


def ensure_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create output folder ({exc.strerror or exc})") from None
    if not os.access(folder, os.W_OK) or not folder.stat().st_mode & 0o222:  # root ignores the bits; we do not
        raise OutputError(f"{folder}: output folder is not writable")


def write_cache(path: Path, data: bytes) -> None:
    """Write a cache entry if we can: one that cannot be written only costs time on the next run."""
    try:
        write_bytes(path, data)
    except OutputError:
        pass


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> None:
    ensure_folder(path.parent)
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path.parent}: cannot write here ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
