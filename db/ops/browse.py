"""The registers as pages of plain rows: what the window's lists show, sorted and filtered in SQL.

Rows are frozen dataclasses of plain values, so a Qt model never holds a detached ORM object."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from db.models import (
    Event,
    EventAttendee,
    EventTopic,
    Facility,
    Participation,
    Person,
    ReferenceItem,
    Volunteer,
)
from db.ops.events import EventFilter, events_query
from db.ops.persons import Lookup, PersonFilter, choose_lookup, person_conditions
from db.ops.volunteers import VolunteerFilter, volunteers_query
from db.search import SearchWords


@dataclass(frozen=True)
class PersonRow:
    id: int
    full_name: str
    iin: str
    birth_date: dt.date | None
    sex: str
    status: str
    facility_code: str
    release_date: dt.date | None
    phone: str
    district: str


@dataclass(frozen=True)
class EventRow:
    id: int
    event_date: dt.date
    event_time: dt.time | None
    kind: str
    place: str
    topics: str
    audience: int
    named: int
    status: str
    responsible: str
    facility_code: str


@dataclass(frozen=True)
class VolunteerRow:
    id: int
    person_id: int
    full_name: str
    iin: str
    status: str
    enrolled_on: dt.date
    consent_number: str
    coordinator: str
    events: int
    hours: float
    facility_code: str


def _order(columns: dict, sort: str, descending: bool, tie_breaker) -> list:
    column = columns.get(sort, tie_breaker)
    ordered = column.desc() if descending else column.asc()
    return [ordered, tie_breaker.desc() if descending else tie_breaker.asc()]


PERSON_SORTS = {
    "full_name": col(Person.sort_key), "iin": col(Person.iin),
    "birth_date": col(Person.birth_date), "status": col(Person.status),
    "release_date": col(Person.release_date), "district": col(Person.district),
    "facility_code": col(Facility.code), "sex": col(Person.sex), "phone": col(Person.phone),
}


def person_rows(session: Session, f: PersonFilter, *, sort: str = "full_name",
                descending: bool = False, offset: int = 0, limit: int = 200) -> list[PersonRow]:
    # In name order, a fragment many persons share is quicker found by walking the names
    # than by sorting its matches (see persons.choose_lookup).
    words = SearchWords.of(f.search)
    lookup = Lookup.INDEX
    if words.trigram and sort == "full_name":
        lookup = choose_lookup(session, words.trigram, rows=offset + limit)
    # the row's columns only: no ORM objects for a page of a list
    query = (select(Person.id, Person.surname, Person.name, Person.patronymic, Person.iin,
                    Person.birth_date, Person.sex, Person.status, Facility.code,
                    Person.release_date, Person.phone, Person.district)
             .outerjoin(Facility, col(Facility.id) == col(Person.facility_id))
             .where(*person_conditions(f, lookup=lookup))
             .order_by(*_order(PERSON_SORTS, sort, descending, col(Person.id)))
             .offset(offset).limit(limit))
    return [PersonRow(id=r[0], full_name=" ".join(p for p in (r[1], r[2], r[3]) if p),
                      iin=r[4] or "", birth_date=r[5], sex=r[6] or "", status=r[7],
                      facility_code=r[8] or "", release_date=r[9], phone=r[10],
                      district=r[11])
            for r in session.execute(query)]


EVENT_SORTS = ("event_date", "kind", "place", "audience", "status", "responsible",
               "facility_code")


def event_rows(session: Session, f: EventFilter, *, language: str = "ru",
               sort: str = "event_date", descending: bool = True, offset: int = 0,
               limit: int = 200) -> list[EventRow]:
    base = events_query(f).subquery()
    event = aliased(Event, base)
    kind = aliased(ReferenceItem)
    place_facility = aliased(Facility)
    topic_item = aliased(ReferenceItem)
    topic_name = topic_item.name_kk if language == "kk" else topic_item.name_ru
    topics = (select(func.group_concat(topic_name, "; "))
              .select_from(EventTopic)
              .join(topic_item, topic_item.id == EventTopic.topic_id)
              .where(EventTopic.event_id == event.id)
              .correlate(base).scalar_subquery())
    named = (select(func.count()).select_from(EventAttendee)
             .where(EventAttendee.event_id == event.id).correlate(base).scalar_subquery())
    audience = event.count_serving + event.count_released + event.count_community
    place = func.coalesce(func.nullif(event.place_text, ""), place_facility.name, "")
    kind_name = kind.name_kk if language == "kk" else kind.name_ru
    sorts = {"event_date": event.event_date, "kind": kind_name, "place": place,
             "audience": audience, "status": event.status, "responsible": event.responsible,
             "facility_code": Facility.code}
    order = _order(sorts, sort, descending, event.id)
    if sort == "event_date":  # same day: latest time first when descending
        order.insert(1, event.event_time.desc() if descending else event.event_time.asc())
    query = (select(event.id, event.event_date, event.event_time, kind_name, place, topics,
                    audience, named, event.status, event.responsible, Facility.code)
             .join(kind, kind.id == event.kind_id)
             .join(Facility, Facility.id == event.facility_id)
             .outerjoin(place_facility, place_facility.id == event.place_facility_id)
             .order_by(*order).offset(offset).limit(limit))
    return [EventRow(id=r[0], event_date=r[1], event_time=r[2], kind=r[3], place=r[4] or "",
                     topics=r[5] or "", audience=r[6], named=r[7], status=r[8],
                     responsible=r[9], facility_code=r[10])
            for r in session.execute(query)]


def volunteer_rows(session: Session, f: VolunteerFilter, *, sort: str = "full_name",
                   descending: bool = False, offset: int = 0, limit: int = 200
                   ) -> list[VolunteerRow]:
    base = volunteers_query(f).subquery()
    volunteer = aliased(Volunteer, base)
    events = (select(func.count()).select_from(Participation)
              .where(Participation.volunteer_id == volunteer.id).correlate(base)
              .scalar_subquery())
    hours = (select(func.coalesce(func.sum(Participation.hours), 0.0))
             .where(Participation.volunteer_id == volunteer.id).correlate(base)
             .scalar_subquery())
    sorts = {"full_name": Person.sort_key, "iin": Person.iin, "status": volunteer.status,
             "enrolled_on": volunteer.enrolled_on, "consent_number": volunteer.consent_number,
             "coordinator": volunteer.coordinator, "events": events, "hours": hours,
             "facility_code": Facility.code}
    query = (select(volunteer, Person, Facility.code, events, hours)
             .join(Person, Person.id == volunteer.person_id)
             .join(Facility, Facility.id == volunteer.facility_id)
             .order_by(*_order(sorts, sort, descending, volunteer.id))
             .offset(offset).limit(limit))
    return [VolunteerRow(id=v.id, person_id=p.id, full_name=p.full_name, iin=p.iin or "",
                         status=v.status, enrolled_on=v.enrolled_on,
                         consent_number=v.consent_number, coordinator=v.coordinator,
                         events=n, hours=float(h), facility_code=code)
            for v, p, code, n, h in session.execute(query)]
