"""Backups: once a day with rotation, manual copies, checking a chosen file, restoring it."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from ops_support import D, agency, new_event, topic
from sqlmodel import Session
from test_migrations import _database_at

from db.backup import backup_database
from db.backups import (
    BackupKind,
    backup_name,
    backup_to,
    check_backup,
    daily_backup,
    list_backups,
    restore_from,
    rotate,
)
from db.database import Database, open_database
from db.errors import DatabaseError
from db.migrate import head_revision
from db.models import User

PAGE = 4096


# --- helpers ---------------------------------------------------------------------------------

def add_events(session: Session, admin: User, count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        new_event(session, admin, event_date=D(2026, 10, 1) + dt.timedelta(days=number % 28),
                  count_serving=10 + number, topic_ids=[topic(session).id,
                                                        topic(session, "healthy_lifestyle").id],
                  agency_ids=[agency(session).id], notes=f"событие {number}")


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    connection = sqlite3.connect(path)
    try:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(),
                              key=repr) for table in tables}
    finally:
        connection.close()


def integrity(path: Path) -> str:
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?immutable=1", uri=True)
        try:
            return str(connection.execute("PRAGMA integrity_check").fetchone()[0])
        finally:
            connection.close()
    except (sqlite3.Error, UnicodeDecodeError) as exc:  # a damaged page may hold invalid UTF-8
        return str(exc)


def fake_backup(folder: Path, stem: str, when: dt.datetime,
                kind: BackupKind = BackupKind.DAILY) -> Path:
    """A stand-in file with a backup's name: rotation only looks at names."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / backup_name(stem, when, kind)
    path.write_bytes(b"x")
    return path


def names(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir()}


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour))


@pytest.fixture
def filled(database: Database, session: Session, admin: User, fixed_today: dt.date) -> Database:
    """The test database with its admin and five events with topics and an agency."""
    add_events(session, admin, 5)
    return database


# --- daily backups ---------------------------------------------------------------------------

def test_backups_daily_backup_once_a_day(filled: Database, tmp_path: Path) -> None:
    assert filled.path is not None
    folder = tmp_path / "backups"
    first = daily_backup(filled.path, folder, today=D(2026, 11, 15))
    assert first is not None and first.name.startswith("test-20261115-")
    assert daily_backup(filled.path, folder, today=D(2026, 11, 15)) is None
    second = daily_backup(filled.path, folder, today=D(2026, 11, 16))
    assert second is not None and second.name.startswith("test-20261116-")
    listed = list_backups(folder, "test")
    assert [info.path for info in listed] == [second, first]  # newest first
    assert all(info.revision == head_revision() and info.kind == BackupKind.DAILY
               for info in listed)
    assert all(info.size == info.path.stat().st_size > 0 for info in listed)
    assert listed[0].created.date() == D(2026, 11, 16)
    assert integrity(first) == "ok"
    assert dump(first)["event"] == dump(filled.path)["event"]
    assert not list(folder.glob("*.partial"))


