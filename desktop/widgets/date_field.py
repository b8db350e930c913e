from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QWidget

DISPLAY_FORMAT = "dd.MM.yyyy"
_EMPTY = QDate(1900, 1, 1)


class DateField(QDateEdit):
    """dd.MM.yyyy with a calendar popup; an optional field shows blank for "not set"."""

    def __init__(self, parent: QWidget | None = None, *, optional: bool = False) -> None:
        super().__init__(parent)
        self.optional = optional
        self.setDisplayFormat(DISPLAY_FORMAT)
        self.setCalendarPopup(True)
        if optional:
            self.setMinimumDate(_EMPTY)
            self.setSpecialValueText(" ")
            self.setDate(_EMPTY)
        else:
            self.setMinimumDate(QDate(1900, 1, 2))
            self.setDate(QDate.currentDate())

    def value(self) -> dt.date | None:
        current = self.date()
        if self.optional and current == _EMPTY:
            return None
        return dt.date(current.year(), current.month(), current.day())

    def set_value(self, value: dt.date | None) -> None:
        if value is None:
            self.setDate(_EMPTY if self.optional else QDate.currentDate())
        else:
            self.setDate(QDate(value.year, value.month, value.day))

    def clear_value(self) -> None:
        if self.optional:
            self.setDate(_EMPTY)
