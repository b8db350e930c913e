"""Backups in Settings: the list of automatic copies, a copy to a file, a restore."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from ops_support import new_person
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from sqlmodel import select

from db.backups import backup_to, daily_backup, default_backup_folder
from db.database import open_database
from db.models import Person
from desktop import tasks
from desktop.context import AppContext
from desktop.pages.backups_box import BackupsBox

pytestmark = pytest.mark.usefixtures("fixed_today")


def test_backups_box_lists_copies_and_backs_up_to_a_file(qtbot, database, admin, tmp_path,
                                                          monkeypatch) -> None:
    monkeypatch.setattr(tasks, "runner", [tasks.run_now])
    daily_backup(database.path, default_backup_folder())
    box = BackupsBox(AppContext(database, admin))
    qtbot.addWidget(box)
    assert box.table.rowCount() >= 1
    target = tmp_path / "usb.db"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    box.back_up()
    assert target.exists() and target.stat().st_size > 0


def test_backups_box_restore_brings_back_the_backed_up_rows(qtbot, database, admin, dialogs,
                                                            monkeypatch, tmp_path) -> None:
    with database.session() as session:
        new_person(session, admin, surname="До")
    copy = backup_to(database.path, tmp_path / "before.db")
    with database.session() as session:
        new_person(session, admin, surname="После")
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", lambda: quits.append(True))
    box = BackupsBox(AppContext(database, admin))
    qtbot.addWidget(box)
    dialogs.answers.append(QMessageBox.StandardButton.Yes)
    box.restore(Path(copy))
    assert quits == [True]
    again = open_database(database.path)
    with again.session() as session:
        surnames = sorted(p.surname for p in session.exec(select(Person)))
    again.dispose()
    assert surnames == ["До"]


def test_backups_box_disabled_for_an_operator(qtbot, database, admin) -> None:
    from db.models import User

    operator = User(login="op", full_name="Оператор", role="operator", password_hash="x")
    box = BackupsBox(AppContext(database, operator))
    qtbot.addWidget(box)
    assert not box.backup_button.isEnabled() and not box.restore_button.isEnabled()


def test_backups_box_restore_waits_for_the_daily_backup_and_says_so(qtbot, database, admin,
                                                                   dialogs, monkeypatch,
                                                                   tmp_path) -> None:
    """A restore asked while the daily backup still copies the file (in the background)
    waits for it behind a message, not a frozen window, then restores."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog

    with database.session() as session:
        new_person(session, admin, surname="До")
    copy = backup_to(database.path, tmp_path / "before.db")
    with database.session() as session:
        new_person(session, admin, surname="После")
    monkeypatch.setattr(QApplication, "quit", lambda: None)
    box = BackupsBox(AppContext(database, admin))
    qtbot.addWidget(box)
    copying = database.file_work()  # the daily backup, still under way
    shown: list[str] = []
    # the backup's thread ends it after a while; meanwhile the window must still run events
    threading.Timer(0.8, copying).start()
    QTimer.singleShot(200, lambda: shown.extend(
        d.labelText() for d in box.findChildren(QProgressDialog) if d.isVisible()))
    dialogs.answers.append(QMessageBox.StandardButton.Yes)
    box.restore(Path(copy))
    assert shown and "резервная копия" in shown[0]
    again = open_database(database.path)
    with again.session() as session:
        surnames = sorted(p.surname for p in session.exec(select(Person)))
    again.dispose()
    assert surnames == ["До"]
