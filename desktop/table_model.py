"""A table model that fetches rows from SQL in pages, as the view scrolls.

Filtering and sorting happen in SQL (the fetch function gets the sort key); the view never
holds more rows than the user scrolled through, so a 100,000-row register opens at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Row = TypeVar("Row")
PAGE_SIZE = 200

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[Row]):
    key: str  # the sort key the fetch function understands
    header: Callable[[], str]  # called at display time, so the language can change
    value: Callable[[Row], Any]
    align_right: bool = False
    sortable: bool = True


# fetch(offset, limit, sort_key, descending) -> rows; count() -> total rows for the filter
Fetch = Callable[[int, int, str, bool], Sequence[Row]]
Count = Callable[[], int]


class PagedTableModel(QAbstractTableModel, Generic[Row]):
    def __init__(self, columns: list[Column[Row]], fetch: Fetch, count: Count, *,
                 sort_key: str, descending: bool = False, page_size: int = PAGE_SIZE) -> None:
        super().__init__()
        self.columns = columns
        self._fetch = fetch
        self._count = count
        self.sort_key = sort_key
        self.descending = descending
        self.page_size = page_size
        self._rows: list[Row] = []
        self._total = 0
        self.reload()

    # --- data ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Start again from the first page (filter, sort or data changed)."""
        self.beginResetModel()
        self._total = self._count()
        self._rows = list(self._fetch(0, min(self.page_size, self._total), self.sort_key,
                                      self.descending)) if self._total else []
        self.endResetModel()

    @property
    def total(self) -> int:
        return self._total

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802, B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802, B008
        if parent.isValid():
            return
        start = len(self._rows)
        more = list(self._fetch(start, self.page_size, self.sort_key, self.descending))
        if not more:
            self._total = start
            return
        self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = column.value(self._rows[index.row()])
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header()
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not self.columns[column].sortable:
            return
        self.sort_key = self.columns[column].key
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    def column_of(self, key: str) -> int:
        for number, column in enumerate(self.columns):
            if column.key == key:
                return number
        return 0
