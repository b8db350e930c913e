"""Validation without saving, for forms that show messages while the user types."""

from __future__ import annotations

from sqlmodel import Session

from db.errors import ValidationError
from db.i18n import _
from db.models import EventCreate, Person, PersonCreate, VolunteerCreate
from db.ops import events, persons, volunteers


def person_errors(session: Session, data: PersonCreate, *, person_id: int | None = None
                  ) -> dict[str, str]:
    old = set(persons.article_ids_of(session, person_id)) if person_id else set()
    try:
        persons._validated(session, data.model_dump(), person_id=person_id, old_articles=old)
    except ValidationError as exc:
        return exc.errors
    return {}


def event_errors(session: Session, data: EventCreate, *, event_id: int | None = None
                 ) -> dict[str, str]:
    values = data.model_dump(include=set(events.EVENT_FIELDS))
    links = events.EventLinks(list(data.topic_ids), list(data.agency_ids), list(data.attendees))
    old = events.links_of(session, event_id) if event_id else None
    try:
        events._validate(session, values, links, old, event_id=event_id,
                         participations=data.participations)
    except ValidationError as exc:
        return exc.errors
    return {}


def volunteer_errors(session: Session, data: VolunteerCreate, *,
                     volunteer_id: int | None = None, previous_status: str | None = None
                     ) -> dict[str, str]:
    person = session.get(Person, data.person_id)
    if person is None:
        return {"person_id": _("Choose the person.")}
    try:
        volunteers._check_volunteer(session, person, data.model_dump(), previous_status,
                                    volunteer_id)
    except ValidationError as exc:
        return exc.errors
    return {}
