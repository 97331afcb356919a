"""Which device and compute type to run the model on; `auto` takes CUDA when CTranslate2 can use it."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.errors import ChaptersError


@dataclass(frozen=True)
class DeviceChoice:
    device: str
    compute_type: str


def cuda_device_count() -> int:
    try:
        import ctranslate2
    except ImportError:
        return 0
    try:
        return ctranslate2.get_cuda_device_count()
    except RuntimeError:
        return 0  # a CUDA runtime that fails to load means no usable GPU


def choose(requested: str, compute_type: str | None, cuda_devices: int | None = None) -> DeviceChoice:
    """int8 on CPU is fastest at equal accuracy; float16 is what GPUs are built for."""
    available = cuda_device_count() if cuda_devices is None else cuda_devices
    if requested == "cuda" and available == 0:
        raise ChaptersError("--device cuda: no CUDA device usable by CTranslate2 here")
    device = "cuda" if requested == "cuda" or (requested == "auto" and available > 0) else "cpu"
    default_type = "float16" if device == "cuda" else "int8"
    return DeviceChoice(device=device, compute_type=compute_type or default_type)
