"""A Whisper device, compute type or thread count that cannot work stops the real CLI at
start: one line naming the setting, its value and what is allowed, and exit 78, which the
systemd units do not restart (RestartPreventExitStatus=78)."""

from pathlib import Path

import ctranslate2
import pytest

from tests.support.services import run_cli

UNITS = Path(__file__).parents[2] / "systemd"
EX_CONFIG = 78

NO_GPU = ctranslate2.get_cuda_device_count() == 0
CPU_TYPES = sorted(ctranslate2.get_supported_compute_types("cpu"))


@pytest.mark.parametrize("role", ["transcribe", "serve", "worker"])
@pytest.mark.parametrize(
    ("variable", "value", "allowed"),
    [
        ("INGEST_WHISPER_DEVICE", "gpu", ["'auto', 'cpu' or 'cuda'"]),
        ("INGEST_WHISPER_COMPUTE_TYPE", "float16", CPU_TYPES),
        ("INGEST_WHISPER_COMPUTE_TYPE", "int8_float16", CPU_TYPES),
        ("INGEST_WHISPER_COMPUTE_TYPE", "int4", CPU_TYPES),
        ("INGEST_PREP_THREADS", "0", ["greater than or equal to 1"]),
        ("INGEST_PREP_THREADS", "many", ["valid integer"]),
    ],
)
def test_a_setting_that_cannot_work_stops_the_start_with_one_line(
    role: str, variable: str, value: str, allowed: list[str], tmp_path: Path
) -> None:
    args = [role, "--parent", "1"] if role == "worker" else [role]
    result = run_cli(
        "ingest",
        args,
        {"INGEST_DATA_DIR": str(tmp_path), "INGEST_WHISPER_DEVICE": "cpu", variable: value},
        timeout=60,
    )
    said = result.stderr.strip()
    assert result.returncode == EX_CONFIG, said
    assert len(said.splitlines()) == 1 and "Traceback" not in said, said
    assert f"{variable}={value!r}" in said
    assert all(word in said for word in allowed), said
    assert not (tmp_path / "ingest.sqlite3").exists()  # stopped before anything started


@pytest.mark.skipif(not NO_GPU, reason="this machine has a GPU")
@pytest.mark.parametrize("role", ["transcribe", "serve"])
def test_cuda_without_a_gpu_is_a_configuration_error(role: str, tmp_path: Path) -> None:
    result = run_cli(
        "ingest",
        [role],
        {"INGEST_DATA_DIR": str(tmp_path), "INGEST_WHISPER_DEVICE": "cuda"},
        timeout=60,
    )
    said = result.stderr.strip()
    assert result.returncode == EX_CONFIG, said
    assert len(said.splitlines()) == 1 and "Traceback" not in said, said
    assert "INGEST_WHISPER_DEVICE='cuda'" in said and "no CUDA GPU" in said
    assert "allowed on this machine: auto, cpu" in said


def test_every_ingest_unit_leaves_a_configuration_error_alone() -> None:
    for unit in sorted(UNITS.glob("ingest*.service")):
        assert "RestartPreventExitStatus=78" in unit.read_text(encoding="utf-8"), unit.name


def test_prep_threads_default_to_the_whisper_threads(tmp_path: Path) -> None:
    from ingest.settings import IngestSettings
    from ingest.transcribe.transcriber import Transcriber

    unset = IngestSettings(data_dir=tmp_path, whisper_threads=2, whisper_replicas=1)
    assert Transcriber.from_settings(unset).prep_threads == 2
    chosen = unset.model_copy(update={"prep_threads": 3})
    assert Transcriber.from_settings(chosen).prep_threads == 3
