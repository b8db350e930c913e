"""Importing facilities' packages in the window: open files or drop them, a progress dialog over
the files, and the import history (every attempt, refused ones with their reason).

Files are imported one after another, each in its own transaction off the GUI thread
(reports/package_import.py). A package from a facility the region does not know is not refused
outright: the analyst is asked whether to add the facility, and the file is tried again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QBrush, QColor, QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import select

from db.errors import QadamError
from db.i18n import _
from db.models import Facility
from db.rights import Action, may
from desktop import settings, signals
from desktop.context import AppContext
from desktop.icons import icon
from desktop.tasks import run_task

FOLDER = settings.Setting("import/folder", "")
PACKAGE_SUFFIX = ".xlsx"


def local_time_text(moment: dt.datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone().strftime("%d.%m.%Y %H:%M")


@dataclass
class ImportRun:
    """The files of one open or drop, and what became of them."""

    files: list[Path]
    imported: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
    position: int = 0


class DropArea(QFrame):
    """A dashed box that says where to drop; the whole tab takes the drop."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dropArea")
        self.setStyleSheet("#dropArea { border: 2px dashed #8aa9c1; border-radius: 6px; "
                           "background: #f5f9fc; }")
        self.setMinimumHeight(90)
        text = QLabel(_("Drop the facilities' package files (.xlsx) here"))
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setStyleSheet("color: #3b5b73; font-size: 11pt;")
        text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(text)


