"""Online copies of a SQLite database through the backup API (never a file copy of an open one)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from db.errors import DatabaseError
from db.i18n import _


def backup_database(source: Path, target: Path) -> Path:
    """Copy `source` to `target` consistently, check the copy, and return its path.

    The copy is written beside `target` under a `.partial` name and renamed only once it passed
    `integrity_check`, so a failure (a full disk, a pulled USB stick) never leaves a half-written
    file under the backup's name. Every failure is a DatabaseError with a message to show.
    """
    source, target = Path(source), Path(target)
    if not source.is_file():
        # sqlite3.connect() would silently create an empty database at `source`.
        raise DatabaseError(_("The database {path} does not exist.").format(path=source))
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        result = _copy_and_check(source, partial)
        if result != "ok":
            raise DatabaseError(_("The backup copy failed its integrity check: {result}").format(
                result=result))
        sync_file(partial)
        partial.replace(target)
        sync_folder(target.parent)
    except sqlite3.Error as exc:
        raise DatabaseError(_("The database {path} could not be copied: {reason}").format(
            path=source, reason=exc)) from exc
    except PermissionError:
        raise DatabaseError(_("Qadam may not write into the folder {folder}. Choose another "
                              "folder.").format(folder=target.parent)) from None
    except OSError as exc:
        raise DatabaseError(_("Cannot write into {folder}: {reason}").format(
            folder=target.parent, reason=exc.strerror or exc)) from None
    finally:
        partial.unlink(missing_ok=True)  # gone already after a success
    return target


def tolerant_text(raw: bytes) -> str:
    """A sqlite3 text factory for checks: the report of a damaged file (an FTS5 index's pages
    included) may hold bytes that are not UTF-8, and must still be read, not raise."""
    return raw.decode("utf-8", errors="replace")


def _copy_and_check(source: Path, partial: Path) -> str:
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(partial)
        dst.text_factory = tolerant_text
        try:
            # One step (pages=-1): the whole copy is read in one read transaction, so it is a
            # consistent snapshot even while another connection keeps writing (WAL).
            src.backup(dst)
            # The copy is one self-contained file (no -wal beside it): it can be carried on a
            # USB stick and opened read-only from there.
            dst.execute("PRAGMA journal_mode=DELETE")
            return str(dst.execute("PRAGMA integrity_check").fetchone()[0])
        finally:
            dst.close()
    finally:
        src.close()


def sync_file(path: Path) -> None:
    """Flush a written file to the disk before it is renamed into place (power loss, USB)."""
    # Read-write: on Windows fsync (FlushFileBuffers) needs a handle with write access.
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable. Windows cannot open a folder; NTFS journals renames."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems (vfat on a stick) refuse fsync on a folder; the data is synced
    finally:
        os.close(fd)
