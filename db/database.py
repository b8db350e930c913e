"""Opening a Qadam database: the engine and its SQLite settings, migrations, sessions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

from db import migrate
from db.errors import DatabaseError
from db.i18n import _

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
    engine = create_engine(url, connect_args={"check_same_thread": False})
    if make_url(url).get_backend_name() == "sqlite":
        event.listen(engine, "connect", _set_sqlite_pragmas)
    return engine


@dataclass
class Database:
    """An open, migrated database. One short session per operation: `with db.session() as s:`."""

    engine: Engine
    path: Path | None

    @contextmanager
    def session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


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
    return Database(engine=make_engine(url), path=path)


def _check_is_sqlite(path: Path) -> None:
    with path.open("rb") as handle:
        header = handle.read(16)
    if header and header != b"SQLite format 3\x00":
        raise DatabaseError(_("{path} is not a Qadam database file.").format(path=path))
