"""Starting the window: QApplication, translations, the database, the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from db.database import Database, open_database
from db.errors import QadamError
from db.i18n import _


def run_window(path: Path) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Qadam")
    app.setOrganizationName("Qadam")
    try:
        database = open_database(path, create=True)
    except QadamError as exc:
        QMessageBox.critical(None, "Qadam", exc.message)
        return 2
    window = make_main_window(database)
    window.show()
    code = app.exec()
    database.dispose()
    return code


def make_main_window(database: Database):
    from desktop.main_window import MainWindow

    return MainWindow(database)


__all__ = ["run_window", "make_main_window", "_"]
