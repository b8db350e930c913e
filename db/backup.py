"""Online copies of a SQLite database through the backup API (never a file copy of an open one)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from db.errors import DatabaseError
from db.i18n import _


def backup_database(source: Path, target: Path) -> Path:
    """Copy `source` to `target` consistently, check the copy, and return its path."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            result = dst.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dst.close()
    finally:
        src.close()
    if result != "ok":
        partial.unlink(missing_ok=True)
        raise DatabaseError(_("The backup copy failed its integrity check: {result}").format(
            result=result))
    partial.replace(target)
    return target
