"""Running `main.py` as a user runs it, in a child process, and reading its one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_main(*args: str, data_dir: Path | None = None, password: str | None = None
             ) -> subprocess.CompletedProcess[str]:
    """`python main.py ARGS` in Russian, offscreen; QADAM_PASSWORD only when given, and no
    terminal on stdin: a command that would ask for a password must refuse, not wait."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QADAM_LANG="ru")
    env.pop("QADAM_PASSWORD", None)
    if data_dir is not None:
        env["QADAM_DATA_DIR"] = str(data_dir)
    if password is not None:
        env["QADAM_PASSWORD"] = password
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def assert_one_line_error(result: subprocess.CompletedProcess[str], *,
                          nothing_on_stdout: bool = False) -> str:
    """Exit code 2 and one line on stderr, never a traceback; that line."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    if nothing_on_stdout:
        assert result.stdout == ""
    return lines[0]
