"""The PyInstaller bundle: built with installer.spec by tools/build_bundle.py, its own
`--self-check` passes offscreen (main window included), and it is at most 1.5 times a bare
PySide6 window built with the same excludes. Slow (about two minutes): `-m "not slow"` skips it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_bundle_builds_and_passes_its_self_check(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_bundle.py"),
         "--dist", str(tmp_path / "dist"), "--work", str(tmp_path / "build")],
        cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8",
        errors="replace", timeout=1500)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert "self-check (frozen build in" in output
    assert re.search(r"^all \d+ steps passed$", output, re.MULTILINE), output[-6000:]
    assert "FAIL" not in output
    assert "ok  main window shown offscreen" in output
    ratio = re.search(r"^ratio:\s+([\d.]+)", output, re.MULTILINE)
    assert ratio and float(ratio.group(1)) <= 1.5
    program = tmp_path / "dist" / "Qadam" / ("Qadam.exe" if sys.platform == "win32" else "Qadam")
    assert program.is_file()
    console = program.with_name("qadam-cli.exe" if sys.platform == "win32" else "qadam-cli")
    assert console.is_file()  # the command line, with a console of its own
    assert "FAIL the console program" not in output
    # user data never inside the bundle: no database, settings or logs were written into it
    written = [p.name for p in (tmp_path / "dist" / "Qadam").rglob("*")
               if p.suffix in (".db", ".ini", ".log")]
    assert written == []
