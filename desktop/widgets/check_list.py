from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

MAX_HEIGHT = 190


class CheckList(QListWidget):
    """A multi-select list of (id, text) with a checkbox each."""

    selectionChangedIds = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.itemChanged.connect(lambda _item: self.selectionChangedIds.emit())
        self.setWordWrap(True)  # long article titles wrap instead of scrolling sideways
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setMaximumHeight(MAX_HEIGHT)

    def set_items(self, items: list[tuple[int, str]], checked: set[int] | None = None) -> None:
        self.blockSignals(True)
        self.clear()
        for item_id, text in items:
            item = QListWidgetItem(text, self)
            item.setData(Qt.ItemDataRole.UserRole, item_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if checked and item_id in checked
                               else Qt.CheckState.Unchecked)
        self.blockSignals(False)
        self.selectionChangedIds.emit()

    def checked_ids(self) -> list[int]:
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]

    def set_checked(self, item_id: int, checked: bool = True) -> None:
        for i in range(self.count()):
            if self.item(i).data(Qt.ItemDataRole.UserRole) == item_id:
                self.item(i).setCheckState(Qt.CheckState.Checked if checked
                                           else Qt.CheckState.Unchecked)
