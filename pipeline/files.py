"""The one way outputs reach the disk: a temporary file beside the target, synced, then renamed.

Temporary files are named `.NAME.PID.tmp`, so that one left by a killed run is recognised (its
process is gone) and removed by the next write to the same target.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import OutputError


def ensure_folder(folder: Path) -> None:
    """Create `folder` if needed and make sure we may write into it (before any long work starts)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create output folder ({exc.strerror or exc})") from None
    if not folder.is_dir():
        raise OutputError(f"{folder}: is a file, not a folder")
    if not os.access(folder, os.W_OK) or not folder.stat().st_mode & 0o222:  # root ignores the bits; we do not
        raise OutputError(f"{folder}: output folder is not writable")


def is_writable(path: Path) -> bool:
    # root may write anything; a file without write bits is still meant to be left alone
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)


@contextlib.contextmanager
def replacing(destination: Path) -> Iterator[Path]:
    """A temporary path beside `destination` for the caller to fill; when the block ends without
    an error it is synced and renamed over `destination` (keeping its permissions), else removed."""
    ensure_folder(destination.parent)
    if destination.exists() and not is_writable(destination):
        raise OutputError(f"{destination}: file is read-only")
    remove_stale_temps(destination)
    temp = temp_name(destination, os.getpid())
    try:
        yield temp
        _fsync(temp)
        if destination.exists():
            os.chmod(temp, destination.stat().st_mode & 0o7777)
        os.replace(temp, destination)
        _fsync(destination.parent)
    except OSError as exc:
        raise OutputError(f"{destination}: cannot write ({exc.strerror or exc})") from None
    finally:
        temp.unlink(missing_ok=True)


def write_bytes(path: Path, data: bytes) -> None:
    with replacing(path) as temp:
        temp.write_bytes(data)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_cache(path: Path, data: bytes) -> None:
    """Write a cache entry if we can: one that cannot be written only costs time on the next run."""
    try:
        write_bytes(path, data)
    except OutputError:
        pass


def temp_name(destination: Path, pid: int) -> Path:
    return destination.with_name(f".{destination.name}.{pid}.tmp")


def remove_stale_temps(destination: Path) -> None:
    """Temporary files left by a run that was killed (its process is gone)."""
    for temp in destination.parent.glob(f".{glob.escape(destination.name)}.*.tmp"):
        pid = temp.name[len(destination.name) + 2 : -4]
        if pid.isdigit() and not _alive(int(pid)):
            temp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync(path: Path) -> None:
    """Flush a file, or a folder's entries; some filesystems cannot sync folders (the rename is still atomic)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        if not path.is_dir():
            raise
    finally:
        os.close(fd)


@contextlib.contextmanager
def exclusive(path: Path, locks_folder: Path, *, wait_s: float = 0.0, busy: str = "another chapters run is working on it") -> Iterator[None]:
    """Hold a lock named after `path` for the duration of the block; refuse (OutputError) when another
    process holds it longer than `wait_s`. The lock file lives in `locks_folder`, never beside a
    producer's recording; the operating system releases it when a process dies."""
    from filelock import FileLock, Timeout

    ensure_folder(locks_folder)
    name = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:32]
    lock = FileLock(locks_folder / f"{name}.lock", timeout=wait_s)
    try:
        lock.acquire()
    except Timeout:
        raise OutputError(f"{path}: {busy}; try again when it has finished") from None
    except OSError as exc:
        raise OutputError(f"{locks_folder}: cannot take a lock ({exc.strerror or exc})") from None
    try:
        yield
    finally:
        lock.release()
