"""Backups of a Qadam database: daily ones with rotation, manual ones, checking and restoring.

Every copy goes through the SQLite backup API and `integrity_check` (db.backup), never a file
copy of an open database. Backups in a folder are named after the database they come from:

    qadam-20261115-093012.db                  daily (rotated: 7 daily, 4 weekly, 12 monthly)
    qadam-before-upgrade-20261115-093012.db   made by db.migrate before a schema upgrade
    qadam-before-restore-20261115-093012.db   the database as it was before a restore
    qadam-damaged-20261115-093012.db          a raw copy of a damaged database before a restore

Only daily backups are rotated; the others are rare and each one marks a moment worth keeping.
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import quote

from db import clock
from db.backup import backup_database, sync_file, sync_folder, tolerant_text
from db.errors import DatabaseError
from db.i18n import _
from db.months import Month
from db.paths import user_data_dir

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
# Present since the first revision: a file without them is some other program's database.
QADAM_TABLES = frozenset({"alembic_version", "app_user", "audit_entry", "database_setting",
                          "facility", "reference_item", "event", "person"})
SIDECARS = ("-wal", "-shm", "-journal")
SQLITE_BUSY, SQLITE_LOCKED = 5, 6
SQLITE_FULL, SQLITE_IOERR = 13, 10
# write, fsync, truncate, shm size: how SQLite reports a write the disk refused. SQLite keeps the
# errno to itself: EFBIG (a file size limit) comes out as SQLITE_IOERR_WRITE, ENOSPC as FULL.
SQLITE_WRITE_ERRORS = frozenset({778, 1034, 1546, 4874})
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)})
SETTLE_TIMEOUT = 2.0  # seconds to wait for another connection's transaction to end


class BackupKind(StrEnum):
    DAILY = "daily"
    BEFORE_UPGRADE = "before-upgrade"
    BEFORE_RESTORE = "before-restore"
    DAMAGED = "damaged"
    OTHER = "other"  # a file chosen by the user (a USB stick), whatever its name


_LABELLED = (BackupKind.BEFORE_UPGRADE, BackupKind.BEFORE_RESTORE, BackupKind.DAMAGED)
_STAMP = r"(?P<date>\d{8})-(?P<time>\d{6})(?:-(?P<n>\d+))?\.db"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: dt.datetime  # local time, from the file name (from the file's mtime if not ours)
    size: int
    revision: str | None  # the copy's schema revision; None when it cannot be read
    kind: BackupKind = BackupKind.OTHER


# --- a full disk, said plainly (reports/files.py says it the same way) ---------------------------

def disk_full_message(file: str) -> str:
    return _("Not enough disk space to write {file}. Free some space or choose another disk, "
             "then try again; nothing was changed.").format(file=file)


def disk_full_or_faulty_message(file: str) -> str:
    return _("Not enough disk space to write {file}, or the disk is faulty. Free some space or "
             "choose another disk, then try again; nothing was changed.").format(file=file)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def disk_full_cause(exc: BaseException) -> str | None:
    """"full" when `exc` (or what caused it) is a write refused for want of space, "full or
    faulty" when SQLite refused a write without saying why, else None."""
    for cause in _causes(exc):
        if isinstance(cause, OSError) and cause.errno in DISK_FULL_ERRNOS:
            return "full"
        code = getattr(cause, "sqlite_errorcode", None)
        if isinstance(cause, sqlite3.Error) and code is not None:
            if code & 0xFF == SQLITE_FULL:
                return "full"
            if code in SQLITE_WRITE_ERRORS:
                return "full or faulty"
    return None


@contextmanager
def disk_space_said_plainly(file: str) -> Iterator[None]:
    """A DatabaseError that comes from a full disk says so, in the user's words."""
    try:
        yield
    except DatabaseError as exc:
        cause = disk_full_cause(exc)
        if cause is None:
            raise
        raise DatabaseError(disk_full_message(file) if cause == "full"
                            else disk_full_or_faulty_message(file)) from exc


def _require_writable(folder: Path, file: str) -> None:
    """Try a file in the folder before SQLite does: its own word for a read-only folder or
    medium is "unable to open database file"."""
    try:
        handle, name = tempfile.mkstemp(prefix=".qadam-", suffix=".tmp", dir=folder)
    except OSError as exc:
        if isinstance(exc, PermissionError) or exc.errno == errno.EROFS:
            raise DatabaseError(_("Qadam may not write into the folder {folder}. Choose "
                                  "another folder.").format(folder=folder)) from None
        if exc.errno in DISK_FULL_ERRNOS:
            raise DatabaseError(disk_full_message(file)) from None
        raise DatabaseError(_("Cannot write into {folder}: {reason}").format(
            folder=folder, reason=exc.strerror or exc)) from None
    os.close(handle)
    Path(name).unlink(missing_ok=True)


