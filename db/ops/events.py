"""Events: explanatory meetings, lectures, actions… with their topics, organizers and audience."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, or_
from sqlmodel import Session, col, delete, select
from sqlmodel.sql.expression import SelectOfScalar

from db.errors import FieldErrors
from db.i18n import _
from db.models import (
    AttendeeInput,
    Event,
    EventAgency,
    EventAttendee,
    EventCreate,
    EventTopic,
    EventUpdate,
    Facility,
    Participation,
    ParticipationInput,
    Person,
    User,
    Volunteer,
)
from db.months import Month
from db.ops.common import (
    apply_changes,
    count_where,
    create_record,
    get_or_raise,
    given_values,
    refuse_if_referenced,
    require_edit,
    snapshot,
    transaction,
    write_audit,
)
from db.ops.month_locks import require_open, require_open_points, volunteer_facilities
from db.ops.references import check_items
from db.rules import check_event, check_participation, fmt_date
from db.search import like_pattern, normalize
from db.values import ReferenceList

TABLE = "event"
EVENT_FIELDS = ("facility_id", "event_date", "event_time", "place_kind", "place_facility_id",
                "place_text", "kind_id", "responsible", "speakers", "count_serving",
                "count_released", "count_community", "materials_count", "materials",
                "wants_to_volunteer", "notes", "status")


def event_search_key(event: Event) -> str:
    return normalize(" ".join((event.place_text, event.responsible, event.speakers, event.notes,
                               event.materials)))


@dataclass(frozen=True)
class EventLinks:
    topic_ids: list[int]
    agency_ids: list[int]
    attendees: list[AttendeeInput]
    # The stored event's kind (set by links_of): a retired kind stays allowed only there.
    kind_id: int | None = None


def links_of(session: Session, event_id: int) -> EventLinks:
    event = session.get(Event, event_id)
    return EventLinks(
        kind_id=event.kind_id if event is not None else None,
        topic_ids=list(session.exec(select(EventTopic.topic_id)
                                    .where(EventTopic.event_id == event_id))),
        agency_ids=list(session.exec(select(EventAgency.agency_id)
                                     .where(EventAgency.event_id == event_id))),
        attendees=[AttendeeInput(person_id=a.person_id, category=a.category)
                   for a in session.exec(select(EventAttendee)
                                         .where(EventAttendee.event_id == event_id))],
    )


def _check_participations(session: Session, errors: FieldErrors, values: dict,
                          items: list[ParticipationInput]) -> None:
    """The volunteers named in the event form: each once, enrolled by the event's date."""
    seen: set[int] = set()
    for item in items:
        volunteer = session.get(Volunteer, item.volunteer_id)
        if volunteer is None:
            errors.add("participations", _("A volunteer chosen here does not exist."))
            continue
        if item.volunteer_id in seen:
            errors.add("participations", _("The same volunteer is named twice."))
        seen.add(item.volunteer_id)
        if values["event_date"] is not None:
            part_errors = FieldErrors()
            check_participation(part_errors, role=item.role, hours=item.hours,
                                event_date=values["event_date"],
                                enrolled_on=volunteer.enrolled_on)
            for message in part_errors.errors.values():
                errors.add("participations", message)


def _validate(session: Session, values: dict, links: EventLinks, old: EventLinks | None, *,
              event_id: int | None = None,
              participations: list[ParticipationInput] | None = None) -> None:
    errors = FieldErrors()
    per_category = Counter(a.category for a in links.attendees)
    check_event(
        errors, event_date=values["event_date"], status=values["status"],
        place_kind=values["place_kind"], place_facility_id=values["place_facility_id"],
        place_text=values["place_text"] or "",
        counts={"serving": values["count_serving"], "released": values["count_released"],
                "community": values["count_community"]},
        attendees_by_category=dict(per_category),
        wants_to_volunteer=values["wants_to_volunteer"],
        materials_count=values["materials_count"])
    if session.get(Facility, values["facility_id"]) is None:
        errors.add("facility_id", _("The chosen facility does not exist."))
    if (values["place_facility_id"] is not None
            and session.get(Facility, values["place_facility_id"]) is None):
        errors.add("place_facility_id", _("The chosen facility does not exist."))
    old_kind = {old.kind_id} if old is not None and old.kind_id is not None else set()
    if values["kind_id"] is None:
        errors.add("kind_id", _("Choose the kind of event."))
    else:
        check_items(session, errors, "kind_id", [values["kind_id"]], ReferenceList.EVENT_KIND,
                    allowed_retired=old_kind)
    check_items(session, errors, "topic_ids", links.topic_ids, ReferenceList.TOPIC,
                allowed_retired=set(old.topic_ids) if old else set())
    check_items(session, errors, "agency_ids", links.agency_ids, ReferenceList.AGENCY,
                allowed_retired=set(old.agency_ids) if old else set())
    if participations is not None:
        _check_participations(session, errors, values, participations)
    elif event_id is not None and values["event_date"] is not None:
        last_enrolment = session.exec(
            select(func.max(Volunteer.enrolled_on)).join(
                Participation, Participation.volunteer_id == Volunteer.id)
            .where(Participation.event_id == event_id)).one()
        if last_enrolment is not None and values["event_date"] < last_enrolment:
            errors.add("event_date", _(
                "A volunteer who took part in this event enrolled on {date}: the event cannot "
                "be earlier.").format(date=fmt_date(last_enrolment)))
    person_ids = [a.person_id for a in links.attendees]
    if len(set(person_ids)) != len(person_ids):
        errors.add("attendees", _("The same person is named twice among the attendees."))
    if person_ids:
        found = set(session.exec(select(Person.id).where(col(Person.id).in_(person_ids))))
        if len(found) != len(set(person_ids)):
            errors.add("attendees", _("An attendee chosen here does not exist."))
    errors.raise_if_any()


