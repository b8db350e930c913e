"""Person search through the FTS5 trigram index (migration 0005): the same answers as the
LIKE it replaced, the index kept in step by its triggers, filled on upgrade, and the two ways
of listing a page (sort the matches, or walk the name order) agreeing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from ops_support import D, iin_for, new_facility, new_person
from sqlmodel import Session

from db.database import Database, open_database
from db.migrate import head_revision
from db.models import Person, PersonUpdate, User
from db.ops import browse, persons
from db.ops.persons import (
    Lookup,
    PersonFilter,
    count_persons,
    delete_person,
    list_persons,
    update_person,
)
from db.search import SearchWords, fts_phrases, iin_prefix_range
from db.values import Sex


def names(session: Session, text: str, **filters: object) -> set[str]:
    f = PersonFilter(search=text, **filters)  # type: ignore[arg-type]
    found = {f"{p.surname} {p.name}" for p in list_persons(session, f)}
    rows = browse.person_rows(session, f)
    assert {" ".join(r.full_name.split()[:2]) for r in rows} == found
    assert count_persons(session, f) == len(found)
    return found


def test_search_fts_words_split_by_length_and_kind() -> None:
    words = SearchWords.of("  Әлі  85 ан 7 Семёнов ")
    assert words.trigram == ("әлі", "семенов")
    assert words.iin_prefixes == ("85", "7")
    assert words.short == ("ан",)
    assert SearchWords.of("") == SearchWords((), (), ())


def test_search_fts_phrases_quote_every_word() -> None:
    assert fts_phrases(("ab\"c", "and")) == '"ab""c" "and"'
    assert iin_prefix_range("85") == ("85", "86")
    assert iin_prefix_range("9") == ("9", ":")  # ":" follows "9": every IIN starting with 9


def test_search_fts_folds_kazakh_and_russian_case(session: Session, admin: User) -> None:
    new_person(session, admin, surname="Әлібеков", name="Әлібек", patronymic="Қайратұлы")
    new_person(session, admin, surname="Семёнов", name="Пётр", patronymic="")
    assert names(session, "әлібек") == {"Әлібеков Әлібек"}
    assert names(session, "ӘЛІБЕКОВ қайрат") == {"Әлібеков Әлібек"}
    assert names(session, "семен") == {"Семёнов Пётр"}
    assert names(session, "СЕМЁН пЁт") == {"Семёнов Пётр"}
    assert names(session, "ұлы") == {"Әлібеков Әлібек"}


def test_search_fts_short_words_and_iin_prefixes(session: Session, admin: User) -> None:
    new_person(session, admin, surname="Ли", name="Ан", patronymic="",
               iin=iin_for(D(1985, 3, 1), Sex.MALE))
    new_person(session, admin, surname="Ким", name="Олег", patronymic="",
               iin=iin_for(D(1990, 8, 5), Sex.MALE))
    new_person(session, admin, surname="Ахметов", name="Ерлан", patronymic="")
    assert names(session, "ли") == {"Ли Ан"}
    assert names(session, "а") == {"Ли Ан", "Ахметов Ерлан"}
    # one or two digits: the start of the IIN (the year of birth), not any digits inside it
    assert names(session, "85") == {"Ли Ан"}
    assert names(session, "9") == {"Ким Олег"}
    assert names(session, "08") == set()
    assert names(session, "900805") == {"Ким Олег"}
    assert names(session, "0805") == {"Ким Олег"}  # 3+ digits: anywhere, as before
    assert names(session, "ким 90") == {"Ким Олег"}
    assert names(session, "ким 85") == set()
    assert names(session, "ол ки") == {"Ким Олег"}


def test_search_fts_special_characters_are_plain_text(session: Session, admin: User) -> None:
    new_person(session, admin, surname="О'Нил", name="Джон", patronymic="")
    new_person(session, admin, surname="Ким", name="Ли", patronymic="")
    for text in ('"', '""', "o'н", "AND", "ким OR", "NEAR(ким)", "ки*", "^ким", "ким:"):
        names(session, text)  # no FTS5 syntax error, the same count as the list
    assert names(session, "'нил") == {"О'Нил Джон"}
    assert names(session, "ким OR") == set()


def test_search_fts_follows_changes_and_deletes(session: Session, admin: User) -> None:
    person = new_person(session, admin, surname="Жумабаев", name="Нурлан", patronymic="")
    assert names(session, "жумаб") == {"Жумабаев Нурлан"}
    update_person(session=session, actor=admin, person_id=person.id,
                  data=PersonUpdate(surname="Тулегенов"))
    assert names(session, "жумаб") == set()
    assert names(session, "тулеген") == {"Тулегенов Нурлан"}
    update_person(session=session, actor=admin, person_id=person.id,
                  data=PersonUpdate(phone="+7 701 123 4567"))  # search key unchanged
    assert names(session, "тулеген") == {"Тулегенов Нурлан"}
    delete_person(session=session, actor=admin, person_id=person.id)
    assert names(session, "тулеген") == set()
    check = session.connection().exec_driver_sql(
        "INSERT INTO person_search(person_search, rank) VALUES ('integrity-check', 1)")
    check.close()  # raises when the index and the table disagree


def test_search_fts_every_lookup_lists_the_same_pages(session: Session, admin: User,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    other = new_facility(session, admin)
    for number in range(30):
        new_person(session, admin, surname=f"Серікбаев{'ая'[number % 2]}", name=f"Ерлан{number}",
                   patronymic="", facility_id=other.id if number % 3 else None,
                   status="serving" if number % 4 else "released")
    new_person(session, admin, surname="Иванов", name="Иван", patronymic="")

    def pages(text: str = "серік", **filters: object) -> list[list[int]]:
        f = PersonFilter(search=text, **filters)  # type: ignore[arg-type]
        return [[r.id for r in browse.person_rows(session, f, offset=offset, limit=7,
                                                  descending=descending)]
                for offset in range(0, 35, 7) for descending in (False, True)]

    expected = {(text, bool(filters)): pages(text, **filters)
                for text in ("серік", "ерлан1 баев") for filters in ({}, {"status": "serving"})}
    assert sum(len(page) for page in expected["серік", False][::2]) == 30
    ordered = [p.id for p in list_persons(session, PersonFilter(search="серік"))]
    assert [i for page in expected["серік", False][::2] for i in page] == ordered
    for lookup in Lookup:
        monkeypatch.setattr(browse, "choose_lookup", lambda *_a, lookup=lookup, **_k: lookup)
        for (text, filtered), found in expected.items():
            assert pages(text, **({"status": "serving"} if filtered else {})) == found, lookup


def test_search_fts_lookup_by_how_many_match(session: Session, admin: User,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    for number in range(40):
        new_person(session, admin, surname="Серікбаев" if number < 12 else "Ахметов",
                   name=f"Ерлан{number}", patronymic="")
    monkeypatch.setattr(persons, "SORT_PAGES", 1)
    assert persons.choose_lookup(session, ("серік",), rows=20) == Lookup.INDEX  # 12 < 20
    assert persons.choose_lookup(session, ("серік",), rows=5) == Lookup.SCAN  # 12 of 40
    monkeypatch.setattr(persons, "SCAN_SHARE", 2)
    assert persons.choose_lookup(session, ("серік",), rows=5) == Lookup.WALK  # 12 < 40 / 2
    assert persons.choose_lookup(session, ("нет такого",), rows=5) == Lookup.INDEX


def test_search_fts_index_filled_on_upgrade(tmp_path: Path) -> None:
    """A database of revision 0004 with persons: after the upgrade they are found."""
    from test_migrations import _database_at

    path = tmp_path / "old.db"
    _database_at(path, "0004")
    with sqlite3.connect(path) as connection:
        for number, (surname, key) in enumerate((("Әлібеков", "әлібеков иван"),
                                                 ("Семёнов", "семенов иван")), start=1):
            connection.execute(
                "INSERT INTO person (id, uuid, surname, name, patronymic, status, phone, "
                "district, notes, search_key, sort_key, created_at, updated_at) VALUES "
                f"({number}, 'p{number}', '{surname}', 'Иван', '', 'serving', '', '', '', "
                f"'{key}', '{key}', '2026-01-01', '2026-01-01')")
    database = open_database(path, backup_dir=tmp_path / "backups")
    try:
        with database.session() as session:
            assert {p.surname for p in list_persons(session, PersonFilter(search="әлібек"))
                    } == {"Әлібеков"}
            assert count_persons(session, PersonFilter(search="иван")) == 2
            session.add(Person(surname="Новиков", name="Иван", search_key="новиков иван"))
            session.commit()
            assert count_persons(session, PersonFilter(search="иван")) == 3
    finally:
        database.dispose()


def test_search_fts_backup_copies_and_checks_the_index(database: Database, session: Session,
                                                       admin: User, tmp_path: Path) -> None:
    from db.backup import backup_database
    from db.backups import check_backup

    new_person(session, admin, surname="Әлібеков", name="Әлібек", patronymic="")
    session.commit()
    assert database.path is not None
    copy = backup_database(database.path, tmp_path / "copy.db")
    assert check_backup(copy).revision == head_revision()
    restored = open_database(copy)
    try:
        with restored.session() as other:
            assert count_persons(other, PersonFilter(search="әлібек")) == 1
    finally:
        restored.dispose()
