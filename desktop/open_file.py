"""After a file is saved: say where it went, and offer to open it or its folder.

Shared by every page that writes files (reports, the audit trail), so they all behave alike."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from db.i18n import _


def offer_to_open(parent: QWidget, path: Path, *, title: str | None = None,
                  text: str | None = None) -> None:
    """Tell where `path` was saved; open the file or its folder when the user asks.

    `text` may name the place with {path}; the default speaks of a report."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title or _("Report saved"))
    box.setText((text or _("The report was saved to {path}.")).format(path=path))
    open_file = box.addButton(_("Open the file"), QMessageBox.ButtonRole.AcceptRole)
    open_folder = box.addButton(_("Open the folder"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    if box.clickedButton() is open_file:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    elif box.clickedButton() is open_folder:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
