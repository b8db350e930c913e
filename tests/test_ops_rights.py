"""Who may do what: every operation checks the acting account's role, whatever the caller."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from ops_support import (
    D,
    audit_count,
    changes,
    home,
    new_audit,
    new_event,
    new_facility,
    new_person,
    new_user,
    new_volunteer,
    rows,
)
from sqlmodel import Session

from db.errors import PermissionDenied, ValidationError
from db.models import (
    EventUpdate,
    FacilityUpdate,
    OutcomeCreate,
    Person,
    PersonUpdate,
    User,
    UserCreate,
)
from db.ops.events import update_event
from db.ops.facilities import update_facility
from db.ops.persons import delete_person, update_person
from db.ops.references import create_item
from db.ops.users import add_user, create_user, user_by_login
from db.ops.volunteers import create_outcome
from db.passwords import verify_password
from db.values import ReferenceList

pytestmark = pytest.mark.usefixtures("fast_hashing", "fixed_today")

Operation = Callable[[Session, User, User], object]


def _update_person(session: Session, admin: User, actor: User) -> object:
    person = new_person(session, admin)
    return update_person(session=session, actor=actor, person_id=person.id,
                         data=PersonUpdate(district="Абайский"))


def _delete_person(session: Session, admin: User, actor: User) -> object:
    person = new_person(session, admin)
    return delete_person(session=session, actor=actor, person_id=person.id)


def _update_event(session: Session, admin: User, actor: User) -> object:
    event = new_event(session, admin)
    return update_event(session=session, actor=actor, event_id=event.id,
                        data=EventUpdate(notes="x"))


def _create_outcome(session: Session, admin: User, actor: User) -> object:
    person = new_person(session, admin)
    return create_outcome(session=session, actor=actor, data=OutcomeCreate(
        person_id=person.id, outcome_date=D(2026, 9, 1), kind="repeat_offence"))


OPERATIONS: dict[str, tuple[str, Operation]] = {
    # name: (the right it needs, the operation)
    "create_person": ("records", lambda s, a, u: new_person(s, u)),
    "update_person": ("records", _update_person),
    "delete_person": ("records", _delete_person),
    "create_event": ("records", lambda s, a, u: new_event(s, u)),
    "update_event": ("records", _update_event),
    "create_volunteer": ("records", lambda s, a, u: new_volunteer(s, u, new_person(s, a))),
    "create_outcome": ("records", _create_outcome),
    "create_facility": ("facilities", lambda s, a, u: new_facility(s, u)),
    "update_facility": ("facilities", lambda s, a, u: update_facility(
        session=s, actor=u, facility_id=home(s).id, data=FacilityUpdate(region="Шымкент"))),
    "create_item": ("references", lambda s, a, u: create_item(
        session=s, actor=u, list_name=ReferenceList.TOPIC, name_ru="Тема", name_kk="Тақырып")),
    "create_user": ("users", lambda s, a, u: new_user(s, u, "operator", login="new.operator")),
}
RIGHTS = {
    "operator": {"records"},
    "head": {"records"},
    "admin": {"records", "facilities", "references", "users"},
    "analyst": set(),
}


@pytest.mark.parametrize(("role", "operation"), [
    (role, name) for role in RIGHTS for name in OPERATIONS])
def test_ops_rights_by_role(session: Session, admin: User, role: str, operation: str) -> None:
    actor = admin if role == "admin" else new_user(session, admin, role)
    needs, run = OPERATIONS[operation]
    if needs in RIGHTS[role]:
        run(session, admin, actor)
        assert new_audit(session, 0)[-1].user_login == actor.login
        return
    with pytest.raises(PermissionDenied) as error:
        run(session, admin, actor)
    assert actor.login in str(error.value)
    assert new_audit(session, 0)[-1].user_login != actor.login  # nothing written as the actor


def test_ops_rights_refusal_writes_nothing(session: Session, admin: User) -> None:
    analyst = new_user(session, admin, "analyst")
    before = audit_count(session)
    with pytest.raises(PermissionDenied):
        new_person(session, analyst)
    assert audit_count(session) == before
    assert rows(session, Person) == 0


def test_ops_rights_inactive_account_may_do_nothing(session: Session, admin: User) -> None:
    operator = new_user(session, admin, "operator")
    operator.active = False
    with pytest.raises(PermissionDenied):
        new_person(session, operator)
    admin.active = False
    with pytest.raises(PermissionDenied):
        new_facility(session, admin)
    admin.active = True


def test_ops_rights_operator_added_with_add_user(session: Session, admin: User) -> None:
    operator = add_user(session, UserCreate(login="op", full_name="Оператор Первый",
                                            role="operator", password="long enough"))
    session.add(operator)
    session.commit()
    assert new_person(session, operator).id is not None
    with pytest.raises(PermissionDenied):
        new_facility(session, operator)


def test_ops_users_create_user_audited_without_password(session: Session, admin: User) -> None:
    before = audit_count(session)
    user = create_user(session=session, actor=admin, data=UserCreate(
        login=" aigul.s ", full_name=" Сейткали Айгүл ", role="head",
        password="correct horse battery"))
    assert (user.login, user.full_name) == ("aigul.s", "Сейткали Айгүл")
    assert user_by_login(session, "aigul.s") == user
    assert verify_password(user.password_hash, "correct horse battery")
    [entry] = new_audit(session, before)
    assert (entry.action, entry.table_name) == ("create", "app_user")
    assert "password_hash" not in changes(entry)
    assert "correct horse" not in entry.changes


@pytest.mark.parametrize(("values", "fields"), [
    ({"login": "admin"}, {"login"}),
    ({"login": "Айгүл"}, {"login"}),
    ({"login": "x"}, {"login"}),
    ({"password": "short"}, {"password"}),
    ({"password": "new.user"}, {"password"}),
    ({"role": "superuser"}, {"role"}),
    ({"full_name": " "}, {"full_name"}),
])
def test_ops_users_create_user_refused(session: Session, admin: User, values: dict,
                                       fields: set[str]) -> None:
    data = {"login": "new.user", "full_name": "Новый Пользователь", "role": "operator",
            "password": "long enough password"}
    data.update(values)
    before = audit_count(session)
    with pytest.raises(ValidationError) as error:
        create_user(session=session, actor=admin, data=UserCreate(**data))
    assert set(error.value.errors) == fields
    assert audit_count(session) == before
