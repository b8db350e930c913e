"""`main.py --self-check` from the source tree: every step passes, one line each, nothing left in
the data folder; a failing step is reported and sets the exit code."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.self_check import QT_STEPS
from reports.self_check import CORE_STEPS, CheckContext, require, run_self_check

ROOT = Path(__file__).resolve().parent.parent


def test_self_check_from_source_passes_every_step(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QADAM_DATA_DIR=str(data),
               PYTHONIOENCODING="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--self-check"],
                            cwd=tmp_path, env=env, capture_output=True, text=True,
                            encoding="utf-8", timeout=300)
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    assert lines[0].startswith("Qadam ") and lines[0].endswith("self-check (source)")
    steps = [name for name, _step in [*CORE_STEPS, *QT_STEPS]]
    assert [line.split(" (")[0] for line in lines[1:-1]] == [f"ok  {name}" for name in steps]
    assert lines[-1] == f"all {len(steps)} steps passed"
    # the checks ran in their own temporary folder: no database, settings, backups or logs in
    # the user's data folder (only the catalog cache that any start of the program may write)
    assert not data.exists() or {path.name for path in data.iterdir()} <= {"cache"}


def test_self_check_reports_a_failing_step_and_goes_on() -> None:
    def failing(context: CheckContext) -> None:
        require(False, "the font is missing")

    def crashing(context: CheckContext) -> None:
        raise OSError("disk full")

    out = io.StringIO()
    code = run_self_check([("first", failing), ("second", crashing),
                           ("third", lambda context: "fine")], stream=out)
    assert code == 1
    assert out.getvalue().splitlines()[1:] == [
        "FAIL first: the font is missing",
        "FAIL second: OSError: disk full",
        "ok  third (fine)",
        "2 of 3 steps failed",
    ]


def test_self_check_keeps_the_data_folder_setting(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    monkeypatch.setenv("QADAM_DATA_DIR", str(tmp_path))
    seen: list[str] = []
    run_self_check([("look", lambda context: seen.append(os.environ["QADAM_DATA_DIR"]))],
                   stream=io.StringIO())
    assert seen and seen[0] != str(tmp_path)  # the steps' own temporary folder
    assert os.environ["QADAM_DATA_DIR"] == str(tmp_path)


def test_self_check_without_stdout_writes_to_the_log_folder(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A windowed build on Windows has no sys.stdout: the lines go to logs/self-check.txt."""
    monkeypatch.setenv("QADAM_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(sys, "stdout", None)
    assert run_self_check([("quiet", lambda context: None)]) == 0
    log = (tmp_path / "logs" / "self-check.txt").read_text(encoding="utf-8").splitlines()
    assert log[1:] == ["ok  quiet", "all 1 steps passed"]
