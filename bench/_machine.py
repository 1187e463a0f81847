"""One line that says where a benchmark ran (figures only compare within one run)."""

from __future__ import annotations

import os
import platform
import sys


def machine() -> str:
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.platform()} | {os.cpu_count()} CPUs ({cpu}) | Python {sys.version.split()[0]}"
