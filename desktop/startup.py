"""What happens before the window opens on a database: it must be on a local disk, not open in
another Qadam, and not damaged (else the newest good backup is offered); and, once the main
window is up, the daily backup. Also the friendly dialog for an unexpected error.

On a decade of a region's data SQLite's quick_check takes about a second, and the daily backup
ten: the check runs in a thread while the login dialog is up (the login waits for it), the
backup in a thread once the main window has shown its first page."""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QEventLoop, QLockFile, QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from db.backups import daily_backup, default_backup_folder, restore_from
from db.database import Database, open_database
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
    if path.exists():
        answer_check(path, quick_check(path), parent)


def answer_check(path: Path, problem: str | None, parent: QWidget | None = None) -> None:
    """After the check of `path` found `problem` (None: nothing): offer the newest good
    backup, and put it in place when accepted; raise StartRefused otherwise."""
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


class DatabaseOpening(QObject):
    """The database of this start, being opened: its quick_check runs in a thread from the
    moment this is made (the login dialog is shown meanwhile), which then imports what the
    login's password check needs. Once the check passed, or the newest good backup replaced a
    damaged file (the offer is shown over `parent_widget`), the database is opened and
    upgraded on the GUI thread. Then `ready` is emitted, with `database` set, or `error` (a
    QadamError whose message says why it cannot be opened)."""

    ready = Signal()
    _checked = Signal(object)

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = Path(path)
        self.parent_widget: QWidget | None = None
        self.database: Database | None = None
        self.error: QadamError | None = None
        self.done = False
        self._checked.connect(self._open)  # queued: emitted by the check's thread
        self._thread = threading.Thread(target=self._check, name="qadam-quick-check",
                                        daemon=True)
        self._thread.start()

    def _check(self) -> None:
        problem: str | None = None
        try:
            if self.path.exists():  # a new database is made by open_database
                problem = quick_check(self.path)
        except Exception as exc:  # noqa: BLE001  (quick_check says what is wrong, never raises)
            problem = str(exc)
        # While the password is typed: the tables, SQLModel, SQLAlchemy and Argon2 that the
        # login's check needs (half a second on an old PC). Before the result is handed over,
        # so the GUI thread imports nothing of theirs at the same time.
        with contextlib.suppress(Exception):  # the login imports it again and says why not
            import db.ops.auth  # noqa: F401
        self._checked.emit(problem)

    def _open(self, problem: str | None) -> None:
        try:
            answer_check(self.path, problem, self.parent_widget)
            self.database = open_database(self.path, create=True,
                                          backup_dir=default_backup_folder())
        except QadamError as exc:
            self.error = exc
        except Exception as exc:  # noqa: BLE001  (logged in full; the start cannot go on)
            log.exception("database %s could not be opened", self.path)
            self.error = StartRefused(str(exc))
        self.done = True
        self.ready.emit()

    def wait(self) -> Database:
        """The opened database, once it is (Qt's events are handled meanwhile); raises the
        QadamError that kept it from opening."""
        if not self.done:
            loop = QEventLoop()
            self.ready.connect(loop.quit)
            loop.exec()
        if self.error is not None:
            raise self.error
        assert self.database is not None
        return self.database

    def close(self) -> None:
        """At the end of the program: the check's thread has ended, the database is closed."""
        self._thread.join()
        if self.database is not None:
            self.database.dispose()


class _BackupSignals(QObject):
    made = Signal(object)  # the new backup's path; None when today's was made already
    failed = Signal(str)


class _BackupJob(QRunnable):
    def __init__(self, path: Path, signals: _BackupSignals, end: Callable[[], None]) -> None:
        super().__init__()
        self.path = path
        self.signals = signals
        self.end = end

    def run(self) -> None:
        try:
            made = daily_backup(self.path, default_backup_folder())
        except QadamError as exc:
            self.signals.failed.emit(exc.message)
        except Exception as exc:  # noqa: BLE001  (said in the warning; logged in full)
            log.exception("daily backup of %s failed", self.path)
            self.signals.failed.emit(str(exc))
        else:
            self.signals.made.emit(made)
        finally:
            self.end()


class _BackupReport(QObject):
    """Says in the window how the daily backup went (gone with the window)."""

    def __init__(self, window: QMainWindow, signals: _BackupSignals) -> None:
        super().__init__(window)
        self.window = window
        self.signals = signals
        signals.made.connect(self.made)
        signals.failed.connect(self.failed)

    def made(self, target: Path | None) -> None:
        _running_backups.remove(self.signals)
        if target is not None:
            self.window.statusBar().showMessage(
                _("The daily backup was written to {path}.").format(path=target), 15_000)

    def failed(self, message: str) -> None:
        _running_backups.remove(self.signals)
        log.error("daily backup failed: %s", message)
        QMessageBox.warning(self.window, _("Backups"), _(
            "The daily backup of the database could not be made: {reason}\n\nYour work is "
            "not affected; Qadam tries again at its next start.").format(reason=message))


_running_backups: list[_BackupSignals] = []


def back_up_daily_in_background(window: QMainWindow, database: Database) -> None:
    """Back the database up once a day without keeping anyone waiting: in the thread pool
    (so the window's close waits for it, desktop.tasks.wait_for_all), with a word in the
    status bar when done and a warning when it failed. A restore, which disposes the
    database first, waits for the copy (Database.file_work)."""
    if database.path is None:
        return
    signals = _BackupSignals()
    _running_backups.append(signals)
    _BackupReport(window, signals)
    QThreadPool.globalInstance().start(_BackupJob(database.path, signals, database.file_work()))


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
