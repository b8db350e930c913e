"""Starting the window: QApplication, languages, the database, first start, login, main window.

What the window needs first is imported first: the login dialog and the main window's frame
read what they show with sqlite3 alone (db.quick_read; an up-to-date database is opened with
sqlite3 alone too, db.migrate), and the models, operations and pages are imported when they are
used. The order of a start:
1. the database's place (a local disk) and the instance lock: refused at once if wrong;
2. the login dialog (or, on a new database, the first start's wizard), while the database's
   quick_check runs in a thread; the login waits for the check and the opening (an upgrade
   included) to have passed; a damaged file is refused or replaced by its newest good backup;
3. the main window, painted before its first page is built;
4. the daily backup, in the background once the first page is there."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from db.database import Database
from db.errors import QadamError
from db.i18n import LANGUAGES, _
from desktop import settings
from desktop.icons import icon
from desktop.qt_i18n import apply_language

if TYPE_CHECKING:
    from db.models import User
    from desktop.main_window import MainWindow
    from desktop.startup import DatabaseOpening


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("Qadam")
    app.setOrganizationName("Qadam")
    app.setWindowIcon(icon("qadam"))
    language = settings.get(settings.LANGUAGE)
    apply_language(app, language if language in LANGUAGES else "ru")
    return app  # type: ignore[return-value]


def sign_in(opening: DatabaseOpening) -> User | None:
    """First start on a new database, otherwise the login dialog, shown while the database
    is being checked. Raises the QadamError that kept the database from opening."""
    from PySide6.QtWidgets import QDialog

    from db.quick_read import read_start_facts

    try:
        facts = read_start_facts(opening.path)
    except (OSError, sqlite3.Error):
        facts = None  # a new file, or one the check will say more about
    if facts is not None and facts.mode is not None:
        code = facts.facility.code if facts.facility is not None else None
    else:  # not set up yet (or not readable): opened first, the check and restore offer done
        database = opening.wait()
        from db.ops.settings import is_initialized, own_facility

        with database.session() as session:
            ready = is_initialized(session)
            facility = own_facility(session) if ready else None
            code = facility.code if facility is not None else None
        if not ready:
            from desktop.first_start import FirstStartWizard

            wizard = FirstStartWizard(database)
            return wizard.user if wizard.exec() == QDialog.DialogCode.Accepted else None
    from desktop.login import LoginDialog

    if opening.done and opening.error is not None:
        raise opening.error
    where = _("Facility №{code}").format(code=code) if code is not None else ""
    dialog = LoginDialog(None, where, opening=opening)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    if opening.error is not None:
        raise opening.error
    return dialog.user if accepted else None


def run_window(path: Path) -> int:
    from PySide6.QtWidgets import QMessageBox

    from desktop import startup

    startup.install_crash_handler()
    app = make_application()
    try:
        startup.check_location(path)
        instance_lock = startup.take_instance_lock(path)
    except QadamError as exc:
        QMessageBox.critical(None, "Qadam", exc.message)
        return 2
    opening = startup.DatabaseOpening(path)  # its quick_check runs while the login is up
    try:
        try:
            user = sign_in(opening)
        except QadamError as exc:
            QMessageBox.critical(None, "Qadam", exc.message)
            return 2
        if user is None:
            return 0
        database = opening.wait()
        from desktop.password_dialog import ensure_password_changed

        if not ensure_password_changed(database, user):  # after an administrator's reset
            return 0
        window = open_main_window(database, user)  # referenced until the app quits
        window.after_first_page(lambda: startup.back_up_daily_in_background(window, database))
        return app.exec()
    finally:
        opening.close()  # after the daily backup, if one is still being made
        instance_lock.unlock()


def open_main_window(database: Database, user: User) -> MainWindow:
    """The main window of `user`, shown: what follows the login (and what bench/run.py
    measures, the login aside). Its first page is built once it is painted, and its idle lock
    is installed then."""
    from desktop.context import AppContext
    from desktop.main_window import MainWindow

    window = MainWindow(AppContext(database=database, user=user))

    def lock_when_idle() -> None:
        from desktop.idle_lock import install_idle_lock

        install_idle_lock(window, window.context)

    window.after_first_page(lock_when_idle)
    window.show()
    return window
