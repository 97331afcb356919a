"""X.report.html: one self-contained page to judge the verdicts — timeline, table, and a player.

No network and no external scripts: styles and script are inline, the audio is the MP3 beside the
page. Every text from shownotes or transcripts is escaped; the data for the script travels as JSON
in a non-executable block.
"""

from __future__ import annotations

import html
import json

from pipeline.timecode import format_precise

WIDTH, HEIGHT, MARGIN = 1000, 150, 12
COLOURS = {"verified": "#2e7d32", "corrected": "#c62828", "unverifiable": "#757575", "missing": "#ef6c00"}


def render(report: dict, *, activity: list[float], audio_href: str | None) -> str:
    e = html.escape
    duration = max(report["duration"], 0.001)
    counts = {status: sum(1 for c in report["chapters"] if c["status"] == status) for status in COLOURS}
    summary = " · ".join(f'<span class="badge {s}">{n} {s}</span>' for s, n in counts.items() if n)
    offset = f"global offset {report['offset']:+.1f} s" if report.get("offset") else "no global offset"
    rows = "\n".join(_row(number, chapter) for number, chapter in enumerate(report["chapters"], start=1))
    player = f'<audio id="player" controls preload="metadata" src="{e(audio_href, quote=True)}"></audio>' if audio_href else ""
    data = json.dumps([{"start": c["start"], "claimed": c["claimed"]} for c in report["chapters"]]).replace("</", "<\\/")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chapters: {e(report["audio"])}</title>
<style>{_STYLE}</style></head>
<body>
<header><h1>{e(report["audio"])}</h1>
<p>{format_precise(duration)} · language {e(str(report.get("language")))} · model {e(str(report.get("model")))} · {e(offset)} · tolerance {report.get("tolerance", 2.0):g} s</p>
<p>{summary}</p></header>
{player}
<figure>{_timeline(report["chapters"], activity, duration)}
<figcaption>Grey: speech and sound. Hollow marks: times in the shownotes; filled: times published; a line joins a corrected chapter to where its words are.</figcaption></figure>
<table><thead><tr><th>#</th><th>Chapter</th><th>Status</th><th>Shownotes</th><th>Published</th><th>Δ s</th><th>Confidence</th><th>Evidence (transcript)</th></tr></thead>
<tbody>
{rows}
</tbody></table>
<script type="application/json" id="chapters-data">{data}</script>
<script>{_SCRIPT}</script>
</body></html>
"""


def _row(number: int, chapter: dict) -> str:
    e = html.escape
    status = chapter["status"]
    delta = f"{chapter['delta']:+.1f}" if chapter["delta"] else "0"
    return (
        f'<tr class="chapter {status}" data-index="{number - 1}" tabindex="0">'
        f"<td>{number}</td><td>{e(chapter['title'])}</td><td><span class=\"badge {status}\">{status}</span></td>"
        f"<td>{format_precise(chapter['claimed'])}</td><td>{format_precise(chapter['start'])}</td><td>{delta}</td>"
        f"<td>{chapter['confidence']:.2f}</td><td class=\"evidence\">{e(chapter['evidence'])}{_signals(chapter)}</td></tr>"
    )


def _signals(chapter: dict) -> str:
    """Which signals decided the verdict, under its evidence."""
    found = chapter.get("signals")
    return f'<div class="signals">{html.escape(found["decided_by"])}</div>' if found else ""


def _timeline(chapters: list[dict], activity: list[float], duration: float) -> str:
    x = lambda seconds: round(MARGIN + min(max(seconds / duration, 0.0), 1.0) * (WIDTH - 2 * MARGIN), 1)  # noqa: E731
    parts = [f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="timeline of the episode">']
    bar = (WIDTH - 2 * MARGIN) / max(len(activity), 1)
    for index, level in enumerate(activity):
        height = round(level * 60, 1)
        parts.append(f'<rect x="{round(MARGIN + index * bar, 1)}" y="{round(75 - height / 2, 1)}" width="{round(bar, 2)}" height="{height}" fill="#bbb"/>')
    for index, chapter in enumerate(chapters):
        colour = COLOURS[chapter["status"]]
        claimed, start = x(chapter["claimed"]), x(chapter["start"])
        title = html.escape(f"{chapter['title']} ({chapter['status']})")
        if chapter["status"] == "corrected":
            parts.append(f'<line x1="{claimed}" y1="28" x2="{start}" y2="122" stroke="{colour}" stroke-width="2"/>')
        parts.append(f'<circle cx="{claimed}" cy="20" r="6" fill="none" stroke="{colour}" stroke-width="2"><title>{title}</title></circle>')
        parts.append(
            f'<circle class="mark" data-index="{index}" cx="{start}" cy="130" r="7" fill="{colour}"><title>{title}</title></circle>'
        )
    for seconds in range(0, int(duration) + 1, _tick(duration)):
        parts.append(f'<text x="{x(seconds)}" y="148" font-size="10" fill="#555">{format_precise(seconds)[:8]}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _tick(duration: float) -> int:
    for step in (10, 30, 60, 120, 300, 600, 900, 1800):
        if duration / step <= 10:
            return step
    return 3600


_STYLE = """
body{font:15px/1.4 system-ui,sans-serif;margin:2rem;color:#222;max-width:1100px}
h1{font-size:1.4rem;margin:0} header p{margin:.3rem 0;color:#444}
.badge{padding:.1rem .45rem;border-radius:.6rem;color:#fff;font-size:.8rem;white-space:nowrap}
.badge.verified{background:#2e7d32}.badge.corrected{background:#c62828}.badge.unverifiable{background:#757575}.badge.missing{background:#ef6c00}
audio{width:100%;margin:1rem 0} svg{width:100%;height:auto;border:1px solid #ddd;background:#fafafa}
figcaption{font-size:.8rem;color:#555} table{border-collapse:collapse;width:100%;margin-top:1rem}
th,td{border-bottom:1px solid #e3e3e3;padding:.35rem .4rem;text-align:left;vertical-align:top}
tr.chapter{cursor:pointer} tr.chapter:hover,tr.chapter.playing{background:#fff7d6}
tr.corrected td:nth-child(5){color:#c62828;font-weight:600} tr.missing td:nth-child(2){color:#ef6c00}
td.evidence{color:#555;font-style:italic;max-width:28rem} circle.mark{cursor:pointer}
.signals{font-style:normal;font-size:.75rem;color:#777;margin-top:.2rem}
"""

_SCRIPT = """
(function () {
  var chapters = JSON.parse(document.getElementById('chapters-data').textContent);
  var player = document.getElementById('player');
  function play(index) {
    document.querySelectorAll('tr.chapter').forEach(function (row) {
      row.classList.toggle('playing', Number(row.dataset.index) === index);
    });
    if (!player) { return; }
    player.currentTime = chapters[index].start;
    var started = player.play();
    if (started && started.catch) { started.catch(function () {}); }
  }
  document.querySelectorAll('[data-index]').forEach(function (element) {
    element.addEventListener('click', function () { play(Number(element.dataset.index)); });
    element.addEventListener('keydown', function (event) { if (event.key === 'Enter') { play(Number(element.dataset.index)); } });
  });
  document.body.dataset.ready = 'yes';
})();
"""
