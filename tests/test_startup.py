"""Before the window opens: one Qadam per database, a damaged file restored from the newest good
backup (the check running while the login dialog is up), a daily backup in the background once
the window is there, and unexpected errors logged with a friendly dialog."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QMainWindow, QMessageBox

from db.backups import BackupKind, daily_backup, default_backup_folder, list_backups
from db.database import Database, open_database, sqlite_url
from db.storage import quick_check
from desktop import app as desktop_app
from desktop import startup, tasks
from desktop.login import LoginDialog

ROOT = Path(__file__).resolve().parent.parent


def make_db(path: Path) -> Path:
    open_database(path, create=True).dispose()
    return path


def test_startup_second_qadam_is_told_who_holds_the_database(tmp_path: Path) -> None:
    path = make_db(tmp_path / "q.db")
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from PySide6.QtCore import QLockFile
        from db.instance_lock import lock_path
        lock = QLockFile(str(lock_path(__import__('pathlib').Path({str(path)!r}))))
        lock.setStaleLockTime(0)
        assert lock.tryLock(100)
        print("locked", flush=True)
        time.sleep(30)
        """)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(startup.StartRefused, match=str(holder.pid)):
            startup.take_instance_lock(path)
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.1)
    lock = startup.take_instance_lock(path)  # the dead holder's lock is stale at once
    lock.unlock()


def test_startup_damaged_database_offers_the_newest_good_backup(tmp_path: Path,
                                                                dialogs) -> None:
    path = make_db(tmp_path / "q.db")
    assert daily_backup(path, default_backup_folder()) is not None
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 512):  # wreck every page after the first
        data[offset:offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    assert quick_check(path) is not None
    dialogs.answers.append(QMessageBox.StandardButton.Yes)
    startup.check_health(path)
    assert "повреждена" in dialogs.asked[-1] or "damaged" in dialogs.asked[-1]
    assert quick_check(path) is None
    assert any(info.kind == "damaged" for info in list_backups(default_backup_folder(), "q"))


def test_startup_damaged_database_not_restored_when_refused(tmp_path: Path, dialogs) -> None:
    path = make_db(tmp_path / "q.db")
    daily_backup(path, default_backup_folder())
    path.write_bytes(path.read_bytes()[:100] + b"\x00" * 5000)
    dialogs.answers.append(QMessageBox.StandardButton.No)
    with pytest.raises(startup.StartRefused):
        startup.check_health(path)


def wreck(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 512):  # every page after the first
        data[offset:offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))


def test_startup_opening_checks_in_a_thread_then_opens(qtbot, tmp_path: Path) -> None:
    path = make_db(tmp_path / "q.db")
    opening = startup.DatabaseOpening(path)
    try:
        with qtbot.waitSignal(opening.ready, timeout=10_000):
            pass
        assert opening.error is None and opening.database is not None
        assert opening.wait() is opening.database
    finally:
        opening.close()


@pytest.mark.parametrize("answer", [QMessageBox.StandardButton.Yes,
                                    QMessageBox.StandardButton.No])
def test_startup_opening_of_a_damaged_database_offers_the_backup(qtbot, tmp_path: Path, dialogs,
                                                                 answer) -> None:
    path = make_db(tmp_path / f"damaged-{answer.name}.db")  # backups of its own name
    assert daily_backup(path, default_backup_folder()) is not None
    wreck(path)
    dialogs.answers.append(answer)
    opening = startup.DatabaseOpening(path)
    try:
        if answer == QMessageBox.StandardButton.Yes:
            assert opening.wait() is not None
            assert quick_check(path) is None
        else:
            with pytest.raises(startup.StartRefused):
                opening.wait()
            assert opening.database is None and quick_check(path) is not None
        assert "повреждена" in dialogs.asked[-1] or "damaged" in dialogs.asked[-1]
    finally:
        opening.close()