def _write_links(session: Session, event: Event, links: EventLinks) -> None:
    for model in (EventTopic, EventAgency, EventAttendee):
        session.exec(delete(model).where(col(model.event_id) == event.id))
    for topic_id in dict.fromkeys(links.topic_ids):
        session.add(EventTopic(event_id=event.id, topic_id=topic_id))
    for agency_id in dict.fromkeys(links.agency_ids):
        session.add(EventAgency(event_id=event.id, agency_id=agency_id))
    for attendee in links.attendees:
        session.add(EventAttendee(event_id=event.id, person_id=attendee.person_id,
                                  category=attendee.category))


def _links_audit(links: EventLinks) -> dict:
    return {"topic_ids": sorted(links.topic_ids), "agency_ids": sorted(links.agency_ids),
            "attendees": sorted([a.person_id, a.category] for a in links.attendees)}


def _sync_participations(session: Session, actor: User, event: Event,
                         items: list[ParticipationInput]) -> dict | None:
    """Make the event's participations exactly `items`; each change is audited on its own
    record. Returns {"participations": [old, new]} for the event's audit entry, or None."""
    current = {p.volunteer_id: p for p in session.exec(
        select(Participation).where(Participation.event_id == event.id))}
    wanted = {item.volunteer_id: item for item in items}
    before = sorted([v, p.role, p.hours] for v, p in current.items())
    for volunteer_id, part in current.items():
        if volunteer_id not in wanted:
            write_audit(session, actor, "delete", table="participation", record_uuid=part.uuid,
                        changes=snapshot(part))
            session.delete(part)
    for volunteer_id, item in wanted.items():
        part = current.get(volunteer_id)
        if part is None:
            create_record(session, actor, Participation(
                volunteer_id=volunteer_id, event_id=event.id, role=item.role,
                hours=item.hours), "participation")
        else:
            changed = apply_changes(part, {"role": item.role, "hours": item.hours})
            if changed:
                write_audit(session, actor, "update", table="participation",
                            record_uuid=part.uuid, changes=changed)
    after = sorted([i.volunteer_id, i.role, i.hours] for i in items)
    return None if before == after else {"participations": [before, after]}


def _changed_volunteers(current: dict[int, Participation],
                        items: list[ParticipationInput]) -> set[int]:
    """The volunteers whose participation `items` would add, remove or change."""
    wanted = {item.volunteer_id: item for item in items}
    changed = set(current) ^ set(wanted)
    changed.update(v for v in set(current) & set(wanted)
                   if (current[v].role, current[v].hours) != (wanted[v].role, wanted[v].hours))
    return changed


def _require_open_event(session: Session, event: Event | None, values: dict,
                        participations: list[ParticipationInput] | None) -> None:
    """Month locks, before anything is written: the stored event (its old month) and what it
    becomes (its new month) in its facility; for the volunteers' hours, also the volunteers'
    facilities whose reports the change touches (see db/ops/month_locks.py)."""
    new_date = values["event_date"]
    if event is None:
        require_open(session, values["facility_id"], new_date)
        volunteers = {item.volunteer_id for item in participations or []}
        old_date = None
    else:
        require_open(session, event.facility_id, event.event_date)
        require_open(session, values["facility_id"], new_date)
        current = {p.volunteer_id: p for p in session.exec(
            select(Participation).where(Participation.event_id == event.id))}
        if new_date != event.event_date or values["status"] != event.status:
            # the hours move to another month, or stop or start counting: all of them
            volunteers = set(current) | {i.volunteer_id for i in participations or []}
        else:
            volunteers = (_changed_volunteers(current, participations)
                          if participations is not None else set())
        old_date = event.event_date
    require_open_points(session, [(facility_id, day)
                                  for facility_id in volunteer_facilities(session, volunteers)
                                  for day in (old_date, new_date)])


