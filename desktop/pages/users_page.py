"""Accounts (administrators only): who may log in, in which role; new accounts, changes,
password resets. The rules (last administrator, password length…) live in db/; this page shows
their messages."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import clock
from db.errors import QadamError, ValidationError
from db.i18n import _, ngettext
from db.models import User, UserCreate
from db.ops.users import list_users
from db.values import Role
from desktop.context import AppContext
from desktop.icons import icon
from desktop.password_dialog import FormFields, fit_height, password_rules_text
from desktop.signals import data_events, notify
from desktop.texts import word
from desktop.widgets.combo import combo_value, fill_combo
from desktop.widgets.field_error import FieldError

USERS = "users"  # the data_events kind for accounts


def aware(value: dt.datetime) -> dt.datetime:
    """SQLite gives datetimes back without a zone; the registry stores them in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def local_time_text(value: dt.datetime | None) -> str:
    return aware(value).astimezone().strftime("%d.%m.%Y %H:%M") if value else ""


def role_choices(context: AppContext, current: str | None = None) -> list[tuple[str, str]]:
    """Analysts exist only in a regional database (they import and consolidate packages)."""
    regional = context.is_regional()
    return [(r.value, word(Role, r.value)) for r in Role
            if r != Role.ANALYST or regional or current == r.value]


def show_refusal(parent: QWidget, title: str, errors: dict[str, str]) -> None:
    text = "\n".join(message for message in errors.values() if message)
    if text:
        QMessageBox.warning(parent, title, text)


