"""The board's health for the booth's status: CPU temperature, throttling and under-voltage.

A booth in a street box gets hot in summer and is fed by whatever supply the site has; a
Pi that throttles or browns out records badly or corrupts its card long before it stops.
The firmware reports both: `get_throttled` in sysfs (Raspberry Pi kernels) or `vcgencmd
get_throttled`, whichever exists; the temperature is the first thermal zone's (or
`vcgencmd measure_temp`). Off a Pi there is neither, and the fields stay out of the status.

get_throttled's bits (Raspberry Pi documentation, "vcgencmd"): 0 under-voltage now, 1 ARM
frequency capped now, 2 throttled now, 3 soft temperature limit now; 16-19 the same, at
some time since boot.
"""

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

THROTTLED_FILE = Path("/sys/devices/platform/soc/soc:firmware/get_throttled")
TEMPERATURE_FILE = Path("/sys/class/thermal/thermal_zone0/temp")
VCGENCMD = "vcgencmd"

UNDER_VOLTAGE = 1 << 0
SLOWED = (1 << 1) | (1 << 2) | (1 << 3)  # capped, throttled, soft temperature limit
SINCE_BOOT = 16


class HealthFields(TypedDict, total=False):
    """The status message's optional fields (shared.messages.BoothStatus)."""

    cpu_temp_c: float
    under_voltage: bool
    under_voltage_since_boot: bool
    throttled: bool
    throttled_since_boot: bool


@dataclass(frozen=True)
class BoardHealth:
    cpu_temp_c: float | None = None
    throttled_bits: int | None = None

    def fields(self) -> HealthFields:
        found = HealthFields()
        if self.cpu_temp_c is not None:
            found["cpu_temp_c"] = round(self.cpu_temp_c, 1)
        bits = self.throttled_bits
        if bits is not None:
            found["under_voltage"] = bool(bits & UNDER_VOLTAGE)
            found["under_voltage_since_boot"] = bool(bits & (UNDER_VOLTAGE << SINCE_BOOT))
            found["throttled"] = bool(bits & SLOWED)
            found["throttled_since_boot"] = bool(bits & (SLOWED << SINCE_BOOT))
        return found


def _vcgencmd(*args: str) -> str | None:
    try:
        done = subprocess.run(
            [VCGENCMD, *args], capture_output=True, text=True, timeout=2, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def read_throttled(file: Path) -> int | None:
    try:
        return int(file.read_text().strip(), 16)
    except (OSError, ValueError):
        pass
    answer = _vcgencmd("get_throttled")  # "throttled=0x50005"
    found = re.search(r"throttled=(0x[0-9a-fA-F]+)", answer or "")
    return int(found.group(1), 16) if found else None


def read_temperature(file: Path) -> float | None:
    try:
        return int(file.read_text().strip()) / 1000  # millidegrees
    except (OSError, ValueError):
        pass
    answer = _vcgencmd("measure_temp")  # "temp=47.2'C"
    found = re.search(r"temp=([0-9.]+)", answer or "")
    return float(found.group(1)) if found else None


def board_health(
    throttled_file: Path | None = None, temperature_file: Path | None = None
) -> BoardHealth:
    return BoardHealth(
        read_temperature(temperature_file or TEMPERATURE_FILE),
        read_throttled(throttled_file or THROTTLED_FILE),
    )
