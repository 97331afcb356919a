"""What a batch works on: the episodes behind each SOURCE — a folder, a list of MP3s, or a podcast feed.

A folder is searched recursively for X.mp3 with shownotes beside it (X.txt, .md or .html), as
`make chapters` pairs them (an MP3 without shownotes is skipped and counted). A list is a text
file of MP3 paths, one per line (relative to the list; `#` starts a comment). A feed is RSS, a
file or an http(s) URL (parsed by feedparser): each item's audio enclosure is the episode, its
description (HTML) the shownotes, and the chapters its `podcast:chapters` link names are verified
as well. Feed episodes are fetched into the batch's download folder before the work starts; one
that cannot be fetched fails alone.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline import files, outputs
from pipeline.errors import InputError

FEED_TIMEOUT_S = 60


@dataclass(frozen=True)
class Job:
    """One episode of a batch: where it comes from and what `run` needs."""

    key: str  # unique in the batch; the episode's output folder is OUT/key
    audio: Path
    shownotes: Path | None  # None: the shownotes could not be found (the episode fails with that line)
    chapters: Path | None = None  # a feed item's Podcasting 2.0 chapters, fetched: verified as well
    item: str | None = None  # a feed item's audio, as an absolute URL: how feed_out.py finds the item again
    problem: str | None = None  # why it cannot be worked on (an enclosure that could not be fetched): it fails alone


@dataclass(frozen=True)
class Found:
    jobs: tuple[Job, ...]
    skipped: tuple[Path, ...] = ()  # MP3s in folders without shownotes


def gather(sources: Sequence[str], downloads: Path, outside: Path | None = None, feeds_read: Mapping[str, str] | None = None) -> Found:
    """Every episode behind the sources, each once (a second mention of one file is dropped);
    nothing in the folder `outside` (the batch's own output, whose X.txt is a transcript) counts.
    `feeds_read`: the text of feed sources already read (not fetched again: the same feed throughout)."""
    jobs: list[Job] = []
    skipped: list[Path] = []
    feeds_read = feeds_read or {}
    for source in sources:
        if source in feeds_read or re.match(r"https?://", source):
            jobs += _feed(source, downloads, feeds_read.get(source))
            continue
        path = Path(source)
        if path.is_dir():
            found = _folder(path, outside)
            jobs += found.jobs
            skipped += found.skipped
        elif path.is_file():
            jobs += _feed(source, downloads) if _looks_like_feed(path) else _listed(path)
        else:
            raise InputError(f"{source}: no such folder, file or feed URL")
    return Found(_unique(jobs), tuple(skipped))


def _folder(folder: Path, outside: Path | None) -> Found:
    jobs, skipped = [], []
    excluded = outside.resolve() if outside is not None else None
    for mp3 in sorted(p for p in folder.rglob("*") if p.suffix.lower() == ".mp3" and p.is_file()):
        if excluded is not None and mp3.resolve().is_relative_to(excluded):
            continue
        beside = outputs.shownotes_beside(mp3)
        if not beside:
            skipped.append(mp3)
            continue
        relative = mp3.relative_to(folder).with_suffix("")
        jobs.append(Job(_slug("-".join(relative.parts)), mp3, beside[0]))
    return Found(tuple(jobs), tuple(skipped))


def _listed(listing: Path) -> list[Job]:
    try:
        lines = listing.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{listing}: cannot read the list ({exc})") from None
    jobs = []
    for line in lines:
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        mp3 = (listing.parent / entry).resolve() if not Path(entry).is_absolute() else Path(entry)
        beside = outputs.shownotes_beside(mp3)
        jobs.append(Job(_slug(mp3.stem), mp3, beside[0] if beside else None))
    return jobs


def _looks_like_feed(path: Path) -> bool:
    with path.open("rb") as f:
        head = f.read(2048).lstrip().lower()
    return head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head


def _feed(source: str, downloads: Path, text: str | None = None) -> list[Job]:
    """The feed's episodes, their audio fetched (once: a file already fetched at its size is kept);
    `text`: the feed as already read from `source`."""
    import feedparser

    parsed = feedparser.parse(text if text is not None else source, request_headers={"User-Agent": "chapters-batch"})
    if parsed.get("bozo") and not parsed.entries:
        raise InputError(f"{source}: not a podcast feed ({parsed.get('bozo_exception')})")
    files.ensure_folder(downloads)
    jobs = []
    for number, item in enumerate(parsed.entries, start=1):
        enclosure = next((link for link in item.get("links", []) if link.get("rel") == "enclosure" and "audio" in link.get("type", "audio")), None)
        if enclosure is None:
            continue
        url = urllib.parse.urljoin(feed_url(source), enclosure["href"])
        identity = (item.get("id") or "").strip() or url  # the guid (as feedparser resolves it), else the audio's URL
        key = f"{_slug(item.get('title') or f'episode {number}')}-{hashlib.sha256(identity.encode()).hexdigest()[:8]}"  # the identity whole, however long the title
        audio, notes = downloads / f"{key}.mp3", downloads / f"{key}.html"
        description = (item.get("content") or [{}])[0].get("value") or item.get("summary") or item.get("description") or ""
        files.write_text(notes, description)
        chapters_url = _chapters_link(item)
        chapters = downloads / f"{key}.chapters.json" if chapters_url else None
        try:
            _fetch(url, audio, int(enclosure.get("length") or 0))
            if chapters_url:
                _fetch(urllib.parse.urljoin(url, chapters_url), chapters, 0)
        except InputError as exc:
            jobs.append(Job(key, audio, notes, chapters, url, problem=str(exc)))
            continue
        jobs.append(Job(key, audio, notes, chapters, url))
    return jobs


def feed_url(source: str) -> str:
    """What relative links in a feed are relative to."""
    return source if re.match(r"https?://", source) else Path(source).resolve().as_uri()


def _chapters_link(item) -> str | None:
    chapters = item.get("podcast_chapters")
    return chapters.get("url") if isinstance(chapters, dict) else None


def _fetch(url: str, target: Path, length: int) -> None:
    """`url` into `target` (whole or not at all); a file already there at the announced length is kept."""
    if target.is_file() and length and target.stat().st_size == length:
        return
    local = not re.match(r"https?://", url)
    if local:
        source = Path(urllib.request.url2pathname(urllib.parse.urlparse(url).path)) if url.startswith("file:") else Path(url)
        if not source.is_file():
            raise InputError(f"{url}: not there")
    with files.replacing(target) as partial:
        try:
            if local:
                shutil.copyfile(source, partial)
            else:
                with urllib.request.urlopen(urllib.request.Request(url, headers={"User-Agent": "chapters-batch"}), timeout=FEED_TIMEOUT_S) as response, partial.open("wb") as out:
                    shutil.copyfileobj(response, out, 1 << 20)
        except OSError as exc:
            raise InputError(f"{url}: cannot fetch it ({exc})") from None


def _slug(text: str) -> str:
    slug = re.sub(r"[^\w.-]+", "-", text, flags=re.UNICODE).strip("-.")[:80]
    return slug or "episode"


def _unique(jobs: Iterable[Job]) -> tuple[Job, ...]:
    """One job per audio file; keys made unique by a counter where two episodes share a name."""
    seen: set[Path] = set()
    keys: dict[str, int] = {}
    unique = []
    for job in jobs:
        where = job.audio.resolve()
        if where in seen:
            continue
        seen.add(where)
        count = keys.get(job.key, 0)
        keys[job.key] = count + 1
        unique.append(job if not count else replace(job, key=f"{job.key}-{count + 1}"))
    return tuple(unique)
