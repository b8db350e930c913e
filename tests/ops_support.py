"""Small builders shared by the test_ops_* files: records with sensible defaults, audit readers.

Plain functions (not fixtures) so each test says what it builds. Dates assume the `fixed_today`
fixture (today is 15.11.2026)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from db.iin import make_iin
from db.models import (
    AuditEntry,
    Event,
    EventCreate,
    Facility,
    FacilityCreate,
    Participation,
    ParticipationCreate,
    Person,
    PersonCreate,
    ReferenceItem,
    User,
    UserCreate,
    Volunteer,
    VolunteerCreate,
)
from db.ops.events import create_event
from db.ops.facilities import create_facility
from db.ops.persons import create_person
from db.ops.references import item_by_code
from db.ops.settings import own_facility
from db.ops.users import create_user
from db.ops.volunteers import create_participation, create_volunteer
from db.values import ReferenceList, Sex

D = dt.date


def iin_for(birth: dt.date, sex: Sex = Sex.MALE, serial: int = 1) -> str:
    """A valid IIN for this birth date and sex (the first serial from `serial` that has one)."""
    for s in range(serial, serial + 100):
        iin = make_iin(birth, sex, s)
        if iin is not None:
            return iin
    raise AssertionError("no valid IIN")


def home(session: Session) -> Facility:
    facility = own_facility(session)
    assert facility is not None and facility.id is not None
    return facility


def item(session: Session, list_name: ReferenceList, code: str) -> ReferenceItem:
    found = item_by_code(session, list_name, code)
    assert found is not None and found.id is not None
    return found


def kind(session: Session, code: str = "explanatory_meeting") -> ReferenceItem:
    return item(session, ReferenceList.EVENT_KIND, code)


def topic(session: Session, code: str = "addiction_prevention") -> ReferenceItem:
    return item(session, ReferenceList.TOPIC, code)


def agency(session: Session, code: str = "city_police") -> ReferenceItem:
    return item(session, ReferenceList.AGENCY, code)


def article(session: Session, code: str = "296") -> ReferenceItem:
    return item(session, ReferenceList.ARTICLE, code)


def new_facility(session: Session, actor: User, code: str = "54", **overrides: Any) -> Facility:
    values: dict[str, Any] = dict(code=code, name=f"Учреждение №{code}", facility_type="maximum",
                                  region="Туркестанская область")
    values.update(overrides)
    return create_facility(session=session, actor=actor, data=FacilityCreate(**values))


def new_person(session: Session, actor: User, **overrides: Any) -> Person:
    values: dict[str, Any] = dict(surname="Иванов", name="Иван", patronymic="Иванович",
                                  status="released", facility_id=home(session).id,
                                  release_date=D(2026, 1, 10))
    values.update(overrides)
    return create_person(session=session, actor=actor, data=PersonCreate(**values))


def new_event(session: Session, actor: User, **overrides: Any) -> Event:
    facility_id = home(session).id
    values: dict[str, Any] = dict(facility_id=facility_id, event_date=D(2026, 10, 10),
                                  place_kind="facility", place_facility_id=facility_id,
                                  kind_id=kind(session).id, count_serving=20, count_released=5,
                                  status="held")
    values.update(overrides)
    return create_event(session=session, actor=actor, data=EventCreate(**values))


def new_volunteer(session: Session, actor: User, person: Person, **overrides: Any) -> Volunteer:
    values: dict[str, Any] = dict(person_id=person.id, facility_id=home(session).id,
                                  enrolled_on=D(2026, 2, 1), consent_number="17",
                                  consent_date=D(2026, 2, 1), coordinator="Сейткали А.",
                                  status="active")
    values.update(overrides)
    return create_volunteer(session=session, actor=actor, data=VolunteerCreate(**values))


def new_participation(session: Session, actor: User, volunteer: Volunteer, event: Event,
                      **overrides: Any) -> Participation:
    values: dict[str, Any] = dict(volunteer_id=volunteer.id, event_id=event.id, role="story",
                                  hours=2.0)
    values.update(overrides)
    return create_participation(session=session, actor=actor,
                                data=ParticipationCreate(**values))


def new_user(session: Session, actor: User, role: str, login: str | None = None) -> User:
    login = login or role
    return create_user(session=session, actor=actor, data=UserCreate(
        login=login, full_name=f"{role.title()} Тестов", role=role,
        password="long enough password"))


# --- reading the audit trail and counting rows ----------------------------------------------

def audit_entries(session: Session) -> list[AuditEntry]:
    return list(session.exec(select(AuditEntry).order_by(col(AuditEntry.id))))


def audit_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(AuditEntry)).one()


def new_audit(session: Session, before: int) -> list[AuditEntry]:
    """Audit entries written since the trail had `before` rows."""
    return audit_entries(session)[before:]


def changes(entry: AuditEntry) -> dict[str, Any]:
    return json.loads(entry.changes)


def rows(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()
