"""What every register page shares: toolbar, debounced search, paged sortable table, editor."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.errors import QadamError
from db.i18n import _, ngettext
from desktop import settings
from desktop.context import AppContext
from desktop.icons import icon
from desktop.signals import data_events, notify
from desktop.table_model import Column, PagedTableModel
from desktop.widgets.search_field import SearchField


class RegisterPage(QWidget):
    page_key = "register"
    watch: frozenset[str] = frozenset()
    default_sort = "id"
    default_descending = False

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.search = SearchField(self.search_placeholder())
        self.search.searchChanged.connect(lambda _text: self.reload())
        self.new_button = QPushButton(icon("new"), _("New"))
        self.new_button.setToolTip(_("New record (Ctrl+N)"))
        self.edit_button = QPushButton(icon("edit"), _("Open"))
        self.edit_button.setToolTip(_("Open the selected record (Enter)"))
        self.delete_button = QPushButton(icon("delete"), _("Delete"))
        self.delete_button.setToolTip(_("Delete the selected record (Del)"))
        self.new_button.clicked.connect(lambda: self.open_editor(None))
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")

        self.filters = QHBoxLayout()
        self.filters.setSpacing(6)
        self.build_filters()
        for number in range(self.filters.count()):
            combo = self.filters.itemAt(number).widget()
            if isinstance(combo, QComboBox):
                # long names must not widen the window past a small screen at 150 %
                combo.setSizeAdjustPolicy(
                    QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                combo.setMinimumContentsLength(9)
        self.search.setMinimumWidth(140)

        # two rows, so the window still fits a small screen at 150 % scaling
        top = QHBoxLayout()
        top.addWidget(self.new_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.delete_button)
        top.addStretch(1)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 2)
        search_row.addLayout(self.filters, 3)

        self.model: PagedTableModel[Any] = PagedTableModel(
            self.columns(), self._fetch, self._count, sort_key=self.default_sort,
            descending=self.default_descending)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(self.model.column_of(self.default_sort),
                                Qt.SortOrder.DescendingOrder if self.default_descending
                                else Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._sort_changed)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._restore_columns()
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(500)
        self._save_timer.timeout.connect(self._save_columns)
        header.sectionResized.connect(lambda *_: self._save_timer.start())
        header.sectionMoved.connect(lambda *_: self._save_timer.start())

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(search_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        for keys, slot in ((Qt.Key.Key_Return, self.edit_selected),
                           (Qt.Key.Key_Enter, self.edit_selected),
                           (QKeySequence.StandardKey.Delete, self.delete_selected)):
            shortcut = QShortcut(QKeySequence(keys), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        data_events().changed.connect(self._data_changed)
        self._update_count()
        self._update_buttons()

    # --- to override --------------------------------------------------------------------
    def columns(self) -> list[Column[Any]]:
        raise NotImplementedError

    def search_placeholder(self) -> str:
        return _("Search…")

    def build_filters(self) -> None:
        """Add filter widgets to self.filters; call self.reload() when they change."""

    def fetch_rows(self, offset: int, limit: int, sort: str, descending: bool) -> list[Any]:
        raise NotImplementedError

    def count_rows(self) -> int:
        raise NotImplementedError

    def open_editor(self, row_id: int | None) -> None:
        raise NotImplementedError

    def delete_record(self, row_id: int) -> None:
        raise NotImplementedError

    def describe(self, row: Any) -> str:
        return ""

    # --- shared behaviour ---------------------------------------------------------------
    def _fetch(self, offset: int, limit: int, sort: str, descending: bool) -> list[Any]:
        return self.fetch_rows(offset, limit, sort, descending)

    def _count(self) -> int:
        return self.count_rows()

    def reload(self) -> None:
        selected = self.selected_id()
        self.model.reload()
        self._update_count()
        if selected is not None:
            self.select_id(selected)
        self._update_buttons()

    def _sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        self.model.sort(column, order)
        self._update_count()

    def _data_changed(self, kind: str) -> None:
        if kind in self.watch:
            self.reload()

    def _update_count(self) -> None:
        total = self.model.total
        self.count_label.setText(ngettext("{n} record", "{n} records", total).format(n=total))

    def _update_buttons(self) -> None:
        has = self.selected_id() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def selected_row(self) -> Any | None:
        indexes = self.table.selectionModel().selectedRows()
        if not indexes:
            return None
        return self.model.row_at(indexes[0].row())

    def selected_id(self) -> int | None:
        row = self.selected_row()
        return None if row is None else row.id

    def select_id(self, row_id: int) -> bool:
        for number in range(self.model.rowCount()):
            if self.model.row_at(number).id == row_id:
                self.table.selectionModel().select(
                    self.model.index(number, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
                self.table.scrollTo(self.model.index(number, 0))
                return True
        return False

    def edit_selected(self) -> None:
        row_id = self.selected_id()
        if row_id is not None:
            self.open_editor(row_id)

    def delete_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        answer = QMessageBox.question(
            self, _("Delete"),
            _("Delete {what}? This cannot be undone.").format(what=self.describe(row)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.delete_record(row.id)
        except QadamError as exc:
            QMessageBox.warning(self, _("Cannot delete"), exc.message)
            return
        for kind in self.watch:
            notify(kind)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _restore_columns(self) -> None:
        state = settings.get(settings.column_widths(self.page_key))
        header = self.table.horizontalHeader()
        if isinstance(state, QByteArray) and not state.isEmpty():
            header.restoreState(state)
        else:
            for number, width in enumerate(self.default_widths()):
                header.resizeSection(number, width)

    def default_widths(self) -> list[int]:
        return [140] * len(self.columns())

    def _save_columns(self) -> None:
        settings.put(settings.column_widths(self.page_key),
                     self.table.horizontalHeader().saveState())
