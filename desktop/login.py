"""The login dialog: only named staff get into the registry."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from db.database import Database
from db.errors import QadamError
from db.i18n import _
from db.models import User
from db.ops.auth import authenticate
from desktop.icons import icon
from desktop.widgets.field_error import FieldError


class LoginDialog(QDialog):
    def __init__(self, database: Database, where: str = "", parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.database = database
        self.user: User | None = None
        self.setWindowTitle(_("Qadam: log in"))
        self.setWindowIcon(icon("qadam"))
        self.login = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = FieldError()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Log in"))
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        if where:
            heading = QLabel(where)
            heading.setStyleSheet("font-weight: bold;")
            form.addRow(heading)
        form.addRow(_("Login"), self.login)
        form.addRow(_("Password"), self.password)
        form.addRow("", self.error)
        form.addRow(buttons)
        self.setMinimumWidth(380)

    def try_login(self) -> None:
        try:
            with self.database.session() as session:
                self.user = authenticate(session, self.login.text(), self.password.text())
        except QadamError as exc:
            self.error.show_message(exc.message)
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()
