"""Generated damage to backups: whatever file is given to restore, the program either refuses it
with a message (and the current database keeps every row), or takes it because it is a whole
Qadam database of a known schema.

Why "either": a flipped byte on a free page, or inside a text, leaves a database SQLite finds
whole (integrity_check "ok") — there is no checksum over the data to tell. Such a file may be
restored; what may never happen is a traceback, a half-replaced database, or a restored file
that fails integrity_check or foreign_key_check or is not a Qadam database."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ops_support import D, agency, new_event, new_person, new_volunteer, topic
from sqlmodel import Session

from db.backup import backup_database
from db.backups import SQLITE_HEADER, check_backup, restore_from
from db.database import open_database
from db.errors import QadamError
from db.migrate import known_revisions
from db.models import AttendeeInput, FacilityCreate, UserCreate
from db.ops.setup import initialize
from db.values import DatabaseMode

PAGE = 4096
# QADAM_FUZZ_EXAMPLES=5000 for a long hunt; the suite's own run stays short
FAST = settings(max_examples=int(os.environ.get("QADAM_FUZZ_EXAMPLES", "40")), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def _initialize(session: Session, code: str) -> Any:
    return initialize(session, mode=DatabaseMode.FACILITY, facility=FacilityCreate(
        code=code, name=f"Учреждение №{code}", facility_type="medium"), admin=UserCreate(
        login="admin", full_name="Админов Админ", role="admin", password="correct horse"))


class Files:
    """Built once for the module: a backup with records in every table that has foreign keys,
    the current database it would replace, and files of the wrong kind."""

    def __init__(self, folder: Path, template: Path) -> None:
        source = folder / "source.db"
        shutil.copyfile(template, source)
        database = open_database(source)
        with mock.patch("db.clock.today", lambda: dt.date(2026, 11, 15)), \
                database.session() as session:
            admin = _initialize(session, "69")
            persons = [new_person(session, admin, surname=f"Әлібеков{n}", name="Ұлан")
                       for n in range(6)]
            volunteer = new_volunteer(session, admin, persons[0])
            for number in range(12):
                new_event(session, admin, event_date=D(2026, 10, 1 + number),
                          topic_ids=[topic(session).id], agency_ids=[agency(session).id],
                          attendees=[AttendeeInput(person_id=persons[number % 6].id,
                                                   category="released")],
                          notes="Қазақстан " * 20)
            assert volunteer.id is not None
        database.dispose()
        self.backup = backup_database(source, folder / "good-backup.db")
        self.data = self.backup.read_bytes()

        current = folder / "current.db"
        shutil.copyfile(template, current)
        database = open_database(current)
        with database.session() as session:
            _initialize(session, "54")
        database.dispose()  # checkpointed: one file, nothing in a -wal
        self.current = current.read_bytes()

        other = folder / "other.db"
        connection = sqlite3.connect(other)
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        connection.execute("INSERT INTO notes (text) VALUES ('not ours')")
        connection.commit()
        connection.close()
        newer = folder / "newer.db"
        newer.write_bytes(self.data)
        connection = sqlite3.connect(newer)
        connection.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
        connection.commit()
        connection.close()
        package = folder / "package.zip"
        with zipfile.ZipFile(package, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
        self.wrong = {"empty": b"", "text": "Отчёт за октябрь".encode(),
                      "header only": SQLITE_HEADER, "other program": other.read_bytes(),
                      "newer schema": newer.read_bytes(), "excel": package.read_bytes(),
                      "first page only": self.data[:PAGE]}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path) -> Files:
    return Files(tmp_path_factory.mktemp("fuzz-backups"), migrated_template)


@pytest.fixture
def place() -> Iterator[Callable[[], Path]]:
    """A fresh folder per generated example (hypothesis runs many in one test call)."""
    folders: list[str] = []

    def make() -> Path:
        folders.append(tempfile.mkdtemp(prefix="qadam-fuzz-"))
        return Path(folders[-1])

    yield make
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def rows(path: Path) -> dict[str, list[tuple]]:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(),
                              key=repr) for table in tables}
    finally:
        connection.close()


def whole(path: Path) -> None:
    """The restored file is a Qadam database SQLite finds whole, with no dangling reference."""
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    connection.text_factory = bytes  # a changed letter is no damage SQLite can see
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [(b"ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        connection.close()
    assert revision is not None and revision[0].decode() in known_revisions()
    check_backup(path)  # what restore demands of a backup holds for what it restored


def damage(data: bytes, draw: Any) -> bytes:
    how = draw(st.sampled_from(["flip", "flip early", "cut", "cut at a page", "wrong kind"]))
    damaged = bytearray(data)
    if how.startswith("flip"):
        # "early": the header and the schema pages, where one bit changes the most
        limit = 3 * PAGE if how == "flip early" else len(data)
        for position, bit in draw(st.lists(st.tuples(st.integers(0, limit - 1),
                                                      st.integers(0, 7)), min_size=1,
                                           max_size=6)):
            damaged[position] ^= 1 << bit
        return bytes(damaged)
    if how == "cut":
        return bytes(damaged[:draw(st.integers(0, len(data) - 1))])
    if how == "cut at a page":
        return bytes(damaged[:PAGE * draw(st.integers(1, len(data) // PAGE - 1))])
    return draw(st.one_of(st.binary(max_size=3 * PAGE),
                          st.binary(max_size=PAGE).map(lambda junk: SQLITE_HEADER + junk)))


@FAST
@given(st.data())
def test_fuzz_backups_damaged_backup_is_refused_or_whole(files: Files, place: Any,
                                                         data: st.DataObject) -> None:
    folder = place()
    backup = folder / "from-the-stick.db"
    backup.write_bytes(damage(files.data, data.draw))
    current = folder / "qadam.db"
    current.write_bytes(files.current)
    before = rows(current)
    try:
        check_backup(backup)
        checked = True
    except QadamError as exc:
        checked = False
        assert exc.message and str(backup) in exc.message
    try:
        restore_from(backup, current, safety_folder=folder / "safety")
    except QadamError as exc:
        assert exc.message
        assert rows(current) == before
        if not checked:  # refused before anything was touched: not one byte changed
            assert current.read_bytes() == files.current
            assert not (folder / "safety").exists()
        assert not list(folder.glob(".qadam.db.restore-*"))  # no temporary copy left
        return
    assert checked
    whole(current)
    assert not list(folder.glob(".qadam.db.restore-*"))


@pytest.mark.parametrize("kind", ["empty", "text", "header only", "other program",
                                  "newer schema", "excel", "first page only"])
def test_fuzz_backups_wrong_kind_of_file_is_refused(files: Files, place: Any,
                                                    kind: str) -> None:
    folder = place()
    backup = folder / "backup.db"
    backup.write_bytes(files.wrong[kind])
    current = folder / "qadam.db"
    current.write_bytes(files.current)
    with pytest.raises(QadamError) as caught:
        restore_from(backup, current, safety_folder=folder / "safety")
    assert str(backup) in caught.value.message
    assert current.read_bytes() == files.current
    assert sorted(p.name for p in folder.iterdir()) == ["backup.db", "qadam.db"]


def test_fuzz_backups_untouched_backup_restores_every_row(files: Files, place: Any) -> None:
    """The generator's baseline: the undamaged file is taken and restores exactly its rows."""
    folder = place()
    current = folder / "qadam.db"
    current.write_bytes(files.current)
    restore_from(files.backup, current, safety_folder=folder / "safety")
    whole(current)
    assert rows(current) == rows(files.backup)


