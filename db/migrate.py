"""Alembic migrations, run in code so they also work inside a frozen build.

SQLite batch migrations rebuild tables by drop-and-copy; with foreign keys on, the drop cascades
and deletes child rows. So migrations run on a dedicated connection with foreign_keys=OFF, and
`PRAGMA foreign_key_check` must come back empty afterwards. DDL on SQLite is not transactional,
so an existing database is backed up before it is upgraded.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from db.errors import DatabaseError
from db.i18n import _
from db.paths import migrations_dir

log = logging.getLogger(__name__)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    return heads[0]


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def current_revision(url: str) -> str | None:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def upgrade_to_head(url: str, *, path: Path | None = None, backup_dir: Path | None = None) -> None:
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
