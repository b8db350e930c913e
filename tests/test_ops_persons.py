"""Persons: create, change, delete, find; the IIN and articles; the audit trail of each."""

from __future__ import annotations

import pytest
from ops_support import (
    D,
    article,
    audit_count,
    changes,
    home,
    iin_for,
    new_audit,
    new_event,
    new_facility,
    new_person,
    new_volunteer,
    rows,
)
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from db.errors import InUse, NotFound, ValidationError
from db.i18n import _
from db.models import (
    AttendeeInput,
    Outcome,
    OutcomeCreate,
    Person,
    PersonArticle,
    PersonCreate,
    PersonUpdate,
    User,
)
from db.ops.persons import (
    PersonFilter,
    article_ids_of,
    count_persons,
    create_person,
    delete_person,
    find_duplicates,
    get_person,
    list_persons,
    person_by_iin,
    update_person,
)
from db.ops.references import update_item
from db.ops.volunteers import create_outcome
from db.values import Sex

pytestmark = pytest.mark.usefixtures("fast_hashing", "fixed_today")

IIN_1985_M = "850101301231"


def test_ops_persons_create_fills_from_iin_and_audits(session: Session, admin: User) -> None:
    before = audit_count(session)
    person = new_person(session, admin, iin="850101 301231", phone="8 (701) 123-45-67",
                        article_ids=[article(session).id])
    assert person.id is not None
    assert (person.iin, person.birth_date, person.sex) == (IIN_1985_M, D(1985, 1, 1), "M")
    assert person.phone == "+7 701 123 45 67"
    assert get_person(session, person.id) == person
    assert person_by_iin(session, IIN_1985_M) == person
    assert article_ids_of(session, person.id) == [article(session).id]
    [entry] = new_audit(session, before)
    assert (entry.action, entry.table_name, entry.record_uuid) == ("create", "person",
                                                                   person.uuid)
    assert changes(entry)["iin"] == IIN_1985_M
    assert changes(entry)["birth_date"] == "1985-01-01"
    assert "search_key" not in changes(entry)


def test_ops_persons_get_missing_is_not_found(session: Session, admin: User) -> None:
    with pytest.raises(NotFound):
        get_person(session, 12345)


@pytest.mark.parametrize(("overrides", "fields"), [
    ({"surname": " "}, {"surname"}),
    ({"iin": "850101301232"}, {"iin"}),
    ({"iin": IIN_1985_M, "birth_date": D(1985, 1, 2)}, {"birth_date"}),
    ({"iin": IIN_1985_M, "sex": "F"}, {"sex"}),
    ({"birth_date": D(2026, 12, 1), "release_date": None}, {"birth_date"}),
    ({"birth_date": D(1990, 1, 1), "release_date": D(1989, 1, 1)}, {"release_date"}),
    ({"phone": "+998 90 123 45 67"}, {"phone"}),
    ({"facility_id": 999}, {"facility_id"}),
    ({"article_ids": [999]}, {"article_ids"}),
    ({"status": "escaped"}, {"status"}),
])
def test_ops_persons_failed_validation_writes_nothing(session: Session, admin: User,
                                                      overrides: dict, fields: set[str]) -> None:
    before_rows, before_audit = rows(session, Person), audit_count(session)
    with pytest.raises(ValidationError) as error:
        new_person(session, admin, **overrides)
    assert set(error.value.errors) == fields
    assert (rows(session, Person), audit_count(session)) == (before_rows, before_audit)
    assert rows(session, PersonArticle) == 0


def test_ops_persons_duplicate_iin_refused(session: Session, admin: User) -> None:
    first = new_person(session, admin, iin=IIN_1985_M)
    before = audit_count(session)
    with pytest.raises(ValidationError) as error:
        new_person(session, admin, surname="Петров", iin=" 850101301231")
    assert set(error.value.errors) == {"iin"}
    other = new_person(session, admin, surname="Петров")
    with pytest.raises(ValidationError) as error:
        update_person(session=session, actor=admin, person_id=other.id,
                      data=PersonUpdate(iin=IIN_1985_M))
    assert set(error.value.errors) == {"iin"}
    assert rows(session, Person) == 2
    assert audit_count(session) == before + 1  # only the second person's creation
    # the person keeps their own IIN on an update of something else
    update_person(session=session, actor=admin, person_id=first.id,
                  data=PersonUpdate(district="Абайский"))


def test_ops_persons_update_audits_exactly_the_changed_fields(session: Session,
                                                              admin: User) -> None:
    person = new_person(session, admin, iin=IIN_1985_M, district="Абайский")
    before = audit_count(session)
    update_person(session=session, actor=admin, person_id=person.id, data=PersonUpdate(
        surname="Иванов", name="Ivan ", district="Енбекшинский", phone="87011234567",
        birth_date=D(1985, 1, 1)))
    [entry] = new_audit(session, before)
    assert (entry.action, entry.record_uuid) == ("update", person.uuid)
    assert changes(entry) == {"name": ["Иван", "Ivan"],
                              "district": ["Абайский", "Енбекшинский"],
                              "phone": ["", "+7 701 123 45 67"]}