@pytest.mark.parametrize("kind", ["flip in the header", "cut short", "other program"])
def test_fuzz_backups_cli_restore_of_a_bad_file_says_why(files: Files, place: Any, kind: str,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    import main

    folder = place()
    monkeypatch.setenv("QADAM_DATA_DIR", str(folder / "data"))
    monkeypatch.setenv("QADAM_PASSWORD", "correct horse")
    monkeypatch.setenv("QADAM_LANG", "ru")
    backup = folder / "backup.db"
    bad = {"flip in the header": files.data[:16] + bytes([files.data[16] ^ 0x7F])
           + files.data[17:], "cut short": files.data[:len(files.data) // 3],
           "other program": files.wrong["other program"]}[kind]
    backup.write_bytes(bad)
    current = folder / "qadam.db"
    current.write_bytes(files.current)
    before = rows(current)
    code = main.main(["restore", "--db", str(current), "--user", "admin", str(backup)])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("qadam: ") and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert any(word in err for word in ("повреждён", "не является", "другой программы")), err
    assert rows(current) == before


def test_fuzz_backups_dangling_reference_is_refused(files: Files, place: Any) -> None:
    """What a flip in an unindexed integer can do, made on purpose: integrity_check finds the
    file whole, only foreign_key_check sees that an attendee points at no person."""
    folder = place()
    backup = folder / "backup.db"
    backup.write_bytes(files.data)
    connection = sqlite3.connect(backup)
    connection.execute("UPDATE event_attendee SET person_id = 9999")
    connection.commit()
    connection.close()
    current = folder / "qadam.db"
    current.write_bytes(files.current)
    with pytest.raises(QadamError, match="event_attendee"):
        restore_from(backup, current, safety_folder=folder / "safety")
    assert current.read_bytes() == files.current
