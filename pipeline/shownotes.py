"""Chapter lists from shownotes: plain text, Markdown or HTML (an RSS item's description).

A chapter line starts with a time, optionally after a bullet and inside brackets, then an optional
separator and the title: `0:10 – Intro`, `- [12:30] Title`, `1:02:03 Title`, `**(5:25)** Title`.
Every other line is description and ignored. Titles are kept verbatim.

Shownotes without any chapter time may still list the chapters: then the items of their list
(`- Wie lange werden Neulinge geschult?`, `1. Intro`, an HTML <li>) are the chapters, in order,
without a time (claimed_s None), to be placed where each is said. With several lists (topics,
then links), the one with the most items that are not links.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from html.parser import HTMLParser

from pipeline import timecode
from pipeline.errors import ShownotesError
from pipeline.model import Chapter, ChapterMark

_BULLET = r"(?:[-*+•·‣▪►]\s+|\d{1,3}[.)]\s+)?"
_EMPHASIS = r"(?:\*\*|__|\*|_)?"
_CHAPTER_LINE = re.compile(
    rf"^\s*{_BULLET}{_EMPHASIS}(?P<open>[\[(])?"
    rf"(?P<time>{timecode.TIMECODE.pattern})"
    r"(?(open)[\])])"
    rf"{_EMPHASIS}"
    r"(?:\s*[–—\-:|·•]\s*|\s+)"
    r"(?P<title>\S.*?)\s*$"
)
_LIST_ITEM = re.compile(rf"^\s*{_BULLET.removesuffix('?')}(?P<title>\S.*?)\s*$")  # a bullet, not optional
_MARKDOWN_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<url><?https?://[^)\s]+>?)\)")
_BARE_URL = re.compile(r"\s*[(<]?(?P<url>https?://[^\s<>()]+)[)>]?\s*")
_BLOCK_TAGS = {"p", "br", "li", "div", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table"}


def parse(text: str, *, html: bool | None = None, untimed: bool = True) -> list[Chapter]:
    """All chapters in `text`, in the order written: the timed lines, else (`untimed`) the items
    of its list of titles. Raises ShownotesError when there are none.

    `html`: None guesses from the text; False reads tags as title text (YouTube lines, say).
    """
    is_html = _looks_like_html(text) if html is None else html
    lines = _lines(text, is_html)
    chapters = [c for number, line in enumerate(lines, start=1) if (c := _parse_line(_content(line), number))]
    if not chapters and untimed:
        chapters = _title_list(lines)
    if not chapters:
        listed = " or a list of titles ('- Title')" if untimed else ""
        raise ShownotesError(f"no chapter times found (expected lines such as '5:25 – Title'{listed})")
    return chapters


def parse_titles(text: str) -> list[Chapter]:
    """A file of titles, one per line (`--titles`): every line that is not blank, without its
    bullet and any time written before it; none has a time (each is placed where it is said)."""
    chapters = []
    for number, line in enumerate(_lines(text, _looks_like_html(text)), start=1):
        content = _content(line)
        timed = _CHAPTER_LINE.match(content)
        item = _LIST_ITEM.match(content)
        if chapter := _chapter(_unemphasised(timed["title"] if timed else item["title"] if item else content.strip()), None, number):
            chapters.append(chapter)
    if not chapters:
        raise ShownotesError("no titles (expected one title per line)")
    return chapters


def _title_list(lines: list[str]) -> list[Chapter]:
    """The items of the shownotes' list of chapters: of its lists (items on consecutive lines,
    blank lines between them allowed), the one with the most items that are not links."""
    lists: list[list[Chapter]] = []
    in_a_list = False
    for number, line in enumerate(lines, start=1):
        content = _content(line)
        item = _LIST_ITEM.match(content)
        if not item:
            in_a_list = in_a_list and not content.strip()  # prose ends a list, a blank line does not
        elif chapter := _chapter(_unemphasised(item["title"]), None, number):
            if not in_a_list:
                lists.append([])
            lists[-1].append(chapter)
            in_a_list = True
    return max(lists, key=lambda found: sum(c.url is None for c in found), default=[])


def _unemphasised(title: str) -> str:
    return re.sub(r"^(\*\*|__|\*|_)(.+)\1$", r"\2", title.strip()).strip()


def rewrite(text: str, new_times: dict[int, float]) -> str:
    """The producer's own shownotes with chapter times replaced, in the same style ("05:25", "[1:02:03]"),
    and a time put before each title listed without one ("- 5:25 – Title").

    `new_times` maps a chapter's line number to its new start. HTML is rewritten as its text lines.
    """
    is_html = _looks_like_html(text)
    lines = _lines(text, is_html)
    for line_no, seconds in new_times.items():
        line = lines[line_no - 1]
        content = _content(line)
        match = _CHAPTER_LINE.match(content)
        if match:
            start, end = match.span("time")
            lines[line_no - 1] = line[:start] + _same_style(match["time"], seconds) + line[end:]
        elif content.strip():  # a title listed without a time gets one, before it
            item = _LIST_ITEM.match(content)
            at = item.start("title") if item else len(line) - len(line.lstrip())
            lines[line_no - 1] = line[:at] + timecode.format_clock(seconds) + " – " + line[at:]
    return "\n".join(lines) if is_html else "".join(lines)


def listing(marks: Sequence[ChapterMark]) -> str:
    """Shownote chapter lines for chapters nobody wrote down: "0:00 – Title", one per line."""
    hours = bool(marks) and marks[-1].start_s >= 3600
    return "".join(f"{timecode.format_clock(m.start_s, always_hours=hours)} – {m.title}\n" for m in marks)


def _lines(text: str, is_html: bool) -> list[str]:
    """The one way shownotes are cut into numbered lines (parse and rewrite must agree): every line
    break Python knows (\\r, \\f, \\u2028, …), each plain-text line keeping its own ending."""
    return _html_to_lines(text) if is_html else text.splitlines(keepends=True)


def _content(line: str) -> str:
    """A line without its line break."""
    return (line.splitlines() or [""])[0]


def _same_style(original: str, seconds: float) -> str:
    parts = original.split(":")
    with_hours = len(parts) == 3 or seconds >= 3600
    formatted = timecode.format_clock(seconds, always_hours=with_hours)
    if len(parts[0]) == 2 and len(formatted.split(":")[0]) == 1:
        formatted = "0" + formatted  # keep "05:25" zero-padded
    return formatted


def problems(chapters: list[Chapter]) -> list[str]:
    """What looks wrong in a chapter list but can be handled: times out of order or repeated."""
    found = []
    for before, after in zip(chapters, chapters[1:]):
        if before.claimed_s is None or after.claimed_s is None:
            continue
        where = f"line {after.line_no}" if after.line_no else f"'{after.title}'"
        if after.claimed_s < before.claimed_s:
            found.append(f"{where}: time goes back ({after.claimed_s:g} s after {before.claimed_s:g} s); the list order is taken as the episode's")
        elif after.claimed_s == before.claimed_s:
            found.append(f"{where}: same time as the chapter before ({after.claimed_s:g} s)")
    return found


def decode(data: bytes) -> str:
    """Shownote bytes as text: UTF-8 (with or without BOM), else Windows-1252, else Latin-1."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _parse_line(line: str, line_no: int) -> Chapter | None:
    match = _CHAPTER_LINE.match(line)
    if not match:
        return None
    try:
        seconds = timecode.from_match(timecode.TIMECODE.fullmatch(match["time"]))
    except ValueError:
        return None
    return _chapter(match["title"], seconds, line_no)


