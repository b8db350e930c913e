"""Who has the database open: the window's QLockFile on `<database>.lock`, read and written
without Qt, so command-line writes and the window keep out of each other's way.

Qt's lock file (QLockFile, Qt 5.10+) holds five lines: the process id, the process name (the
executable's file name), the host name, the machine id and the boot id. Qt takes a lock by
creating the file with O_EXCL and, on Unix, holding flock() and fcntl() locks on it; it treats a
lock as stale when it was made on this machine by a process that no longer runs (or runs another
program under a reused pid, or before a reboot). We do the same, so either side sees the other.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.errors import DatabaseError, QadamError
from db.i18n import _

ERROR_ACCESS_DENIED = 5
STILL_ACTIVE = 259
PROCESS_QUERY_LIMITED_INFORMATION = 0x1000


@dataclass(frozen=True)
class Holder:
    pid: int
    app_name: str  # the process name Qt wrote, e.g. "Qadam" (Windows) or "python3.12"
    host: str
    alive: bool  # on this computer and the process still runs (unknown for another computer)


class DatabaseInUse(QadamError):
    """Another program holds the database's lock."""

    def __init__(self, message: str, holder: Holder | None = None) -> None:
        super().__init__(message)
        self.holder = holder


@dataclass(frozen=True)
class _LockInfo:
    pid: int
    app_name: str
    host: str
    host_id: str
    boot_id: str


def lock_path(db_path: Path) -> Path:
    """`qadam.db` -> `qadam.db.lock`; the window's QLockFile must use this same path."""
    return Path(f"{db_path}.lock")


# --- this machine and its processes, as Qt sees them -------------------------------------------

def machine_name() -> str:
    # QLockFile uses %COMPUTERNAME% on Windows and the uname node name elsewhere.
    if os.name == "nt":
        return os.environ.get("COMPUTERNAME", "")
    return socket.gethostname()


def machine_id() -> str:
    """QSysInfo::machineUniqueId(): D-Bus machine id on Linux, MachineGuid on Windows; "" when
    unknown (then Qt and we compare host names instead)."""
    if sys.platform.startswith("linux"):
        for name in ("/var/lib/dbus/machine-id", "/usr/local/var/lib/dbus/machine-id"):
            try:
                with open(name, "rb") as handle:
                    return handle.read(32).decode("ascii", errors="replace")
            except OSError:
                continue
    elif os.name == "nt":
        try:
            import winreg

            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE,
                                r"SOFTWARE\Microsoft\Cryptography") as key:
                return str(winreg.QueryValueEx(key, "MachineGuid")[0])
        except OSError:
            return ""
    return ""


def boot_id() -> str:
    """QSysInfo::bootUniqueId() on Linux; "" elsewhere (Qt skips the check then)."""
    if sys.platform.startswith("linux"):
        try:
            with open("/proc/sys/kernel/random/boot_id", "rb") as handle:
                value = handle.read(36)
        except OSError:
            return ""
        return value.decode("ascii", errors="replace") if len(value) == 36 else ""
    return ""


def process_name(pid: int) -> str | None:
    """The executable's file name of a running process, None when it cannot be read."""
    if sys.platform.startswith("linux"):
        try:
            target = os.readlink(f"/proc/{pid}/exe")
        except OSError:
            return None
        return os.path.basename(target.removesuffix(" (deleted)"))
    if os.name == "nt":
        return _windows_process_name(pid)
    return None


def own_process_name() -> str:
    """What QLockFile writes as this process's name: "python3.12" on Linux, "Qadam" on
    Windows (without .exe)."""
    fallback = Path(sys.executable)
    return process_name(os.getpid()) or (fallback.stem if os.name == "nt" else fallback.name)


def process_running(pid: int, app_name: str = "") -> bool:
    """Whether `pid` runs on this machine, and (when its name can be read) runs `app_name`: a
    pid reused by another program after a crash does not count, as in QLockFile."""
    if pid <= 0:
        return False
    if os.name == "nt":
        if not _windows_pid_exists(pid):
            return False
    else:
        try:
            os.kill(pid, 0)  # signal 0: only asks whether the process exists
        except ProcessLookupError:
            return False
        except PermissionError:
            pass  # it exists, under another user
        except OSError:
            return False
    name = process_name(pid)
    return not (name and app_name and name != os.path.basename(app_name))


def _kernel32() -> Any:
    """kernel32 with the signatures we call: 64-bit handles must not be cut to a C int."""
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.OpenProcess.argtypes = [wintypes.DWORD, wintypes.BOOL, wintypes.DWORD]
    kernel32.GetExitCodeProcess.restype = wintypes.BOOL
    kernel32.GetExitCodeProcess.argtypes = [wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD)]
    kernel32.QueryFullProcessImageNameW.restype = wintypes.BOOL
    kernel32.QueryFullProcessImageNameW.argtypes = [wintypes.HANDLE, wintypes.DWORD,
                                                    wintypes.LPWSTR,
                                                    ctypes.POINTER(wintypes.DWORD)]
    kernel32.CloseHandle.argtypes = [wintypes.HANDLE]
    return kernel32


