"""`bench/run.py --quick --json` runs and prints one well-formed figure per benchmark.

Benchmarks are not tests: only the shape of the output is checked, never a time. The quick run
makes its own small database (about 3 s) and measures for about 15-30 s; the subprocess is cut
off after 150 s so a hang cannot stall the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEYS = {"name", "value", "unit", "baseline", "ratio", "target", "ok"}
# One figure per benchmark, in the order run.py prints them (names start with these).
FIGURES = (
    "start-up to the main window shown",
    "peak memory",
    "person search, Cyrillic",
    "person search, Kazakh",
    "person search, IIN prefix",
    "events list of one month",
    "monthly report figures, one facility-month",
    "region-month",
    "Excel export of one year",
)
TIMEOUT_S = 150


def test_bench_smoke_quick_json_has_every_figure(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QADAM_DATA_DIR=str(tmp_path / "data"),
               PYTHONDONTWRITEBYTECODE="1")
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--json",
         "--db", str(tmp_path / "bench.db")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout)
    assert isinstance(figures, list)
    assert len(figures) == len(FIGURES)
    for figure, expected in zip(figures, FIGURES, strict=True):
        assert set(figure) >= KEYS, figure
        assert figure["name"].startswith(expected), figure["name"]
        assert isinstance(figure["value"], int | float)
        assert isinstance(figure["baseline"], int | float)
        assert isinstance(figure["ratio"], int | float)
        assert isinstance(figure["unit"], str) and figure["unit"]
        assert isinstance(figure["target"], str) and figure["target"]
        assert isinstance(figure["ok"], bool)
