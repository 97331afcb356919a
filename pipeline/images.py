"""Chapter images: only PNG or JPEG, of a size players accept, found by chapter number in a folder."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import InputError

MAX_IMAGE_BYTES = 512 * 1024  # Apple and AntennaPod load chapter art eagerly; keep the tag small
_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
_SUFFIXES = (".jpg", ".jpeg", ".png")


def mime_type(data: bytes, source: str) -> str:
    """The MIME type of a valid chapter image; InputError naming `source` otherwise."""
    for magic, mime in _SIGNATURES.items():
        if data.startswith(magic):
            if len(data) > MAX_IMAGE_BYTES:
                raise InputError(f"{source}: image is {len(data) // 1024} KiB, chapter images may be at most {MAX_IMAGE_BYTES // 1024} KiB")
            return mime
    raise InputError(f"{source}: not a PNG or JPEG image")


def from_folder(folder: Path, chapter_count: int) -> dict[int, tuple[bytes, str]]:
    """Images named by chapter number (1.jpg, 02.png, …; 1 is the first chapter in the shownotes)."""
    if not folder.is_dir():
        raise InputError(f"{folder}: no such image folder")
    images: dict[int, tuple[bytes, str]] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in _SUFFIXES or not path.stem.isdigit():
            continue
        number = int(path.stem)
        if not 1 <= number <= chapter_count:
            raise InputError(f"{path}: there is no chapter {number} (the shownotes have {chapter_count})")
        if number in images:
            raise InputError(f"{path}: a second image for chapter {number}")
        data = path.read_bytes()
        images[number] = (data, mime_type(data, str(path)))
    return images
