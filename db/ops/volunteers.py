"""Volunteers, their participation in events, and outcomes (repeat offences, violations)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from db.errors import FieldErrors, ValidationError
from db.i18n import _
from db.models import (
    Event,
    Facility,
    Outcome,
    OutcomeCreate,
    OutcomeUpdate,
    Participation,
    ParticipationCreate,
    ParticipationUpdate,
    Person,
    User,
    Volunteer,
    VolunteerCreate,
    VolunteerUpdate,
)
from db.ops.common import (
    count_where,
    create_record,
    delete_record,
    get_or_raise,
    given_values,
    refuse_if_referenced,
    require_edit,
    transaction,
    update_record,
)
from db.ops.month_locks import outcome_facilities, require_open, require_open_points
from db.ops.references import check_items
from db.rules import (
    EXIT_STATUSES,
    check_outcome,
    check_participation,
    check_volunteer,
    fmt_date,
)
from db.search import like_pattern, normalize
from db.values import ReferenceList

VOLUNTEER_FIELDS = ("enrolled_on", "consent_number", "consent_date", "coordinator", "status",
                    "exit_date", "exit_reason", "notes")


def _check_volunteer(session: Session, person: Person, values: dict,
                     previous_status: str | None, volunteer_id: int | None) -> None:
    errors = FieldErrors()
    check_volunteer(
        errors, person_status=person.status, person_release_date=person.release_date,
        enrolled_on=values["enrolled_on"], consent_number=values["consent_number"] or "",
        consent_date=values["consent_date"], status=values["status"],
        exit_date=values["exit_date"], exit_reason=values["exit_reason"] or "",
        previous_status=previous_status)
    current = session.exec(select(Volunteer).where(
        Volunteer.person_id == person.id,
        col(Volunteer.status).not_in([str(s) for s in EXIT_STATUSES]))).first()
    if current is not None and current.id != volunteer_id and values["status"] not in EXIT_STATUSES:
        errors.add("person_id", _("{name} is already enrolled as a volunteer.").format(
            name=person.full_name))
    if volunteer_id is not None and values["enrolled_on"] is not None:
        first_event = session.exec(
            select(func.min(Event.event_date)).join(Participation,
                                                    Participation.event_id == Event.id)
            .where(Participation.volunteer_id == volunteer_id)).one()
        if first_event is not None and values["enrolled_on"] > first_event:
            errors.add("enrolled_on", _(
                "The volunteer already took part in an event on {date}: the enrolment date "
                "cannot be later.").format(date=fmt_date(first_event)))
    errors.raise_if_any()


def create_volunteer(*, session: Session, actor: User, data: VolunteerCreate) -> Volunteer:
    require_edit(actor)
    person = session.get(Person, data.person_id)
    if person is None:
        raise ValidationError({"person_id": _("Choose the person to enrol.")})
    if session.get(Facility, data.facility_id) is None:
        raise ValidationError({"facility_id": _("The chosen facility does not exist.")})
    require_open(session, data.facility_id, data.enrolled_on, data.exit_date)
    values = data.model_dump()
    _check_volunteer(session, person, values, None, None)
    volunteer = Volunteer(**values)
    with transaction(session):
        create_record(session, actor, volunteer, "volunteer")
    return volunteer


def update_volunteer(*, session: Session, actor: User, volunteer_id: int,
                     data: VolunteerUpdate) -> Volunteer:
    require_edit(actor)
    volunteer = get_or_raise(session, Volunteer, volunteer_id, _("The volunteer"))
    person = get_or_raise(session, Person, volunteer.person_id, _("The person"))
    values = {f: getattr(volunteer, f) for f in VOLUNTEER_FIELDS}
    values.update(given_values(data, Volunteer))
    # Only the dated fields count in a month's report (see db/ops/month_locks.py).
    for field in ("enrolled_on", "exit_date"):
        if values[field] != getattr(volunteer, field):
            require_open(session, volunteer.facility_id, getattr(volunteer, field),
                         values[field])
    _check_volunteer(session, person, values, volunteer.status, volunteer.id)
    with transaction(session):
        update_record(session, actor, volunteer, values, "volunteer")
    return volunteer


def delete_volunteer(*, session: Session, actor: User, volunteer_id: int) -> None:
    require_edit(actor)
    volunteer = get_or_raise(session, Volunteer, volunteer_id, _("The volunteer"))
    require_open(session, volunteer.facility_id, volunteer.enrolled_on, volunteer.exit_date)
    refuse_if_referenced(_("The volunteer record"), {
        _("participations"): count_where(session, Participation,
                                         Participation.volunteer_id == volunteer.id),
    })
    with transaction(session):
        delete_record(session, actor, volunteer, "volunteer")


def get_volunteer(session: Session, volunteer_id: int) -> Volunteer:
    return get_or_raise(session, Volunteer, volunteer_id, _("The volunteer"))


@dataclass(frozen=True)
class VolunteerFilter:
    facility_id: int | None = None
    status: str | None = None
    search: str = ""


def volunteers_query(f: VolunteerFilter) -> SelectOfScalar[Volunteer]:
    query = select(Volunteer).join(Person, Person.id == Volunteer.person_id)
    if f.facility_id is not None:
        query = query.where(Volunteer.facility_id == f.facility_id)
    if f.status:
        query = query.where(Volunteer.status == f.status)
    for word in normalize(f.search).split():
        query = query.where(col(Person.search_key).like(like_pattern(word), escape="\\"))
    return query


def list_volunteers(session: Session, f: VolunteerFilter = VolunteerFilter(), *,
                    limit: int | None = None, offset: int = 0) -> list[Volunteer]:
    query = volunteers_query(f).order_by(Person.sort_key, Volunteer.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query))


def count_volunteers(session: Session, f: VolunteerFilter = VolunteerFilter()) -> int:
    return session.exec(select(func.count()).select_from(volunteers_query(f).subquery())).one()


# --- participation --------------------------------------------------------------------------

def _require_open_participation(session: Session, volunteer: Volunteer, event: Event) -> None:
    """The event's month in its own facility and in the volunteer's, whose report has the
    hours."""
    require_open_points(session, [(event.facility_id, event.event_date),
                                  (volunteer.facility_id, event.event_date)])


def _check_participation(session: Session, volunteer: Volunteer, event: Event, role: str,
                         hours: float) -> None:
    errors = FieldErrors()
    check_participation(errors, role=role, hours=hours, event_date=event.event_date,
                        enrolled_on=volunteer.enrolled_on)
    errors.raise_if_any()


def create_participation(*, session: Session, actor: User,
                         data: ParticipationCreate) -> Participation:
    require_edit(actor)
    volunteer = session.get(Volunteer, data.volunteer_id)
    event = session.get(Event, data.event_id)
    if volunteer is None:
        raise ValidationError({"volunteer_id": _("Choose the volunteer.")})
    if event is None:
        raise ValidationError({"event_id": _("Choose the event.")})
    _require_open_participation(session, volunteer, event)
    _check_participation(session, volunteer, event, data.role, data.hours)
    existing = session.exec(select(Participation).where(
        Participation.volunteer_id == volunteer.id, Participation.event_id == event.id)).first()
    if existing is not None:
        raise ValidationError({"event_id": _("This volunteer is already recorded at this event.")})
    participation = Participation.model_validate(data)
    with transaction(session):
        create_record(session, actor, participation, "participation")
    return participation


def update_participation(*, session: Session, actor: User, participation_id: int,
                         data: ParticipationUpdate) -> Participation:
    require_edit(actor)
    participation = get_or_raise(session, Participation, participation_id, _("The participation"))
    values = given_values(data, Participation)
    volunteer = get_or_raise(session, Volunteer, participation.volunteer_id, _("The volunteer"))
    event = get_or_raise(session, Event, participation.event_id, _("The event"))
    _require_open_participation(session, volunteer, event)
    _check_participation(session, volunteer, event, values.get("role", participation.role),
                         values.get("hours", participation.hours))
    with transaction(session):
        update_record(session, actor, participation, values, "participation")
    return participation


def delete_participation(*, session: Session, actor: User, participation_id: int) -> None:
    require_edit(actor)
    participation = get_or_raise(session, Participation, participation_id, _("The participation"))
    _require_open_participation(
        session, get_or_raise(session, Volunteer, participation.volunteer_id, _("The volunteer")),
        get_or_raise(session, Event, participation.event_id, _("The event")))
    with transaction(session):
        delete_record(session, actor, participation, "participation")


def participations_of_volunteer(session: Session, volunteer_id: int
                                ) -> list[tuple[Participation, Event]]:
    rows = session.exec(select(Participation, Event)
                        .join(Event, Event.id == Participation.event_id)
                        .where(Participation.volunteer_id == volunteer_id)
                        .order_by(col(Event.event_date).desc()))
    return list(rows)


def participations_of_event(session: Session, event_id: int) -> list[Participation]:
    return list(session.exec(select(Participation).where(Participation.event_id == event_id)))


# --- outcomes -------------------------------------------------------------------------------

def _check_outcome(session: Session, person: Person, values: dict,
                   old_article_id: int | None = None) -> None:
    errors = FieldErrors()
    check_outcome(errors, outcome_date=values["outcome_date"], kind=values["kind"],
                  birth_date=person.birth_date)
    if values.get("article_id") is not None:
        # a retired article stays allowed on the outcome that already had it
        check_items(session, errors, "article_id", [values["article_id"]], ReferenceList.ARTICLE,
                    allowed_retired={old_article_id} if old_article_id is not None else set())
    errors.raise_if_any()


def _require_open_outcome(session: Session, person_id: int, *days: dt.date | None) -> None:
    require_open_points(session, [(facility_id, day)
                                  for facility_id in sorted(outcome_facilities(session, person_id))
                                  for day in days])


def create_outcome(*, session: Session, actor: User, data: OutcomeCreate) -> Outcome:
    require_edit(actor)
    person = session.get(Person, data.person_id)
    if person is None:
        raise ValidationError({"person_id": _("Choose the person.")})
    _require_open_outcome(session, person.id, data.outcome_date)
    values = data.model_dump()
    _check_outcome(session, person, values)
    outcome = Outcome(**values)
    with transaction(session):
        create_record(session, actor, outcome, "outcome")
    return outcome


def update_outcome(*, session: Session, actor: User, outcome_id: int,
                   data: OutcomeUpdate) -> Outcome:
    require_edit(actor)
    outcome = get_or_raise(session, Outcome, outcome_id, _("The outcome"))
    person = get_or_raise(session, Person, outcome.person_id, _("The person"))
    values = {"outcome_date": outcome.outcome_date, "kind": outcome.kind,
              "article_id": outcome.article_id, "notes": outcome.notes}
    values.update(given_values(data, Outcome))
    _require_open_outcome(session, person.id, outcome.outcome_date, values["outcome_date"])
    _check_outcome(session, person, values, old_article_id=outcome.article_id)
    with transaction(session):
        update_record(session, actor, outcome, values, "outcome")
    return outcome


def delete_outcome(*, session: Session, actor: User, outcome_id: int) -> None:
    require_edit(actor)
    outcome = get_or_raise(session, Outcome, outcome_id, _("The outcome"))
    _require_open_outcome(session, outcome.person_id, outcome.outcome_date)
    with transaction(session):
        delete_record(session, actor, outcome, "outcome")


def list_outcomes(session: Session, *, person_id: int | None = None,
                  facility_id: int | None = None) -> list[Outcome]:
    query = select(Outcome)
    if person_id is not None:
        query = query.where(Outcome.person_id == person_id)
    if facility_id is not None:
        query = query.join(Person, Person.id == Outcome.person_id).where(
            Person.facility_id == facility_id)
    return list(session.exec(query.order_by(col(Outcome.outcome_date).desc())))
