"""Before the window opens: one Qadam per database, a damaged file restored from the newest good
backup, a daily backup, and unexpected errors logged with a friendly dialog."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from db.backups import daily_backup, default_backup_folder, list_backups
from db.database import open_database
from db.storage import quick_check
from desktop import startup

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


def test_startup_daily_backup_failure_is_logged_not_raised(tmp_path: Path) -> None:
    startup.back_up_daily(tmp_path / "absent.db")  # nothing to copy: logged, no exception


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
