"""Opening a Qadam database: the engine and its SQLite settings, migrations, sessions.

SQLAlchemy and SQLModel are imported when the first session starts, not when the database is
opened: at start-up an up-to-date database is checked with sqlite3 alone (db.migrate), so the
window can be shown while they load (together about half a second on an old PC)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from db import migrate
from db.errors import DatabaseError
from db.i18n import _

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

BUSY_TIMEOUT_MS = 10_000


def sqlite_url(path: Path | str) -> str:
    return f"sqlite:///{Path(path)}"


def _set_sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    # WAL + FULL survives power loss at well under a millisecond a commit; FKs per connection.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def make_engine(url: str) -> Engine:
    from sqlalchemy import event
    from sqlalchemy.engine import make_url
    from sqlmodel import create_engine

    engine = create_engine(url, connect_args={"check_same_thread": False})
    if make_url(url).get_backend_name() == "sqlite":
        event.listen(engine, "connect", _set_sqlite_pragmas)
    return engine


class Database:
    """An open, migrated database. One short session per operation: `with db.session() as s:`.

    The engine is made on first use (see the module's docstring)."""

    def __init__(self, url: str, path: Path | None) -> None:
        self.url = url
        self.path = path
        self._engine: Engine | None = None
        self._lock = threading.Lock()  # a worker thread may be the first to ask
        self._copies = 0  # see file_work()
        self._copies_done = threading.Condition()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = make_engine(self.url)
        return self._engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        from sqlmodel import Session

        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    def file_work(self) -> Callable[[], None]:
        """Mark work on the database's file outside the engine (the daily backup, copied in a
        thread while the window is used) as under way, until the returned function is called.
        dispose() waits for it: a restore (which disposes the database first) must not replace
        the file under a copy being made, nor may the program end before the copy did."""
        with self._copies_done:
            self._copies += 1
        ended = threading.Event()

        def end() -> None:
            if not ended.is_set():
                ended.set()
                with self._copies_done:
                    self._copies -= 1
                    self._copies_done.notify_all()

        return end

    def file_work_running(self) -> bool:
        """Whether work marked by file_work() is still under way (dispose() would wait)."""
        with self._copies_done:
            return self._copies > 0

    def dispose(self) -> None:
        """Close the engine's connections (the engine opens new ones if used again), once
        the work on the file under way has ended (see file_work)."""
        with self._copies_done:
            self._copies_done.wait_for(lambda: self._copies == 0)
        if self._engine is not None:
            self._engine.dispose()

    def __repr__(self) -> str:
        return f"Database({self.url!r})"


def open_database(path: Path | str, *, create: bool = False, backup_dir: Path | None = None
                  ) -> Database:
    """Open (and create or upgrade) the database at `path`.

    A missing file is an error unless `create` is set. A file that is not a SQLite database, or
    whose schema is newer than this program knows, is refused with a message.
    """
    path = Path(path)
    if not path.exists():
        if not create:
            raise DatabaseError(_("The database {path} does not exist.").format(path=path))
        if not path.parent.exists():
            raise DatabaseError(
                _("The folder {folder} does not exist.").format(folder=path.parent)
            )
    elif path.is_dir():
        raise DatabaseError(_("{path} is a folder, not a database file.").format(path=path))
    else:
        _check_is_sqlite(path)
    url = sqlite_url(path)
    migrate.upgrade_to_head(url, path=path, backup_dir=backup_dir)
    return Database(url, path)


def _check_is_sqlite(path: Path) -> None:
    with path.open("rb") as handle:
        header = handle.read(16)
    if header and header != b"SQLite format 3\x00":
        raise DatabaseError(_("{path} is not a Qadam database file.").format(path=path))
