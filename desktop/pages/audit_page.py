"""The audit trail (administrators only): who did what to which record and when, filtered,
paged from SQL, and exported to Excel. Read only: the trail cannot be edited anywhere."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db import clock
from db.errors import QadamError
from db.i18n import _, current_language, ngettext
from db.ops.audit_log import (
    TABLE_LABELS,
    AuditFilter,
    AuditRow,
    action_label,
    audit_actions,
    audit_logins,
    audit_rows,
    change_lines,
    count_audit,
    record_export,
    table_label,
)
from desktop.context import AppContext
from desktop.icons import icon
from desktop.open_file import ask_save_path, offer_to_open
from desktop.signals import data_events
from desktop.table_model import Column, Index, PagedTableModel
from desktop.widgets.combo import combo_value, fill_combo
from desktop.widgets.date_field import DateField
from desktop.widgets.search_field import SearchField

SKIPPED_FIELDS = ("id: ", "uuid: ")  # a created record's keys say nothing to a reader
MAX_LINE = 80  # characters of one change in the table; the tooltip and dialog show it all


def action_word(code: str) -> str:
    return action_label(code, current_language())


def table_word(name: str) -> str:
    return table_label(name, current_language())


def record_text(row: AuditRow) -> str:
    words = table_word(row.table_name) if row.table_name else ""
    return f"{words} {row.record_uuid[:8]}".strip() if row.record_uuid else words


def when_text(moment: dt.datetime) -> str:
    """UTC in the database, local time on screen."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone().strftime("%d.%m.%Y %H:%M")


def changes_summary(row: AuditRow) -> str:
    """One line for the table: "surname: Иванов → Петров; name: …", each change shortened."""
    lines = [line if len(line) <= MAX_LINE else line[:MAX_LINE - 1] + "…"
             for line in change_lines(row.action, row.changes)
             if not line.startswith(SKIPPED_FIELDS)]
    return "; ".join(lines)


def changes_full(row: AuditRow) -> str:
    return "\n".join(change_lines(row.action, row.changes))


class AuditModel(PagedTableModel[AuditRow]):
    """The paged model, with the whole change list as the tooltip of a row."""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            row = self.row_at(index.row())
            return "\n".join(p for p in (changes_full(row), row.details) if p) or None
        return super().data(index, role)


def audit_columns() -> list[Column[AuditRow]]:
    return [
        Column("at", lambda: _("When"), lambda r: when_text(r.at)),
        Column("user", lambda: _("User"), lambda r: r.user_login, sortable=False),
        Column("action", lambda: _("Action"), lambda r: action_word(r.action), sortable=False),
        Column("record", lambda: _("Record"), record_text, sortable=False),
        Column("changes", lambda: _("Changes"), changes_summary, sortable=False),
        Column("details", lambda: _("Details"), lambda r: r.details, sortable=False),
    ]


