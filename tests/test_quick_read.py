"""What the window's frame reads with sqlite3 alone: the same facts the tables give."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db.database import Database
from db.models import User
from db.ops import settings
from db.ops.settings import database_mode, own_facility
from db.quick_read import MODE_KEY, OWN_FACILITY_KEY, read_account, read_start_facts
from db.rights import Action, may


def test_quick_read_start_facts_agree_with_the_tables(database: Database, admin: User) -> None:
    assert database.path is not None
    facts = read_start_facts(database.path)
    with database.session() as session:
        mode, facility = database_mode(session), own_facility(session)
    assert mode is not None and facility is not None
    assert facts.mode == mode.value == "facility"
    assert facts.facility is not None
    assert (facts.facility.code, facts.facility.name) == (facility.code, facility.name)
    assert (MODE_KEY, OWN_FACILITY_KEY) == (settings.MODE, settings.OWN_FACILITY)


def test_quick_read_before_the_first_start_knows_nothing(database: Database) -> None:
    assert database.path is not None
    facts = read_start_facts(database.path)
    assert facts.mode is None and facts.facility is None


def test_quick_read_account_has_what_the_window_reads(database: Database, admin: User) -> None:
    assert database.path is not None
    account = read_account(database.path, " admin ")  # as typed
    assert account is not None
    for name in ("id", "uuid", "login", "full_name", "position", "role", "active",
                 "must_change_password"):
        assert getattr(account, name) == getattr(admin, name), name
    assert not hasattr(account, "password_hash")
    assert all(may(account, action) == may(admin, action) for action in Action)
    assert read_account(database.path, "nobody") is None


def test_quick_read_never_creates_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    with pytest.raises(FileNotFoundError):
        read_start_facts(missing)
    with pytest.raises(FileNotFoundError):
        read_account(missing, "admin")
    assert not missing.exists()


def test_quick_read_of_a_file_that_is_no_database_raises_sqlite_error(tmp_path: Path) -> None:
    other = tmp_path / "notes.db"
    other.write_bytes(b"not a database at all" * 100)
    with pytest.raises(sqlite3.DatabaseError):
        read_start_facts(other)
