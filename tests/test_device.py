import pytest

from pipeline import device
from pipeline.errors import ChaptersError


@pytest.mark.parametrize(
    ("requested", "compute_type", "gpus", "expected"),
    [
        ("auto", None, 0, ("cpu", "int8")),
        ("auto", None, 1, ("cuda", "float16")),
        ("cpu", None, 2, ("cpu", "int8")),
        ("cuda", None, 1, ("cuda", "float16")),
        ("cuda", "int8_float16", 1, ("cuda", "int8_float16")),
        ("auto", "float32", 0, ("cpu", "float32")),
    ],
)
def test_choice(requested, compute_type, gpus, expected):
    choice = device.choose(requested, compute_type, cuda_devices=gpus)
    assert (choice.device, choice.compute_type) == expected


def test_cuda_without_a_gpu_is_a_clear_error():
    with pytest.raises(ChaptersError, match="no CUDA device"):
        device.choose("cuda", None, cuda_devices=0)


def test_the_count_is_ctranslate2s_and_a_broken_cuda_runtime_counts_as_none(monkeypatch):
    import ctranslate2

    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 3)
    assert device.cuda_device_count() == 3

    def broken():
        raise RuntimeError("CUDA driver version is insufficient for CUDA runtime version")

    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", broken)
    assert device.cuda_device_count() == 0