def test_ops_persons_update_articles_audited(session: Session, admin: User) -> None:
    a296, a297 = article(session, "296"), article(session, "297")
    person = new_person(session, admin, article_ids=[a296.id])
    before = audit_count(session)
    update_person(session=session, actor=admin, person_id=person.id,
                  data=PersonUpdate(article_ids=[a297.id, a296.id]))
    [entry] = new_audit(session, before)
    assert changes(entry) == {"article_ids": [[a296.id], sorted([a296.id, a297.id])]}
    assert sorted(article_ids_of(session, person.id)) == sorted([a296.id, a297.id])


def test_ops_persons_update_without_change_writes_no_audit(session: Session,
                                                           admin: User) -> None:
    person = new_person(session, admin)
    before = audit_count(session)
    update_person(session=session, actor=admin, person_id=person.id,
                  data=PersonUpdate(surname=" Иванов "))
    assert audit_count(session) == before


def test_ops_persons_update_refused_changes_nothing(session: Session, admin: User) -> None:
    person = new_person(session, admin)
    before = audit_count(session)
    with pytest.raises(ValidationError) as error:
        update_person(session=session, actor=admin, person_id=person.id,
                      data=PersonUpdate(surname="", district="Абайский"))
    assert set(error.value.errors) == {"surname"}
    session.expire_all()
    person = get_person(session, person.id)
    assert (person.surname, person.district) == ("Иванов", "")
    assert audit_count(session) == before


def test_ops_persons_update_iin_change_must_agree_with_birth_date(session: Session,
                                                                  admin: User) -> None:
    person = new_person(session, admin, iin=IIN_1985_M)
    other_iin = iin_for(D(1990, 3, 3))
    with pytest.raises(ValidationError) as error:
        update_person(session=session, actor=admin, person_id=person.id,
                      data=PersonUpdate(iin=other_iin))
    assert set(error.value.errors) == {"birth_date"}
    update_person(session=session, actor=admin, person_id=person.id,
                  data=PersonUpdate(iin=other_iin, birth_date=D(1990, 3, 3)))
    assert person.iin == other_iin


def test_ops_persons_delete(session: Session, admin: User) -> None:
    person = new_person(session, admin, article_ids=[article(session).id])
    uuid = person.uuid
    before = audit_count(session)
    delete_person(session=session, actor=admin, person_id=person.id)
    [entry] = new_audit(session, before)
    assert (entry.action, entry.record_uuid) == ("delete", uuid)
    assert changes(entry)["surname"] == "Иванов"
    assert rows(session, Person) == rows(session, PersonArticle) == 0


@pytest.mark.parametrize("referrer", ["attendance", "volunteer", "outcome"])
def test_ops_persons_delete_referenced_refused(session: Session, admin: User,
                                               referrer: str) -> None:
    person = new_person(session, admin)
    if referrer == "attendance":
        new_event(session, admin, attendees=[AttendeeInput(person_id=person.id,
                                                           category="released")])
        word = _("event attendances")
    elif referrer == "volunteer":
        new_volunteer(session, admin, person)
        word = _("volunteer records")
    else:
        create_outcome(session=session, actor=admin, data=OutcomeCreate(
            person_id=person.id, outcome_date=D(2026, 9, 1), kind="repeat_offence"))
        word = _("outcomes")
    before = audit_count(session)
    with pytest.raises(InUse) as error:
        delete_person(session=session, actor=admin, person_id=person.id)
    assert word in str(error.value)
    assert "Иванов" in str(error.value)
    assert get_person(session, person.id) is person
    assert audit_count(session) == before
    assert rows(session, Outcome) == (1 if referrer == "outcome" else 0)


def test_ops_persons_retired_article_only_where_it_already_was(session: Session,
                                                               admin: User) -> None:
    old = article(session, "302")
    person = new_person(session, admin, article_ids=[old.id])
    update_item(session=session, actor=admin, item_id=old.id, retired=True)
    with pytest.raises(ValidationError) as error:
        new_person(session, admin, surname="Петров", article_ids=[old.id])
    assert set(error.value.errors) == {"article_ids"}
    update_person(session=session, actor=admin, person_id=person.id,
                  data=PersonUpdate(district="Каратауский"))
    assert article_ids_of(session, person.id) == [old.id]


# --- search and filters ----------------------------------------------------------------------

