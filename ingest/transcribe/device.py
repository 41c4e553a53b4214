"""The Whisper device and compute type, checked against what CTranslate2 offers here.

A wrong pair otherwise surfaces as a traceback from deep in the model load, and systemd
would restart the worker in a loop; checked at start, it is one line and exit 78.
"""

from ingest.errors import IngestError
from ingest.settings import IngestSettings

DEVICES = ("auto", "cpu", "cuda")
# CTranslate2 takes these on any device: it picks the type itself.
ANY_DEVICE = ("auto", "default")


class DeviceSettingError(IngestError):
    """INGEST_WHISPER_DEVICE or INGEST_WHISPER_COMPUTE_TYPE cannot work on this machine."""


def check_device(settings: IngestSettings) -> str:
    """The device the model will run on; raises DeviceSettingError with one line naming the
    setting, its value and what is allowed here."""
    import ctranslate2

    device = settings.whisper_device
    if device not in DEVICES:  # the settings' own check catches this first
        raise DeviceSettingError(
            f"INGEST_WHISPER_DEVICE={device!r} is not a device; allowed: {', '.join(DEVICES)}"
        )
    gpus = ctranslate2.get_cuda_device_count()
    if device == "cuda" and gpus == 0:
        raise DeviceSettingError(
            "INGEST_WHISPER_DEVICE='cuda' but CTranslate2 sees no CUDA GPU here; "
            "allowed on this machine: auto, cpu"
        )
    resolved = "cuda" if device == "cuda" or (device == "auto" and gpus > 0) else "cpu"
    supported = sorted(ctranslate2.get_supported_compute_types(resolved))
    compute_type = settings.whisper_compute_type
    if compute_type not in (*supported, *ANY_DEVICE):
        raise DeviceSettingError(
            f"INGEST_WHISPER_COMPUTE_TYPE={compute_type!r} is not supported by CTranslate2 on "
            f"{resolved} (INGEST_WHISPER_DEVICE={device!r}); allowed: "
            f"{', '.join([*supported, *ANY_DEVICE])}"
        )
    return resolved
