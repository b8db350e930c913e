"""Starting the window: QApplication, languages, the database, first start, login, main window.

What the window needs first is imported first: an up-to-date database is opened with sqlite3
alone (db.migrate), and the models, operations and pages are imported when they are used."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from db.database import Database, open_database
from db.errors import QadamError
from db.i18n import LANGUAGES, _
from desktop import settings
from desktop.icons import icon
from desktop.qt_i18n import apply_language

if TYPE_CHECKING:
    from db.models import User
    from desktop.main_window import MainWindow


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("Qadam")
    app.setOrganizationName("Qadam")
    app.setWindowIcon(icon("qadam"))
    language = settings.get(settings.LANGUAGE)
    apply_language(app, language if language in LANGUAGES else "ru")
    return app  # type: ignore[return-value]


def sign_in(database: Database) -> User | None:
    """First start on a new database, otherwise the login dialog."""
    from db.ops.settings import is_initialized, own_facility

    with database.session() as session:
        ready = is_initialized(session)
        facility = own_facility(session) if ready else None
    if not ready:
        from desktop.first_start import FirstStartWizard

        wizard = FirstStartWizard(database)
        return wizard.user if wizard.exec() == QDialog.DialogCode.Accepted else None
    from desktop.login import LoginDialog

    where = _("Facility №{code}").format(code=facility.code) if facility else ""
    dialog = LoginDialog(database, where)
    return dialog.user if dialog.exec() == QDialog.DialogCode.Accepted else None


def run_window(path: Path) -> int:
    from db.backups import default_backup_folder
    from desktop import startup

    startup.install_crash_handler()
    app = make_application()
    instance_lock = None
    try:
        startup.check_location(path)
        instance_lock = startup.take_instance_lock(path)
        startup.check_health(path)
        database = open_database(path, create=True, backup_dir=default_backup_folder())
    except QadamError as exc:
        QMessageBox.critical(None, "Qadam", exc.message)
        if instance_lock is not None:
            instance_lock.unlock()
        return 2
    try:
        startup.back_up_daily(path)
        user = sign_in(database)
        if user is None:
            return 0
        from desktop.password_dialog import ensure_password_changed

        if not ensure_password_changed(database, user):  # after an administrator's reset
            return 0
        _window = open_main_window(database, user)  # referenced until the app quits
        return app.exec()
    finally:
        database.dispose()
        instance_lock.unlock()


def open_main_window(database: Database, user: User) -> MainWindow:
    """The main window of `user`, shown, with its idle lock: what follows the login (and what
    bench/run.py measures, the login aside). Its first page is built once it is on screen."""
    from desktop.context import AppContext
    from desktop.idle_lock import install_idle_lock
    from desktop.main_window import MainWindow

    window = MainWindow(AppContext(database=database, user=user))
    install_idle_lock(window, window.context)
    window.show()
    return window