def test_backups_daily_backup_defaults_to_the_data_folder(
        filled: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert filled.path is not None
    monkeypatch.setenv("QADAM_DATA_DIR", str(tmp_path / "data"))
    made = daily_backup(filled.path)
    assert made is not None and made.parent == tmp_path / "data" / "backups"


def test_backups_daily_backup_rotates(filled: Database, tmp_path: Path) -> None:
    assert filled.path is not None
    folder = tmp_path / "backups"
    old = fake_backup(folder, "test", at(D(2026, 11, 1)))
    older = fake_backup(folder, "test", at(D(2026, 11, 1), 8))  # same day, not the newest
    daily_backup(filled.path, folder, today=D(2026, 11, 15))
    assert old.exists() and not older.exists()


def test_backups_backup_of_a_missing_database_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "absent.db"
    with pytest.raises(DatabaseError):
        daily_backup(missing, tmp_path / "backups", today=D(2026, 11, 15))
    with pytest.raises(DatabaseError):
        backup_to(missing, tmp_path / "copy.db")
    assert not missing.exists()
    assert not (tmp_path / "copy.db").exists()


# --- rotation --------------------------------------------------------------------------------

YEAR_END_KEPT = {
    *(at(D(2026, month, day)) for month, day in (
        (1, 31), (2, 28), (3, 31), (4, 30), (5, 31), (6, 30), (7, 31), (8, 31), (9, 30),
        (10, 31), (11, 30))),        # monthly: the newest of each of the 12 months
    at(D(2026, 12, 13)),             # weekly: ISO week 50 (7-13 December)
    at(D(2026, 12, 20)),             # weekly: ISO week 51
    *(at(D(2026, 12, day)) for day in range(25, 31)),  # daily: 25-30 December
    at(D(2026, 12, 31), 18),         # today's newest (the 09:00 one of today goes)
}

MID_YEAR_KEPT = {
    *(at(D(2026, month, day)) for month, day in ((1, 31), (2, 28), (3, 31), (4, 30), (5, 31))),
    at(D(2026, 6, 14)),              # ISO week 24 (8-14 June)
    at(D(2026, 6, 21)),              # ISO week 25; weeks 26 and 27 fall in the daily ones
    *(at(D(2026, 6, day)) for day in range(24, 31)),   # the last seven days, 30 June included
}


def test_backups_rotation_over_a_year_of_daily_backups(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    day = D(2026, 1, 1)
    while day <= D(2026, 12, 31):
        fake_backup(folder, "qadam", at(day))
        if day == D(2026, 12, 31):
            fake_backup(folder, "qadam", at(day, 18))
        rotate(folder, "qadam", today=day)
        kept = names(folder)
        assert backup_name("qadam", at(day, 18 if day == D(2026, 12, 31) else 9)) in kept
        assert len(kept) <= 7 + 4 + 12
        if day == D(2026, 6, 30):
            assert kept == {backup_name("qadam", when) for when in MID_YEAR_KEPT}
        day += dt.timedelta(days=1)
    assert names(folder) == {backup_name("qadam", when) for when in YEAR_END_KEPT}


def test_backups_rotation_after_months_switched_off_keeps_monthly_ones(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    day = D(2026, 1, 1)
    while day <= D(2026, 3, 31):
        fake_backup(folder, "qadam", at(day))
        day += dt.timedelta(days=1)
    deleted = rotate(folder, "qadam", today=D(2026, 9, 1))
    assert names(folder) == {backup_name("qadam", at(D(2026, 1, 31))),
                             backup_name("qadam", at(D(2026, 2, 28))),
                             backup_name("qadam", at(D(2026, 3, 31)))}
    assert len(deleted) == 90 - 3 and not any(path.exists() for path in deleted)


def test_backups_rotation_never_deletes_the_newest(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    for day in (1, 2, 3):
        fake_backup(folder, "qadam", at(D(2025, 1, day)))
    rotate(folder, "qadam", keep_daily=0, keep_weekly=0, keep_monthly=0, today=D(2026, 11, 15))
    assert names(folder) == {backup_name("qadam", at(D(2025, 1, 3)))}


def test_backups_rotation_touches_only_this_databases_daily_backups(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    old = at(D(2020, 5, 5))
    others = {
        fake_backup(folder, "qadam", old, BackupKind.BEFORE_UPGRADE),
        fake_backup(folder, "qadam", old, BackupKind.BEFORE_RESTORE),
        fake_backup(folder, "qadam", old, BackupKind.DAMAGED),
        fake_backup(folder, "qadam-copy", old),
        fake_backup(folder, "qadam", at(D(2027, 1, 1))),  # dated ahead: a clock set wrong
    }
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    (folder / "qadam-20201399-000000.db").write_bytes(b"x")  # no date: not ours
    doomed = fake_backup(folder, "qadam", at(D(2020, 5, 6)))
    fake_backup(folder, "qadam", at(D(2026, 11, 15)))
    assert rotate(folder, "qadam", today=D(2026, 11, 15)) == [doomed]
    assert all(path.exists() for path in others)
    assert (folder / "notes.txt").exists() and (folder / "qadam-20201399-000000.db").exists()


def test_backups_two_in_one_second_both_kept_and_ordered(tmp_path: Path) -> None:
    from db.backups import _unique

    folder = tmp_path / "backups"
    first = fake_backup(folder, "qadam", dt.datetime(2026, 11, 15, 9, 30))
    second = _unique(folder, first.name)
    assert second.name == "qadam-20261115-093000-2.db"
    second.write_bytes(b"x")
    assert _unique(folder, first.name).name == "qadam-20261115-093000-3.db"
    assert [info.path for info in list_backups(folder, "qadam")] == [second, first]
    assert rotate(folder, "qadam", today=D(2026, 11, 15)) == [first]  # the later one is newest


# --- manual backup and restore ---------------------------------------------------------------

def test_backups_backup_to_and_restore_bring_back_exactly_the_backed_up_rows(
        filled: Database, session: Session, admin: User, tmp_path: Path) -> None:
    assert filled.path is not None
    stick = tmp_path / "stick"
    stick.mkdir()
    copy = backup_to(filled.path, stick / "qadam-copy.db")
    assert copy == stick / "qadam-copy.db" and not (stick / "qadam-copy.db-wal").exists()
    backed_up = dump(copy)
    assert len(backed_up["event"]) == 5
    assert check_backup(copy).revision == head_revision()

    add_events(session, admin, 3, start=5)
    session.close()
    filled.dispose()
    changed = dump(filled.path)
    assert len(changed["event"]) == 8

    safety = restore_from(copy, filled.path, safety_folder=tmp_path / "safety")
    assert safety is not None and safety.parent == tmp_path / "safety"
    assert "-before-restore-" in safety.name
    assert dump(safety) == changed  # nothing is lost by restoring
    reopened = open_database(filled.path)
    reopened.dispose()
    assert dump(filled.path) == backed_up
    assert integrity(filled.path) == "ok"
    assert sorted(p.name for p in filled.path.parent.iterdir()
                  if p.name.startswith((".test", "test"))) == ["test.db"]


def test_backups_restore_creates_a_missing_database(filled: Database, tmp_path: Path) -> None:
    assert filled.path is not None
    copy = backup_to(filled.path, tmp_path / "copy.db")
    target = tmp_path / "new" / "fresh.db"
    target.parent.mkdir()
    assert restore_from(copy, target, safety_folder=tmp_path / "safety") is None
    assert not (tmp_path / "safety").exists()
    open_database(target).dispose()
    assert dump(target) == dump(copy)
    assert names(target.parent) == {"fresh.db"}


def test_backups_restore_of_an_older_schema_is_upgraded_on_opening(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    _database_at(old, "0001")
    assert check_backup(old).revision == "0001"
    target = tmp_path / "restored.db"
    restore_from(old, target)
    database = open_database(target, backup_dir=tmp_path / "backups")
    database.dispose()
    assert sqlite3.connect(target).execute(
        "SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
    upgrades = list_backups(tmp_path / "backups", "restored")
    assert [(info.kind, info.revision) for info in upgrades] == [
        (BackupKind.BEFORE_UPGRADE, "0001")]


def test_backups_restore_keeps_a_raw_copy_of_a_damaged_database(
        filled: Database, tmp_path: Path) -> None:
    assert filled.path is not None
    copy = backup_to(filled.path, tmp_path / "copy.db")
    filled.dispose()
    data = bytearray(filled.path.read_bytes())
    for page in range(1, len(data) // PAGE):
        data[page * PAGE:page * PAGE + 8] = b"\xff" * 8  # every b-tree page header
    filled.path.write_bytes(bytes(data))
    safety = restore_from(copy, filled.path, safety_folder=tmp_path / "safety")
    assert safety is not None and "-damaged-" in safety.name
    assert safety.read_bytes() == bytes(data)
    assert integrity(filled.path) == "ok"
    assert dump(filled.path) == dump(copy)


def test_backups_restore_refuses_a_database_still_open(filled: Database, tmp_path: Path) -> None:
    assert filled.path is not None
    copy = backup_to(filled.path, tmp_path / "copy.db")
    with filled.engine.connect() as connection:  # the window forgot to close it
        connection.exec_driver_sql("SELECT count(*) FROM event").fetchall()
        before = filled.path.read_bytes()
        with pytest.raises(DatabaseError, match="ещё открыта"):
            restore_from(copy, filled.path, safety_folder=tmp_path / "safety")
        assert filled.path.read_bytes() == before
    assert not [p for p in filled.path.parent.iterdir() if ".restore-" in p.name]


def test_backups_backup_to_refuses_folders_and_the_database_itself(
        filled: Database, tmp_path: Path) -> None:
    assert filled.path is not None
    with pytest.raises(DatabaseError):
        backup_to(filled.path, tmp_path)
    with pytest.raises(DatabaseError):
        backup_to(filled.path, tmp_path / "no-such-folder" / "copy.db")
    with pytest.raises(DatabaseError):
        backup_to(filled.path, filled.path)
    with pytest.raises(DatabaseError):
        restore_from(filled.path, filled.path)


# --- backup while another connection writes --------------------------------------------------

def test_backups_backup_while_another_connection_writes_is_consistent(
        filled: Database, admin: User, tmp_path: Path) -> None:
    assert filled.path is not None
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            with filled.session() as session:
                number = 100
                while not stop.is_set():
                    add_events(session, admin, 1, start=number)
                    number += 1
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    copies = []
    try:
        for number in range(6):
            time.sleep(0.05)
            copies.append(backup_to(filled.path, tmp_path / f"copy-{number}.db"))
    finally:
        stop.set()
        thread.join(10)
    assert not errors
    counts = []
    for copy in copies:
        assert integrity(copy) == "ok"
        with sqlite3.connect(copy) as connection:
            events = connection.execute("SELECT count(*) FROM event").fetchone()[0]
            linked = connection.execute(
                "SELECT count(*) FROM event WHERE (SELECT count(*) FROM event_topic t "
                "WHERE t.event_id = event.id) = 2 AND (SELECT count(*) FROM event_agency a "
                "WHERE a.event_id = event.id) = 1").fetchone()[0]
            audited = connection.execute(
                "SELECT count(*) FROM audit_entry WHERE table_name = 'event' "
                "AND action = 'create'").fetchone()[0]
        assert events == linked == audited  # every transaction whole, none half
        counts.append(events)
    assert counts == sorted(counts) and counts[-1] > counts[0] >= 5  # it really wrote meanwhile


# --- refusing what is not a good backup ------------------------------------------------------

def _text_file(good: Path, target: Path) -> None:
    target.write_text("Это не база данных\n" * 100, encoding="utf-8")


def _other_sqlite(good: Path, target: Path) -> None:
    with sqlite3.connect(target) as connection:
        connection.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
        connection.execute("INSERT INTO contacts VALUES ('Айгуль', '+7 701 000 00 00')")
    connection.close()


def _newer_revision(good: Path, target: Path) -> None:
    shutil.copyfile(good, target)
    with sqlite3.connect(target) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff_future'")
    connection.close()


def _no_revision(good: Path, target: Path) -> None:
    shutil.copyfile(good, target)
    with sqlite3.connect(target) as connection:
        connection.execute("DELETE FROM alembic_version")
    connection.close()


def _truncated(good: Path, target: Path) -> None:
    data = good.read_bytes()
    target.write_bytes(data[:len(data) // 2])


def _header_only(good: Path, target: Path) -> None:
    target.write_bytes(good.read_bytes()[:100])


def _empty(good: Path, target: Path) -> None:
    target.write_bytes(b"")


def _page_headers_flipped(good: Path, target: Path) -> None:
    data = bytearray(good.read_bytes())
    for page in range(2, len(data) // PAGE, 3):
        for offset in range(page * PAGE, page * PAGE + 8):
            data[offset] ^= 0xA5
    target.write_bytes(bytes(data))


@pytest.mark.parametrize("spoil", [
    _text_file, _other_sqlite, _newer_revision, _no_revision, _truncated, _header_only, _empty,
    _page_headers_flipped,
], ids=lambda spoil: spoil.__name__.strip("_"))
def test_backups_restore_refuses_a_bad_file_and_changes_nothing(
        filled: Database, tmp_path: Path, spoil) -> None:  # noqa: ANN001
    assert filled.path is not None
    good = backup_to(filled.path, tmp_path / "good.db")
    bad = tmp_path / "bad.db"
    spoil(good, bad)
    filled.dispose()
    before = filled.path.read_bytes()
    folder_before = names(filled.path.parent)
    with pytest.raises(DatabaseError) as refused:
        check_backup(bad)
    assert "bad.db" in refused.value.message
    with pytest.raises(DatabaseError):
        restore_from(bad, filled.path, safety_folder=tmp_path / "safety")
    assert filled.path.read_bytes() == before
    assert names(filled.path.parent) == folder_before
    assert not (tmp_path / "safety").exists()


def test_backups_restore_refuses_a_missing_file(filled: Database, tmp_path: Path) -> None:
    assert filled.path is not None
    with pytest.raises(DatabaseError):
        restore_from(tmp_path / "absent.db", filled.path)


def test_backups_byte_flips_inside_pages_are_refused_whenever_sqlite_sees_damage(
        filled: Database, tmp_path: Path) -> None:
    """A flip inside a record's text can leave a valid database (then it is a valid backup with
    other text); whenever integrity_check sees damage, the backup must be refused."""
    assert filled.path is not None
    good = backup_to(filled.path, tmp_path / "good.db")
    filled.dispose()
    before = filled.path.read_bytes()
    data = good.read_bytes()
    refused: list[bytes] = []
    bad = tmp_path / "flipped.db"
    for page in range(1, len(data) // PAGE):
        for where in (PAGE // 2, 8, 100):
            flipped = bytearray(data)
            for offset in range(page * PAGE + where, page * PAGE + where + 4):
                flipped[offset] ^= 0xFF
            bad.write_bytes(bytes(flipped))
            if integrity(bad) == "ok":
                continue
            refused.append(bytes(flipped))
            with pytest.raises(DatabaseError):
                check_backup(bad)
    assert len(refused) > 10
    bad.write_bytes(refused[len(refused) // 2])
    with pytest.raises(DatabaseError):
        restore_from(bad, filled.path, safety_folder=tmp_path / "safety")
    assert filled.path.read_bytes() == before


def test_backups_list_shows_upgrade_backups_with_their_revision(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    _database_at(old, "0001")
    open_database(old, backup_dir=tmp_path / "backups").dispose()
    backup_database(old, tmp_path / "backups" / backup_name("old", at(D(2026, 11, 15))))
    listed = list_backups(tmp_path / "backups", "old")
    assert [(info.kind, info.revision) for info in listed] == [
        (BackupKind.BEFORE_UPGRADE, "0001"), (BackupKind.DAILY, head_revision())]
