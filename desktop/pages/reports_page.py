"""Reports: the monthly report to the regional department (figures, Excel, PDF)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from db.i18n import _
from desktop.context import AppContext


class ReportsPage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        title = QLabel(_("Monthly report"))
        title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        text = QLabel(_("The monthly report for the regional department (figures on screen, "
                        "Excel and PDF) is being prepared for the next version of Qadam."))
        text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addStretch(1)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
