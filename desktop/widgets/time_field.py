from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLineEdit, QWidget


class TimeField(QLineEdit):
    """An optional time typed as HH:MM (digits only; blank means "no time")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setInputMask("99:99;_")
        self.setMaximumWidth(70)

    def is_blank(self) -> bool:
        return not any(c.isdigit() for c in self.text())

    def value(self) -> dt.time | None:
        """The time, None when blank; ValueError when typed but not a time of day."""
        if self.is_blank():
            return None
        hours, _, minutes = self.text().partition(":")
        if not hours.strip().isdigit() or not minutes.strip().isdigit():
            raise ValueError(self.text())
        return dt.time(int(hours), int(minutes))

    def set_value(self, value: dt.time | None) -> None:
        self.setText("" if value is None else value.strftime("%H:%M"))