def _windows_pid_exists(pid: int) -> bool:
    import ctypes
    from ctypes import wintypes

    kernel32 = _kernel32()
    handle = kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
    if not handle:
        # access denied: it exists, run by another user (or elevated)
        return ctypes.get_last_error() == ERROR_ACCESS_DENIED  # type: ignore[attr-defined]
    try:
        code = wintypes.DWORD()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _windows_process_name(pid: int) -> str | None:
    """The executable's name without ".exe", as QLockFile writes it on Windows ("Qadam")."""
    import ctypes
    from ctypes import wintypes

    kernel32 = _kernel32()
    handle = kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
    if not handle:
        return None
    try:
        size = wintypes.DWORD(32768)
        buffer = ctypes.create_unicode_buffer(size.value)
        if not kernel32.QueryFullProcessImageNameW(handle, 0, buffer, ctypes.byref(size)):
            return None
        return os.path.splitext(os.path.basename(buffer.value))[0]
    finally:
        kernel32.CloseHandle(handle)


# --- reading a lock --------------------------------------------------------------------------

def _read_info(path: Path) -> _LockInfo | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    lines = [line.rstrip("\r") for line in data.decode("utf-8", errors="replace").split("\n")]
    lines += [""] * (5 - len(lines))
    try:
        pid = int(lines[0])
    except ValueError:
        return None
    if pid <= 0:
        return None
    return _LockInfo(pid=pid, app_name=lines[1], host=lines[2], host_id=lines[3],
                     boot_id=lines[4])


def _holder_of(info: _LockInfo) -> Holder | None:
    """The holder a lock names, or None when the lock is stale (same rules as QLockFile)."""
    same_host = not info.host or info.host == machine_name()
    ours = machine_id()
    if info.host_id and ours:
        same_host = info.host_id == ours
    if not same_host:
        # Another computer: its process cannot be asked, so the lock counts (Qt does the same).
        return Holder(pid=info.pid, app_name=info.app_name, host=info.host, alive=False)
    if info.boot_id and boot_id() and info.boot_id != boot_id():
        return None  # written before this computer was restarted
    if not process_running(info.pid, info.app_name):
        return None
    return Holder(pid=info.pid, app_name=info.app_name, host=info.host or machine_name(),
                  alive=True)


def read_holder(db_path: Path) -> Holder | None:
    """Who holds the database's lock; None when nobody does or the lock is stale."""
    info = _read_info(lock_path(db_path))
    return _holder_of(info) if info is not None else None


def _is_this_process(holder: Holder) -> bool:
    return holder.alive and holder.pid == os.getpid()


def _in_use_message(holder: Holder | None) -> str:
    if holder is None:
        return _("The database is open in another copy of Qadam; close it there first.")
    return _("The database is open in Qadam on {host} (process {pid}); close it there "
             "first.").format(host=holder.host, pid=holder.pid)


def require_not_held(db_path: Path) -> None:
    """Raise DatabaseInUse when another process (here or on another computer) holds the lock.
    This process's own lock (the window that asks) does not count."""
    holder = read_holder(db_path)
    if holder is not None and not _is_this_process(holder):
        raise DatabaseInUse(_in_use_message(holder), holder)


# --- taking the lock from the command line ----------------------------------------------------

def lock_contents() -> bytes:
    """This process's lock, line by line as QLockFile writes it."""
    return (f"{os.getpid()}\n{own_process_name()}\n{machine_name()}\n{machine_id()}\n"
            f"{boot_id()}\n").encode()


@contextmanager
def acquire_cli_lock(db_path: Path) -> Iterator[Path]:
    """Hold the database's lock while a command writes; the window's QLockFile then refuses
    to open it, and a window that holds it makes this raise DatabaseInUse."""
    path = lock_path(db_path)
    holder = read_holder(db_path)
    if holder is not None and _is_this_process(holder):
        yield path  # an outer command of this process holds it already
        return
    fd = _create_lock(path)
    try:
        yield path
    finally:
        _release(path, fd)


def _create_lock(path: Path) -> int:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _attempt in range(5):
        try:
            fd = os.open(path, flags, 0o666)
        except FileExistsError:
            info = _read_info(path)
            holder = _holder_of(info) if info is not None else None
            if holder is not None:
                raise DatabaseInUse(_in_use_message(holder), holder) from None
            if not _remove_stale(path):
                raise DatabaseInUse(_in_use_message(None)) from None
            continue
        except PermissionError:
            raise DatabaseError(_("Qadam may not write into the folder {folder}. Choose another "
                                  "folder.").format(folder=path.parent)) from None
        except OSError as exc:
            raise DatabaseError(_("Cannot write into {folder}: {reason}").format(
                folder=path.parent, reason=exc.strerror or exc)) from None
        try:
            if not _native_locks(fd):
                raise DatabaseInUse(_in_use_message(None))
            os.write(fd, lock_contents())
        except BaseException:
            _release(path, fd)
            raise
        return fd
    raise DatabaseInUse(_in_use_message(None))


def _native_locks(fd: int) -> bool:
    """flock() and fcntl() locks, as Qt takes them: they keep a live lock from being removed as
    stale (Qt's staleLockTime, a reused pid) and vanish by themselves when the process dies."""
    if os.name == "nt":
        return True  # our open handle already forbids deleting the file
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _remove_stale(path: Path) -> bool:
    """Remove a lock left by a dead process; False when somebody turns out to hold it."""
    if os.name == "nt":
        try:
            path.unlink(missing_ok=True)
        except OSError:
            return False  # its owner still has it open
        return True
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    try:
        if not _native_locks(fd):
            return False
        info = _read_info(path)  # re-read: it may have been replaced since we looked
        if info is not None and _holder_of(info) is not None:
            return False
        path.unlink(missing_ok=True)
        return True
    finally:
        os.close(fd)


def _release(path: Path, fd: int) -> None:
    if os.name == "nt":
        os.close(fd)  # Windows cannot delete a file that is open
        path.unlink(missing_ok=True)
    else:
        path.unlink(missing_ok=True)  # before closing: nobody can take it over in between
        os.close(fd)
