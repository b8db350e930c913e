"""Backups in Settings: the automatic copies, a copy to a chosen file, and a restore."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.backups import BackupInfo, backup_to, default_backup_folder, list_backups, restore_from
from db.errors import QadamError
from db.i18n import _
from db.ops.common import transaction, write_audit
from db.rights import Action, may
from desktop.context import AppContext
from desktop.icons import icon
from desktop.tasks import run_task


def kind_word(info: BackupInfo) -> str:
    words = {"daily": _("daily"), "before-upgrade": _("before an upgrade"),
             "before-restore": _("before a restore"), "damaged": _("damaged copy")}
    return words.get(str(info.kind), _("other"))


class BackupsBox(QGroupBox):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(_("Backups"), parent)
        self.context = context
        self.path = context.database.path
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([_("Made"), _("Kind"), _("Size")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMaximumHeight(170)
        self.backup_button = QPushButton(icon("save"), _("Back up to a file…"))
        self.backup_button.setToolTip(_("A checked copy of the database, e.g. on a USB stick"))
        self.backup_button.clicked.connect(self.back_up)
        self.restore_button = QPushButton(icon("retire"), _("Restore the selected backup…"))
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button = QPushButton(_("Restore from a file…"))
        self.restore_file_button.clicked.connect(self.restore_file)
        allowed = may(context.user, Action.BACKUP)
        for button in (self.backup_button, self.restore_button, self.restore_file_button):
            button.setEnabled(allowed and self.path is not None)
        # buttons beside the list, one under another: long Kazakh labels must not widen the
        # window past a small screen
        buttons = QVBoxLayout()
        for button in (self.backup_button, self.restore_button, self.restore_file_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._infos: list[BackupInfo] = []
        self.reload()

    def reload(self) -> None:
        if self.path is None:
            return
        self._infos = list_backups(default_backup_folder(), self.path.stem)
        self.table.setRowCount(len(self._infos))
        for row, info in enumerate(self._infos):
            values = (info.created.strftime("%d.%m.%Y %H:%M"), kind_word(info),
                      f"{info.size / 1_048_576:.1f} MB")
            for column, text in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def _audit(self, action: str, details: str) -> None:
        with self.context.database.session() as session, transaction(session):
            write_audit(session, self.context.user, action, details=details)

    def back_up(self) -> None:
        assert self.path is not None
        start = str(Path.home() / f"{self.path.stem}-backup.db")
        chosen, _filter = QFileDialog.getSaveFileName(self, _("Back up to a file"), start,
                                                      _("Qadam database (*.db)"))
        if not chosen:
            return
        source = self.path

        def done(target: Path) -> None:
            self._audit("backup", str(target))
            QMessageBox.information(self, _("Backups"), _(
                "The backup was written to {path} and checked.").format(path=target))

        run_task(self, _("Backing up…"), lambda: backup_to(source, Path(chosen)), done,
                 self._failed)

    def _failed(self, error: BaseException) -> None:
        message = error.message if isinstance(error, QadamError) else str(error)
        QMessageBox.warning(self, _("Backups"), message)

    def restore_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.restore(self._infos[rows[0].row()].path)

    def restore_file(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(self, _("Restore from a file"),
                                                      str(Path.home()),
                                                      _("Qadam database (*.db)"))
        if chosen:
            self.restore(Path(chosen))

    def _wait_for_file_work(self) -> None:
        """The daily backup may still be copying the file in the background (seconds on a big
        database): say so while the restore waits for it, instead of a frozen window."""
        database = self.context.database
        if not database.file_work_running():
            return
        dialog = QProgressDialog(_("The daily backup is still being written; the restore "
                                   "starts when it is done…"), "", 0, 0, self)
        dialog.setWindowTitle(_("Restore"))
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.show()
        try:
            while database.file_work_running():
                QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
                time.sleep(0.02)
        finally:
            dialog.close()
            dialog.deleteLater()

    def restore(self, backup: Path) -> None:
        """The current data are kept as a safety copy; Qadam closes afterwards, because every
        open list still shows the old data."""
        assert self.path is not None
        answer = QMessageBox.question(self, _("Restore"), _(
            "Replace the current data by the backup {name}? The current database is kept as "
            "a safety copy first. Qadam closes afterwards; start it again.").format(
                name=backup.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._audit("restore", str(backup))
        self._wait_for_file_work()
        self.context.database.dispose()  # restore refuses a database that is still open
        try:
            restore_from(backup, self.path, safety_folder=default_backup_folder())
        except QadamError as exc:
            QMessageBox.warning(self, _("Restore"), exc.message)
            return
        QMessageBox.information(self, _("Restore"), _(
            "The backup was restored. Qadam closes now; start it again."))
        QApplication.quit()
