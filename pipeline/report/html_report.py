"""X.report.html, and the review desk built on it: one page to judge the verdicts — timeline,
table, transcript and a player — and, served by `chapters review`, to fix and save them.

No network and no external scripts: styles and script are inline (page.css, page.js beside this
module), the audio is the MP3 beside the page (or the review server's). Every text from shownotes
or transcripts is escaped; the data for the script travels as JSON in a non-executable block, and
the script puts it into the page as text, never as markup. The table and timeline are rendered
here too, so that the page reads without its script.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from importlib import resources

from pipeline.model import Word
from pipeline.timecode import format_precise

WIDTH, HEIGHT, MARGIN = 1000, 150, 12
COLOURS = {"verified": "#2e7d32", "corrected": "#c62828", "unverifiable": "#757575", "missing": "#ef6c00", "confirmed": "#1565c0",
           "placed": "#00796b", "proposed": "#6a1b9a"}
KEYS = (
    ("Space", "play / pause"), ("↓ or j", "next chapter"), ("↑ or k", "previous chapter"), ("p", "play the chapter from its start"),
    ("[", "nudge the chapter 0.5 s earlier"), ("]", "nudge it 0.5 s later"), ("h", "start the chapter in the pause before the picked word"),
    ("a", "add a chapter at the picked word"), ("Ctrl+Z", "undo"), ("Ctrl+S", "save"),
)


def render(
    report: dict, *, activity: list[float], audio_href: str | None, words: Sequence[Word] = (), chapters: list[dict] | None = None,
    review: dict | None = None, nonce: str | None = None,
) -> str:
    """The page. `chapters`: the page's chapter records (`page_chapters` by default); `review`:
    {"save": URL, "token": …} to make it the review desk; `nonce`: for the server's CSP."""
    e = html.escape
    duration = max(report["duration"], 0.001)
    records = chapters if chapters is not None else page_chapters(report)
    counts = {status: sum(1 for c in records if c["status"] == status) for status in COLOURS}
    summary = " · ".join(f'<span class="badge {s}">{n} {s}</span>' for s, n in counts.items() if n)
    offset = f"global offset {report['offset']:+.1f} s" if report.get("offset") else "no global offset"
    rows = "\n".join(_row(number, chapter) for number, chapter in enumerate(records, start=1))
    player = f'<audio id="player" controls preload="metadata" src="{e(audio_href, quote=True)}"></audio>' if audio_href else ""
    stem = report["audio"].rsplit(".", 1)[0]
    data = {
        "duration": duration, "chapters": records, "words": [[w.text.strip(), round(w.start_s, 3), round(w.end_s, 3)] for w in words],
        "colours": COLOURS, "review": review, "export_name": f"{stem}.chapters.json",
    }
    # as Django's json_script does: no <, > or & in the block, so no text can end it or look like markup
    script_data = json.dumps(data, ensure_ascii=False).translate({ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"})
    attribute = f' nonce="{e(nonce, quote=True)}"' if nonce else ""
    keys = " · ".join(f"<kbd>{e(key)}</kbd> {e(what)}" for key, what in KEYS)
    transcript = '<section id="transcript"><h2>Transcript</h2><div id="transcript-words"></div></section>' if words else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>{"Review" if review else "Chapters"}: {e(report["audio"])}</title>
<style{attribute}>{_asset("page.css")}</style></head>
<body>
<header><h1>{e(report["audio"])}</h1>
<p>{format_precise(duration)} · language {e(str(report.get("language")))} · model {e(str(report.get("model")))} · {e(offset)} · tolerance {report.get("tolerance", 2.0):g} s</p>
<p>{summary}</p></header>
<div id="toolbar"><button type="button" id="save" class="primary review-only" disabled>Save</button>
<button type="button" id="undo" class="review-only" disabled>Undo</button>
<button type="button" id="add" class="review-only">Add chapter</button>
<button type="button" id="export">Export chapters</button> <span id="status-line"></span></div>
{player}
<figure>{_timeline(records, activity, duration)}
<figcaption>Grey: speech and sound. Hollow marks: times in the shownotes; filled: times published; a line joins a corrected chapter to where its words are.<span class="review-only"> Drag a filled mark to move its chapter.</span></figcaption></figure>
<div id="attention"></div>
<div class="desk">
<table id="chapters"><thead><tr><th>#</th><th>Chapter</th><th>Status</th><th>Published</th><th>Evidence (transcript)</th></tr></thead>
<tbody>
{rows}
</tbody></table>
{transcript}
</div>
<p id="keys"><strong>Keys:</strong> {keys}.<span class="review-only"> Click a word to hear it and pick it; a chapter's buttons nudge it, start it at the picked word, accept or reject a correction.</span></p>
<script type="application/json" id="page-data">{script_data}</script>
<script{attribute}>{_asset("page.js")}</script>
</body></html>
"""


def page_chapters(report: dict) -> list[dict]:
    """The page's chapter records from a report's chapters (nothing decided by hand yet)."""
    return [
        {
            "title": c["title"], "start": c["start"], "claimed": c["claimed"], "status": c["status"], "confidence": c["confidence"],
            "evidence": c["evidence"], "decided_by": (c.get("signals") or {}).get("decided_by", ""), "source": index,
            "shownote_title": c["title"], "start_set": False, "title_set": False, "aligned_status": c["status"], "aligned_start": c["start"],
        }
        for index, c in enumerate(report["chapters"])
    ]


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _row(number: int, chapter: dict) -> str:
    """A chapter's row as the page's script renders it (page.js, renderRows), for reading without the script."""
    e = html.escape
    status = chapter["status"]
    if chapter["claimed"] is None:  # as page.js, shownoteTime
        shownotes = "added" if chapter["source"] is None else "proposed from the speech" if chapter["aligned_status"] == "proposed" else "no time in the shownotes"
    else:
        moved = chapter["start"] - chapter["claimed"]
        shownotes = f'shownotes {format_precise(chapter["claimed"])}' + (f" ({moved:+.1f} s)" if abs(moved) >= 0.05 else "")
    signals = f'<div class="signals">{e(chapter["decided_by"])}</div>' if chapter.get("decided_by") else ""
    return (
        f'<tr class="chapter {status}" data-index="{number - 1}" tabindex="0">'
        f'<td class="num">{number}</td><td class="title" data-label="Chapter">{e(chapter["title"])}</td>'
        f'<td data-label="Status"><span class="badge {status}">{status}</span><div class="was">{chapter["confidence"]:.2f}</div></td>'
        f'<td class="time" data-label="Published"><span class="published">{format_precise(chapter["start"])}</span><div class="was">{shownotes}</div></td>'
        f'<td class="evidence" data-label="Evidence">{e(chapter["evidence"])}{signals}</td></tr>'
    )


def _timeline(chapters: list[dict], activity: list[float], duration: float) -> str:
    x = lambda seconds: round(MARGIN + min(max(seconds / duration, 0.0), 1.0) * (WIDTH - 2 * MARGIN), 1)  # noqa: E731
    parts = [f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="timeline of the episode">']
    bar = (WIDTH - 2 * MARGIN) / max(len(activity), 1)
    for index, level in enumerate(activity):
        height = round(level * 60, 1)
        parts.append(f'<rect x="{round(MARGIN + index * bar, 1)}" y="{round(75 - height / 2, 1)}" width="{round(bar, 2)}" height="{height}" fill="#bbb"/>')
    for seconds in range(0, int(duration) + 1, _tick(duration)):
        parts.append(f'<text x="{x(seconds)}" y="148" font-size="10" fill="#555">{format_precise(seconds)[:8]}</text>')
    parts.append('<g id="marks">')
    for index, chapter in enumerate(chapters):
        colour = COLOURS[chapter["status"]]
        start = x(chapter["start"])
        title = html.escape(f"{chapter['title']} ({chapter['status']})")
        if chapter["claimed"] is not None:
            claimed = x(chapter["claimed"])
            if abs(chapter["start"] - chapter["claimed"]) > 0.05:
                parts.append(f'<line x1="{claimed}" y1="28" x2="{start}" y2="122" stroke="{colour}" stroke-width="2"/>')
            parts.append(f'<circle class="claimed" cx="{claimed}" cy="20" r="6" fill="none" stroke="{colour}" stroke-width="2"><title>{title}</title></circle>')
        parts.append(f'<circle class="mark" data-index="{index}" cx="{start}" cy="130" r="7" fill="{colour}"><title>{title}</title></circle>')
    parts.append("</g></svg>")
    return "".join(parts)


def _tick(duration: float) -> int:
    for step in (10, 30, 60, 120, 300, 600, 900, 1800):
        if duration / step <= 10:
            return step
    return 3600


