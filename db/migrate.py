"""Alembic migrations, run in code so they also work inside a frozen build.

SQLite batch migrations rebuild tables by drop-and-copy; with foreign keys on, the drop cascades
and deletes child rows. So migrations run on a dedicated connection with foreign_keys=OFF, and
`PRAGMA foreign_key_check` must come back empty afterwards. DDL on SQLite is not transactional,
so an existing database is backed up before it is upgraded.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from db.errors import DatabaseError
from db.i18n import _
from db.paths import migrations_dir

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

# Tables made by raw SQL in a migration, not by a model: the FTS5 person search index
# (migration 0005) and the shadow tables SQLite keeps for it (person_search_data, _idx, …).
NOT_MODELLED_PREFIX = "person_search"
_REVISION_LINE = re.compile(r"^(down_)?revision\b[^=\n]*=\s*['\"]?([\w-]+|None)['\"]?",
                            re.MULTILINE)


def include_name(name: str | None, type_: str, _parent_names: object) -> bool:
    """For Alembic's comparisons (`include_name`): skip the tables no model describes."""
    return not (type_ == "table" and (name or "").startswith(NOT_MODELLED_PREFIX))


def script_head() -> str | None:
    """The head revision read from the migration files as text, without importing Alembic
    (a quarter of a second of imports at every start); None when the files do not say it
    plainly (then Alembic decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (migrations_dir() / "versions").glob("*.py"):
        if script.name.startswith(("__init__", ".#")):  # as Alembic, which skips them too
            continue
        found = {bool(down): value for down, value in
                 _REVISION_LINE.findall(script.read_text(encoding="utf-8"))}
        if False not in found or True not in found:
            return None
        revisions.add(found[False])
        if found[True] != "None":
            parents.add(found[True])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def stored_revision(path: Path) -> str | None:
    """The revision recorded in an existing database file, read with sqlite3 alone; None when
    there is none or the file cannot be read (the slow path then says what is wrong)."""
    if not path.is_file():
        return None  # sqlite3 would make an empty database of it
    try:
        connection = sqlite3.connect(path)
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except (sqlite3.Error, UnicodeDecodeError):
        return None
    return str(row[0]) if row else None


def is_at_head(path: Path) -> bool:
    """Whether the database at `path` needs no migration: the usual start."""
    head = script_head()
    return head is not None and stored_revision(path) == head


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    return heads[0]


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def current_revision(url: str) -> str | None:
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def upgrade_to_head(url: str, *, path: Path | None = None, backup_dir: Path | None = None) -> None:
    if path is not None and is_at_head(path):
        return  # up to date: no Alembic, no SQLAlchemy
    from alembic import command
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    current = current_revision(url)
    head = head_revision()
    if current == head:
        return
    if current is not None and current not in known_revisions():
        raise DatabaseError(
            _("This database was made by a newer version of Qadam (schema {revision}). "
              "Update the program to open it.").format(revision=current)
        )
    if current is not None and path is not None and path.exists():
        from db.backup import backup_database

        folder = backup_dir or path.parent / "qadam-backups"
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup_database(path, folder / f"{path.stem}-before-upgrade-{stamp}.db")
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
            connection.commit()
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise DatabaseError(
                    _("The database upgrade left broken references ({count}); "
                      "restore the backup made before it.").format(count=len(problems))
                )
    finally:
        engine.dispose()
    log.info("database %s upgraded from %s to %s", url, current, head)