def create_event(*, session: Session, actor: User, data: EventCreate) -> Event:
    require_edit(actor)
    values = data.model_dump(include=set(EVENT_FIELDS))
    _require_open_event(session, None, values, data.participations)
    links = EventLinks(list(data.topic_ids), list(data.agency_ids), list(data.attendees))
    _validate(session, values, links, None, participations=data.participations)
    event = Event(**values)
    event.place_text = event.place_text.strip()
    event.search_key = event_search_key(event)
    with transaction(session):
        session.add(event)
        session.flush()
        _write_links(session, event, links)
        write_audit(session, actor, "create", table=TABLE, record_uuid=event.uuid,
                    changes=snapshot(event) | _links_audit(links))
        if data.participations:
            _sync_participations(session, actor, event, data.participations)
    return event


def update_event(*, session: Session, actor: User, event_id: int, data: EventUpdate) -> Event:
    require_edit(actor)
    event = get_or_raise(session, Event, event_id, _("The event"))
    old_links = links_of(session, event.id)
    given = given_values(data, Event)
    values = {f: getattr(event, f) for f in EVENT_FIELDS}
    values.update({k: v for k, v in given.items() if k in EVENT_FIELDS})
    _require_open_event(session, event, values, data.participations)
    values["place_text"] = (values["place_text"] or "").strip()  # as on creation
    links = EventLinks(  # a list left out, or given as None, stays as it is
        topic_ids=old_links.topic_ids if data.topic_ids is None else list(data.topic_ids),
        agency_ids=old_links.agency_ids if data.agency_ids is None else list(data.agency_ids),
        attendees=old_links.attendees if data.attendees is None else list(data.attendees),
    )
    _validate(session, values, links, old_links, event_id=event.id,
              participations=data.participations)
    with transaction(session):
        changed = apply_changes(event, values)
        event.search_key = event_search_key(event)
        before, after = _links_audit(old_links), _links_audit(links)
        if before != after:
            _write_links(session, event, links)
            changed.update({k: [before[k], after[k]] for k in before if before[k] != after[k]})
        if data.participations is not None:
            changed.update(_sync_participations(session, actor, event, data.participations)
                           or {})
        if changed:
            write_audit(session, actor, "update", table=TABLE, record_uuid=event.uuid,
                        changes=changed)
    return event


def delete_event(*, session: Session, actor: User, event_id: int) -> None:
    require_edit(actor)
    event = get_or_raise(session, Event, event_id, _("The event"))
    require_open(session, event.facility_id, event.event_date)
    refuse_if_referenced(_("The event of {date}").format(date=f"{event.event_date:%d.%m.%Y}"), {
        _("volunteer participations"): count_where(session, Participation,
                                                   Participation.event_id == event.id),
    })
    links = links_of(session, event.id)
    with transaction(session):
        write_audit(session, actor, "delete", table=TABLE, record_uuid=event.uuid,
                    changes=snapshot(event) | _links_audit(links))
        for model in (EventTopic, EventAgency, EventAttendee):
            session.exec(delete(model).where(col(model.event_id) == event.id))
        session.delete(event)


def get_event(session: Session, event_id: int) -> Event:
    return get_or_raise(session, Event, event_id, _("The event"))


@dataclass(frozen=True)
class EventFilter:
    facility_id: int | None = None
    month: Month | None = None
    kind_id: int | None = None
    status: str | None = None
    search: str = ""


def events_query(f: EventFilter) -> SelectOfScalar[Event]:
    query = select(Event)
    if f.facility_id is not None:
        query = query.where(Event.facility_id == f.facility_id)
    if f.month is not None:
        query = query.where(Event.event_date >= f.month.first_day,
                            Event.event_date <= f.month.last_day)
    if f.kind_id is not None:
        query = query.where(Event.kind_id == f.kind_id)
    if f.status:
        query = query.where(Event.status == f.status)
    for word in normalize(f.search).split():
        pattern = like_pattern(word)
        attendee_match = select(EventAttendee.event_id).join(
            Person, Person.id == EventAttendee.person_id).where(
            col(Person.search_key).like(pattern, escape="\\"))
        query = query.where(or_(
            col(Event.id).in_(attendee_match),
            col(Event.search_key).like(pattern, escape="\\"),
        ))
    return query


def list_events(session: Session, f: EventFilter = EventFilter(), *, limit: int | None = None,
                offset: int = 0) -> list[Event]:
    query = events_query(f).order_by(col(Event.event_date).desc(), col(Event.id).desc())
    query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query))


def count_events(session: Session, f: EventFilter = EventFilter()) -> int:
    return session.exec(select(func.count()).select_from(events_query(f).subquery())).one()
