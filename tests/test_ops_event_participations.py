"""Volunteers named in the event form are saved with the event, in the same transaction."""

from __future__ import annotations

import pytest
from ops_support import (
    D,
    new_event,
    new_person,
    new_volunteer,
)
from sqlmodel import Session, select

from db.errors import ValidationError
from db.models import AuditEntry, EventUpdate, Participation, ParticipationInput, User
from db.ops.events import update_event

pytestmark = pytest.mark.usefixtures("fast_hashing", "fixed_today")


def parts(session: Session, event_id: int) -> list[tuple[int, str, float]]:
    rows = session.exec(select(Participation).where(Participation.event_id == event_id))
    return sorted((p.volunteer_id, p.role, p.hours) for p in rows)


def test_ops_event_participations_saved_with_a_new_event(session: Session, admin: User) -> None:
    volunteer = new_volunteer(session, admin, new_person(session, admin))
    event = new_event(session, admin, participations=[
        ParticipationInput(volunteer_id=volunteer.id, role="story", hours=2)])
    assert parts(session, event.id) == [(volunteer.id, "story", 2.0)]


def test_ops_event_participations_replaced_on_update(session: Session, admin: User) -> None:
    first = new_volunteer(session, admin, new_person(session, admin))
    second = new_volunteer(session, admin, new_person(session, admin, surname="Петров"))
    event = new_event(session, admin, participations=[
        ParticipationInput(volunteer_id=first.id, role="story", hours=2)])
    update_event(session=session, actor=admin, event_id=event.id, data=EventUpdate(
        participations=[ParticipationInput(volunteer_id=second.id, role="mentor", hours=1.5)]))
    assert parts(session, event.id) == [(second.id, "mentor", 1.5)]
    actions = [(a.action, a.table_name) for a in session.exec(
        select(AuditEntry).where(AuditEntry.table_name.in_(["participation", "event"]))
        .order_by(AuditEntry.id))][-3:]
    assert sorted(actions) == [("create", "participation"), ("delete", "participation"),
                               ("update", "event")]


def test_ops_event_participations_left_out_stay(session: Session, admin: User) -> None:
    volunteer = new_volunteer(session, admin, new_person(session, admin))
    event = new_event(session, admin, participations=[
        ParticipationInput(volunteer_id=volunteer.id, role="story", hours=2)])
    update_event(session=session, actor=admin, event_id=event.id,
                 data=EventUpdate(notes="без изменений в волонтёрах"))
    assert parts(session, event.id) == [(volunteer.id, "story", 2.0)]


@pytest.mark.parametrize("make_items", [
    lambda v: [ParticipationInput(volunteer_id=v, role="story", hours=30)],
    lambda v: [ParticipationInput(volunteer_id=v, role="dancing", hours=1)],
    lambda v: [ParticipationInput(volunteer_id=v, role="story", hours=1)] * 2,
    lambda v: [ParticipationInput(volunteer_id=v + 999, role="story", hours=1)],
])
def test_ops_event_participations_refused_save_nothing(session: Session, admin: User,
                                                       make_items) -> None:
    volunteer = new_volunteer(session, admin, new_person(session, admin))
    with pytest.raises(ValidationError) as refused:
        new_event(session, admin, notes="отказ", participations=make_items(volunteer.id))
    assert "participations" in refused.value.errors
    assert session.exec(select(Participation)).all() == []


def test_ops_event_participations_not_before_enrolment(session: Session, admin: User) -> None:
    volunteer = new_volunteer(session, admin, new_person(session, admin),
                              enrolled_on=D(2026, 10, 1), consent_date=D(2026, 10, 1))
    with pytest.raises(ValidationError) as refused:
        new_event(session, admin, event_date=D(2026, 9, 20), participations=[
            ParticipationInput(volunteer_id=volunteer.id, role="story", hours=1)])
    assert "participations" in refused.value.errors
