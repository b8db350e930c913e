"""Completeness in the window: facilities × months, coloured as in the exported grid, with the
deadline day of the region and an Excel export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import clock
from db.errors import QadamError
from db.i18n import _
from db.months import Month, month_title
from db.ops.settings import LATEST_DEADLINE_DAY
from db.rights import Action, may
from desktop import settings, signals
from desktop.context import AppContext
from desktop.icons import icon
from desktop.open_file import ask_save_path, export_file, offer_to_open
from desktop.widgets.combo import combo_value, fill_combo
from desktop.widgets.month_combo import fill_report_months
from reports.completeness import (
    LEGEND_ITEMS,
    CompletenessRow,
    colour_of,
    completeness,
    months_ending,
)
from reports.completeness_excel import cell_text, grid_summary, month_heading

SPANS = (3, 6, 12, 24)  # months shown
SPAN = settings.Setting("completeness/months", 12)


class CompletenessTab(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.rows: list[CompletenessRow] = []
        self.months: list[Month] = []

        self.last_month = QComboBox()
        fill_report_months(self.last_month, context.language)
        self.span = QComboBox()
        fill_combo(self.span, [(n, _("{n} months").format(n=n)) for n in SPANS],
                   settings.get(SPAN) if settings.get(SPAN) in SPANS else 12)
        for combo in (self.last_month, self.span):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())

        self.deadline = QSpinBox()
        self.deadline.setObjectName("deadlineDay")
        self.deadline.setRange(1, LATEST_DEADLINE_DAY)
        self.deadline.setToolTip(_("The day of the next month by which a facility's report "
                                   "is due; a report received later is late"))
        self.save_deadline = QPushButton(_("Apply"))
        self.save_deadline.setToolTip(_("Keep this deadline for the region (recorded in the "
                                        "audit trail)"))
        self.save_deadline.clicked.connect(self.apply_deadline)
        self.deadline.valueChanged.connect(self._deadline_edited)
        editable = may(context.user, Action.REGION_SETTINGS)
        self.deadline.setEnabled(editable)
        self.save_deadline.setVisible(editable)

        self.export_button = QPushButton(icon("save"), _("Excel…"))
        self.export_button.setToolTip(_("Save the grid as an Excel file"))
        self.export_button.clicked.connect(self.export)

        self.table = QTableWidget(0, 0)
        self.table.setObjectName("completenessGrid")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # to contents, not stretched: a stretched grid wider than the window scrolls past its end
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setMinimumSectionSize(96)  # "с опозданием" on one line
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.summary = QLabel()
        self.summary.setObjectName("completenessSummary")
        self.summary.setWordWrap(True)

        controls = QHBoxLayout()
        controls.addWidget(QLabel(_("Up to")))
        controls.addWidget(self.last_month)
        controls.addWidget(self.span)
        controls.addSpacing(12)
        controls.addWidget(QLabel(_("Deadline: day")))
        controls.addWidget(self.deadline)
        controls.addWidget(self.save_deadline)
        controls.addStretch(1)
        controls.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addLayout(self._legend())
        signals.data_events().changed.connect(self._data_changed)
        self._load_deadline()
        self.refresh()

    def _legend(self) -> QHBoxLayout:
        legend = QHBoxLayout()
        for colour, msgid in LEGEND_ITEMS:
            swatch = QLabel(f" {_(msgid)} ")
            swatch.setStyleSheet(f"background: #{colour}; border: 1px solid #a0a0a0; "
                                 "padding: 2px 6px;")
            legend.addWidget(swatch)
        legend.addStretch(1)
        return legend

    def _data_changed(self, kind: str) -> None:
        if kind in signals.REGION_KINDS:  # not once more for every kind an import also announces
            self.refresh()

    # --- the deadline ---------------------------------------------------------------------
    def _load_deadline(self) -> None:
        from db.ops.settings import deadline_day

        with self.context.database.session() as session:
            self.stored_deadline = deadline_day(session)
        self.deadline.blockSignals(True)
        self.deadline.setValue(self.stored_deadline)
        self.deadline.blockSignals(False)
        self.save_deadline.setEnabled(False)

    def _deadline_edited(self, value: int) -> None:
        self.save_deadline.setEnabled(value != self.stored_deadline)

    def apply_deadline(self) -> None:
        from db.ops.settings import set_deadline_day

        try:
            with self.context.database.session() as session:
                set_deadline_day(session, self.context.user, self.deadline.value())
        except QadamError as exc:
            QMessageBox.warning(self, _("Deadline"), exc.message)
        self._load_deadline()
        self.refresh()

    # --- the grid -------------------------------------------------------------------------
    def refresh(self) -> None:
        span = combo_value(self.span)
        settings.put(SPAN, span)
        self.months = months_ending(combo_value(self.last_month), span)
        with self.context.database.session() as session:
            self.rows = completeness(session, months=self.months,
                                     deadline_day=self.stored_deadline)
        language = self.context.language
        facilities: list[tuple[str, str]] = []
        for row in self.rows:
            if (row.facility_code, row.facility_name) not in facilities:
                facilities.append((row.facility_code, row.facility_name))
        self.table.clear()
        self.table.setRowCount(len(facilities))
        self.table.setColumnCount(len(self.months))
        self.table.setHorizontalHeaderLabels([month_heading(m, language) for m in self.months])
        self.table.setVerticalHeaderLabels([f"№{code} {name}" for code, name in facilities])
        rows_of = {(code, name): number for number, (code, name) in enumerate(facilities)}
        columns_of = {month: number for number, month in enumerate(self.months)}
        for row in self.rows:
            item = QTableWidgetItem(cell_text(row, language, short=True))
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            item.setBackground(QBrush(QColor(f"#{colour_of(row)}")))
            item.setForeground(QBrush(QColor("#000000")))
            item.setToolTip(_("№{code} {name}, {month}\nDeadline: {deadline}").format(
                code=row.facility_code, name=row.facility_name,
                month=month_title(row.month, language),
                deadline=row.deadline.strftime("%d.%m.%Y")) + "\n" + cell_text(row, language))
            self.table.setItem(rows_of[(row.facility_code, row.facility_name)],
                               columns_of[row.month], item)
        self._show_newest()
        self.summary.setText(grid_summary(self.rows, language) if self.rows else _(
            "No facilities yet: import a package, or add the facilities in Reference lists."))
        self.export_button.setEnabled(bool(self.rows))

    def _show_newest(self) -> None:
        """The newest month matters most: keep the grid scrolled to its right end."""
        bar = self.table.horizontalScrollBar()
        bar.setValue(bar.maximum())

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        QTimer.singleShot(0, self._show_newest)  # after the layout has sized the grid

    # --- export ---------------------------------------------------------------------------
    def ask_path(self) -> Path | None:
        return ask_save_path(self, title=_("Save the grid"), suffix="xlsx",
                             name=f"Qadam_completeness_{self.months[0]}_{self.months[-1]}.xlsx")

    def export(self) -> None:
        if not self.rows:
            return
        path = self.ask_path()
        if path is None:
            return
        rows, months, language = list(self.rows), list(self.months), self.context.language
        deadline, today = self.stored_deadline, clock.today()

        def work() -> Path:
            from reports.completeness_excel import write_completeness_xlsx

            return write_completeness_xlsx(rows, months, path, deadline_day=deadline,
                                           today=today, language=language)

        export_file(self, self.context, path, work, what="completeness_xlsx", facility_code="",
                    month=months[-1], offer=lambda written: offer_to_open(self, written))

