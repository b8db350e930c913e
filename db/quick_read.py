"""The few facts the window needs before anything else, read with sqlite3 alone.

The window's frame (its navigation, menus and status bar) needs the database's mode, this PC's
own facility and who is working; SQLAlchemy, SQLModel and the tables together take about half a
second to import on an old PC, and are imported once the first page reads its records. These
reads open the file read-only (as SQLite's quick_check does), so they may run before that check
has passed: they change nothing, and a damaged file only makes them fail with sqlite3.Error.
"""

# No `from __future__ import annotations`: NamedTuple would compile each field's annotation
# string at import (a few milliseconds before the window can be painted).
import sqlite3
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

# The keys of db.ops.settings (MODE, OWN_FACILITY), repeated here to keep the ORM away.
MODE_KEY = "mode"
OWN_FACILITY_KEY = "own_facility_uuid"


class FacilityFacts(NamedTuple):
    code: str
    name: str


class StartFacts(NamedTuple):
    """The database's mode ("facility", "regional"; None before the first start's wizard)
    and this PC's own facility (None when it names none: a regional database, as a rule)."""

    mode: str | None
    facility: FacilityFacts | None


class Account(NamedTuple):
    """A staff account as the window reads it (never the password hash): what a start that
    skips the login dialog hands to the window, as the benchmark and some tests do. It has
    the fields of db.models.User that the window, the rights and the operations read of the
    user who is working; the login dialog hands the window the User itself."""

    id: int
    uuid: str
    login: str
    full_name: str
    position: str
    role: str
    active: bool
    must_change_password: bool


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection (as db.backups makes them: this module keeps to sqlite3). Raises
    FileNotFoundError for a missing file, which a read-write connect would create."""
    if not path.is_file():
        raise FileNotFoundError(path)
    posix = path.resolve().as_posix()
    if not posix.startswith("/"):
        posix = "/" + posix  # C:/x -> /C:/x, as SQLite wants it on Windows
    return sqlite3.connect(f"file://{quote(posix, safe='/:')}?mode=ro", uri=True)


def read_start_facts(path: Path) -> StartFacts:
    """The mode and the own facility of the database at `path`. Raises sqlite3.Error when the
    file is not a readable Qadam database (missing tables included), FileNotFoundError when it
    does not exist."""
    connection = connect_readonly(Path(path))
    try:
        settings = dict(connection.execute(
            "SELECT key, value FROM database_setting WHERE key IN (?, ?)",
            (MODE_KEY, OWN_FACILITY_KEY)).fetchall())
        facility = None
        if settings.get(OWN_FACILITY_KEY):
            row = connection.execute("SELECT code, name FROM facility WHERE uuid = ?",
                                     (settings[OWN_FACILITY_KEY],)).fetchone()
            facility = FacilityFacts(code=str(row[0]), name=str(row[1])) if row else None
    finally:
        connection.close()
    return StartFacts(mode=settings.get(MODE_KEY) or None, facility=facility)


def read_account(path: Path, login: str) -> Account | None:
    """The account with this login (as typed: surrounding blanks ignored), or None."""
    connection = connect_readonly(Path(path))
    try:
        row = connection.execute(
            "SELECT id, uuid, login, full_name, position, role, active, must_change_password "
            "FROM app_user WHERE login = ?", (login.strip(),)).fetchone()
    finally:
        connection.close()
    if row is None:
        return None
    return Account(id=int(row[0]), uuid=str(row[1]), login=str(row[2]), full_name=str(row[3]),
                   position=str(row[4]), role=str(row[5]), active=bool(row[6]),
                   must_change_password=bool(row[7]))

