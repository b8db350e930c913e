"""Where the database may live (not on a network drive) and whether it is whole."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path, PurePosixPath

import pytest

from db.backup import backup_database
from db.backups import BackupKind, backup_name
from db.database import open_database
from db.errors import DatabaseError
from db.storage import (
    DRIVE_REMOTE,
    _windows_is_network,
    bsd_mounts_as_proc,
    is_network_path,
    is_unc,
    mount_type,
    newest_good_backup,
    parse_mounts,
    quick_check,
    require_local,
)

PAGE = 4096

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
//fileserver/registry /mnt/registry cifs rw,vers=3.0,username=op 0 0
//fileserver/registry/local /mnt/registry/cache ext4 rw 0 0
nas:/export/qadam /srv/qadam nfs4 rw,vers=4.2 0 0
user@host:/data /home/op/remote fuse.sshfs rw,nosuid,nodev 0 0
//fileserver/with\\040space /mnt/with\\040space smb3 rw 0 0
C:\\134 /mnt/c 9p rw,dirsync,aname=drvfs 0 0
tmpfs /tmp tmpfs rw,nosuid,nodev 0 0
/dev/sdb1 /media/op/STICK vfat rw,nosuid,nodev 0 0
"""

posix_only = pytest.mark.skipif(os.name == "nt", reason="mount table of Linux/macOS")


# --- network paths ---------------------------------------------------------------------------

@posix_only
@pytest.mark.parametrize(("path", "network"), [
    ("/home/op/qadam.db", False),
    ("/mnt/registry/qadam.db", True),
    ("/mnt/registry/sub/folder/not-yet-created.db", True),
    ("/mnt/registry/cache/qadam.db", False),  # a local disk mounted inside the share
    ("/mnt/registryX/qadam.db", False),  # a name that merely starts like the mount point
    ("/srv/qadam/qadam.db", True),
    ("/home/op/remote/qadam.db", True),
    ("/mnt/with space/qadam.db", True),
    ("/mnt/c/Users/op/qadam.db", True),  # WSL's 9p view of a Windows drive
    ("/tmp/qadam.db", False),
    ("/media/op/STICK/qadam.db", False),  # a USB stick is local
])
def test_storage_is_network_path_reads_the_mount_table(path: str, network: bool) -> None:
    assert is_network_path(Path(path), mounts=MOUNTS) is network


