"""Writing an output file safely: to a temporary name beside the target, renamed when complete,
so a failed export leaves no half-written file and the old file stays intact."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from db.backups import disk_full_cause, disk_full_message
from db.errors import QadamError
from db.i18n import _


class ExportError(QadamError):
    pass


def _folder_refused(folder: Path) -> ExportError:
    return ExportError(_("Qadam may not write into the folder {folder}. Choose another "
                         "folder.").format(folder=folder))


NEW_FILE_MODE = 0o644  # what the usual umask gives a new file (reading os.umask would race)


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return NEW_FILE_MODE


def write_atomically(target: Path, write: Callable[[Path], None]) -> Path:
    """Call `write(temporary_path)`, then move the result over `target`.

    Every failure is an ExportError with a message for the user: a missing or read-only
    folder, a file open elsewhere, a full disk (ENOSPC, EFBIG, EDQUOT: "Not enough disk space
    …"). The temporary file is removed whatever went wrong."""
    target = Path(target)
    folder = target.parent
    if not folder.is_dir():
        raise ExportError(_("The folder {folder} does not exist.").format(folder=folder))
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix,
                                             dir=folder)
    except PermissionError:
        raise _folder_refused(folder) from None
    except OSError as exc:
        if exc.errno == errno.EROFS:  # a write-protected stick, a read-only share
            raise _folder_refused(folder) from None
        if disk_full_cause(exc):
            raise ExportError(disk_full_message(target.name)) from None
        raise ExportError(_("Cannot write into {folder}: {reason}").format(
            folder=folder, reason=exc.strerror or exc)) from None
    os.close(handle)
    temporary_path = Path(temporary)
    try:
        write(temporary_path)
        # mkstemp makes the file private (0600): a report is an ordinary file, so it gets the
        # mode of the file it replaces, or the usual mode of a new one.
        with contextlib.suppress(OSError):
            os.chmod(temporary_path, _mode_for(target))
        os.replace(temporary_path, target)
    except PermissionError:
        temporary_path.unlink(missing_ok=True)
        raise ExportError(_("{file} is open in another program or may not be changed. Close "
                            "it and try again; the old file was left as it was.").format(
            file=target.name)) from None
    except BaseException as exc:
        temporary_path.unlink(missing_ok=True)
        # a writer may wrap the OSError of a full disk in an error of its own
        if disk_full_cause(exc):
            raise ExportError(disk_full_message(target.name)) from None
        if isinstance(exc, OSError):
            raise ExportError(_("The file {file} could not be written: {reason}").format(
                file=target.name, reason=exc.strerror or exc)) from None
        raise
    return target
