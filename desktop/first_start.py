"""The first start on a new database: which facility this PC is, and the first administrator."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from db.database import Database
from db.errors import FieldErrors, QadamError, ValidationError
from db.i18n import _
from db.models import FacilityCreate, User, UserCreate
from db.ops.setup import initialize
from db.passwords import check_password_rules
from db.values import DatabaseMode, FacilityType
from desktop.icons import icon
from desktop.texts import word
from desktop.widgets.combo import combo_value, fill_combo
from desktop.widgets.field_error import FieldError

DEFAULT_REGION = "г. Шымкент и Туркестанская область"


class PlacePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("This computer"))
        self.setSubTitle(_("Choose whose records this database keeps."))
        self.facility_mode = QRadioButton(_("A facility (colony, remand prison, probation…)"))
        self.regional_mode = QRadioButton(_("The regional department (collects the reports of "
                                            "all facilities)"))
        self.facility_mode.setChecked(True)
        self.code = QLineEdit()
        self.code.setPlaceholderText("69")
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("e.g. Institution LA-155/69"))
        self.facility_type = QComboBox()
        fill_combo(self.facility_type, [(t.value, word(FacilityType, t.value))
                                        for t in FacilityType], FacilityType.MEDIUM.value)
        self.region = QLineEdit(DEFAULT_REGION)
        self.error = FieldError()
        self.details = QWidget()
        form = QFormLayout(self.details)
        form.addRow(_("Facility code"), self.code)
        form.addRow(_("Full name of the facility"), self.name)
        form.addRow(_("Type"), self.facility_type)
        form.addRow(_("Region"), self.region)
        layout = QVBoxLayout(self)
        layout.addWidget(self.facility_mode)
        layout.addWidget(self.regional_mode)
        layout.addWidget(self.details)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.facility_mode.toggled.connect(self.details.setEnabled)

    def validatePage(self) -> bool:  # noqa: N802
        if self.regional_mode.isChecked():
            return True
        if not self.code.text().strip() or not self.name.text().strip():
            self.error.show_message(_("Enter the facility's code and full name."))
            return False
        self.error.show_message("")
        return True

    def facility(self) -> FacilityCreate | None:
        if self.regional_mode.isChecked():
            return None
        return FacilityCreate(code=self.code.text().strip(), name=self.name.text().strip(),
                              facility_type=combo_value(self.facility_type),
                              region=self.region.text().strip())


class AdminPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("Administrator"))
        self.setSubTitle(_("The first account. It manages users, reference lists and "
                           "backups."))
        self.login = QLineEdit("admin")
        self.full_name = QLineEdit()
        self.position = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = FieldError()
        form = QFormLayout(self)
        form.addRow(_("Login"), self.login)
        form.addRow(_("Full name"), self.full_name)
        form.addRow(_("Position"), self.position)
        form.addRow(_("Password"), self.password)
        form.addRow(_("Repeat the password"), self.repeat)
        form.addRow("", self.error)
        note = QLabel(_("At least 8 characters. Keep it secret: the registry holds restricted "
                        "personal data."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #6b6b6b;")
        form.addRow("", note)

    def validatePage(self) -> bool:  # noqa: N802
        errors = FieldErrors()
        if not self.full_name.text().strip():
            errors.add("full_name", _("The full name is required."))
        check_password_rules(errors, self.password.text(), self.login.text())
        if self.password.text() != self.repeat.text():
            errors.add("repeat", _("The two passwords differ."))
        self.error.show_message("\n".join(errors.errors.values()))
        return not errors

    def account(self) -> UserCreate:
        return UserCreate(login=self.login.text().strip(), full_name=self.full_name.text(),
                          position=self.position.text(), role="admin",
                          password=self.password.text())


class FirstStartWizard(QWizard):
    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.user: User | None = None
        self.setWindowTitle(_("Qadam: first start"))
        self.setWindowIcon(icon("qadam"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.place = PlacePage()
        self.admin = AdminPage()
        self.addPage(self.place)
        self.addPage(self.admin)
        self.resize(620, 440)

    def accept(self) -> None:
        facility = self.place.facility()
        mode = DatabaseMode.REGIONAL if facility is None else DatabaseMode.FACILITY
        try:
            with self.database.session() as session:
                self.user = initialize(session, mode=mode, facility=facility,
                                       admin=self.admin.account())
        except ValidationError as exc:
            self.admin.error.show_message("\n".join(exc.errors.values()))
            return
        except QadamError as exc:
            self.admin.error.show_message(exc.message)
            return
        super().accept()