def _chapter(text: str, claimed_s: float | None, line_no: int) -> Chapter | None:
    """The chapter a line's title text names (a link on it becomes its URL); None when only a link is left."""
    title, url = _split_link(text)
    return Chapter(title=title, claimed_s=claimed_s, url=url, line_no=line_no) if title else None


def _split_link(title: str) -> tuple[str, str | None]:
    """A Markdown link or a bare URL on the line becomes the chapter's link, not part of its title."""
    link = _MARKDOWN_LINK.search(title)
    if link:
        title = (title[: link.start()] + link["text"] + title[link.end() :]).strip()
        return title, link["url"].strip("<>")
    bare = _BARE_URL.search(title)
    if bare:
        rest = (title[: bare.start()] + " " + title[bare.end() :]).strip()
        rest = re.sub(r"\s*[–—\-:|]\s*$", "", rest)  # a separator left dangling before the URL
        return rest, bare["url"]
    return title, None


def _looks_like_html(text: str) -> bool:
    return bool(re.search(r"</?(p|br|li|ul|ol|div|a|span|strong|b|em|h\d)\b[^>]*>", text, re.IGNORECASE))


class _TextWithLinks(HTMLParser):
    """Visible text, one line per block element (a list item as "- item"); a link's href is kept as a Markdown link."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._href: str | None = None
        self._link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n- " if tag == "li" else "\n")  # a list item stays one: it may be an untimed chapter
        elif tag == "a":
            self._href = dict(attrs).get("href")
            self._link_text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag == "a" and self._href is not None:
            text = "".join(self._link_text)
            is_web = self._href.startswith(("http://", "https://"))
            self.parts.append(f"[{text}]({self._href})" if is_web and text.strip() else text)
            self._href = None

    def handle_data(self, data: str) -> None:
        (self._link_text if self._href is not None else self.parts).append(data)


def _html_to_lines(text: str) -> list[str]:
    parser = _TextWithLinks()
    parser.feed(text)
    parser.close()
    return html.unescape("".join(parser.parts)).replace("\xa0", " ").splitlines()