def default_backup_folder() -> Path:
    return user_data_dir() / "backups"


def backup_name(stem: str, when: dt.datetime, kind: BackupKind = BackupKind.DAILY) -> str:
    label = "" if kind in (BackupKind.DAILY, BackupKind.OTHER) else f"-{kind.value}"
    return f"{stem}{label}-{when:%Y%m%d-%H%M%S}.db"


def _name_pattern(stem: str) -> re.Pattern[str]:
    labels = "|".join(re.escape(kind.value) for kind in _LABELLED)
    return re.compile(rf"^{re.escape(stem)}-(?:(?P<label>{labels})-)?{_STAMP}$")


def _stamp_of(match: re.Match[str]) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(match["date"] + match["time"], "%Y%m%d%H%M%S")
    except ValueError:
        return None  # 20261399-…: not a name we wrote


def _scan(folder: Path, stem: str) -> list[BackupInfo]:
    """The backups of database `stem` in `folder` (revision not read: cheap), oldest first."""
    if not folder.is_dir():
        return []
    pattern = _name_pattern(stem)
    found: list[tuple[tuple[dt.datetime, int], BackupInfo]] = []
    for path in folder.iterdir():
        match = pattern.match(path.name)
        if match is None or not path.is_file():
            continue
        created = _stamp_of(match)
        if created is None:
            continue
        kind = BackupKind(match["label"]) if match["label"] else BackupKind.DAILY
        try:
            size = path.stat().st_size
        except OSError:
            continue  # deleted meanwhile (another rotation)
        # -2, -3… were written after the plain name of the same second
        found.append(((created, int(match["n"] or 1)), BackupInfo(
            path=path, created=created, size=size, revision=None, kind=kind)))
    found.sort(key=lambda pair: pair[0])
    return [info for _order, info in found]


def _unique(folder: Path, name: str) -> Path:
    """`name` in `folder`, or `name` with -2, -3… when two backups fall in the same second."""
    target = folder / name
    number = 2
    while target.exists():
        target = folder / f"{name.removesuffix('.db')}-{number}.db"
        number += 1
    return target


# --- opening a file read-only ----------------------------------------------------------------

def sqlite_uri(path: Path) -> str:
    """A `file:` URI for sqlite3 that survives #, ?, %, Cyrillic and Windows UNC paths."""
    posix = Path(path).resolve().as_posix()
    if not posix.startswith("/"):
        posix = "/" + posix  # C:/x -> /C:/x, as SQLite wants it on Windows
    # "file://" + "//server/share" keeps the authority empty, so SQLite opens the UNC path.
    return "file://" + quote(posix, safe="/:")


def connect_readonly(path: Path, *, snapshot: bool = False) -> sqlite3.Connection:
    """A read-only connection. `snapshot` (for backup files nobody writes) opens the file as
    immutable: no -shm/-wal appear beside it, even on a read-only stick. A -wal beside it means
    somebody may still write it, so then the ordinary read-only mode is used."""
    wal = Path(f"{path}-wal")
    mode = "immutable=1" if snapshot and not wal.exists() else "mode=ro"
    connection = sqlite3.connect(f"{sqlite_uri(path)}?{mode}", uri=True)
    connection.text_factory = tolerant_text  # what a damaged file says is read, never raises
    return connection


