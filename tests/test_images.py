import pytest

from pipeline import images
from pipeline.errors import InputError

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 32


def test_mime_types():
    assert images.mime_type(PNG, "a") == "image/png"
    assert images.mime_type(JPEG, "a") == "image/jpeg"


@pytest.mark.parametrize(("data", "message"), [(b"GIF89a", "not a PNG or JPEG"), (JPEG + b"\0" * images.MAX_IMAGE_BYTES, "at most")])
def test_refused_images(data, message):
    with pytest.raises(InputError, match=message):
        images.mime_type(data, "cover.gif")


def test_folder_by_chapter_number(tmp_path):
    (tmp_path / "1.png").write_bytes(PNG)
    (tmp_path / "03.jpg").write_bytes(JPEG)
    (tmp_path / "notes.txt").write_text("ignored")
    assert images.from_folder(tmp_path, 3) == {1: (PNG, "image/png"), 3: (JPEG, "image/jpeg")}


@pytest.mark.parametrize(("names", "message"), [(["9.png"], "no chapter 9"), (["1.png", "01.jpg"], "second image")])
def test_folder_mistakes_are_named(tmp_path, names, message):
    for name in names:
        (tmp_path / name).write_bytes(PNG)
    with pytest.raises(InputError, match=message):
        images.from_folder(tmp_path, 3)
