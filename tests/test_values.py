"""Words for stored values, and the alphabetical order of Russian and Kazakh names."""

from __future__ import annotations

import pytest
from ops_support import new_person
from sqlmodel import Session

from db.collation import person_sort_key
from db.i18n import set_language
from db.models import User
from db.ops import browse
from db.ops.persons import PersonFilter, list_persons
from db.values import _WORDS, AudienceCategory, PersonStatus, label


def test_values_same_value_in_two_enums_keeps_its_own_word() -> None:
    # PersonStatus.RELEASED == AudienceCategory.RELEASED == "released" as strings
    assert label(PersonStatus.RELEASED) == "освобождён"
    assert label(AudienceCategory.RELEASED) == "освобождённые лица"
    set_language("kk")
    assert label(PersonStatus.SERVING) != label(AudienceCategory.SERVING)


def test_values_every_member_has_a_word() -> None:
    labelled = {(type(member), member.value) for member, _word in _WORDS}
    for member, _word in _WORDS:
        for other in type(member):
            assert (type(other), other.value) in labelled


@pytest.mark.parametrize("names, expected", [
    (["Яковлев", "Әлібеков", "Ахметов"], ["Ахметов", "Әлібеков", "Яковлев"]),
    (["Іскаков", "Ыбыраев", "Ибрагимов"], ["Ибрагимов", "Ыбыраев", "Іскаков"]),
    (["Қасымов", "Кенжебаев", "Лебедев"], ["Кенжебаев", "Қасымов", "Лебедев"]),
    (["Өмірзақов", "Пак", "Олжасов"], ["Олжасов", "Өмірзақов", "Пак"]),
    (["Үмбетов", "Ұланов", "Уалиев", "Фёдоров"], ["Уалиев", "Ұланов", "Үмбетов", "Фёдоров"]),
    (["Семёнова", "Семенов", "Сейтов"], ["Сейтов", "Семенов", "Семёнова"]),
])
def test_values_names_sort_in_kazakh_alphabet(names: list[str], expected: list[str]) -> None:
    assert sorted(names, key=lambda n: (person_sort_key(n, "", ""), n)) == expected


@pytest.mark.usefixtures("fixed_today")
def test_values_person_lists_sort_in_kazakh_alphabet(session: Session, admin: User) -> None:
    for surname in ("Яковлев", "Әлібеков", "Ахметов", "Іскаков"):
        new_person(session, admin, surname=surname)
    expected = ["Ахметов", "Әлібеков", "Іскаков", "Яковлев"]
    assert [p.surname for p in list_persons(session)] == expected
    rows = browse.person_rows(session, PersonFilter(), sort="full_name")
    assert [r.full_name.split()[0] for r in rows] == expected
