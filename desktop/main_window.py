"""The main window: a simple shell until the registers arrive."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow

from db import __version__
from db.database import Database
from db.i18n import _
from db.ops.settings import own_facility


class MainWindow(QMainWindow):
    def __init__(self, database: Database) -> None:
        super().__init__()
        self.database = database
        self.setWindowTitle(f"Qadam {__version__}")
        with database.session() as session:
            facility = own_facility(session)
        text = _("Facility: {name}").format(name=facility.name) if facility else ""
        self.setCentralWidget(QLabel(text))
        self.statusBar().showMessage(str(database.path))
        self.resize(1100, 720)
