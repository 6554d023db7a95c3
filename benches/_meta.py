"""Shared by the Python benchmark scripts: the machine line and the JSON file benches/report.py reads.

Contract of a benchmark script: `python benches/<script>.py [--quick] [--json OUT.json]` prints a table
and, with --json, writes {"title", "machine", "date", "rows": [{"section", "tool", "metric", "value",
"unit"}, ...]}.
"""

from __future__ import annotations

import json
import os
import platform
from datetime import datetime, timezone
from pathlib import Path


def machine() -> str:
    """CPU model, core count and Python version of this machine."""
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{model or platform.processor()} ({os.cpu_count()} cores), Python {platform.python_version()}"


def row(section: str, tool: str, metric: str, value: float, unit: str) -> dict:
    return {"section": section, "tool": tool, "metric": metric, "value": value, "unit": unit}


def write_json(path: str | None, title: str, rows: list[dict]) -> None:
    """Writes the report.py JSON document when `path` is given."""
    if not path:
        return
    doc = {
        "title": title,
        "machine": machine(),
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
        "rows": rows,
    }
    Path(path).write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