class AccountDialog(QDialog):
    """A new account (login, names, role, first password) or changes to one (names, role,
    active). The login never changes: the audit trail refers to it."""

    def __init__(self, context: AppContext, user: User | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.user = user
        self.saved: User | None = None
        self.setWindowTitle(_("New account") if user is None else _("Account"))
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.fields = FormFields(form)
        self.login = QLineEdit(user.login if user else "")
        self.login.setPlaceholderText(_("Latin letters and digits, e.g. a.serikbaev"))
        if user is None:
            self.fields.add("login", _("Login"), self.login)
        else:
            login = QLabel(user.login)
            login.setStyleSheet("font-weight: bold;")
            form.addRow(_("Login"), login)
        self.full_name = QLineEdit(user.full_name if user else "")
        self.fields.add("full_name", _("Full name"), self.full_name)
        self.position = QLineEdit(user.position if user else "")
        self.fields.add("position", _("Position"), self.position)
        self.role = QComboBox()
        fill_combo(self.role, role_choices(context, user.role if user else None),
                   user.role if user else Role.OPERATOR.value)
        self.fields.add("role", _("Role"), self.role)
        self.active = QCheckBox(_("May log in"))
        self.password: QLineEdit | None = None
        self.repeat: QLineEdit | None = None
        if user is None:
            self.password = self.fields.add_password("password", _("Password"))
            self.repeat = self.fields.add_password("repeat", _("Repeat the password"))
            rules = QLabel(password_rules_text())
            rules.setWordWrap(True)
            rules.setStyleSheet("color: #6b6b6b;")
            # as wide as the fields; a Preferred label would wrap at half their width
            rules.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            form.addRow("", rules)
        else:
            self.active.setChecked(user.active)
            self.fields.add("active", _("Active"), self.active)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.general_error = FieldError()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        self.setMinimumWidth(540)

    def save(self) -> bool:
        errors: dict[str, str] = {}
        if self.password is not None and self.repeat is not None \
                and self.password.text() != self.repeat.text():
            errors["repeat"] = _("The two passwords differ.")
        saved: User | None = None
        if not errors:
            try:
                saved = self._write()
            except ValidationError as exc:
                errors = exc.errors
            except QadamError as exc:
                # a refusal that no field explains: the last administrator, a missing right
                QMessageBox.warning(self, self.windowTitle(), exc.message)
                return False
        if errors:
            rest = self.fields.show(errors)
            self.general_error.show_message("")
            fit_height(self)
            show_refusal(self, self.windowTitle(), rest)
            return False
        self.saved = saved
        notify(USERS)
        self.accept()
        return True

    def _write(self) -> User:
        with self.context.database.session() as session:
            if self.user is None:
                from db.ops.users import create_user

                return create_user(session=session, actor=self.context.user, data=UserCreate(
                    login=self.login.text().strip(), full_name=self.full_name.text().strip(),
                    position=self.position.text().strip(), role=combo_value(self.role),
                    password=self.password.text() if self.password else ""))
            from db.models import UserUpdate
            from db.ops.accounts import update_user

            assert self.user.id is not None
            return update_user(session=session, actor=self.context.user, user_id=self.user.id,
                               data=UserUpdate(full_name=self.full_name.text().strip(),
                                               position=self.position.text().strip(),
                                               role=combo_value(self.role),
                                               active=self.active.isChecked()))


class ResetPasswordDialog(QDialog):
    """A temporary password the administrator tells the user; it must be changed at login."""

    def __init__(self, context: AppContext, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.user = user
        self.setWindowTitle(_("Reset password"))
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        intro = QLabel(_("A temporary password for {name} ({login}). Tell it to them: at the "
                         "next login they must choose their own.").format(
            name=user.full_name, login=user.login))
        intro.setWordWrap(True)
        rules = QLabel(password_rules_text())
        rules.setStyleSheet("color: #6b6b6b;")
        rules.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.fields = FormFields(form)
        self.password = self.fields.add_password("password", _("Temporary password"))
        self.repeat = self.fields.add_password("repeat", _("Repeat the password"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Reset password"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(rules)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def save(self) -> bool:
        errors: dict[str, str] = {}
        if self.password.text() != self.repeat.text():
            errors["repeat"] = _("The two passwords differ.")
        if not errors:
            from db.ops.accounts import reset_password

            assert self.user.id is not None
            try:
                with self.context.database.session() as session:
                    reset_password(session=session, actor=self.context.user,
                                   user_id=self.user.id, new_password=self.password.text())
            except ValidationError as exc:
                errors = exc.errors
            except QadamError as exc:
                QMessageBox.warning(self, self.windowTitle(), exc.message)
                return False
        if errors:
            rest = self.fields.show(errors)
            fit_height(self)
            show_refusal(self, self.windowTitle(), rest)
            return False
        notify(USERS)
        self.accept()
        return True


COLUMNS = ("login", "full_name", "position", "role", "active", "locked_until", "must_change")


class UsersPage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.users: list[User] = []
        self.new_button = QPushButton(icon("new"), _("New account"))
        self.edit_button = QPushButton(icon("edit"), _("Edit"))
        self.reset_button = QPushButton(_("Reset password…"))
        self.reset_button.setToolTip(_("Give the user a temporary password to change at the "
                                       "next login"))
        self.new_button.clicked.connect(self.new_account)
        self.edit_button.clicked.connect(self.edit_selected)
        self.reset_button.clicked.connect(self.reset_selected)
        top = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.reset_button):
            top.addWidget(button)
        top.addStretch(1)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([
            _("Login"), _("Full name"), _("Position"), _("Role"), _("Active"),
            _("Locked until"), _("Must change password")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # a few rows
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.count_label = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        data_events().changed.connect(self._data_changed)
        self.reload()

    def _data_changed(self, kind: str) -> None:
        if kind == USERS:
            self.reload()

    def reload(self) -> None:
        selected = self.selected_user()
        with self.context.database.session() as session:
            self.users = list_users(session)
        now = clock.now()
        yes = _("yes")
        self.table.setRowCount(len(self.users))
        for row, user in enumerate(self.users):
            locked = user.locked_until if user.locked_until and aware(
                user.locked_until) > now else None
            values = (user.login, user.full_name, user.position, word(Role, user.role),
                      yes if user.active else _("no"), local_time_text(locked),
                      yes if user.must_change_password else "")
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if not user.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, column, item)
        self.count_label.setText(ngettext("{n} account", "{n} accounts", len(self.users))
                                 .format(n=len(self.users)))
        if selected is not None:
            self.select_login(selected.login)
        self._update_buttons()

    def selected_user(self) -> User | None:
        rows = self.table.selectionModel().selectedRows()
        return self.users[rows[0].row()] if rows else None

    def select_login(self, login: str) -> bool:
        for row, user in enumerate(self.users):
            if user.login == login:
                self.table.selectRow(row)
                return True
        return False

    def _update_buttons(self) -> None:
        has = self.selected_user() is not None
        self.edit_button.setEnabled(has)
        self.reset_button.setEnabled(has)

    def new_account(self) -> None:
        dialog = AccountDialog(self.context, None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
            self.select_login(dialog.saved.login)

    def edit_selected(self) -> None:
        user = self.selected_user()
        if user is not None:
            AccountDialog(self.context, user, self).exec()

    def reset_selected(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        if ResetPasswordDialog(self.context, user, self).exec() == QDialog.DialogCode.Accepted:
            QMessageBox.information(self, _("Reset password"), _(
                "The password of {login} was reset. At the next login {name} must choose a "
                "new one.").format(login=user.login, name=user.full_name))
