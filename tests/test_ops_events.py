"""Events with their topics, organizers and named attendees: saving, changing, finding."""

from __future__ import annotations

import pytest
from ops_support import (
    D,
    agency,
    audit_count,
    changes,
    home,
    kind,
    new_audit,
    new_event,
    new_facility,
    new_participation,
    new_person,
    new_volunteer,
    rows,
    topic,
)
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session

from db.errors import InUse, NotFound, ValidationError
from db.i18n import _
from db.models import (
    AttendeeInput,
    Event,
    EventAgency,
    EventAttendee,
    EventTopic,
    EventUpdate,
    User,
)
from db.months import Month
from db.ops.events import (
    EventFilter,
    count_events,
    delete_event,
    get_event,
    links_of,
    list_events,
    update_event,
)
from db.ops.facilities import facility_by_code
from db.ops.references import update_item

pytestmark = pytest.mark.usefixtures("fast_hashing", "fixed_today")


def linked_event(session: Session, admin: User) -> tuple[Event, list]:
    people = [new_person(session, admin, surname=f"Слушатель{i}") for i in range(2)]
    event = new_event(
        session, admin, topic_ids=[topic(session).id, topic(session, "healthy_lifestyle").id],
        agency_ids=[agency(session).id],
        attendees=[AttendeeInput(person_id=people[0].id, category="released"),
                   AttendeeInput(person_id=people[1].id, category="serving")],
        place_text="  актовый зал  ", responsible="Жұмабаев Е.", speakers="Алиев С.")
    return event, people


def test_ops_events_create_with_links(session: Session, admin: User) -> None:
    before = audit_count(session)
    event, people = linked_event(session, admin)
    assert event.id is not None and event.place_text == "актовый зал"
    assert get_event(session, event.id) == event
    links = links_of(session, event.id)
    assert sorted(links.topic_ids) == sorted([topic(session).id,
                                              topic(session, "healthy_lifestyle").id])
    assert links.agency_ids == [agency(session).id]
    assert {(a.person_id, a.category) for a in links.attendees} == {
        (people[0].id, "released"), (people[1].id, "serving")}
    entries = new_audit(session, before)
    assert [e.table_name for e in entries] == ["person", "person", "event"]
    entry = entries[-1]
    assert (entry.action, entry.record_uuid) == ("create", event.uuid)
    assert changes(entry)["agency_ids"] == [agency(session).id]
    assert changes(entry)["event_date"] == "2026-10-10"
    assert len(changes(entry)["attendees"]) == 2


def test_ops_events_get_missing_is_not_found(session: Session, admin: User) -> None:
    with pytest.raises(NotFound):
        get_event(session, 777)


def test_ops_events_planned_event_may_be_in_the_future(session: Session, admin: User) -> None:
    event = new_event(session, admin, status="planned", event_date=D(2027, 2, 1))
    assert event.status == "planned"
    with pytest.raises(ValidationError) as error:
        update_event(session=session, actor=admin, event_id=event.id,
                     data=EventUpdate(status="held"))
    assert set(error.value.errors) == {"event_date"}


def test_ops_events_update_audits_exactly_the_changed_fields(session: Session,
                                                             admin: User) -> None:
    event, people = linked_event(session, admin)
    old_topics = sorted(links_of(session, event.id).topic_ids)
    before = audit_count(session)
    update_event(session=session, actor=admin, event_id=event.id, data=EventUpdate(
        notes="Раздано 30 буклетов", count_serving=25, responsible="Жұмабаев Е.",
        topic_ids=[topic(session).id]))
    [entry] = new_audit(session, before)
    assert (entry.action, entry.record_uuid) == ("update", event.uuid)
    assert changes(entry) == {"notes": ["", "Раздано 30 буклетов"],
                              "count_serving": [20, 25],
                              "topic_ids": [old_topics, [topic(session).id]]}
    assert links_of(session, event.id).topic_ids == [topic(session).id]
    assert len(links_of(session, event.id).attendees) == 2  # not given: unchanged