def _has_sqlite_header(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _read_revision(path: Path) -> str | None:
    try:
        connection = connect_readonly(path, snapshot=True)
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


# --- listing and rotation --------------------------------------------------------------------

def list_backups(folder: Path, stem: str) -> list[BackupInfo]:
    """Every backup of database `stem` in `folder`, newest first, with its schema revision."""
    return [BackupInfo(path=info.path, created=info.created, size=info.size,
                       revision=_read_revision(info.path), kind=info.kind)
            for info in reversed(_scan(folder, stem))]


def daily_backup(db_path: Path, folder: Path | None = None, *, today: dt.date | None = None
                 ) -> Path | None:
    """Back up `db_path` once a day, then rotate. Returns the new backup, or None when today's
    backup already exists. Raises DatabaseError when the copy cannot be made or checked."""
    db_path = Path(db_path)
    folder = Path(folder) if folder is not None else default_backup_folder()
    today = today or clock.today()
    stem = db_path.stem
    if any(info.kind == BackupKind.DAILY and info.created.date() == today
           for info in _scan(folder, stem)):
        return None
    when = dt.datetime.combine(today, dt.datetime.now().time().replace(microsecond=0))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(_("Cannot write into {folder}: {reason}").format(
            folder=folder, reason=exc.strerror or exc)) from None
    target = _unique(folder, backup_name(stem, when))
    with disk_space_said_plainly(target.name):
        target = backup_database(db_path, target)
    rotate(folder, stem, today=today)
    log.info("daily backup of %s written to %s", db_path, target)
    return target


def rotate(folder: Path, stem: str, *, keep_daily: int = 7, keep_weekly: int = 4,
           keep_monthly: int = 12, today: dt.date | None = None) -> list[Path]:
    """Delete daily backups of `stem` that no rule keeps; return the deleted paths.

    Kept: the newest backup of each of the last `keep_daily` days (today included), of each of
    the last `keep_weekly` ISO weeks, of each of the last `keep_monthly` months, and always the
    newest backup of all. Backups dated after `today` (a clock set wrong) are not touched.
    """
    today = today or clock.today()
    backups = [info for info in _scan(folder, stem) if info.kind == BackupKind.DAILY]
    if not backups:
        return []
    days = {today - dt.timedelta(days=i) for i in range(keep_daily)}
    weeks = {tuple((today - dt.timedelta(weeks=i)).isocalendar())[:2] for i in range(keep_weekly)}
    months: set[Month] = set()
    month = Month.of(today)
    for _i in range(keep_monthly):
        months.add(month)
        month = month.previous()
    keep = {backups[-1].path}
    newest: dict[tuple[object, ...], Path] = {}
    for info in backups:  # oldest first: a later backup of the same period replaces it
        day = info.created.date()
        if day > today:
            keep.add(info.path)
            continue
        week = tuple(day.isocalendar())[:2]
        if day in days:
            newest[("day", day)] = info.path
        if week in weeks:
            newest[("week", *week)] = info.path
        if Month.of(day) in months:
            newest[("month", Month.of(day))] = info.path
    keep.update(newest.values())
    deleted: list[Path] = []
    for info in backups:
        if info.path in keep:
            continue
        try:
            info.path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:  # an antivirus or a viewer holds it: try again next time
            log.warning("could not delete old backup %s: %s", info.path, exc)
            continue
        deleted.append(info.path)
    if deleted:
        log.info("rotation deleted %d old backups of %s", len(deleted), stem)
    return deleted


# --- manual backup, checking, restoring ------------------------------------------------------

def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.exists() and other.exists() and os.path.samefile(one, other)
    except OSError:
        return False


def backup_to(db_path: Path, target: Path) -> Path:
    """A manual backup to a chosen file (a USB stick). The file appears only when complete and
    checked; an existing file of that name is replaced (the save dialog asked)."""
    db_path, target = Path(db_path), Path(target)
    if target.is_dir():
        raise DatabaseError(_("{path} is a folder: choose a file name for the backup.").format(
            path=target))
    if not target.parent.is_dir():
        raise DatabaseError(_("The folder {folder} does not exist.").format(
            folder=target.parent))
    if _same_file(db_path, target) or any(target.name == db_path.name + s for s in SIDECARS):
        raise DatabaseError(_("{path} is the database itself: choose another file for the "
                              "backup.").format(path=target))
    _require_writable(target.parent, target.name)
    with disk_space_said_plainly(target.name):
        target = backup_database(db_path, target)
    log.info("manual backup of %s written to %s", db_path, target)
    return target


def check_backup(path: Path) -> BackupInfo:
    """Check that `path` is a whole Qadam database of a schema this program knows, or raise
    DatabaseError saying what is wrong with it."""
    from db.migrate import known_revisions  # alembic is slow to import; needed only here

    path = Path(path)
    if not path.is_file():
        raise DatabaseError(_("The file {path} does not exist.").format(path=path))
    if not _has_sqlite_header(path):
        raise DatabaseError(_("{path} is not a Qadam backup: it is not a database file.").format(
            path=path))
    try:
        connection = connect_readonly(path, snapshot=True)
        try:
            problems = [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise DatabaseError(_(
                    "{path} is damaged and cannot be restored ({problem}). Choose another "
                    "backup.").format(path=path, problem="; ".join(problems[:3])))
            # A flipped bit in an unindexed number leaves the file whole to integrity_check
            # but points a record at nothing: restoring it would break the foreign keys.
            dangling = connection.execute("PRAGMA foreign_key_check").fetchmany(3)
            if dangling:
                raise DatabaseError(_(
                    "{path} is damaged and cannot be restored ({problem}). Choose another "
                    "backup.").format(path=path, problem="; ".join(
                        f"{table} #{rowid} → {parent}" for table, rowid, parent, _fk
                        in dangling)))
            tables = {str(row[0]) for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not QADAM_TABLES.issubset(tables):
                raise DatabaseError(_("{path} is a database of another program, not a Qadam "
                                      "backup.").format(path=path))
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    # a damaged page can put invalid UTF-8 into SQLite's own message: damage all the same
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        raise DatabaseError(_("{path} is damaged and cannot be restored ({problem}). Choose "
                              "another backup.").format(path=path, problem=exc)) from None
    if row is None:
        raise DatabaseError(_("{path} is a database of another program, not a Qadam "
                              "backup.").format(path=path))
    revision = str(row[0])
    if revision not in known_revisions():
        raise DatabaseError(_("{path} was made by a newer version of Qadam (schema {revision}). "
                              "Update the program to restore it.").format(path=path,
                                                                          revision=revision))
    return BackupInfo(path=path, created=_created_of(path), size=path.stat().st_size,
                      revision=revision, kind=_kind_of(path.name))


def _created_of(path: Path) -> dt.datetime:
    match = re.search(f"-{_STAMP}$", path.name)
    created = _stamp_of(match) if match else None
    return created or dt.datetime.fromtimestamp(path.stat().st_mtime)


def _kind_of(name: str) -> BackupKind:
    """What a file name says, for a file that may come from anywhere (a USB stick)."""
    labels = "|".join(re.escape(kind.value) for kind in _LABELLED)
    match = re.search(rf"-(?:(?P<label>{labels})-)?{_STAMP}$", name)
    if match is None:
        return BackupKind.OTHER
    return BackupKind(match["label"]) if match["label"] else BackupKind.DAILY


def restore_from(backup: Path, db_path: Path, *, safety_folder: Path | None = None
                 ) -> Path | None:
    """Put the backup in place of the database at `db_path` (created when missing).

    The backup is checked first (check_backup); nothing is changed when it is refused. The
    current database, when there is one, is first saved in `safety_folder` (default: the
    backups folder) and that copy's path is returned. Every connection to `db_path` must be
    closed (dispose the engine); a database still open elsewhere is refused. Afterwards open
    the database with open_database(), which upgrades an older schema.
    """
    backup, db_path = Path(backup), Path(db_path)
    if _same_file(backup, db_path):
        raise DatabaseError(_("{path} is the database itself, not a backup of it.").format(
            path=backup))
    check_backup(backup)
    if db_path.is_dir():
        raise DatabaseError(_("{path} is a folder, not a database file.").format(path=db_path))
    if not db_path.parent.is_dir():
        raise DatabaseError(_("The folder {folder} does not exist.").format(
            folder=db_path.parent))
    with disk_space_said_plainly(db_path.name):
        temporary = _checked_copy_beside(backup, db_path)
    try:
        safety = None
        if db_path.exists():
            folder = Path(safety_folder) if safety_folder is not None \
                else default_backup_folder()
            with disk_space_said_plainly(str(folder)):  # the safety copy needs room too
                safety = _save_current(db_path, folder)
            _remove_sidecars(db_path)
        try:
            if db_path.exists():
                shutil.copymode(db_path, temporary)
            # Last step: until here the old database is untouched (bar its -wal, checkpointed).
            os.replace(temporary, db_path)
        except PermissionError:
            raise DatabaseError(_in_use_message(db_path)) from None
        except OSError as exc:
            raise DatabaseError(_("Cannot write into {folder}: {reason}").format(
                folder=db_path.parent, reason=exc.strerror or exc)) from None
        sync_folder(db_path.parent)
    finally:
        temporary.unlink(missing_ok=True)
    log.info("database %s restored from %s (previous copy: %s)", db_path, backup, safety)
    return safety


def _in_use_message(db_path: Path) -> str:
    return _("The database {path} is still open in Qadam or another program. Close it and try "
             "again.").format(path=db_path)


def _checked_copy_beside(backup: Path, db_path: Path) -> Path:
    """Copy the backup through the backup API into a temporary file in db_path's folder (so the
    final rename stays on one file system, hence atomic), and check the copy."""
    try:
        handle, name = tempfile.mkstemp(prefix=f".{db_path.name}.restore-", suffix=".tmp",
                                        dir=db_path.parent)
    except PermissionError:
        raise DatabaseError(_("Qadam may not write into the folder {folder}. Choose another "
                              "folder.").format(folder=db_path.parent)) from None
    except OSError as exc:
        raise DatabaseError(_("Cannot write into {folder}: {reason}").format(
            folder=db_path.parent, reason=exc.strerror or exc)) from None
    os.close(handle)
    temporary = Path(name)
    try:
        source = connect_readonly(backup, snapshot=True)
        try:
            target = sqlite3.connect(temporary)
            target.text_factory = tolerant_text
            try:
                source.backup(target)
                target.execute("PRAGMA journal_mode=DELETE")  # one file to rename, no -wal
                result = str(target.execute("PRAGMA integrity_check").fetchone()[0])
            finally:
                target.close()
        finally:
            source.close()
        if result != "ok":
            raise DatabaseError(_("The backup copy failed its integrity check: {result}").format(
                result=result))
        sync_file(temporary)
    except sqlite3.Error as exc:
        temporary.unlink(missing_ok=True)
        raise DatabaseError(_("The database {path} could not be copied: {reason}").format(
            path=backup, reason=exc)) from None
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise DatabaseError(_("Cannot write into {folder}: {reason}").format(
            folder=db_path.parent, reason=exc.strerror or exc)) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _save_current(db_path: Path, folder: Path) -> Path:
    """Keep the database about to be replaced: a checked backup, or a raw copy of a damaged one.
    Raises DatabaseError (and nothing changed) when it is open elsewhere or cannot be saved."""
    healthy = _settle(db_path)
    when = dt.datetime.now().replace(microsecond=0)
    if healthy:
        try:
            return backup_database(db_path, _unique(folder, backup_name(
                db_path.stem, when, BackupKind.BEFORE_RESTORE)))
        except DatabaseError:
            if _integrity(db_path) == "ok":
                raise  # the database is fine: it is the safety copy that could not be written
    return _raw_copy(db_path, _unique(folder, backup_name(db_path.stem, when,
                                                          BackupKind.DAMAGED)))


def _settle(db_path: Path) -> bool:
    """Fold the -wal into the file and leave WAL mode, which SQLite allows only when no other
    connection is open: so this also proves nobody else has the database open. A -wal left
    beside the restored file would be replayed into it and corrupt it.

    Returns False when the file is damaged or no database (then it is copied raw)."""
    try:
        connection = sqlite3.connect(db_path, timeout=SETTLE_TIMEOUT)
        try:
            connection.execute("PRAGMA journal_mode=DELETE").fetchone()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorcode", None) in (SQLITE_BUSY, SQLITE_LOCKED):
            raise DatabaseError(_in_use_message(db_path)) from None
        log.warning("database %s could not be settled before a restore: %s", db_path, exc)
        return False
    return True


def _integrity(path: Path) -> str:
    try:
        connection = connect_readonly(path)
        try:
            return str(connection.execute("PRAGMA integrity_check").fetchone()[0])
        finally:
            connection.close()
    except (sqlite3.Error, UnicodeDecodeError) as exc:  # invalid UTF-8 from a damaged page
        return str(exc)


def _raw_copy(db_path: Path, target: Path) -> Path:
    """A byte copy of a damaged database with its journal files, for an expert to rescue data
    from: the backup API cannot copy what SQLite cannot read."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-journal"):
            source = Path(f"{db_path}{suffix}")
            if source.exists():
                copy = Path(f"{target}{suffix}")
                shutil.copyfile(source, copy)
                sync_file(copy)
        sync_folder(target.parent)
    except OSError as exc:
        raise DatabaseError(_("Cannot write into {folder}: {reason}").format(
            folder=target.parent, reason=exc.strerror or exc)) from None
    return target


def _remove_sidecars(db_path: Path) -> None:
    """Remove the old database's -wal, -shm and -journal before the new file takes its place."""
    for suffix in SIDECARS:
        try:
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        except PermissionError:
            raise DatabaseError(_in_use_message(db_path)) from None
        except OSError as exc:
            raise DatabaseError(_("Cannot write into {folder}: {reason}").format(
                folder=db_path.parent, reason=exc.strerror or exc)) from None
