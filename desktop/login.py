"""The login dialog: only named staff get into the registry.

At start the dialog is shown while the database is still being checked (desktop.startup
.DatabaseOpening): a login asked for before the check has passed waits for it."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
from desktop.icons import icon
from desktop.widgets.field_error import FieldError

if TYPE_CHECKING:  # the dialog is up before the tables are imported
    from db.models import User
    from desktop.startup import DatabaseOpening


class LoginDialog(QDialog):
    def __init__(self, database: Database | None, where: str = "",
                 parent: QWidget | None = None, *, opening: DatabaseOpening | None = None
                 ) -> None:
        """`database`, or at start the `opening` that will have it (then `database` is
        None): the dialog is rejected when it cannot be opened (`opening.error` says why)."""
        super().__init__(parent)
        self.database = database
        self.user: User | None = None
        self._login_waits = False
        self.setWindowTitle(_("Qadam: log in"))
        self.setWindowIcon(icon("qadam"))
        self.login = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = FieldError()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.login_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.login_button.setText(_("Log in"))
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        self.waiting = QLabel(_("Checking the database…"))
        self.waiting.setStyleSheet("color: #6b6b6b;")
        self.waiting.hide()
        form = QFormLayout(self)
        if where:
            heading = QLabel(where)
            heading.setStyleSheet("font-weight: bold;")
            form.addRow(heading)
        form.addRow(_("Login"), self.login)
        form.addRow(_("Password"), self.password)
        form.addRow("", self.error)
        form.addRow("", self.waiting)
        form.addRow(buttons)
        self.setMinimumWidth(380)
        self._opening = opening
        if opening is not None:
            opening.parent_widget = self  # a damaged file's restore offer comes over this
            if opening.done:
                self._opened()
            else:
                opening.ready.connect(self._opened)

    def _opened(self) -> None:
        assert self._opening is not None
        if self._opening.error is not None:
            self.reject()
            return
        self.database = self._opening.database
        self.waiting.hide()
        self.login_button.setEnabled(True)
        if self._login_waits:
            self._login_waits = False
            self.try_login()

    def try_login(self) -> None:
        if self.database is None:  # the check is still running: log in once it has passed
            self._login_waits = True
            self.waiting.show()
            self.login_button.setEnabled(False)
            return
        from db.ops.auth import authenticate

        try:
            with self.database.session() as session:
                self.user = authenticate(session, self.login.text(), self.password.text())
        except QadamError as exc:
            self.error.show_message(exc.message)
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()
