"""Episodes from folders, lists and feeds (feed audio served over HTTP on 127.0.0.1)."""

from __future__ import annotations

import shutil

import pytest

from conftest import make_mp3
from pipeline.batch import sources
from pipeline.errors import InputError

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:podcast="https://podcastindex.org/namespace/1.0"
     xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Grünzeug</title><itunes:author>Kemal</itunes:author>
<item><title>Folge 2: Beete &amp; Balkone</title><guid isPermaLink="false">gz-2</guid>
  <itunes:duration>00:00:05</itunes:duration>
  <enclosure url="{base}/two.mp3" length="{length}" type="audio/mpeg"/>
  <podcast:chapters url="{base}/two.chapters.json" type="application/json+chapters"/>
  <description><![CDATA[<p>Über Beete.</p><ul><li>0:00 Intro</li><li>0:02 <b>Wie gießt man richtig?</b></li></ul>]]></description>
</item>
<item><title>Folge 1</title><guid>gz-1</guid>
  <enclosure url="{base}/one.mp3" length="{length}" type="audio/mpeg"/>
  <content:encoded><![CDATA[<p>Kapitel</p><p>0:00 Intro<br/>0:03 Was wächst im Schatten?</p>]]></content:encoded>
</item>
<item><title>Nur Text</title><guid>gz-0</guid><description>kein Audio</description></item>
</channel></rss>
"""


def test_a_folder_pairs_mp3s_with_their_shownotes_recursively(tmp_path):
    (tmp_path / "s1").mkdir()
    make_mp3(tmp_path / "s1" / "ep.mp3", 1.0)
    (tmp_path / "s1" / "ep.md").write_text("0:00 Intro")
    make_mp3(tmp_path / "ep.mp3", 1.0)
    (tmp_path / "ep.txt").write_text("0:00 Intro")
    make_mp3(tmp_path / "alone.mp3", 1.0)
    found = sources.gather([str(tmp_path)], tmp_path / "dl")
    assert [(j.key, j.shownotes.name) for j in found.jobs] == [("ep", "ep.txt"), ("s1-ep", "ep.md")]
    assert found.skipped == (tmp_path / "alone.mp3",)


def test_a_list_names_mp3s_relative_to_itself_and_one_file_counts_once(tmp_path):
    make_mp3(tmp_path / "a.mp3", 1.0)
    (tmp_path / "a.txt").write_text("0:00 Intro")
    make_mp3(tmp_path / "b.mp3", 1.0)
    listing = tmp_path / "episodes.txt"
    listing.write_text("# back catalogue\na.mp3\n\nb.mp3  # no shownotes yet\n" + str(tmp_path / "a.mp3") + "\n")
    jobs = sources.gather([str(listing), str(listing)], tmp_path / "dl").jobs
    assert [(j.key, j.shownotes) for j in jobs] == [("a", tmp_path / "a.txt"), ("b", None)]


def test_two_episodes_with_one_name_get_two_keys(tmp_path):
    for show in ("x", "y"):
        (tmp_path / show).mkdir()
        make_mp3(tmp_path / show / "ep.mp3", 1.0)
        (tmp_path / show / "ep.txt").write_text("0:00 Intro")
    listing = tmp_path / "l.txt"
    listing.write_text("x/ep.mp3\ny/ep.mp3\n")
    assert [j.key for j in sources.gather([str(listing)], tmp_path / "dl").jobs] == ["ep", "ep-2"]


def test_a_feed_over_http_gives_its_audio_items_with_their_html_shownotes(served, tmp_path):
    root, base = served
    for name in ("one", "two"):
        make_mp3(root / f"{name}.mp3", 5.0)
    (root / "two.chapters.json").write_text('{"version": "1.2.0", "chapters": [{"startTime": 0, "title": "Intro"}]}')
    length = (root / "one.mp3").stat().st_size
    (root / "feed.xml").write_text(FEED.format(base=base, length=length), encoding="utf-8")
    downloads = tmp_path / "dl"
    jobs = sources.gather([f"{base}/feed.xml"], downloads).jobs
    assert [j.key[:-9] for j in jobs] == ["Folge-2-Beete-Balkone", "Folge-1"]  # the item without audio is no episode
    assert jobs[0].audio.read_bytes() == (root / "two.mp3").read_bytes()
    assert "<b>Wie gießt man richtig?</b>" in jobs[0].shownotes.read_text(encoding="utf-8")
    assert "Was wächst im Schatten?" in jobs[1].shownotes.read_text(encoding="utf-8")  # content:encoded
    assert jobs[0].chapters.read_text() == (root / "two.chapters.json").read_text() and jobs[1].chapters is None
    assert [j.item for j in jobs] == [f"{base}/two.mp3", f"{base}/one.mp3"]
    (root / "one.mp3").unlink()  # fetched once: a second gathering keeps the file it has
    assert sources.gather([f"{base}/feed.xml"], downloads).jobs == jobs


def test_a_feed_file_is_read_like_a_url(served, tmp_path):
    root, base = served
    make_mp3(root / "one.mp3", 5.0)
    shutil.copy(root / "one.mp3", root / "two.mp3")
    (root / "two.chapters.json").write_text("{}")
    feed = tmp_path / "feed.rss"
    feed.write_text(FEED.format(base=base, length=(root / "one.mp3").stat().st_size), encoding="utf-8")
    assert len(sources.gather([str(feed)], tmp_path / "dl").jobs) == 2


def test_an_enclosure_that_cannot_be_fetched_fails_its_episode_alone_with_one_clear_line(served, tmp_path):
    root, base = served
    make_mp3(root / "one.mp3", 5.0)
    feed = tmp_path / "feed.rss"
    feed.write_text(FEED.format(base=base, length=10), encoding="utf-8")
    two, one = sources.gather([str(feed)], tmp_path / "dl").jobs
    assert two.problem.startswith(f"{base}/two.mp3: cannot fetch it (HTTP Error 404") and "\n" not in two.problem
    assert one.problem is None and one.audio.is_file()
    assert not list((tmp_path / "dl").glob("*.part"))


def test_what_is_no_source_is_bad_input(tmp_path):
    with pytest.raises(InputError, match="no such folder, file or feed URL"):
        sources.gather([str(tmp_path / "nowhere")], tmp_path / "dl")


def test_the_feed_copy_links_each_finished_item_to_its_chapters_and_transcripts(tmp_path):
    from xml.etree import ElementTree as ET

    from pipeline.batch import feed_out

    text = FEED.format(base="https://cdn.example/audio", length=100)
    copy, linked = feed_out.rewrite(text, "https://cdn.example/feed.xml", {"https://cdn.example/audio/two.mp3": "Folge-2"}, "https://chapters.example/out/")
    assert linked == 1
    root = ET.fromstring(copy)
    ns = {"podcast": feed_out.PODCAST, "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd"}
    first, second, _third = root.iter("item")
    assert [(c.get("url"), c.get("type")) for c in first.findall("podcast:chapters", ns)] == [
        ("https://chapters.example/out/Folge-2/Folge-2.chapters.json", "application/json+chapters")]  # the feed's own link replaced
    assert [t.get("type") for t in first.findall("podcast:transcript", ns)] == ["application/json", "text/vtt", "application/x-subrip"]
    assert not second.findall("podcast:chapters", ns)  # not finished: as it was
    assert "<b>Wie gießt man richtig?</b>" in first.findtext("description")  # the description's HTML, as text
    assert 'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"' in copy and "<itunes:author>Kemal</itunes:author>" in copy  # prefixes kept


def test_the_batchs_own_output_inside_a_source_folder_is_no_source(tmp_path):
    make_mp3(tmp_path / "ep.mp3", 1.0)
    (tmp_path / "ep.txt").write_text("0:00 Intro")
    (tmp_path / "out" / "ep").mkdir(parents=True)
    make_mp3(tmp_path / "out" / "ep" / "ep.mp3", 1.0)
    (tmp_path / "out" / "ep" / "ep.txt").write_text("Hallo und willkommen")  # a transcript, not shownotes
    assert [j.key for j in sources.gather([str(tmp_path)], tmp_path / "out" / ".downloads", outside=tmp_path / "out").jobs] == ["ep"]


def test_two_feed_items_with_one_long_title_get_two_keys(served, tmp_path):
    root, base = served
    make_mp3(root / "one.mp3", 5.0)
    shutil.copy(root / "one.mp3", root / "two.mp3")
    long_title = "Folge über Beete " * 10  # longer than a key's title part
    feed = tmp_path / "feed.rss"
    feed.write_text(FEED.format(base=base, length=(root / "one.mp3").stat().st_size).replace("Folge 2: Beete &amp; Balkone", long_title)
                    .replace("<title>Folge 1</title>", f"<title>{long_title}</title>"), encoding="utf-8")
    two, one = sources.gather([str(feed)], tmp_path / "dl").jobs
    assert two.key != one.key and two.audio != one.audio  # one episode's audio must not overwrite the other's
    assert two.audio.read_bytes() == (root / "two.mp3").read_bytes()


def test_a_feed_already_read_is_not_fetched_again(tmp_path):
    feed = "http://127.0.0.1:9/feed.xml"  # nothing listens there: fetching it would fail
    text = FEED.format(base="http://127.0.0.1:9", length=10).replace('<enclosure url="http://127.0.0.1:9/one.mp3"', '<enclosure url="missing/one.mp3"')
    jobs = sources.gather([feed], tmp_path / "dl", feeds_read={feed: text}).jobs
    assert [j.key[:-9] for j in jobs] == ["Folge-2-Beete-Balkone", "Folge-1"]  # the items of the text given
    assert all(j.problem for j in jobs)  # their audio, not the feed, failed to fetch