@pytest.fixture
def people(session: Session, admin: User) -> dict[str, Person]:
    second = new_facility(session, admin)
    return {
        "alibek": new_person(session, admin, surname="Әлібеков", name="Әлібек",
                             patronymic="Қайратұлы", iin=IIN_1985_M),
        "semyonov": new_person(session, admin, surname="Семёнов", name="Пётр", patronymic="",
                               status="serving", release_date=None),
        "percent": new_person(session, admin, surname="Ли", name="Ан", patronymic="",
                              notes="", district="100%", facility_id=second.id),
        "underscore": new_person(session, admin, surname="Ким_Ли", name="Виктор",
                                 patronymic="", status="probation"),
        "ivanova": new_person(session, admin, surname="Иванова", name="Айгүл",
                              patronymic="Серікқызы", iin=iin_for(D(2001, 4, 5), Sex.FEMALE),
                              status="serving", release_date=None),
    }


def found(session: Session, **filters) -> set[str]:
    return {f"{p.surname} {p.name}" for p in list_persons(session, PersonFilter(**filters))}


@pytest.mark.parametrize(("text", "expected"), [
    ("әлібек", {"Әлібеков Әлібек"}),
    ("ӘЛІБЕК", {"Әлібеков Әлібек"}),
    ("Әлібеков", {"Әлібеков Әлібек"}),
    ("қайрат", {"Әлібеков Әлібек"}),
    ("семен", {"Семёнов Пётр"}),
    ("СЕМЁН", {"Семёнов Пётр"}),
    ("петр", {"Семёнов Пётр"}),
    ("8501", {"Әлібеков Әлібек"}),
    (IIN_1985_M, {"Әлібеков Әлібек"}),
    ("0104", {"Иванова Айгүл"}),
    ("айгүл серікқызы", {"Иванова Айгүл"}),
    ("  иванова   айгүл ", {"Иванова Айгүл"}),
    ("ким_", {"Ким_Ли Виктор"}),
    ("_", {"Ким_Ли Виктор"}),
    ("%", set()),
    ("м%л", set()),
    ("к_м", set()),
    ("ли", {"Ли Ан", "Ким_Ли Виктор"}),
    ("", {"Әлібеков Әлібек", "Семёнов Пётр", "Ли Ан", "Ким_Ли Виктор", "Иванова Айгүл"}),
    ("нет такого", set()),
    ("\\", set()),
    ("ли\\", set()),
])
def test_ops_persons_search(session: Session, people: dict, text: str,
                            expected: set[str]) -> None:
    assert found(session, search=text) == expected
    assert count_persons(session, PersonFilter(search=text)) == len(expected)


def test_ops_persons_search_decomposed_yo(session: Session, admin: User) -> None:
    # "Семёнов" pasted with ё as е + U+0308 (combining diaeresis), as some documents hold it
    new_person(session, admin, surname="Семе\u0308нов", name="Пётр")
    assert found(session, search="семен") == {"Семе\u0308нов Пётр"}


def test_ops_persons_filters(session: Session, people: dict) -> None:
    facility = home(session)
    assert found(session, status="serving") == {"Семёнов Пётр", "Иванова Айгүл"}
    assert found(session, status="probation") == {"Ким_Ли Виктор"}
    assert found(session, facility_id=facility.id, status="released") == {"Әлібеков Әлібек"}
    assert count_persons(session, PersonFilter(facility_id=facility.id)) == 4
    assert found(session, facility_id=facility.id, search="ли") == {"Ким_Ли Виктор"}
    assert len(list_persons(session, limit=2)) == 2
    assert len(list_persons(session, limit=2, offset=4)) == 1


def test_ops_persons_find_duplicates(session: Session, admin: User) -> None:
    person = new_person(session, admin, birth_date=D(1985, 1, 1))
    assert find_duplicates(session, iin=None, surname="ИВАНОВ", name="иван",
                           patronymic="Иванович", birth_date=D(1985, 1, 1)) == [person]
    assert find_duplicates(session, iin=None, surname="Иванов", name="Иван",
                           patronymic="Иванович", birth_date=D(1985, 1, 1),
                           exclude_id=person.id) == []
    assert find_duplicates(session, iin=None, surname="Иванов", name="Иван",
                           patronymic="Иванович", birth_date=D(1985, 1, 2)) == []


# --- the engine's own guards -----------------------------------------------------------------

def test_ops_persons_foreign_keys_enforced(session: Session, admin: User) -> None:
    session.add(Person(surname="Без", name="Учреждения", facility_id=4242))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()
    assert rows(session, Person) == 0


def test_ops_persons_iin_unique_in_the_schema(session: Session, admin: User) -> None:
    new_person(session, admin, iin=IIN_1985_M)
    session.add(Person(surname="Двойник", name="Иван", iin=IIN_1985_M))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_ops_persons_create_person_data_model(session: Session, admin: User) -> None:
    person = create_person(session=session, actor=admin, data=PersonCreate(
        surname="Нұрланов", name="Ерлан", iin=iin_for(D(1979, 9, 9))))
    assert (person.birth_date, person.sex, person.status) == (D(1979, 9, 9), "M", "serving")
