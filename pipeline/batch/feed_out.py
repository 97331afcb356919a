"""A copy of a batch's feed whose items point at what the batch wrote: `podcast:chapters` and
`podcast:transcript` (Podcasting 2.0), under --base-url, where OUT/ is published.

The feed is rewritten with ElementTree, its namespace prefixes kept; descriptions come out as
escaped text instead of CDATA (the same XML to every reader). An item the batch did not finish
keeps its tags as they were.
"""

from __future__ import annotations

import io
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from pipeline import outputs
from pipeline.batch import sources
from pipeline.errors import InputError

PODCAST = "https://podcastindex.org/namespace/1.0"
# (output kind, MIME type) of each transcript the feed announces
TRANSCRIPTS = (("transcript_p20", "application/json"), ("vtt", "text/vtt"), ("srt", "application/x-subrip"))


def rewrite(feed_text: str, source: str, done: Mapping[str, str], base_url: str) -> tuple[str, int]:
    """The feed with each finished item's chapters and transcripts linked; `done` maps an item's
    audio (its enclosure's absolute URL, as in sources.Job.item) to its episode key. Returns the
    text and the items linked."""
    namespaces = _prefixes(feed_text)
    for prefix, uri in namespaces.items():
        ET.register_namespace(prefix, uri)
    podcast = next((p for p, uri in namespaces.items() if uri == PODCAST), "podcast")
    ET.register_namespace(podcast, PODCAST)
    try:
        root = ET.fromstring(feed_text)
    except ET.ParseError as exc:
        raise InputError(f"{source}: cannot rewrite the feed ({exc})") from None
    base = base_url.rstrip("/") + "/"
    linked = 0
    for item in root.iter("item"):
        enclosure = item.find("enclosure")
        if enclosure is None or not enclosure.get("url"):
            continue
        key = done.get(urllib.parse.urljoin(sources.feed_url(source), enclosure.get("url")))
        if key is None:
            continue
        for old in item.findall(f"{{{PODCAST}}}chapters") + item.findall(f"{{{PODCAST}}}transcript"):
            item.remove(old)
        here = base + urllib.parse.quote(f"{key}/{key}")  # a feed's episode is fetched as KEY.mp3 and run into OUT/KEY/
        ET.SubElement(item, f"{{{PODCAST}}}chapters", {"url": here + outputs.SUFFIXES["chapters"], "type": "application/json+chapters"})
        for kind, mime in TRANSCRIPTS:
            ET.SubElement(item, f"{{{PODCAST}}}transcript", {"url": here + outputs.SUFFIXES[kind], "type": mime})
        linked += 1
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n", linked


def read(source: str) -> str:
    try:
        if source.startswith(("http://", "https://")):
            with urllib.request.urlopen(urllib.request.Request(source, headers={"User-Agent": "chapters-batch"}), timeout=sources.FEED_TIMEOUT_S) as response:
                return response.read().decode("utf-8")
        with open(source, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{source}: cannot read the feed ({exc})") from None


def _prefixes(feed_text: str) -> dict[str, str]:
    found = {}
    for _event, (prefix, uri) in ET.iterparse(io.StringIO(feed_text), events=("start-ns",)):
        if prefix:
            found.setdefault(prefix, uri)
    return found