@posix_only
def test_storage_is_network_path_follows_symlinks(tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    (tmp_path / "shortcut").symlink_to(share, target_is_directory=True)
    mounts = f"server:/x {share.resolve()} nfs rw 0 0\n/dev/sda1 / ext4 rw 0 0\n"
    # a link into a network mount counts as that mount, for a file not created yet too
    assert is_network_path(tmp_path / "shortcut" / "qadam.db", mounts=mounts) is True
    assert is_network_path(tmp_path / "qadam.db", mounts=mounts) is False


def test_storage_is_network_path_without_a_mount_table_trusts_the_path(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("db.storage._system_mounts", lambda: None)
    monkeypatch.setattr("db.storage.os.name", "posix")
    assert is_network_path(tmp_path / "qadam.db") is False


def test_storage_parse_mounts_unescapes_spaces() -> None:
    assert ("/mnt/with space", "smb3") in parse_mounts(MOUNTS)
    assert mount_type(PurePosixPath("/mnt/registry/a.db"), parse_mounts(MOUNTS)) == "cifs"


def test_storage_macos_mount_output_is_understood() -> None:
    output = ("/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)\n"
              "//op@nas._smb._tcp.local/Registry on /Volumes/Registry (smbfs, nodev, nosuid)\n"
              "nas:/export on /Volumes/My Share (nfs, nodev)\n")
    mounts = parse_mounts(bsd_mounts_as_proc(output))
    assert ("/Volumes/Registry", "smbfs") in mounts
    assert ("/Volumes/My Share", "nfs") in mounts
    assert ("/", "apfs") in mounts


@pytest.mark.parametrize(("text", "unc"), [
    (r"\\fileserver\registry\qadam.db", True),
    ("//fileserver/registry/qadam.db", True),
    (r"\\?\UNC\fileserver\registry\qadam.db", True),
    (r"\\?\C:\Users\op\qadam.db", False),
    (r"\\.\C:\qadam.db", False),
    (r"C:\Users\op\qadam.db", False),
    ("qadam.db", False),
])
def test_storage_is_unc(text: str, unc: bool) -> None:
    assert is_unc(text) is unc


def test_storage_windows_mapped_drive_is_network() -> None:
    drive_types = {"Z:\\": DRIVE_REMOTE, "C:\\": 3, "E:\\": 2}  # remote, fixed, removable
    assert _windows_is_network(r"Z:\registry\qadam.db", drive_types.get) is True
    assert _windows_is_network(r"C:\Users\op\qadam.db", drive_types.get) is False
    assert _windows_is_network(r"E:\qadam.db", drive_types.get) is False  # a USB stick
    assert _windows_is_network(r"\\fileserver\registry\qadam.db", drive_types.get) is True


def test_storage_require_local_explains_the_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("db.storage.os.name", "posix")
    monkeypatch.setattr("db.storage._system_mounts", lambda: MOUNTS)
    with pytest.raises(DatabaseError) as refused:
        require_local(Path("/mnt/registry/qadam.db"))
    assert "/mnt/registry/qadam.db" in refused.value.message
    assert "сетевом диске" in refused.value.message
    require_local(Path("/home/op/qadam.db"))


# --- quick check -----------------------------------------------------------------------------

@pytest.fixture
def good_db(migrated_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "qadam.db"
    shutil.copyfile(migrated_template, path)
    return path


def spoil_page_headers(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for page in range(1, len(data) // PAGE):
        data[page * PAGE:page * PAGE + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))


def test_storage_quick_check_passes_a_good_database(good_db: Path) -> None:
    assert quick_check(good_db) is None
    database = open_database(good_db)
    try:
        assert quick_check(good_db) is None  # also while the program has it open
    finally:
        database.dispose()


def test_storage_quick_check_reports_a_damaged_database(good_db: Path) -> None:
    spoil_page_headers(good_db)
    problem = quick_check(good_db)
    assert problem


@pytest.mark.parametrize("content", [
    b"",  # SQLite would take it for a new database: not damage
    b"Hello, this is a text file.\n" * 50,
    b"SQLite format 3\x00" + os.urandom(5000),
    b"SQLite format 3\x00",
    b"PK\x03\x04" + os.urandom(300),  # an .xlsx picked by mistake
])
def test_storage_quick_check_never_raises(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "odd.db"
    path.write_bytes(content)
    problem = quick_check(path)
    assert (problem is None) == (content == b"")


def test_storage_quick_check_of_a_truncated_database(good_db: Path) -> None:
    data = good_db.read_bytes()
    good_db.write_bytes(data[:len(data) // 2])
    assert quick_check(good_db)


def test_storage_quick_check_of_a_missing_file_or_a_folder(tmp_path: Path) -> None:
    assert quick_check(tmp_path / "absent.db")
    assert quick_check(tmp_path)


# --- newest good backup ----------------------------------------------------------------------

def _at(day: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, 9, 0)


def test_storage_newest_good_backup_skips_damaged_ones(good_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    oldest = backup_database(good_db, folder / backup_name("qadam", _at(10)))
    middle = backup_database(good_db, folder / backup_name("qadam", _at(11)))
    newest = backup_database(good_db, folder / backup_name("qadam", _at(12)))
    raw = folder / backup_name("qadam", _at(13), BackupKind.DAMAGED)
    shutil.copyfile(good_db, raw)  # even when readable, a "damaged" copy is never offered
    assert newest_good_backup(folder, "qadam") == newest
    spoil_page_headers(newest)
    assert newest_good_backup(folder, "qadam") == middle
    middle.write_text("overwritten by mistake", encoding="utf-8")
    assert newest_good_backup(folder, "qadam") == oldest
    assert newest_good_backup(folder, "other") is None
    assert newest_good_backup(tmp_path / "no-folder", "qadam") is None