def test_ops_events_update_attendees_audited(session: Session, admin: User) -> None:
    event, people = linked_event(session, admin)
    before = audit_count(session)
    update_event(session=session, actor=admin, event_id=event.id, data=EventUpdate(
        attendees=[AttendeeInput(person_id=people[0].id, category="released")]))
    [entry] = new_audit(session, before)
    assert changes(entry) == {"attendees": [
        sorted([[people[0].id, "released"], [people[1].id, "serving"]]),
        [[people[0].id, "released"]]]}
    assert rows(session, EventAttendee) == 1


def test_ops_events_update_without_change_writes_no_audit(session: Session,
                                                          admin: User) -> None:
    event, _people = linked_event(session, admin)
    links = links_of(session, event.id)
    before = audit_count(session)
    update_event(session=session, actor=admin, event_id=event.id, data=EventUpdate(
        count_serving=20, topic_ids=list(reversed(links.topic_ids))))
    assert audit_count(session) == before


def test_ops_events_update_strips_place_text_like_create(session: Session,
                                                          admin: User) -> None:
    event = new_event(session, admin, place_kind="outside", place_facility_id=None,
                      place_text=" Школа №5 ")
    assert event.place_text == "Школа №5"
    update_event(session=session, actor=admin, event_id=event.id,
                 data=EventUpdate(place_text="  Махалля «Достық»  "))
    assert event.place_text == "Махалля «Достық»"
    with pytest.raises(ValidationError) as error:
        update_event(session=session, actor=admin, event_id=event.id,
                     data=EventUpdate(place_text="   "))
    assert set(error.value.errors) == {"place_text"}


def test_ops_events_update_with_none_lists_keeps_links(session: Session, admin: User) -> None:
    event, _people = linked_event(session, admin)
    links = links_of(session, event.id)
    update_event(session=session, actor=admin, event_id=event.id, data=EventUpdate(
        notes="x", topic_ids=None, agency_ids=None, attendees=None))
    after = links_of(session, event.id)
    assert sorted(after.topic_ids) == sorted(links.topic_ids)
    assert after.agency_ids == links.agency_ids
    assert len(after.attendees) == 2


def test_ops_events_delete(session: Session, admin: User) -> None:
    event, _people = linked_event(session, admin)
    uuid = event.uuid
    before = audit_count(session)
    delete_event(session=session, actor=admin, event_id=event.id)
    [entry] = new_audit(session, before)
    assert (entry.action, entry.record_uuid) == ("delete", uuid)
    assert len(changes(entry)["topic_ids"]) == 2
    assert rows(session, Event) == rows(session, EventTopic) == 0
    assert rows(session, EventAgency) == rows(session, EventAttendee) == 0


def test_ops_events_delete_with_participations_refused(session: Session, admin: User) -> None:
    event = new_event(session, admin)
    volunteer = new_volunteer(session, admin, new_person(session, admin))
    new_participation(session, admin, volunteer, event)
    before = audit_count(session)
    with pytest.raises(InUse) as error:
        delete_event(session=session, actor=admin, event_id=event.id)
    assert _("volunteer participations") in str(error.value)
    assert "10.10.2026" in str(error.value)
    assert rows(session, Event) == 1
    assert audit_count(session) == before


def bad_event_values(session: Session, case: str) -> dict:
    """Overrides for new_event that break one rule (person ids are filled in by the test)."""
    return {
        "future_held": {"event_date": D(2026, 11, 16)},
        "too_many_named": {"count_released": 0, "attendees": "released"},
        "unknown_category": {"attendees": "guards"},
        "wants_more_than_audience": {"wants_to_volunteer": 26},
        "negative_count": {"count_community": -1},
        "no_place_facility": {"place_facility_id": None},
        "outside_without_text": {"place_kind": "outside", "place_facility_id": None},
        "no_facility": {"facility_id": 4242},
        "no_place_facility_row": {"place_facility_id": 4242},
        "kind_from_other_list": {"kind_id": topic(session).id},
        "kind_missing": {"kind_id": 4242},
        "topic_from_other_list": {"topic_ids": [agency(session).id]},
        "agency_missing": {"agency_ids": [4242]},
        "attendee_missing": {"attendees": "missing"},
        "attendee_twice": {"attendees": "twice"},
        "bad_status": {"status": "postponed"},
    }[case]


