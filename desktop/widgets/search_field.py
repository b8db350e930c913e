from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

DEBOUNCE_MS = 250


class SearchField(QLineEdit):
    """A search box that reports its text once the user pauses typing, not on every key."""

    searchChanged = Signal(str)

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(lambda: self.searchChanged.emit(self.text()))
        self.textChanged.connect(lambda _text: self._timer.start())

    def flush(self) -> None:
        """Report now (Enter pressed, or a test that does not want to wait)."""
        self._timer.stop()
        self.searchChanged.emit(self.text())

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        from PySide6.QtCore import Qt

        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.flush()
            return
        super().keyPressEvent(event)
