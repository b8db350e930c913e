"""Reports: the monthly report on screen, its Excel and PDF files for the region, and the
month's submission (a lock that makes its records read-only)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import clock
from db.errors import QadamError
from db.i18n import _, translate
from db.months import Month, month_title
from db.ops.facilities import list_facilities
from db.ops.users import list_users
from db.rights import Action, may
from db.values import Role
from desktop import settings, signals
from desktop.context import AppContext
from desktop.icons import icon
from desktop.open_file import ask_save_path, export_file, offer_to_open
from desktop.tasks import run_task
from desktop.widgets.combo import combo_value, fill_combo
from desktop.widgets.month_combo import fill_report_months
from reports.model import MonthlyReport, Signature, summary_rows
from reports.texts import COL_INDICATOR, COL_MONTH, COL_NUMBER, COL_YEAR, period_title, row_figure

MONTH_LOCKS = "month_locks"  # the data_events kind for a lock or an unlock


def local_date_text(moment: dt.datetime) -> str:
    """Stored in UTC; the day as the PC's clock saw it."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone().strftime("%d.%m.%Y")
SIGNATURE_FIELDS = ("prepared_by", "position", "phone", "head_name")


class ReportsPage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.report: MonthlyReport | None = None

        self.month = QComboBox()
        fill_report_months(self.month, context.language)
        self.facility = QComboBox()
        with context.database.session() as session:
            facilities = list_facilities(session)
            heads = [u for u in list_users(session) if u.role == Role.HEAD and u.active]
        own = context.own_facility()
        fill_combo(self.facility, [(f.id, f"№{f.code} — {f.name}") for f in facilities],
                   own.id if own else None)
        self.facility.setEnabled(context.is_regional() or own is None)
        self.language = QComboBox()
        fill_combo(self.language, [("ru", "Русский"), ("kk", "Қазақша")], context.language)
        for combo in (self.month, self.facility, self.language):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)

        self.excel_button = QPushButton(icon("save"), _("Excel…"))
        self.excel_button.setToolTip(_("Save the report as an Excel file"))
        self.excel_button.clicked.connect(lambda: self.export("xlsx"))
        self.pdf_button = QPushButton(icon("save"), _("PDF…"))
        self.pdf_button.setToolTip(_("Save the report as a PDF file to print and sign"))
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        self.package_button = QPushButton(icon("save"), _("Package for the region…"))
        self.package_button.setToolTip(_("The month's file for the regional department: the "
                                         "report and its data, checked on import"))
        self.package_button.clicked.connect(self.export_package)
        self.package_button.setVisible(may(context.user, Action.EXPORT_PACKAGE)
                                       and not context.is_regional())

        self.signature_fields: dict[str, QLineEdit] = {}
        signature_box = QGroupBox(_("Signatures"))
        signature_form = QFormLayout(signature_box)
        defaults = {"prepared_by": context.user.full_name, "position": context.user.position,
                    "phone": "", "head_name": heads[0].full_name if heads else ""}
        labels = {"prepared_by": _("Prepared by"), "position": _("Position"),
                  "phone": _("Phone"), "head_name": _("Head of facility")}
        for name in SIGNATURE_FIELDS:
            remembered = settings.get(settings.Setting(f"report/{name}", ""))
            line = QLineEdit(remembered or defaults[name] or "")
            line.editingFinished.connect(self._signature_changed)
            self.signature_fields[name] = line
            signature_form.addRow(labels[name], line)

        self.title = QLabel()
        self.title.setObjectName("reportTitle")
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.title.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (0, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.events_note = QLabel()
        self.events_note.setStyleSheet("color: #6b6b6b;")

        choose = QFormLayout()
        choose.addRow(_("Month"), self.month)
        choose.addRow(_("Facility"), self.facility)
        choose.addRow(_("Report language"), self.language)
        buttons = QHBoxLayout()
        buttons.addWidget(self.excel_button)
        buttons.addWidget(self.pdf_button)
        buttons.addStretch(1)
        choose.addRow("", buttons)
        package_row = QHBoxLayout()  # a row of its own: the window must fit a small screen
        package_row.addWidget(self.package_button)
        package_row.addStretch(1)
        choose.addRow("", package_row)
        self._build_submission(choose)
        top = QHBoxLayout()
        top.addLayout(choose, 1)
        top.addWidget(signature_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.events_note)
        # a bound method, not a lambda: Qt drops the connection when the page is deleted
        signals.data_events().changed.connect(self._data_changed)
        self.refresh()

    def _data_changed(self, _kind: str) -> None:
        self.refresh()

    # --- submission -----------------------------------------------------------------------
    def _build_submission(self, form: QFormLayout) -> None:
        """"Submitted on … (revision N)" and, for heads and administrators, lock / unlock."""
        self.lock_status = QLabel()
        self.lock_status.setObjectName("lockStatus")
        self.lock_status.setWordWrap(True)
        self.lock_button = QPushButton(_("Submit and lock the month"))
        self.lock_button.setToolTip(_("Mark the month as submitted: its records become "
                                      "read-only"))
        self.lock_button.clicked.connect(self.lock_month)
        self.unlock_button = QPushButton(_("Unlock…"))
        self.unlock_button.setToolTip(_("Open the month for changes again (the reason is "
                                        "recorded; the next export is a new revision)"))
        self.unlock_button.clicked.connect(self.unlock_month)
        user = self.context.user
        self.lock_button.setVisible(may(user, Action.LOCK_MONTHS))
        self.unlock_button.setVisible(may(user, Action.UNLOCK_MONTHS))
        form.addRow(_("Submission"), self.lock_status)
        # one button a row: side by side they widened the window past a small screen
        for button, action in ((self.lock_button, Action.LOCK_MONTHS),
                               (self.unlock_button, Action.UNLOCK_MONTHS)):
            if may(user, action):
                row = QHBoxLayout()
                row.addWidget(button)
                row.addStretch(1)
                form.addRow("", row)

    def _show_lock(self) -> None:
        from db.ops.month_locks import current_revision, lock_of

        facility_id, month = combo_value(self.facility), combo_value(self.month)
        lock = None
        revision = 1
        if facility_id is not None:
            with self.context.database.session() as session:
                lock = lock_of(session, facility_id, month)
                revision = current_revision(session, facility_id, month)
        if lock is not None:
            self.lock_status.setText(_(
                "Submitted on {date} by {login} (revision {n}); its records are read-only."
            ).format(date=local_date_text(lock.locked_at), login=lock.locked_by,
                     n=lock.revision))
            self.lock_status.setStyleSheet("color: #8a4b00; font-weight: bold;")
        else:
            self.lock_status.setText(_("Not submitted yet.") if revision == 1 else _(
                "Not submitted; was unlocked, the next submission is revision {n}.").format(
                n=revision))
            self.lock_status.setStyleSheet("")
        self.lock_button.setEnabled(facility_id is not None and lock is None
                                    and month <= Month.of(clock.today()))
        self.unlock_button.setEnabled(lock is not None)

    def _month_words(self) -> str:
        return month_title(combo_value(self.month), self.context.language)

    def lock_month(self) -> None:
        from db.ops.month_locks import lock_month

        facility_id, month = combo_value(self.facility), combo_value(self.month)
        if facility_id is None:
            return
        answer = QMessageBox.question(
            self, _("Submit and lock the month"),
            _("Submit {month} and lock it? Its events, volunteers' dates and outcomes become "
              "read-only until a head or an administrator unlocks the month.").format(
                month=self._month_words()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self.context.database.session() as session:
                lock_month(session=session, actor=self.context.user, facility_id=facility_id,
                           month=month)
        except QadamError as exc:
            QMessageBox.warning(self, _("Submit and lock the month"), exc.message)
        signals.notify(MONTH_LOCKS)

    def unlock_month(self) -> None:
        from db.ops.month_locks import unlock_month

        facility_id, month = combo_value(self.facility), combo_value(self.month)
        if facility_id is None:
            return
        reason, ok = QInputDialog.getText(
            self, _("Unlock the month"),
            _("Why is {month} unlocked? The reason is kept in the audit trail.").format(
                month=self._month_words()))
        if not ok:
            return
        try:  # an empty reason is refused by the operation, with its own message
            with self.context.database.session() as session:
                unlock_month(session=session, actor=self.context.user,
                             facility_id=facility_id, month=month, reason=reason)
        except QadamError as exc:
            QMessageBox.warning(self, _("Unlock the month"), exc.message)
            return
        signals.notify(MONTH_LOCKS)

    # --- figures ------------------------------------------------------------------------
    def current_signature(self) -> Signature:
        return Signature(**{name: self.signature_fields[name].text().strip()
                            for name in SIGNATURE_FIELDS})

    def _signature_changed(self) -> None:
        for name in SIGNATURE_FIELDS:
            settings.put(settings.Setting(f"report/{name}", ""),
                         self.signature_fields[name].text().strip())
        self.refresh()

    def build(self) -> MonthlyReport | None:
        from reports.monthly import build_monthly_report

        facility_id = combo_value(self.facility)
        if facility_id is None:
            return None
        with self.context.database.session() as session:
            return build_monthly_report(session, facility_id=facility_id,
                                        month=combo_value(self.month),
                                        signature=self.current_signature())

    def refresh(self) -> None:
        try:
            self.report = self.build()
        except QadamError as exc:
            self.report = None
            self.title.setText(exc.message)
        self._show()
        self._show_lock()

    def _show(self) -> None:
        report = self.report
        language = combo_value(self.language)
        self.excel_button.setEnabled(report is not None)
        self.pdf_button.setEnabled(report is not None)
        self.package_button.setEnabled(report is not None)
        if report is None:
            self.table.setRowCount(0)
            return
        self.title.setText(f"№{report.facility.code} — {report.facility.name}, "
                           f"{period_title(report.month, language)}")
        self.table.setHorizontalHeaderLabels([translate(text, language) for text in (
            COL_NUMBER, COL_INDICATOR, COL_MONTH, COL_YEAR)])
        rows = summary_rows(report, language)
        self.table.setRowCount(len(rows))
        bold = QFont()
        bold.setBold(True)
        for number, row in enumerate(rows):
            label = translate(row.label, language) if row.translate_label else row.label
            cells = (row.number, label, row_figure(row, row.month), row_figure(row, row.year))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if row.bold:
                    item.setFont(bold)
                self.table.setItem(number, column, item)
        self.events_note.setText(_("The report lists {n} held events of the month.").format(
            n=len(report.events)))

    # --- files --------------------------------------------------------------------------
    def default_file_name(self, suffix: str) -> str:
        assert self.report is not None
        return f"Qadam_{self.report.facility.code}_{self.report.month}.{suffix}"

    def ask_path(self, suffix: str, name: str | None = None) -> Path | None:
        return ask_save_path(self, title=_("Save the report"), suffix=suffix,
                             name=name or self.default_file_name(suffix))

    def export(self, suffix: str) -> None:
        if self.report is None:
            return
        path = self.ask_path(suffix)
        if path is None:
            return
        report, language = self.report, combo_value(self.language)

        def work() -> Path:
            if suffix == "xlsx":
                from reports.excel import write_monthly_xlsx

                return write_monthly_xlsx(report, path, language=language)
            from reports.pdf import write_monthly_pdf

            return write_monthly_pdf(report, path, language=language)

        export_file(self, self.context, path, work, what=f"monthly_report_{suffix}",
                    facility_code=report.facility.code, month=report.month,
                    offer=self.offer_to_open)

    def _export_failed(self, error: BaseException) -> None:
        if isinstance(error, QadamError):
            QMessageBox.warning(self, _("The file was not saved"), error.message)
        else:
            QMessageBox.critical(self, _("The file was not saved"), str(error))

    # --- the package for the region ---------------------------------------------------------
    def choose_personal_data(self) -> str | None:
        """Pseudonymised unless the head chooses otherwise: the region needs figures, not names."""
        levels = [("pseudonymised", _("pseudonymised: persons by code, initials, birth year")),
                  ("none", _("none: figures and events only, no persons")),
                  ("full", _("full: names and IINs (only when the region asks for them)"))]
        chosen, ok = QInputDialog.getItem(
            self, _("Package for the region"), _("Personal data in the package:"),
            [text for _code, text in levels], 0, False)
        if not ok:
            return None
        return next(code for code, text in levels if text == chosen)

    def export_package(self) -> None:
        from db.ops.month_locks import lock_of
        from reports.package import write_package

        report = self.report
        facility_id, month = combo_value(self.facility), combo_value(self.month)
        if report is None or facility_id is None:
            return
        level = self.choose_personal_data()
        if level is None:
            return
        path = self.ask_path("xlsx", f"Qadam_package_{report.facility.code}_{month}.xlsx")
        if path is None:
            return
        database, user = self.context.database, self.context.user

        def work() -> Path:
            with database.session() as session:
                return write_package(session, actor=user, facility_id=facility_id, month=month,
                                     path=path, personal_data=level).path

        def done(written: Path) -> None:
            with database.session() as session:
                locked = lock_of(session, facility_id, month) is not None
            if not locked and may(user, Action.LOCK_MONTHS):
                self.lock_month()  # asks first; a package is usually the month's submission
            self.offer_to_open(written)

        run_task(self, _("Saving {file}…").format(file=path.name), work, done,
                 self._export_failed)

    def offer_to_open(self, path: Path) -> None:
        offer_to_open(self, path)
