"""Where the database lives and whether it is whole: network drives, a quick check at start,
the newest good backup to offer when it is damaged."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path, PurePath, PureWindowsPath

from db.backups import (
    BackupKind,
    check_backup,
    connect_readonly,
    list_backups,
)
from db.errors import DatabaseError
from db.i18n import _

# File systems whose locking SQLite's WAL mode cannot rely on (its shared memory index needs
# all users on one machine). FUSE variants appear as "fuse.<name>" in /proc/mounts.
NETWORK_FILE_SYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "sshfs", "fuse.sshfs", "9p", "afs", "ceph",
    "glusterfs", "fuse.glusterfs", "fuse.ceph", "lustre", "davfs", "fuse.davfs2", "fuse.rclone",
    "fuse.s3fs", "afpfs", "webdav", "ncpfs",
})
DRIVE_REMOTE = 4  # GetDriveTypeW


# --- network paths ---------------------------------------------------------------------------

def is_network_path(path: Path, *, mounts: str | None = None) -> bool:
    """True when `path` (which need not exist yet) is on a network drive.

    Windows: UNC paths (\\\\server\\share) and drives Windows reports as remote (mapped network
    drives). Elsewhere: the file system type of the mount holding the path, from `mounts`
    (/proc/mounts text; read from the system when None). Unknown means local: refusing a good
    path would be worse than trusting it.
    """
    if os.name == "nt":
        return _windows_is_network(str(path))
    absolute = _absolute(Path(path))
    if mounts is None:
        mounts = _system_mounts()
    if mounts is None:
        return False
    fs_type = mount_type(absolute, parse_mounts(mounts))
    return fs_type is not None and fs_type.lower() in NETWORK_FILE_SYSTEMS


def is_unc(text: str) -> bool:
    r"""\\server\share or //server/share, including \\?\UNC\server\share; not \\?\C:\ or \\.\."""
    normalized = text.replace("/", "\\")
    if normalized.upper().startswith("\\\\?\\UNC\\"):
        return True
    if normalized.startswith(("\\\\?\\", "\\\\.\\")):
        return False  # long-path or device prefix of a local path
    return normalized.startswith("\\\\")


def _windows_is_network(text: str,
                        drive_type: Callable[[str], int | None] | None = None) -> bool:
    """`drive_type` stands in for GetDriveTypeW in tests on other systems."""
    if is_unc(text):
        return True
    drive = PureWindowsPath(os.path.abspath(text) if os.name == "nt" else text).drive
    if not drive or not drive.endswith(":"):
        return False
    get_type = drive_type or _get_drive_type
    return get_type(drive + "\\") == DRIVE_REMOTE


def _get_drive_type(root: str) -> int:
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(root))  # type: ignore[attr-defined]


def _absolute(path: Path) -> Path:
    """The real absolute path (symlinks resolved) of the file or of its nearest existing folder."""
    path = Path(os.path.abspath(path))
    missing: list[str] = []
    while not path.exists() and path.parent != path:
        missing.append(path.name)
        path = path.parent
    resolved = path.resolve()
    for name in reversed(missing):
        resolved = resolved / name
    return resolved


def _system_mounts() -> str | None:
    try:
        return Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        pass
    if sys.platform == "darwin":
        try:
            output = subprocess.run(["/sbin/mount"], capture_output=True, text=True, timeout=5,
                                    check=False).stdout
        except (OSError, subprocess.SubprocessError):
            return None
        return bsd_mounts_as_proc(output)
    return None


def _unescape_mount_field(field: str) -> str:
    r"""/proc/mounts writes space, tab, newline and backslash as \040, \011, \012, \134."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def parse_mounts(text: str) -> list[tuple[str, str]]:
    """(mount point, file system type) for each line of /proc/mounts text."""
    mounts: list[tuple[str, str]] = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            mounts.append((_unescape_mount_field(fields[1]), fields[2]))
    return mounts


def bsd_mounts_as_proc(text: str) -> str:
    """macOS `mount` output ("//u@srv/share on /Volumes/share (smbfs, nodev…)") as /proc lines."""
    lines = []
    for line in text.splitlines():
        device, sep, rest = line.partition(" on ")
        point, sep2, options = rest.rpartition(" (")
        if not sep or not sep2:
            continue
        fs_type = options.split(",")[0].strip(" )")
        device = device.replace(" ", "\\040")
        escaped = point.replace("\\", "\\134").replace(" ", "\\040").replace("\t", "\\011")
        lines.append(f"{device} {escaped} {fs_type} rw 0 0")
    return "\n".join(lines)


def mount_type(path: PurePath, mounts: list[tuple[str, str]]) -> str | None:
    """The type of the innermost mount holding `path` (the last one wins when stacked)."""
    best: tuple[int, str] | None = None
    parts = path.parts
    for point, fs_type in mounts:
        point_parts = PurePath(point).parts
        if parts[:len(point_parts)] == point_parts and (best is None
                                                         or len(point_parts) >= best[0]):
            best = (len(point_parts), fs_type)
    return best[1] if best else None


def require_local(path: Path) -> None:
    """Refuse a database on a network drive, in plain words."""
    if is_network_path(path):
        raise DatabaseError(_(
            "The database {path} is on a network drive. Qadam cannot keep it safe there: SQLite's "
            "journal does not work over a network, and two computers could damage the file. Copy "
            "the file to this computer (for example to Documents) and open the copy.").format(
            path=path))


# --- health ----------------------------------------------------------------------------------

def quick_check(path: Path) -> str | None:
    """None when the database passes SQLite's quick_check, else what is wrong (never raises).

    Meant for every start: quick_check reads every page but skips the slow index comparison.
    """
    path = Path(path)
    if not path.exists():
        return _("The database {path} does not exist.").format(path=path)
    if path.is_dir():
        return _("{path} is a folder, not a database file.").format(path=path)
    try:
        with path.open("rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        return str(exc.strerror or exc)
    if header and header != b"SQLite format 3\x00":
        return _("{path} is not a Qadam database file.").format(path=path)
    try:
        connection = connect_readonly(path)
        try:
            rows = [str(row[0]) for row in connection.execute("PRAGMA quick_check")]
        finally:
            connection.close()
    except sqlite3.Error as exc:
        return str(exc)
    return None if rows == ["ok"] else "\n".join(rows[:10])


def newest_good_backup(folder: Path, stem: str) -> Path | None:
    """The newest backup of database `stem` in `folder` that check_backup accepts."""
    for info in list_backups(folder, stem):
        if info.kind == BackupKind.DAMAGED:
            continue
        try:
            check_backup(info.path)
        except DatabaseError:
            continue
        return info.path
    return None