class ImportTab(QWidget):
    COLUMNS = 8

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.allowed = may(context.user, Action.IMPORT_PACKAGE)
        self.run: ImportRun | None = None
        self.progress: QProgressDialog | None = None
        self.setAcceptDrops(self.allowed)

        self.open_button = QPushButton(icon("import"), _("Open packages…"))
        self.open_button.setToolTip(_("Import package files received from the facilities "
                                      "(Ctrl+O)"))
        self.open_button.clicked.connect(self.choose_files)
        self.open_button.setEnabled(self.allowed)
        QShortcut(QKeySequence.StandardKey.Open, self, self.choose_files,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        explain = QLabel(_("Each file is checked and imported on its own: a newer revision of "
                           "a facility's month replaces the one held, a damaged or edited file "
                           "is refused and changes nothing.") if self.allowed else _(
            "Only an analyst or an administrator imports packages."))
        explain.setWordWrap(True)
        explain.setStyleSheet("color: #6b6b6b;")
        self.drop_area = DropArea()
        self.drop_area.setVisible(self.allowed)

        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.history = QTableWidget(0, self.COLUMNS)
        self.history.setObjectName("importHistory")
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setWordWrap(False)
        self.history.setHorizontalHeaderLabels([
            _("When"), _("File"), _("Facility"), _("Month"), _("Revision"), _("Result"),
            _("By"), _("Reason")])
        header = self.history.horizontalHeader()
        for column in range(self.COLUMNS - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.COLUMNS - 1, QHeaderView.ResizeMode.Stretch)

        top = QHBoxLayout()
        top.addWidget(self.open_button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(explain)
        layout.addWidget(self.drop_area)
        layout.addWidget(self.summary)
        heading = QLabel(_("Import history"))
        heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(heading)
        layout.addWidget(self.history, 1)
        self.refresh_history()

    # --- choosing files -------------------------------------------------------------------
    def choose_files(self) -> None:
        if not self.allowed or self.run is not None:
            return
        folder = settings.get(FOLDER) or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        chosen, _filter = QFileDialog.getOpenFileNames(
            self, _("Import packages"), folder, _("Qadam packages (*.xlsx)"))
        if chosen:
            settings.put(FOLDER, str(Path(chosen[0]).parent))
            self.import_files([Path(name) for name in chosen])

    @staticmethod
    def dropped_files(event: QDragEnterEvent | QDropEvent) -> list[Path]:
        data = event.mimeData()
        if not data.hasUrls():
            return []
        return [Path(url.toLocalFile()) for url in data.urls()
                if url.isLocalFile() and url.toLocalFile().lower().endswith(PACKAGE_SUFFIX)]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self.allowed and self.run is None and self.dropped_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        files = self.dropped_files(event)
        if not (self.allowed and files and self.run is None):
            event.ignore()
            return
        event.acceptProposedAction()
        self.import_files(files)

    # --- importing ------------------------------------------------------------------------
    def import_files(self, files: list[Path]) -> None:
        """Import the files one after another; the summary and the history show the outcome."""
        if not files or self.run is not None:
            return
        self.run = ImportRun(files=list(files))
        self.progress = QProgressDialog(_("Importing packages…"), "", 0, len(files), self)
        self.progress.setWindowTitle(_("Import packages"))
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setCancelButton(None)  # a file is one transaction; the rest are short
        self.progress.setMinimumDuration(0)
        self.progress.setValue(0)
        self._next()

    def _next(self, add_facility: bool = False) -> None:
        run = self.run
        assert run is not None
        if run.position >= len(run.files):
            self._finish()
            return
        path = run.files[run.position]
        if self.progress is not None:
            self.progress.setLabelText(_("Importing {file} ({n} of {total})…").format(
                file=path.name, n=run.position + 1, total=len(run.files)))
            self.progress.setValue(run.position)
        database, user = self.context.database, self.context.user

        def work() -> str:
            from reports.package_import import import_package

            with database.session() as session:
                result = import_package(session, actor=user, path=path,
                                        add_facility_if_unknown=add_facility)
            return _("{file}: facility №{code}, {month}, revision {revision}").format(
                file=path.name, code=result.facility_code, month=result.month,
                revision=result.revision)

        run_task(self, _("Importing {file}…").format(file=path.name), work,
                 self._imported, self._refused, busy_dialog=False)  # the progress shows it

    def _imported(self, line: str) -> None:
        assert self.run is not None
        self.run.imported.append(line)
        self.run.position += 1
        self._next()

    def _refused(self, error: BaseException) -> None:
        from reports.package_import import UnknownFacility

        run = self.run
        assert run is not None
        path = run.files[run.position]
        if isinstance(error, UnknownFacility) and self._may_add(error):
            self._next(add_facility=True)  # the same file again, adding its facility
            return
        reason = error.message if isinstance(error, QadamError) else str(error)
        run.refused.append((path.name, reason))
        run.position += 1
        self._next()

    def _may_add(self, error: BaseException) -> bool:
        if self.progress is not None:
            self.progress.hide()  # a modal question must not sit behind the progress
        answer = QMessageBox.question(
            self, _("Unknown facility"),
            _("The package comes from the facility №{code} “{name}”, which is not in this "
              "regional database.\n\nAdd the facility and import the package?").format(
                code=getattr(error, "code", ""), name=getattr(error, "name", "")),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if self.progress is not None:
            self.progress.show()
        return answer == QMessageBox.StandardButton.Yes

    def _finish(self) -> None:
        run = self.run
        assert run is not None
        if self.progress is not None:
            self.progress.setValue(len(run.files))
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self.run = None
        self.summary.setText(_("Imported: {imported}, refused: {refused}.").format(
            imported=len(run.imported), refused=len(run.refused)))
        self.summary.setStyleSheet("color: #9c0006; font-weight: bold;" if run.refused
                                   else "color: #006100; font-weight: bold;")
        self.refresh_history()
        if run.imported:  # the registers reload their kinds; the region's tabs reload once
            for kind in (signals.EVENTS, signals.PERSONS, signals.VOLUNTEERS, signals.IMPORTS):
                signals.notify(kind)
        if run.refused:
            lines = "\n\n".join(f"{name}:\n{reason}" for name, reason in run.refused)
            QMessageBox.warning(self, _("Some packages were refused"), _(
                "These files were not imported; the database is unchanged by them:\n\n"
                "{lines}").format(lines=lines))

    # --- history --------------------------------------------------------------------------
    def refresh_history(self) -> None:
        from reports.package_import import REFUSED, import_history

        with self.context.database.session() as session:
            entries = import_history(session)
            codes = {facility.id: facility.code
                     for facility in session.exec(select(Facility))} if entries else {}
        results = {"imported": _("imported"), REFUSED: _("refused")}
        refused_colour = QBrush(QColor("#9c0006"))
        self.history.setRowCount(len(entries))
        for number, entry in enumerate(entries):
            cells = (local_time_text(entry.imported_at), entry.file_name,
                     f"№{codes[entry.facility_id]}" if entry.facility_id in codes else "",
                     entry.month, "" if entry.revision is None else str(entry.revision),
                     results.get(entry.result, entry.result), entry.imported_by,
                     entry.message.replace("\n", " "))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == self.COLUMNS - 1:
                    item.setToolTip(entry.message)
                if entry.result == REFUSED:
                    item.setForeground(refused_colour)
                self.history.setItem(number, column, item)