@pytest.mark.parametrize(("case", "fields"), [
    ("future_held", {"event_date"}),
    ("too_many_named", {"count_released"}),
    ("unknown_category", {"attendees"}),
    ("wants_more_than_audience", {"wants_to_volunteer"}),
    ("negative_count", {"count_community"}),
    ("no_place_facility", {"place_facility_id"}),
    ("outside_without_text", {"place_text"}),
    ("no_facility", {"facility_id"}),
    ("no_place_facility_row", {"place_facility_id"}),
    ("kind_from_other_list", {"kind_id"}),
    ("kind_missing", {"kind_id"}),
    ("topic_from_other_list", {"topic_ids"}),
    ("agency_missing", {"agency_ids"}),
    ("attendee_missing", {"attendees"}),
    ("attendee_twice", {"attendees"}),
    ("bad_status", {"status"}),
])
def test_ops_events_failed_validation_writes_nothing(session: Session, admin: User, case: str,
                                                     fields: set[str]) -> None:
    person = new_person(session, admin)
    values = bad_event_values(session, case)
    attendees = {
        "released": [AttendeeInput(person_id=person.id, category="released")],
        "guards": [AttendeeInput(person_id=person.id, category="guards")],
        "missing": [AttendeeInput(person_id=4242, category="serving")],
        "twice": [AttendeeInput(person_id=person.id, category="serving"),
                  AttendeeInput(person_id=person.id, category="released")],
    }
    if "attendees" in values:
        values["attendees"] = attendees[values["attendees"]]
    values.setdefault("topic_ids", [topic(session).id])
    before = audit_count(session)
    with pytest.raises(ValidationError) as error:
        new_event(session, admin, **values)
    assert set(error.value.errors) == fields
    assert rows(session, Event) == rows(session, EventTopic) == rows(session, EventAttendee) == 0
    assert audit_count(session) == before


def test_ops_events_failed_update_changes_nothing(session: Session, admin: User) -> None:
    event, _people = linked_event(session, admin)
    links = links_of(session, event.id)
    before = audit_count(session)
    with pytest.raises(ValidationError) as error:
        update_event(session=session, actor=admin, event_id=event.id, data=EventUpdate(
            count_serving=0, notes="changed", topic_ids=[]))
    assert set(error.value.errors) == {"count_serving"}
    session.expire_all()
    event = get_event(session, event.id)
    assert (event.count_serving, event.notes) == (20, "")
    assert sorted(links_of(session, event.id).topic_ids) == sorted(links.topic_ids)
    assert audit_count(session) == before


# --- retired reference items -----------------------------------------------------------------

def test_ops_events_retired_kind_only_on_events_that_had_it(session: Session,
                                                            admin: User) -> None:
    film, lecture = kind(session, "film"), kind(session, "lecture")
    event = new_event(session, admin, kind_id=film.id)
    other = new_event(session, admin, kind_id=kind(session).id)
    update_item(session=session, actor=admin, item_id=film.id, retired=True)
    update_item(session=session, actor=admin, item_id=lecture.id, retired=True)
    # a new event may not choose it
    with pytest.raises(ValidationError) as error:
        new_event(session, admin, kind_id=film.id)
    assert set(error.value.errors) == {"kind_id"}
    # the event that has it keeps it, and can still be changed
    update_event(session=session, actor=admin, event_id=event.id,
                 data=EventUpdate(notes="исправлено"))
    assert get_event(session, event.id).kind_id == film.id
    # but an existing event may not switch to a retired kind it did not have
    for retired in (film, lecture):
        with pytest.raises(ValidationError) as error:
            update_event(session=session, actor=admin, event_id=other.id,
                         data=EventUpdate(kind_id=retired.id))
        assert set(error.value.errors) == {"kind_id"}
    with pytest.raises(ValidationError):
        update_event(session=session, actor=admin, event_id=event.id,
                     data=EventUpdate(kind_id=lecture.id))


def test_ops_events_retired_topic_only_on_events_that_had_it(session: Session,
                                                             admin: User) -> None:
    old = topic(session, "criminal_subculture")
    event = new_event(session, admin, topic_ids=[old.id])
    other = new_event(session, admin)
    update_item(session=session, actor=admin, item_id=old.id, retired=True)
    update_event(session=session, actor=admin, event_id=event.id,
                 data=EventUpdate(notes="x", topic_ids=[old.id, topic(session).id]))
    assert sorted(links_of(session, event.id).topic_ids) == sorted([old.id, topic(session).id])
    with pytest.raises(ValidationError) as error:
        update_event(session=session, actor=admin, event_id=other.id,
                     data=EventUpdate(topic_ids=[old.id]))
    assert set(error.value.errors) == {"topic_ids"}


