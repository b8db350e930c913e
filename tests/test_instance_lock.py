"""One program at a time on a database: our lock file is Qt's QLockFile, seen from both sides."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLockFile

from db.instance_lock import (
    DatabaseInUse,
    Holder,
    acquire_cli_lock,
    lock_contents,
    lock_path,
    machine_name,
    own_process_name,
    read_holder,
    require_not_held,
)

posix_only = pytest.mark.skipif(os.name == "nt", reason="flock/readlink checks of Unix")

HOLD_SCRIPT = """
import sys
from PySide6.QtCore import QLockFile
lock = QLockFile(sys.argv[1])
lock.setStaleLockTime(0)
print("locked" if lock.tryLock(0) else "refused", flush=True)
sys.stdin.readline()
"""


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "qadam.db"


@pytest.fixture
def window_elsewhere(db_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process (the window) holding the database's QLockFile."""
    process = subprocess.Popen([sys.executable, "-c", HOLD_SCRIPT, str(lock_path(db_path))],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "locked"
        yield process
    finally:
        process.kill()
        process.wait(10)


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait(10)  # reaped: the pid now names no process (until reused)
    return process.pid


def test_instance_lock_path_is_beside_the_database(db_path: Path) -> None:
    assert lock_path(db_path) == db_path.with_name("qadam.db.lock")


def test_instance_lock_contents_are_byte_for_byte_what_qt_writes(db_path: Path) -> None:
    lock = QLockFile(str(lock_path(db_path)))
    assert lock.tryLock(0)
    try:
        assert lock_path(db_path).read_bytes() == lock_contents()
    finally:
        lock.unlock()


def test_instance_lock_read_holder_finds_a_qlockfile_of_this_process(db_path: Path) -> None:
    lock = QLockFile(str(lock_path(db_path)))
    assert lock.tryLock(0)
    try:
        holder = read_holder(db_path)
        assert holder == Holder(pid=os.getpid(), app_name=own_process_name(),
                                host=machine_name(), alive=True)
        require_not_held(db_path)  # our own window's lock does not stop us
    finally:
        lock.unlock()
    assert read_holder(db_path) is None


def test_instance_lock_another_window_is_named_and_refused(
        db_path: Path, window_elsewhere: subprocess.Popen[str]) -> None:
    holder = read_holder(db_path)
    assert holder is not None and holder.alive and holder.pid == window_elsewhere.pid
    with pytest.raises(DatabaseInUse) as refused:
        require_not_held(db_path)
    assert refused.value.holder == holder
    assert str(window_elsewhere.pid) in refused.value.message
    assert machine_name() in refused.value.message
    with pytest.raises(DatabaseInUse), acquire_cli_lock(db_path):
        pytest.fail("the command ran while the window held the database")
    assert lock_path(db_path).exists()  # the window's lock is left alone


def test_instance_lock_a_killed_window_leaves_a_stale_lock(
        db_path: Path, window_elsewhere: subprocess.Popen[str]) -> None:
    window_elsewhere.kill()
    window_elsewhere.wait(10)
    assert lock_path(db_path).exists()
    assert read_holder(db_path) is None
    require_not_held(db_path)
    with acquire_cli_lock(db_path):
        holder = read_holder(db_path)
        assert holder is not None and holder.pid == os.getpid()
    assert not lock_path(db_path).exists()


def test_instance_lock_cli_lock_keeps_qt_out(db_path: Path) -> None:
    with acquire_cli_lock(db_path) as path:
        assert path == lock_path(db_path)
        assert path.read_bytes() == lock_contents()
        lock = QLockFile(str(path))
        assert not lock.tryLock(0)
        assert lock.error() == QLockFile.LockError.LockFailedError
        # Qt's own lock info names us (PySide6 returns C++'s pointer arguments)
        assert lock.getLockInfo() == (os.getpid(), machine_name(), own_process_name())
    assert not lock_path(db_path).exists()
    lock = QLockFile(str(lock_path(db_path)))
    assert lock.tryLock(0)
    lock.unlock()


def test_instance_lock_cli_lock_survives_qts_stale_age(db_path: Path) -> None:
    """Qt treats a lock older than staleLockTime as stale and deletes it; the flock and fcntl
    locks we hold (as Qt does) stop that while the command runs."""
    with acquire_cli_lock(db_path):
        lock = QLockFile(str(lock_path(db_path)))
        lock.setStaleLockTime(1)
        time.sleep(0.05)
        assert not lock.tryLock(0)
        assert lock_path(db_path).exists()


def test_instance_lock_a_command_is_refused_by_a_running_command(db_path: Path) -> None:
    script = ("import sys, time\nfrom db.instance_lock import acquire_cli_lock\n"
              "with acquire_cli_lock(sys.argv[1]):\n"
              "    print('locked', flush=True)\n    sys.stdin.readline()\n")
    process = subprocess.Popen([sys.executable, "-c", script, str(db_path)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                               cwd=Path(__file__).resolve().parent.parent)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "locked"
        with pytest.raises(DatabaseInUse, match=str(process.pid)), acquire_cli_lock(db_path):
            pass
        assert not QLockFile(str(lock_path(db_path))).tryLock(0)
    finally:
        process.communicate("\n", timeout=10)
    assert not lock_path(db_path).exists()


def test_instance_lock_nested_cli_lock_in_one_process(db_path: Path) -> None:
    with acquire_cli_lock(db_path):
        with acquire_cli_lock(db_path):
            pass
        assert lock_path(db_path).exists()  # the outer command still holds it
    assert not lock_path(db_path).exists()


def test_instance_lock_stale_lock_of_a_dead_process(db_path: Path) -> None:
    pid = dead_pid()
    lock_path(db_path).write_bytes(f"{pid}\n{own_process_name()}\n{machine_name()}\n".encode())
    assert read_holder(db_path) is None
    with acquire_cli_lock(db_path):
        assert read_holder(db_path) is not None
    assert not lock_path(db_path).exists()


def test_instance_lock_lock_from_before_a_restart_is_stale(db_path: Path) -> None:
    lines = lock_contents().decode().split("\n")
    lines[4] = "00000000-0000-0000-0000-000000000000"  # another boot of this computer
    lock_path(db_path).write_text("\n".join(lines), encoding="utf-8")
    if lock_contents().decode().split("\n")[4]:
        assert read_holder(db_path) is None
    else:
        pytest.skip("this system has no boot id")


@posix_only
def test_instance_lock_pid_reused_by_another_program_is_stale(db_path: Path) -> None:
    other = subprocess.Popen(["sleep", "30"])
    try:
        lock_path(db_path).write_bytes(f"{other.pid}\nQadam.exe\n{machine_name()}\n".encode())
        if not sys.platform.startswith("linux"):
            pytest.skip("process names are read on Linux and Windows")
        assert read_holder(db_path) is None
    finally:
        other.kill()
        other.wait(10)


def test_instance_lock_lock_of_another_computer_is_respected(db_path: Path) -> None:
    lock_path(db_path).write_bytes(b"4242\nQadam.exe\nPC-12\nsome-other-machine-id\n\n")
    holder = read_holder(db_path)
    assert holder == Holder(pid=4242, app_name="Qadam.exe", host="PC-12", alive=False)
    with pytest.raises(DatabaseInUse) as refused:
        require_not_held(db_path)
    assert refused.value.message == (  # in the default language, Russian
        "База данных открыта в Qadam на компьютере PC-12 (процесс 4242); сначала закройте её "
        "там.")
    with pytest.raises(DatabaseInUse), acquire_cli_lock(db_path):
        pass
    lock = QLockFile(str(lock_path(db_path)))
    lock.setStaleLockTime(0)
    assert not lock.tryLock(0)  # Qt agrees


@pytest.mark.parametrize("content", [b"", b"garbage\n", b"-5\nx\ny\n", b"\xff\xfe\x00"])
def test_instance_lock_unreadable_lock_nobody_holds_is_replaced(db_path: Path,
                                                               content: bytes) -> None:
    lock_path(db_path).write_bytes(content)
    assert read_holder(db_path) is None
    with acquire_cli_lock(db_path):
        assert lock_path(db_path).read_bytes() == lock_contents()


@posix_only
def test_instance_lock_unreadable_lock_still_held_is_refused(db_path: Path) -> None:
    import fcntl

    path = lock_path(db_path)
    path.write_bytes(b"")  # a program just created it and is about to write its pid
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(DatabaseInUse, match="другом экземпляре"), acquire_cli_lock(db_path):
            pass
        assert path.exists()
    finally:
        os.close(fd)

