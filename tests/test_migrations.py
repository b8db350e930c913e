"""An empty database migrated to head has exactly the models' schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import db.models  # noqa: F401
from db.database import open_database
from db.errors import DatabaseError
from db.migrate import head_revision, include_name


def test_migrations_head_matches_models(tmp_path: Path) -> None:
    database = open_database(tmp_path / "m.db", create=True)
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_name": include_name})
        diff = compare_metadata(context, SQLModel.metadata)
    database.dispose()
    assert diff == []


def test_migrations_reopen_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    open_database(path, create=True).dispose()
    open_database(path).dispose()
    assert not (tmp_path / "qadam-backups").exists()
    revision = sqlite3.connect(path).execute("SELECT version_num FROM alembic_version").fetchone()
    assert revision == (head_revision(),)


def test_migrations_refuse_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    open_database(path, create=True).dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff_future'")
    with pytest.raises(DatabaseError, match="ffff_future"):
        open_database(path)


def test_migrations_refuse_missing_file_unless_create(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError):
        open_database(tmp_path / "absent.db")


def test_migrations_refuse_non_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("not a database", encoding="utf-8")
    with pytest.raises(DatabaseError):
        open_database(path)


def test_migrations_sqlite_settings_are_durable(tmp_path: Path) -> None:
    database = open_database(tmp_path / "m.db", create=True)
    with database.engine.connect() as connection:
        pragma = {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                  for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")}
    database.dispose()
    assert pragma == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1,
                      "busy_timeout": 10_000}


def test_migrations_audit_table_is_append_only(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    database = open_database(path, create=True)
    database.dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("INSERT INTO audit_entry (at, user_login, action, table_name, "
                           "record_uuid, changes, details) VALUES "
                           "('2026-01-01', 'x', 'create', '', '', '', '')")
    connection = sqlite3.connect(path)
    for statement in ("UPDATE audit_entry SET action = 'y'", "DELETE FROM audit_entry"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute(statement)
    connection.close()


def _database_at(path: Path, revision: str) -> None:
    """A database stopped at an older revision, as an older Qadam left it."""
    from alembic import command
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from db.migrate import alembic_config

    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()
    engine.dispose()


def test_migrations_upgrade_keeps_rows_and_children_and_backs_up(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _database_at(path, "0001")
    with sqlite3.connect(path) as connection:
        connection.execute("INSERT INTO reference_item (id, uuid, list_name, code, name_ru, "
                           "name_kk, sort_order, retired, created_at, updated_at) VALUES "
                           "(1, 'r1', 'article', '296', 'ст. 296', '296-бап', 0, 0, "
                           "'2026-01-01', '2026-01-01')")
        for number, surname in enumerate(("Яковлев", "Әлібеков", "Ахметов"), start=1):
            connection.execute(
                "INSERT INTO person (id, uuid, surname, name, patronymic, status, phone, "
                "district, notes, search_key, created_at, updated_at) VALUES "
                f"({number}, 'p{number}', '{surname}', 'Иван', '', 'serving', '', '', '', "
                f"'{surname.lower()}', '2026-01-01', '2026-01-01')")
            connection.execute("INSERT INTO person_article (person_id, article_id) VALUES "
                               f"({number}, 1)")
    database = open_database(path)
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_name": include_name})
        diff = compare_metadata(context, SQLModel.metadata)
        ordered = [row[0] for row in connection.exec_driver_sql(
            "SELECT surname FROM person ORDER BY sort_key")]
        children = connection.exec_driver_sql("SELECT count(*) FROM person_article").scalar()
        # the rows that were there before the search index are in it (migration 0005)
        found = [row[0] for row in connection.exec_driver_sql(
            "SELECT rowid FROM person_search WHERE person_search MATCH '\"лібек\"'")]
    database.dispose()
    assert diff == []
    assert found == [2]
    assert ordered == ["Ахметов", "Әлібеков", "Яковлев"]
    assert children == 3  # a table rebuild with foreign keys on would have cascaded them away
    backups = list((tmp_path / "qadam-backups").glob("old-before-upgrade-*.db"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert copy.execute("SELECT count(*) FROM person").fetchone() == (3,)