def test_startup_login_typed_during_the_check_waits_for_it(qtbot, database, admin,
                                                           monkeypatch) -> None:
    """The login dialog is up while the database is checked; "Log in" pressed before the
    check has passed logs in once it has."""
    gate = threading.Event()

    def slow_check(path: Path) -> str | None:
        gate.wait(10)
        return quick_check(path)

    monkeypatch.setattr(startup, "quick_check", slow_check)
    seen: dict[str, object] = {}

    def user_types(dialog: LoginDialog) -> int:
        seen["heading"] = [label.text() for label in dialog.findChildren(type(dialog.waiting))]
        dialog.login.setText("admin")
        dialog.password.setText("correct horse")
        dialog.try_login()
        seen["waited"] = (dialog.user is None and not dialog.waiting.isHidden()
                          and not dialog.login_button.isEnabled())
        gate.set()
        qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=10_000)
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", user_types)
    opening = startup.DatabaseOpening(database.path)
    try:
        user = desktop_app.sign_in(opening)
        assert user is not None and user.login == "admin"
        assert seen["waited"] is True
        assert any("69" in text for text in seen["heading"])  # "Facility №69", via sqlite3
        assert opening.database is not None and opening.error is None
    finally:
        gate.set()
        opening.close()


def test_startup_refused_damaged_database_closes_the_login(qtbot, database, admin, dialogs,
                                                           monkeypatch) -> None:
    monkeypatch.setattr(startup, "quick_check", lambda _path: "malformed")
    monkeypatch.setattr(startup, "newest_good_backup", lambda _folder, _stem: None)

    def waits(dialog: LoginDialog) -> int:
        qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Rejected
                        and opening.done, timeout=10_000)
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", waits)
    opening = startup.DatabaseOpening(database.path)
    try:
        with pytest.raises(startup.StartRefused, match="malformed"):
            desktop_app.sign_in(opening)
    finally:
        opening.close()


def test_startup_daily_backup_runs_in_the_background(qtbot, tmp_path: Path) -> None:
    database = open_database(make_db(tmp_path / "background.db"))  # no backup made today
    window = QMainWindow()
    qtbot.addWidget(window)
    startup.back_up_daily_in_background(window, database)
    qtbot.waitUntil(lambda: "backup" in window.statusBar().currentMessage()
                    or "копия" in window.statusBar().currentMessage(), timeout=10_000)
    made = [info for info in list_backups(default_backup_folder(), database.path.stem)
            if info.kind == BackupKind.DAILY]
    assert len(made) == 1 and made[0].path.name in window.statusBar().currentMessage()
    assert tasks.wait_for_all()
    startup.back_up_daily_in_background(window, database)  # made today already: quiet
    assert tasks.wait_for_all()
    qtbot.wait(50)
    assert len(list_backups(default_backup_folder(), database.path.stem)) == 1
    database.dispose()


def test_startup_daily_backup_failure_is_logged_and_shown(qtbot, tmp_path: Path,
                                                          dialogs) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    absent = tmp_path / "absent.db"
    startup.back_up_daily_in_background(window, Database(sqlite_url(absent), absent))
    qtbot.waitUntil(lambda: bool(dialogs.said), timeout=10_000)
    assert str(absent) in dialogs.said[-1]
    assert not absent.exists()


def test_startup_restore_waits_for_the_daily_backup(qtbot, database, monkeypatch) -> None:
    """A restore disposes the database first: that waits until the daily backup's copy is
    made, so the file is never replaced under it."""
    copying, release = threading.Event(), threading.Event()

    def slow_backup(path: Path, folder: Path | None = None) -> None:
        copying.set()
        release.wait(10)

    monkeypatch.setattr(startup, "daily_backup", slow_backup)
    window = QMainWindow()
    qtbot.addWidget(window)
    startup.back_up_daily_in_background(window, database)
    assert copying.wait(10)
    disposed = threading.Event()
    closer = threading.Thread(target=lambda: (database.dispose(), disposed.set()))
    closer.start()
    assert not disposed.wait(0.3)  # still copying
    release.set()
    assert disposed.wait(10)
    closer.join()
    assert tasks.wait_for_all()


def test_startup_unexpected_error_is_logged_and_shown(tmp_path: Path, dialogs,
                                                      monkeypatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    logs = startup.install_crash_handler()
    try:
        raise RuntimeError("проверка журнала")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    assert dialogs.said and "проверка журнала" in dialogs.said[-1]
    assert str(logs) in dialogs.said[-1]  # the dialog says where the log is
    assert "проверка журнала" in logs.read_text(encoding="utf-8")
