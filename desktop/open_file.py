"""After a file is saved: say where it went, and offer to open it or its folder.

Shared by every page that writes files (reports, the audit trail), so they all behave alike."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from db.i18n import _
from desktop import settings

if TYPE_CHECKING:
    from db.months import Month
    from desktop.context import AppContext

FOLDER = settings.Setting("report/folder", "")  # the folder files were last saved to


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


def ask_save_path(parent: QWidget, *, title: str, name: str, suffix: str) -> Path | None:
    """Ask where to save a .xlsx or .pdf, starting in the folder used last (else Documents)
    with `name`; the suffix is added when the user left it out. None when cancelled."""
    folder = settings.get(FOLDER) or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    filters = {"xlsx": _("Excel workbook (*.xlsx)"), "pdf": _("PDF document (*.pdf)")}
    chosen, _filter = QFileDialog.getSaveFileName(parent, title, str(Path(folder) / name),
                                                  filters[suffix])
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != f".{suffix}":
        path = path.with_name(path.name + f".{suffix}")
    settings.put(FOLDER, str(path.parent))
    return path


def export_file(parent: QWidget, context: AppContext, path: Path, write: Callable[[], Path], *,
                what: str, facility_code: str, month: Month | None,
                offer: Callable[[Path], None]) -> None:
    """Write a report file off the GUI thread (`write` makes `path`), note it in the audit
    trail (figures only: personal data "none") and `offer` to open it; a failure is a message
    and leaves no file."""
    from db.errors import QadamError
    from db.ops.audit_log import record_export
    from desktop.tasks import run_task

    def saved(written: Path) -> None:
        with context.database.session() as session:
            record_export(session, context.user, what=what, facility_code=facility_code,
                          month=month, personal_data="none", path=str(written))
        offer(written)

    def failed(error: BaseException) -> None:
        if isinstance(error, QadamError):
            QMessageBox.warning(parent, _("The file was not saved"), error.message)
        else:
            QMessageBox.critical(parent, _("The file was not saved"), str(error))

    run_task(parent, _("Saving {file}…").format(file=path.name), write, saved, failed)
