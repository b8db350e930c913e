"""The command line, as a user runs it: exit codes, one-line errors, the databases it makes."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest
from cli_support import assert_one_line_error, run_main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return run_main(*args)


def settings(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as con:
        return dict(con.execute("SELECT key, value FROM database_setting"))


def test_cli_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert "Qadam" in result.stdout


def test_cli_init_facility(tmp_path: Path) -> None:
    path = tmp_path / "f.db"
    result = run("init", "--db", str(path), "--facility", "69",
                 "--facility-name", "Учреждение ЛА-155/69", "--facility-type", "medium")
    assert result.returncode == 0, result.stderr
    values = settings(path)
    assert values["mode"] == "facility"
    with sqlite3.connect(path) as con:
        row = con.execute("SELECT code, name, facility_type FROM facility WHERE uuid = ?",
                          (values["own_facility_uuid"],)).fetchone()
    assert row == ("69", "Учреждение ЛА-155/69", "medium")


def test_cli_init_regional_then_again(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    result = run("init", "--db", str(path), "--regional")
    assert result.returncode == 0, result.stderr
    values = settings(path)
    assert values["mode"] == "regional"
    assert not values.get("own_facility_uuid")
    before = path.stat().st_mtime_ns
    again = run("init", "--db", str(path), "--regional")
    assert_one_line_error(again)
    assert path.stat().st_mtime_ns == before


def test_cli_demo(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    result = run("demo", "--db", str(path))
    assert result.returncode == 0, result.stderr
    assert str(path) in result.stdout
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        assert con.execute("SELECT count(*) FROM person").fetchone()[0] > 200


@pytest.mark.parametrize("args", [
    ["frobnicate"],
    ["--no-such-option"],
    ["init", "--db", "{tmp}/x.db", "--facility", "69"],  # no --facility-name
])
def test_cli_usage_errors(tmp_path: Path, args: list[str]) -> None:
    result = run(*(a.format(tmp=tmp_path) for a in args))
    assert_one_line_error(result)
    assert list(tmp_path.iterdir()) == []


def test_cli_init_into_missing_folder(tmp_path: Path) -> None:
    result = run("init", "--db", str(tmp_path / "missing" / "x.db"), "--regional")
    assert_one_line_error(result)
    assert not (tmp_path / "missing").exists()
