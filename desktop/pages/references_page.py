"""Reference lists: add, rename, reorder, retire. An item in use is retired, never deleted."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
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
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.errors import QadamError
from db.i18n import _
from db.ops import references
from db.rights import Action, may
from db.values import ReferenceList
from desktop import signals
from desktop.context import AppContext
from desktop.icons import icon
from desktop.signals import notify
from desktop.widgets.combo import combo_value, fill_combo

LISTS: list[tuple[ReferenceList, Callable[[], str]]] = [
    (ReferenceList.EVENT_KIND, lambda: _("Event kinds")),
    (ReferenceList.TOPIC, lambda: _("Topics")),
    (ReferenceList.AGENCY, lambda: _("Organizing agencies")),
    (ReferenceList.ARTICLE, lambda: _("Criminal Code articles")),
]


class ItemDialog(QDialog):
    def __init__(self, parent: QWidget, title: str, name_ru: str = "", name_kk: str = ""
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.name_ru = QLineEdit(name_ru)
        self.name_kk = QLineEdit(name_kk)
        form = QFormLayout(self)
        form.addRow(_("Name in Russian"), self.name_ru)
        form.addRow(_("Name in Kazakh"), self.name_kk)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(520, 140)


class ReferencesPage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.list_choice = QComboBox()
        fill_combo(self.list_choice, [(name, title()) for name, title in LISTS])
        self.list_choice.currentIndexChanged.connect(lambda _i: self.reload())
        self.list_choice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.list_choice.setMinimumContentsLength(14)
        self.add_button = QPushButton(icon("new"), _("Add"))
        self.rename_button = QPushButton(icon("edit"), _("Rename"))
        self.retire_button = QPushButton(icon("retire"), _("Retire"))
        self.retire_button.setToolTip(_("Hide from new records; old records keep it"))
        self.delete_button = QPushButton(icon("delete"), _("Delete"))
        self.delete_button.setToolTip(_("Only an item that no record uses can be deleted"))
        self.add_button.clicked.connect(self.add_item)
        self.rename_button.clicked.connect(self.rename_item)
        self.retire_button.clicked.connect(self.toggle_retired)
        self.delete_button.clicked.connect(self.delete_item)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([_("In Russian"), _("In Kazakh"), _("Used"),
                                              _("State")])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.rename_item())
        self.note = QLabel()
        self.note.setStyleSheet("color: #6b6b6b;")

        top = QHBoxLayout()
        top.addWidget(QLabel(_("List")))
        top.addWidget(self.list_choice, 1)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.rename_button, self.retire_button,
                       self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        self.editable = may(context.user, Action.EDIT_REFERENCES)
        if not self.editable:
            self.note.setText(_("Only an administrator may change the reference lists."))
        # a bound method: Qt drops the connection when the page is deleted (a lambda would
        # outlive it and touch a deleted widget)
        signals.data_events().changed.connect(self._data_changed)
        self._ids: list[int] = []
        self.reload()

    def _data_changed(self, kind: str) -> None:
        if kind in (signals.REFERENCES, signals.EVENTS):
            self.reload()

    def current_list(self) -> ReferenceList:
        return combo_value(self.list_choice)

    def reload(self) -> None:
        selected = self.selected_id()
        with self.context.database.session() as session:
            items = references.list_items(session, self.current_list(), include_retired=True)
            usage = {item.id: references.usage_count(session, item.id) for item in items}
        self.table.setRowCount(len(items))
        self._ids = []
        for row, item in enumerate(items):
            state = _("retired") if item.retired else _("in use")
            values = (item.name_ru, item.name_kk, str(usage[item.id]), state)
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                if item.retired:
                    cell.setForeground(Qt.GlobalColor.gray)
                if column == 2:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, cell)
            self._ids.append(item.id)
        if selected in self._ids:
            self.table.selectRow(self._ids.index(selected))
        self._update_buttons()

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self._ids):
            return None
        return self._ids[rows[0].row()]

    def _update_buttons(self) -> None:
        has = self.selected_id() is not None
        self.add_button.setEnabled(self.editable)
        for button in (self.rename_button, self.retire_button, self.delete_button):
            button.setEnabled(self.editable and has)
        item_id = self.selected_id()
        if item_id is not None:
            row = self._ids.index(item_id)
            retired = self.table.item(row, 3).text() == _("retired")
            self.retire_button.setText(_("Bring back") if retired else _("Retire"))

    def _run(self, action: Callable[[], object]) -> bool:
        try:
            action()
        except QadamError as exc:
            QMessageBox.warning(self, _("Reference lists"), exc.message)
            return False
        notify(signals.REFERENCES)
        return True

    def add_item(self) -> None:
        dialog = ItemDialog(self, _("New item"))
        if not dialog.exec():
            return

        def create() -> None:
            with self.context.database.session() as session:
                references.create_item(session=session, actor=self.context.user,
                                       list_name=self.current_list(),
                                       name_ru=dialog.name_ru.text(),
                                       name_kk=dialog.name_kk.text())
        self._run(create)

    def rename_item(self) -> None:
        item_id = self.selected_id()
        if item_id is None or not self.editable:
            return
        row = self._ids.index(item_id)
        dialog = ItemDialog(self, _("Rename"), self.table.item(row, 0).text(),
                            self.table.item(row, 1).text())
        if not dialog.exec():
            return

        def rename() -> None:
            with self.context.database.session() as session:
                references.update_item(session=session, actor=self.context.user,
                                       item_id=item_id, name_ru=dialog.name_ru.text(),
                                       name_kk=dialog.name_kk.text())
        self._run(rename)

    def toggle_retired(self) -> None:
        item_id = self.selected_id()
        if item_id is None:
            return
        retired = self.table.item(self._ids.index(item_id), 3).text() == _("retired")

        def toggle() -> None:
            with self.context.database.session() as session:
                references.update_item(session=session, actor=self.context.user,
                                       item_id=item_id, retired=not retired)
        self._run(toggle)

    def delete_item(self) -> None:
        item_id = self.selected_id()
        if item_id is None:
            return
        name = self.table.item(self._ids.index(item_id), 0).text()
        answer = QMessageBox.question(self, _("Delete"), _(
            "Delete {what}? This cannot be undone.").format(what=f"«{name}»"))
        if answer != QMessageBox.StandardButton.Yes:
            return

        def delete() -> None:
            with self.context.database.session() as session:
                references.delete_item(session=session, actor=self.context.user,
                                       item_id=item_id)
        self._run(delete)
