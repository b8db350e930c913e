"""Test setup: Qt offscreen before any QApplication exists; a temporary database per test."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Settings, demo database and backups of tests never touch the real user's data folder.
os.environ["QADAM_DATA_DIR"] = tempfile.mkdtemp(prefix="qadam-test-data-")
os.environ.setdefault("QADAM_LANG", "ru")

import pytest  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402
from sqlmodel import Session  # noqa: E402

from db.database import Database, open_database  # noqa: E402
from db.i18n import set_language  # noqa: E402
from db.models import FacilityCreate, User, UserCreate  # noqa: E402
from db.ops.setup import initialize  # noqa: E402
from db.values import DatabaseMode  # noqa: E402


@pytest.fixture(autouse=True)
def _russian_by_default() -> Iterator[None]:
    """Every test starts in Russian, the program's default language, whatever one before did."""
    set_language("ru")
    yield
    set_language("ru")


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One empty database migrated to head; each test gets a copy (migrating costs ~0.2 s)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    open_database(path, create=True).dispose()  # closing checkpoints the WAL into the file
    assert not path.with_name("template.db-wal").exists()
    return path


@pytest.fixture
def database(migrated_template: Path, tmp_path: Path) -> Iterator[Database]:
    """Overrides conftest's `database` in the test_ops_* modules that import it: the same
    temporary, migrated SQLite file with the app's engine settings, copied instead of migrated."""
    path = tmp_path / "test.db"
    shutil.copyfile(migrated_template, path)
    db = open_database(path)
    yield db
    db.dispose()


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap Argon2 settings: tests are about records, not password strength (a test of the
    real settings asks for `real_hashing`)."""
    monkeypatch.setattr("db.passwords._hasher",
                        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def real_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    from db import passwords

    monkeypatch.setattr("db.passwords._hasher", passwords.PasswordHasher())


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    with database.session() as s:
        yield s


@pytest.fixture
def admin(session: Session) -> User:
    user = initialize(
        session, mode=DatabaseMode.FACILITY,
        facility=FacilityCreate(code="69", name="Учреждение №69", facility_type="medium"),
        admin=UserCreate(login="admin", full_name="Админов Админ", role="admin",
                         password="correct horse"),
    )
    assert user is not None
    return user


@pytest.fixture
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    day = dt.date(2026, 11, 15)
    monkeypatch.setattr("db.clock.today", lambda: day)
    return day


class DialogRecorder:
    """Stands in for QMessageBox's static dialogs, so no modal box ever blocks a test.

    Tests read what was asked or said, and queue answers for the next questions."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.said: list[str] = []
        self.answers: list[object] = []

    def question(self, _parent, _title, text, buttons=None, _default=None):  # noqa: ANN001
        from PySide6.QtWidgets import QMessageBox

        self.asked.append(text)
        if self.answers:
            return self.answers.pop(0)
        if buttons is not None and buttons & QMessageBox.StandardButton.Discard:
            return QMessageBox.StandardButton.Discard
        return QMessageBox.StandardButton.No

    def message(self, _parent, _title, text, *_args):  # noqa: ANN001
        from PySide6.QtWidgets import QMessageBox

        self.said.append(text)
        return QMessageBox.StandardButton.Ok


@pytest.fixture(autouse=True)
def dialogs(monkeypatch: pytest.MonkeyPatch) -> DialogRecorder:
    from PySide6.QtWidgets import QMessageBox

    recorder = DialogRecorder()
    monkeypatch.setattr(QMessageBox, "question", recorder.question)
    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, recorder.message)
    monkeypatch.setattr(QMessageBox, "about", lambda *args: recorder.said.append(args[2]))
    return recorder
