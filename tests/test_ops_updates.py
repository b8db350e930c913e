"""Update models make every field optional: None leaves a required field as it is, and clears
only a field that may be empty. No update may end in a TypeError or a misleading Conflict."""

from __future__ import annotations

import pytest
from ops_support import (
    D,
    article,
    audit_count,
    changes,
    home,
    new_audit,
    new_event,
    new_participation,
    new_person,
    new_volunteer,
    topic,
)
from sqlmodel import Session

from db.models import (
    EventUpdate,
    FacilityUpdate,
    OutcomeCreate,
    OutcomeUpdate,
    ParticipationUpdate,
    PersonUpdate,
    User,
    VolunteerUpdate,
)
from db.ops.events import links_of, update_event
from db.ops.facilities import update_facility
from db.ops.persons import article_ids_of, update_person
from db.ops.volunteers import (
    create_outcome,
    update_outcome,
    update_participation,
    update_volunteer,
)

pytestmark = pytest.mark.usefixtures("fast_hashing", "fixed_today")

CASES = [
    ("person", {"status": None}),
    ("person", {"surname": None, "name": None, "patronymic": None}),
    ("person", {"phone": None, "district": None, "notes": None}),
    ("person", {"article_ids": None}),
    ("event", {"count_serving": None, "count_released": None}),
    ("event", {"event_date": None, "kind_id": None, "status": None}),
    ("event", {"notes": None, "place_text": None, "place_kind": None}),
    ("event", {"topic_ids": None, "agency_ids": None, "attendees": None}),
    ("volunteer", {"status": None, "enrolled_on": None, "consent_number": None}),
    ("participation", {"hours": None, "role": None}),
    ("outcome", {"kind": None, "notes": None, "outcome_date": None}),
    ("facility", {"code": None, "name": None, "facility_type": None, "retired": None}),
]


@pytest.mark.parametrize(("record", "update"), CASES)
def test_ops_updates_none_leaves_required_fields(session: Session, admin: User, record: str,
                                                 update: dict) -> None:
    a296 = article(session)
    person = new_person(session, admin, article_ids=[a296.id], district="Абайский",
                        phone="87011234567")
    event = new_event(session, admin, topic_ids=[topic(session).id], notes="заметка")
    volunteer = new_volunteer(session, admin, person)
    participation = new_participation(session, admin, volunteer, event)
    outcome = create_outcome(session=session, actor=admin, data=OutcomeCreate(
        person_id=person.id, outcome_date=D(2026, 9, 1), kind="repeat_offence"))
    facility = home(session)
    target, run = {
        "person": (person, lambda: update_person(
            session=session, actor=admin, person_id=person.id, data=PersonUpdate(**update))),
        "event": (event, lambda: update_event(
            session=session, actor=admin, event_id=event.id, data=EventUpdate(**update))),
        "volunteer": (volunteer, lambda: update_volunteer(
            session=session, actor=admin, volunteer_id=volunteer.id,
            data=VolunteerUpdate(**update))),
        "participation": (participation, lambda: update_participation(
            session=session, actor=admin, participation_id=participation.id,
            data=ParticipationUpdate(**update))),
        "outcome": (outcome, lambda: update_outcome(
            session=session, actor=admin, outcome_id=outcome.id,
            data=OutcomeUpdate(**update))),
        "facility": (facility, lambda: update_facility(
            session=session, actor=admin, facility_id=facility.id,
            data=FacilityUpdate(**update))),
    }[record]
    snapshot = target.model_dump()
    topics = links_of(session, event.id).topic_ids
    before = audit_count(session)
    run()
    session.expire_all()
    assert session.get(type(target), target.id).model_dump() == snapshot
    assert article_ids_of(session, person.id) == [a296.id]
    assert links_of(session, event.id).topic_ids == topics
    assert audit_count(session) == before


def test_ops_updates_none_clears_a_field_that_may_be_empty(session: Session,
                                                           admin: User) -> None:
    person = new_person(session, admin, birth_date=D(1985, 1, 1))
    before = audit_count(session)
    update_person(session=session, actor=admin, person_id=person.id,
                  data=PersonUpdate(birth_date=None, release_date=None))
    assert (person.birth_date, person.release_date) == (None, None)
    [entry] = new_audit(session, before)
    assert changes(entry) == {"birth_date": ["1985-01-01", None],
                              "release_date": ["2026-01-10", None]}
