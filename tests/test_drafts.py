"""Draft files: written whole, for the user's eyes only, found only by their own user and
database, and a damaged or foreign file is never a reason to fail."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from db.models import User
from desktop import drafts


@pytest.fixture(autouse=True)
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("QADAM_DATA_DIR", str(folder))
    return folder


def user(login: str = "admin", uuid: str = "u-1") -> User:
    return User(login=login, full_name="Админов Админ", role="admin", password_hash="x",
                uuid=uuid)


def draft(database: Path, who: User | None = None, **values: object) -> drafts.Draft:
    who = who or user()
    return drafts.Draft(kind="person", database=drafts.database_key(database),
                        user_login=who.login, user_uuid=who.uuid,
                        values=values or {"surname": "Әлібекова"}, caption="Әлібекова",
                        saved_at=drafts.now_text())


def test_drafts_saved_draft_reads_back_whole(tmp_path: Path, data_folder: Path) -> None:
    db = tmp_path / "qadam.db"
    written = draft(db, surname="Әлібекова", iin="8803", article_ids=[3, 5])
    path = drafts.save_draft(written)
    assert path.parent == data_folder / "drafts"
    assert drafts.load_drafts(db, user()) == [written]
    assert json.loads(path.read_text(encoding="utf-8"))["values"]["surname"] == "Әлібекова"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left
    written.values["surname"] = "Сейтова"
    drafts.save_draft(written)  # the same draft again: replaced, not a second file
    assert [d.values["surname"] for d in drafts.load_drafts(db, user())] == ["Сейтова"]
    drafts.delete_draft(written.id)
    assert drafts.load_drafts(db, user()) == []
    drafts.delete_draft(written.id)  # twice: nothing to do, no error


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_drafts_files_are_for_the_user_only(tmp_path: Path) -> None:
    path = drafts.save_draft(draft(tmp_path / "qadam.db"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) & 0o077 == 0


def test_drafts_of_other_users_and_databases_are_not_found(tmp_path: Path) -> None:
    db = tmp_path / "qadam.db"
    mine = draft(db)
    for other in (draft(db, user("operator", "u-2")),
                  draft(db, user("admin", "u-3")),  # same login, another account
                  draft(tmp_path / "other.db")):
        drafts.save_draft(other)
    drafts.save_draft(mine)
    assert drafts.load_drafts(db, user()) == [mine]
    # the same file named another way is the same database
    assert drafts.load_drafts(tmp_path / "." / "qadam.db", user()) == [mine]
    assert len(list(drafts.drafts_folder().glob("*.json"))) == 4  # others left alone


def test_drafts_damaged_or_foreign_files_are_skipped(tmp_path: Path) -> None:
    db = tmp_path / "qadam.db"
    folder = drafts.drafts_folder()
    (folder / ("a" * 32 + ".json")).write_text("{not json", encoding="utf-8")
    (folder / ("b" * 32 + ".json")).write_bytes(b"\xff\xfe\x00")
    (folder / ("c" * 32 + ".json")).write_text("[1, 2]", encoding="utf-8")
    newer = draft(db)
    newer.format = 99
    drafts.save_draft(newer)
    renamed = draft(db)
    drafts.save_draft(renamed).rename(folder / ("d" * 32 + ".json"))  # id and name disagree
    assert drafts.load_drafts(db, user()) == []


def test_drafts_bad_ids_touch_no_other_file(tmp_path: Path) -> None:
    victim = drafts.drafts_folder().parent / "qadam.ini"
    victim.write_text("keep", encoding="utf-8")
    drafts.delete_draft("../qadam")
    drafts.delete_draft("")
    drafts.delete_draft(None)
    assert victim.read_text(encoding="utf-8") == "keep"
    bad = draft(tmp_path / "qadam.db")
    bad.id = "../escape"
    with pytest.raises(ValueError):
        drafts.save_draft(bad)


def test_drafts_failed_write_leaves_the_old_draft(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "qadam.db"
    first = draft(db, surname="Иванов")
    drafts.save_draft(first)

    def full_disk(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(drafts.os, "fsync", full_disk)
    first.values["surname"] = "Петров"
    with pytest.raises(OSError):
        drafts.save_draft(first)
    assert [d.values["surname"] for d in drafts.load_drafts(db, user())] == ["Иванов"]
    assert [p.suffix for p in drafts.drafts_folder().iterdir()] == [".json"]


def test_drafts_question_names_the_form_and_the_time(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("db.i18n._current", ["en"])
    written = draft(tmp_path / "qadam.db")
    written.kind, written.caption = "event", "Лекция, 10.11.2026"
    written.saved_at = "2026-11-29T14:05:00+05:00"
    offer = drafts.Offer(written, None, "The record has been deleted since.")
    text = drafts.question_text(offer)
    assert "Event «Лекция, 10.11.2026»" in text and "deleted since" in text
    assert "29.11.2026" in text and "Restore it?" not in text
