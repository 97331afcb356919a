import os

import pytest

from pipeline import files
from pipeline.errors import OutputError


def test_write_replaces_atomically(tmp_path):
    target = tmp_path / "sub" / "a.txt"
    files.write_text(target, "eins")
    files.write_text(target, "zwei")
    assert target.read_text() == "zwei"
    assert [p.name for p in target.parent.iterdir()] == ["a.txt"]


def test_read_only_folder_is_a_clear_error(tmp_path, monkeypatch):
    # Tests run as root in CI, where permission bits do not stop writes: ask the way a user would be refused.
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(OutputError, match="not writable"):
        files.write_text(tmp_path / "a.txt", "x")


def test_folder_where_a_file_is_is_a_clear_error(tmp_path):
    (tmp_path / "blocker").write_text("")
    with pytest.raises(OutputError, match="cannot create output folder"):
        files.write_text(tmp_path / "blocker" / "a.txt", "x")
