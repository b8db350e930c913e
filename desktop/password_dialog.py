"""Changing one's own password: from the File menu, and before the window opens when an
administrator has reset it (the temporary password must not stay in use)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from db.database import Database
from db.errors import QadamError, ValidationError
from db.i18n import _
from db.models import User
from db.passwords import MIN_LENGTH
from desktop.icons import icon
from desktop.widgets.field_error import FieldError


def fit_height(dialog: QWidget) -> None:
    """Grow a dialog when messages appear in it. Qt sizes a window by its layout's minimum,
    which ignores how tall wrapped labels get at the actual width, so they would be squeezed."""
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    needed = (layout.totalHeightForWidth(dialog.width()) if layout.hasHeightForWidth()
              else layout.totalSizeHint().height())
    if needed > dialog.height():
        dialog.resize(dialog.width(), needed)


def password_rules_text() -> str:
    return _("A password has at least {n} characters and is not the login.").format(
        n=MIN_LENGTH)


class FormFields:
    """Labelled fields in a form, each with its message underneath (as in the record forms)."""

    def __init__(self, form: QFormLayout) -> None:
        self.form = form
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, FieldError] = {}

    def add(self, name: str, label: str, widget: QWidget) -> QWidget:
        error = FieldError()
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(error)
        caption = QLabel(label)
        caption.setBuddy(widget)
        self.form.addRow(caption, box)
        self.widgets[name] = widget
        self.errors[name] = error
        if isinstance(widget, QLineEdit):
            # an old message goes away as soon as the field is edited
            widget.textEdited.connect(lambda _text, e=error: e.show_message(""))
        return widget

    def add_password(self, name: str, label: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.add(name, label, edit)
        return edit

    def show(self, errors: dict[str, str]) -> dict[str, str]:
        """Show the messages beside their fields; return those that belong to no field."""
        for name, error in self.errors.items():
            error.show_message(errors.get(name, ""))
        for name in self.errors:
            if name in errors:
                self.widgets[name].setFocus()
                break
        return {k: v for k, v in errors.items() if k not in self.errors}


class ChangePasswordDialog(QDialog):
    """Current password, new password, repeat; saved through db.ops.accounts.change_password."""

    def __init__(self, database: Database, user: User, parent: QWidget | None = None, *,
                 forced: bool = False) -> None:
        super().__init__(parent)
        self.database = database
        self.user = user
        self.forced = forced
        self.setWindowTitle(_("Change password"))
        self.setWindowIcon(icon("qadam"))
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        intro = QLabel(_("An administrator has set a temporary password for {login}. Choose "
                         "your own password to continue.").format(login=user.login) if forced
                       else _("Account {login} ({name}).").format(login=user.login,
                                                                  name=user.full_name))
        intro.setWordWrap(True)
        rules = QLabel(password_rules_text())
        rules.setWordWrap(True)
        rules.setStyleSheet("color: #6b6b6b;")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.fields = FormFields(form)
        self.old = self.fields.add_password("old_password", _("Current password"))
        self.new = self.fields.add_password("password", _("New password"))
        self.repeat = self.fields.add_password("repeat", _("Repeat the new password"))
        self.general_error = FieldError()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Change password"))
        if forced:  # leaving without a new password means leaving the program
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Quit"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(rules)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.old.setFocus()

    def check(self) -> dict[str, str]:
        """What can be told before asking the database."""
        errors: dict[str, str] = {}
        if not self.old.text():
            errors["old_password"] = _("Enter your current password.")
        if not self.new.text():
            errors["password"] = _("Enter the new password.")
        elif self.new.text() != self.repeat.text():
            errors["repeat"] = _("The two new passwords differ.")
        return errors

    def save(self) -> bool:
        errors = self.check()
        if not errors:
            from db.ops.accounts import change_password

            try:
                with self.database.session() as session:
                    change_password(session=session, actor=self.user,
                                    old_password=self.old.text(),
                                    new_password=self.new.text())
            except ValidationError as exc:
                errors = exc.errors
            except QadamError as exc:
                errors = {"": exc.message}
        rest = self.fields.show(errors)
        self.general_error.show_message("\n".join(text for text in rest.values() if text))
        fit_height(self)
        if errors:
            if "old_password" in errors:
                self.old.clear()
            return False
        self.user.must_change_password = False  # the window's copy of the account, too
        self.accept()
        return True


def ensure_password_changed(database: Database, user: User, parent: QWidget | None = None
                            ) -> bool:
    """After login: when an administrator reset the password, the user chooses a new one
    before the window opens. False when the user gave up (the program then ends)."""
    if not user.must_change_password:
        return True
    dialog = ChangePasswordDialog(database, user, parent, forced=True)
    return dialog.exec() == QDialog.DialogCode.Accepted
