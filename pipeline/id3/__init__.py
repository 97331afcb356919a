"""ID3v2 chapters (id3v2-chapters-1.0) that every player reads: the only package that writes tags.

write: a checked, atomic copy with exactly the given chapters; read: what any file carries;
lint: what would break a player; layout: the frame order in the file. See docs/id3-chapters.md.
"""

from pipeline.id3.layout import RawFrame, raw_frames
from pipeline.id3.lint import lint
from pipeline.id3.read import EmbeddedChapters, episode_title, read
from pipeline.id3.write import MAX_CHAPTERS, after, ascii_url, chapter_ids, frame_text, validate, with_ends, write

__all__ = [
    "MAX_CHAPTERS", "EmbeddedChapters", "after", "RawFrame", "ascii_url", "chapter_ids", "episode_title", "frame_text",
    "lint", "raw_frames", "read", "validate", "with_ends", "write",
]
