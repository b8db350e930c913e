"""reports.files.write_atomically: the written file is an ordinary file, not a private temp."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from reports.files import NEW_FILE_MODE, write_atomically

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_export_gets_the_usual_mode_not_the_temporary_files(tmp_path: Path) -> None:
    target = write_atomically(tmp_path / "report.xlsx", lambda t: t.write_bytes(b"new"))
    assert _mode(target) == NEW_FILE_MODE
    assert target.read_bytes() == b"new"


def test_a_replaced_export_keeps_the_mode_it_had(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_atomically(target, lambda t: t.write_bytes(b"new"))
    assert _mode(target) == 0o640 and target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]