class EntryDialog(QDialog):
    """One entry in full: every changed field on its own line."""

    def __init__(self, row: AuditRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Audit entry"))
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        heading = QLabel(f"{when_text(row.at)} · {row.user_login} · {action_word(row.action)}"
                         + (f" · {record_text(row)}" if row.record_uuid or row.table_name
                            else ""))
        heading.setStyleSheet("font-weight: bold;")
        heading.setWordWrap(True)
        text = QPlainTextEdit("\n".join(p for p in (
            changes_full(row), row.details, row.record_uuid) if p))
        text.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(text, 1)
        layout.addWidget(buttons)
        self.resize(640, 420)


class AuditPage(QWidget):
    page_key = "audit"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.record_uuid: str | None = None
        self._stale = False

        self.user_filter = QComboBox()
        self.action_filter = QComboBox()
        self.table_filter = QComboBox()
        self._fill_choices()
        for combo in (self.user_filter, self.action_filter, self.table_filter):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.date_from = DateField(optional=True)
        self.date_to = DateField(optional=True)
        for field in (self.date_from, self.date_to):
            field.setToolTip(_("Leave empty for no limit"))
            field.dateChanged.connect(lambda _d: self.reload())
        self.search = SearchField(_("Search in changes and details…"))
        self.search.searchChanged.connect(lambda _text: self.reload())
        self.search.setMinimumWidth(160)
        self.record_button = QPushButton(_("Only the selected record"))
        self.record_button.setCheckable(True)
        self.record_button.setToolTip(_("Show the whole history of the selected record"))
        self.record_button.toggled.connect(self._record_toggled)
        self.clear_button = QPushButton(_("Clear filters"))
        self.clear_button.clicked.connect(self.clear_filters)
        self.export_button = QPushButton(icon("save"), _("Excel…"))
        self.export_button.setToolTip(_("Save the entries shown as an Excel file"))
        self.export_button.clicked.connect(self.export)

        # three short rows rather than one long one: the window must fit 1366×768 at 150 %
        top = QHBoxLayout()
        top.addWidget(self.record_button)
        top.addWidget(self.clear_button)
        top.addStretch(1)
        top.addWidget(self.export_button)
        filters = QGridLayout()
        filters.setHorizontalSpacing(6)
        captions = ((_("User"), self.user_filter), (_("Action"), self.action_filter),
                    (_("Records"), self.table_filter))
        for column, (caption, combo) in enumerate(captions):
            label = QLabel(caption)
            label.setBuddy(combo)
            filters.addWidget(label, 0, 2 * column)
            filters.addWidget(combo, 0, 2 * column + 1)
            filters.setColumnStretch(2 * column + 1, 1)
        second = QHBoxLayout()
        second.addWidget(self.search, 1)
        period_label = QLabel(_("Period"))
        period_label.setBuddy(self.date_from)
        second.addWidget(period_label)
        second.addWidget(self.date_from)
        second.addWidget(QLabel("–"))
        second.addWidget(self.date_to)

        self.model = AuditModel(audit_columns(), self._fetch, self._count, sort_key="at",
                                descending=True)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        header.sortIndicatorChanged.connect(self._sort_changed)
        for column, width in enumerate((125, 90, 130, 150, 420)):
            header.resizeSection(column, width)
        self.table.doubleClicked.connect(lambda _index: self.show_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.count_label = QLabel()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addLayout(second)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        # every change writes an entry: reload when next seen rather than on each signal
        data_events().changed.connect(self._data_changed)
        self._update_count()
        self._update_buttons()

    # --- filters ------------------------------------------------------------------------
    def _fill_choices(self) -> None:
        """Users and actions that occur in the trail; kept selected across refreshes."""
        with self.context.database.session() as session:
            logins = audit_logins(session)
            actions = audit_actions(session)
        keep = (combo_value(self.user_filter), combo_value(self.action_filter),
                combo_value(self.table_filter))
        fill_combo(self.user_filter, [(None, _("all"))] + [(name, name) for name in logins],
                   keep[0])
        fill_combo(self.action_filter, [(None, _("all"))] + sorted(
            ((code, action_word(code)) for code in actions), key=lambda pair: pair[1]), keep[1])
        fill_combo(self.table_filter, [(None, _("all"))] + sorted(
            ((name, table_word(name)) for name in TABLE_LABELS), key=lambda pair: pair[1]),
            keep[2])

    def current_filter(self) -> AuditFilter:
        return AuditFilter(user_login=combo_value(self.user_filter),
                           action=combo_value(self.action_filter),
                           table_name=combo_value(self.table_filter),
                           record_uuid=self.record_uuid,
                           date_from=self.date_from.value(), date_to=self.date_to.value(),
                           search=self.search.text().strip())

    def clear_filters(self) -> None:
        for widget in (self.user_filter, self.action_filter, self.table_filter,
                       self.date_from, self.date_to, self.search, self.record_button):
            widget.blockSignals(True)
        self.user_filter.setCurrentIndex(0)
        self.action_filter.setCurrentIndex(0)
        self.table_filter.setCurrentIndex(0)
        self.date_from.clear_value()
        self.date_to.clear_value()
        self.search.clear()
        self.record_button.setChecked(False)
        self.record_uuid = None
        self.record_button.setText(_("Only the selected record"))
        for widget in (self.user_filter, self.action_filter, self.table_filter,
                       self.date_from, self.date_to, self.search, self.record_button):
            widget.blockSignals(False)
        self.reload()

    def _record_toggled(self, checked: bool) -> None:
        row = self.selected_row()
        if checked and (row is None or not row.record_uuid):
            self.record_button.setChecked(False)
            return
        if checked and row is not None:
            self.record_uuid = row.record_uuid
            self.record_button.setText(_("Only {record}").format(record=record_text(row)))
        else:
            self.record_uuid = None
            self.record_button.setText(_("Only the selected record"))
        self.reload()

    # --- rows ---------------------------------------------------------------------------
    def _fetch(self, offset: int, limit: int, _sort: str, descending: bool) -> list[AuditRow]:
        with self.context.database.session() as session:
            return list(audit_rows(session, self.current_filter(), actor=self.context.user,
                                   offset=offset, limit=limit, newest_first=descending))

    def _count(self) -> int:
        with self.context.database.session() as session:
            return count_audit(session, self.current_filter(), actor=self.context.user)

    def reload(self) -> None:
        self._stale = False
        try:
            self.model.reload()
        except QadamError as exc:
            QMessageBox.warning(self, _("Audit trail"), exc.message)
        self._update_count()
        self._update_buttons()

    def _sort_changed(self, _column: int, order: Qt.SortOrder) -> None:
        self.model.sort(0, order)  # only the time orders the trail
        self._update_count()

    def _data_changed(self, _kind: str) -> None:
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._fill_choices()
        if self._stale:
            self.reload()

    def _update_count(self) -> None:
        total = self.model.total
        self.count_label.setText(ngettext("{n} entry", "{n} entries", total).format(n=total))

    def _update_buttons(self) -> None:
        row = self.selected_row()
        self.record_button.setEnabled(self.record_button.isChecked()
                                      or (row is not None and bool(row.record_uuid)))
        self.export_button.setEnabled(self.model.total > 0)

    def selected_row(self) -> AuditRow | None:
        indexes = self.table.selectionModel().selectedRows()
        return self.model.row_at(indexes[0].row()) if indexes else None

    def show_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            EntryDialog(row, self).exec()

    # --- Excel --------------------------------------------------------------------------
    def ask_path(self) -> Path | None:
        return ask_save_path(self, title=_("Save the audit trail"), suffix="xlsx",
                             name=f"Qadam_audit_{clock.today():%Y-%m-%d}.xlsx")

    def export(self) -> None:
        path = self.ask_path()
        if path is None:
            return
        from desktop.tasks import run_task

        database, actor = self.context.database, self.context.user
        audit_filter, language = self.current_filter(), self.context.language
        own = self.context.own_facility()
        facility_code = own.code if own is not None else ""

        def work() -> Path:  # off the GUI thread: its own session, no widgets
            from reports.audit_excel import write_audit_xlsx

            with database.session() as session:
                total = count_audit(session, audit_filter, actor=actor)
                rows = list(audit_rows(session, audit_filter, actor=actor, offset=0,
                                       limit=max(total, 1), newest_first=True))
            written = write_audit_xlsx(rows, path, language=language)
            with database.session() as session:
                # the trail quotes every record's values, IINs included: full personal data
                record_export(session, actor, what="audit_trail", facility_code=facility_code,
                              month=None, personal_data="full", path=str(written))
            return written

        run_task(self, _("Saving {file}…").format(file=path.name), work, self._exported,
                 self._export_failed)

    def _exported(self, path: Path) -> None:
        self.reload()  # the export itself is a new entry
        self.offer_to_open(path)

    def _export_failed(self, error: BaseException) -> None:
        if isinstance(error, QadamError):
            QMessageBox.warning(self, _("The file was not saved"), error.message)
        else:
            QMessageBox.critical(self, _("The file was not saved"), str(error))

    def offer_to_open(self, path: Path) -> None:
        offer_to_open(self, path, title=_("Audit trail saved"),
                      text=_("The audit trail was saved to {path}."))