# --- lists, filters and search ---------------------------------------------------------------

@pytest.fixture
def events(session: Session, admin: User) -> dict[str, Event]:
    """Six events, each labelled by its notes; the second facility's code is "54"."""
    second = new_facility(session, admin)
    attendee = new_person(session, admin, surname="Әлібеков", name="Серік")
    specs = {
        "oct_meeting": dict(event_date=D(2026, 10, 1), place_text="Клуб учреждения"),
        "oct_film": dict(event_date=D(2026, 10, 31), kind_id=kind(session, "film").id,
                         attendees=[AttendeeInput(person_id=attendee.id, category="released")]),
        "sep_meeting": dict(event_date=D(2026, 9, 30)),
        "nov_cancelled": dict(event_date=D(2026, 11, 1), status="cancelled"),
        "dec_planned": dict(event_date=D(2026, 12, 5), status="planned"),
        "school": dict(event_date=D(2026, 10, 15), facility_id=second.id, place_kind="outside",
                       place_facility_id=None, place_text="Школа №12 «Әйгерім», акция 100%_за"),
    }
    return {label: new_event(session, admin, notes=label, **spec)
            for label, spec in specs.items()}


@pytest.mark.parametrize(("filters", "expected"), [
    ({}, {"oct_meeting", "oct_film", "sep_meeting", "nov_cancelled", "dec_planned", "school"}),
    ({"month": Month(2026, 10)}, {"oct_meeting", "oct_film", "school"}),
    ({"month": Month(2026, 9)}, {"sep_meeting"}),
    ({"month": Month(2026, 8)}, set()),
    ({"status": "planned"}, {"dec_planned"}),
    ({"status": "cancelled"}, {"nov_cancelled"}),
    ({"kind": "film"}, {"oct_film"}),
    ({"kind": "lecture"}, set()),
    ({"facility": "54"}, {"school"}),
    ({"facility": "69", "month": Month(2026, 10)}, {"oct_meeting", "oct_film"}),
    ({"search": "әйгерім"}, {"school"}),
    ({"search": "ӘЙГЕРІМ школа"}, {"school"}),
    ({"search": "100%_"}, {"school"}),
    ({"search": "0%"}, {"school"}),
    ({"search": "%"}, {"school"}),
    ({"search": "1_0"}, set()),
    ({"search": "клуб"}, {"oct_meeting"}),
    ({"search": "әлібеков"}, {"oct_film"}),
    ({"search": "серік", "month": Month(2026, 9)}, set()),
])
def test_ops_events_filters(session: Session, events: dict[str, Event], filters: dict,
                            expected: set[str]) -> None:
    if "kind" in filters:
        filters["kind_id"] = kind(session, filters.pop("kind")).id
    if "facility" in filters:
        code = filters.pop("facility")
        filters["facility_id"] = (home(session) if code == "69"
                                  else facility_by_code(session, code)).id
    found = list_events(session, EventFilter(**filters))
    assert {e.notes for e in found} == expected
    assert count_events(session, EventFilter(**filters)) == len(expected)


def test_ops_events_list_order_and_paging(session: Session, events: dict[str, Event]) -> None:
    found = list_events(session)
    assert [e.event_date for e in found] == sorted((e.event_date for e in found), reverse=True)
    assert list_events(session, limit=2, offset=1) == found[1:3]


# --- the engine's own guards -----------------------------------------------------------------

def test_ops_events_foreign_keys_enforced(session: Session, admin: User) -> None:
    session.add(Event(facility_id=4242, event_date=D(2026, 10, 1), kind_id=kind(session).id))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()
    assert rows(session, Event) == 0


def test_ops_events_audit_trail_is_append_only(session: Session, admin: User) -> None:
    new_event(session, admin)
    for statement in ("UPDATE audit_entry SET user_login = 'someone'",
                      "DELETE FROM audit_entry"):
        with pytest.raises(DBAPIError):
            session.exec(text(statement))
        session.rollback()
    assert audit_count(session) > 0
