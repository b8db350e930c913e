"""The consolidated report of the region in the window: the month's table with a column per
facility and the region's total, and its Excel and PDF files (the same writers as `consolidate`
on the command line)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.errors import QadamError
from db.i18n import _, translate
from desktop import signals
from desktop.context import AppContext
from desktop.icons import icon
from desktop.open_file import ask_save_path, export_file, offer_to_open
from desktop.widgets.combo import combo_value, fill_combo
from desktop.widgets.month_combo import fill_report_months
from reports.completeness import Status
from reports.consolidated import REGION_TOTAL, RegionReport, region_summary_rows
from reports.consolidated_excel import SHEET_REGION
from reports.texts import COL_INDICATOR, COL_NUMBER, period_title, row_figure


class ConsolidatedTab(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.report: RegionReport | None = None

        self.month = QComboBox()
        fill_report_months(self.month, context.language)
        self.language = QComboBox()
        fill_combo(self.language, [("ru", "Русский"), ("kk", "Қазақша")], context.language)
        for combo in (self.month, self.language):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.excel_button = QPushButton(icon("save"), _("Excel…"))
        self.excel_button.setToolTip(_("Save the consolidated report as an Excel file"))
        self.excel_button.clicked.connect(lambda: self.export("xlsx"))
        self.pdf_button = QPushButton(icon("save"), _("PDF…"))
        self.pdf_button.setToolTip(_("Save the consolidated report as a PDF file to print "
                                     "and sign"))
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))

        self.title = QLabel()
        self.title.setObjectName("regionTitle")
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.title.setWordWrap(True)
        self.table = QTableWidget(0, 0)
        self.table.setObjectName("regionTable")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.note = QLabel()
        self.note.setStyleSheet("color: #6b6b6b;")
        self.note.setWordWrap(True)

        controls = QHBoxLayout()
        controls.addWidget(QLabel(_("Month")))
        controls.addWidget(self.month)
        controls.addWidget(QLabel(_("Report language")))
        controls.addWidget(self.language)
        controls.addStretch(1)
        controls.addWidget(self.excel_button)
        controls.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        signals.data_events().changed.connect(self._data_changed)
        self.refresh()

    def _data_changed(self, kind: str) -> None:
        if kind in signals.REGION_KINDS:  # not once more for every kind an import also announces
            self.refresh()

    def refresh(self) -> None:
        from reports.consolidated import build_region_report

        try:
            with self.context.database.session() as session:
                self.report = build_region_report(session, month=combo_value(self.month))
        except QadamError as exc:
            self.report = None
            self.title.setText(exc.message)
        self._show()

    def _show(self) -> None:
        report, language = self.report, combo_value(self.language)
        ready = report is not None and bool(report.facilities)
        self.excel_button.setEnabled(ready)
        self.pdf_button.setEnabled(ready)
        if report is None:
            self.table.setRowCount(0)
            return
        place = f". {report.region}" if report.region else ""
        self.title.setText(f"{translate(SHEET_REGION, language)} "
                           f"{period_title(report.month, language)}{place}")
        headers = [translate(COL_NUMBER, language), translate(COL_INDICATOR, language)]
        headers += [f"№{facility.facility.code}" for facility in report.facilities]
        headers.append(translate(REGION_TOTAL, language))
        rows = region_summary_rows(report, language)
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, facility in enumerate(report.facilities, start=2):
            self.table.horizontalHeaderItem(column).setToolTip(facility.facility.name)
        bold = QFont()
        bold.setBold(True)
        for number, row in enumerate(rows):
            label = translate(row.label, language) if row.translate_label else row.label
            cells = [row.number, label] + [row_figure(row, value)  # type: ignore[arg-type]
                                           for value in row.values]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if row.bold or column == len(cells) - 1:
                    item.setFont(bold)
                self.table.setItem(number, column, item)
        if not report.facilities:
            self.note.setText(_("No facilities yet: import the facilities' packages first."))
        else:
            missing = [row.facility_code for row in report.completeness
                       if row.status == Status.MISSING]
            self.note.setText(_("Reports not received for this month: {codes}.").format(
                codes=", ".join(f"№{code}" for code in missing)) if missing else _(
                "Every facility's report for this month is received."))

    # --- files --------------------------------------------------------------------------
    def ask_path(self, suffix: str) -> Path | None:
        assert self.report is not None
        return ask_save_path(self, title=_("Save the report"), suffix=suffix,
                             name=f"Qadam_region_{self.report.month}.{suffix}")

    def export(self, suffix: str) -> None:
        if self.report is None:
            return
        path = self.ask_path(suffix)
        if path is None:
            return
        report, language = self.report, combo_value(self.language)

        def work() -> Path:
            if suffix == "xlsx":
                from reports.consolidated_excel import write_region_xlsx

                return write_region_xlsx(report, path, language=language)
            from reports.consolidated_pdf import write_region_pdf

            return write_region_pdf(report, path, language=language)

        export_file(self, self.context, path, work, what=f"consolidated_report_{suffix}",
                    facility_code="", month=report.month,
                    offer=lambda written: offer_to_open(self, written))
