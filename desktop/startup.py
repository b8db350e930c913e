"""What happens before the window opens on a database: it must be on a local disk, not open in
another Qadam, and not damaged (else the newest good backup is offered); then it is backed up
once a day. Also the friendly dialog for an unexpected error."""

from __future__ import annotations

import contextlib
import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QLockFile
from PySide6.QtWidgets import QMessageBox, QWidget

from db.backups import daily_backup, default_backup_folder, restore_from
from db.errors import QadamError
from db.i18n import _
from db.instance_lock import lock_path, read_holder
from db.logs import log_unexpected, setup_logging
from db.storage import newest_good_backup, quick_check, require_local

log = logging.getLogger(__name__)


class StartRefused(QadamError):
    """The window does not open; the message says why in plain words."""


def check_location(path: Path) -> None:
    require_local(path)


def take_instance_lock(path: Path) -> QLockFile:
    """One window per database: a second Qadam is told who holds it."""
    lock = QLockFile(str(lock_path(path)))
    lock.setStaleLockTime(0)  # a lock of a dead process is stale at once, never by age
    if lock.tryLock(200):
        return lock
    holder = read_holder(path)
    if holder is not None:
        raise StartRefused(_("The database is open in Qadam on {host} (process {pid}); close "
                             "it there first.").format(host=holder.host, pid=holder.pid))
    raise StartRefused(_("The database is open in another copy of Qadam; close it there "
                         "first."))


def check_health(path: Path, parent: QWidget | None = None) -> None:
    """A damaged database is not opened: the newest good backup is offered instead."""
    if not path.exists():
        return
    problem = quick_check(path)
    if problem is None:
        return
    log.error("database %s failed its check: %s", path, problem)
    backup = newest_good_backup(default_backup_folder(), path.stem)
    if backup is None:
        raise StartRefused(_("The database {path} is damaged ({problem}) and there is no good "
                             "backup of it. Copy the file and call your administrator.").format(
            path=path, problem=problem))
    answer = QMessageBox.question(
        parent, _("The database is damaged"),
        _("The database {path} is damaged ({problem}).\n\nRestore the newest good backup, "
          "{backup}? The damaged file is kept beside the backups.").format(
            path=path, problem=problem, backup=backup.name),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes)
    if answer != QMessageBox.StandardButton.Yes:
        raise StartRefused(_("The damaged database was not opened."))
    restore_from(backup, path, safety_folder=default_backup_folder())


def back_up_daily(path: Path) -> None:
    """A failed daily backup must not keep staff from working: it is logged."""
    try:
        daily_backup(path, default_backup_folder())
    except QadamError as exc:
        log.error("daily backup of %s failed: %s", path, exc.message)


def install_crash_handler() -> Path:
    """Unexpected errors go to the log and to a dialog that says where the log is; the program
    keeps running where it can (Qt calls the hook from its event loop)."""
    logs = setup_logging()

    def hook(kind: type[BaseException], error: BaseException,
             trace: TracebackType | None) -> None:
        path = log_unexpected(kind, error, trace)
        if isinstance(error, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        with contextlib.suppress(Exception):  # no dialog possible: the log has it
            QMessageBox.critical(None, _("Something went wrong"), _(
                "Qadam met an unexpected error. Your saved records are safe.\n\n{error}\n\n"
                "The details are in {path}; send that file to your administrator.").format(
                error="".join(traceback.format_exception_only(kind, error)).strip(),
                path=path))

    sys.excepthook = hook
    return logs
