"""Month locks: a submitted month's records are read-only in db/, whoever calls; unlocking
needs a reason and is audited; every new lock of a month is a new revision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from ops_support import (
    D,
    audit_count,
    changes,
    home,
    new_audit,
    new_event,
    new_facility,
    new_participation,
    new_person,
    new_user,
    new_volunteer,
)
from sqlmodel import Session

from db.errors import Conflict, InUse, MonthLocked, NotFound, PermissionDenied, ValidationError
from db.models import (
    EventUpdate,
    MonthLock,
    OutcomeCreate,
    OutcomeUpdate,
    ParticipationInput,
    ParticipationUpdate,
    PersonUpdate,
    User,
    VolunteerUpdate,
)
from db.months import Month
from db.ops.events import delete_event, update_event
from db.ops.facilities import delete_facility
from db.ops.month_locks import (
    current_revision,
    is_month_locked,
    list_locks,
    lock_month,
    lock_of,
    locked_reason,
    record_locked_reason,
    require_open,
    unlock_month,
)
from db.ops.persons import update_person
from db.ops.volunteers import (
    create_outcome,
    delete_outcome,
    delete_participation,
    delete_volunteer,
    update_outcome,
    update_participation,
    update_volunteer,
)

pytestmark = pytest.mark.usefixtures("fast_hashing", "fixed_today")

OCTOBER = Month(2026, 10)
# noon of 03.11.2026 on the PC's clock (stored as UTC, shown as the local day)
LOCKED_AT = dt.datetime(2026, 11, 3, 12, 0).astimezone().astimezone(dt.UTC)


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    monkeypatch.setattr("db.clock.now", lambda: LOCKED_AT)
    return LOCKED_AT


@pytest.fixture
def head(session: Session, admin: User) -> User:
    return new_user(session, admin, "head")


@pytest.fixture
def operator(session: Session, admin: User) -> User:
    return new_user(session, admin, "operator")


def lock(session: Session, actor: User, month: Month = OCTOBER,
         facility_id: int | None = None) -> MonthLock:
    return lock_month(session=session, actor=actor,
                      facility_id=facility_id or home(session).id, month=month)


def unlock(session: Session, actor: User, reason: str = "числа исправлены",
           month: Month = OCTOBER) -> None:
    unlock_month(session=session, actor=actor, facility_id=home(session).id, month=month,
                 reason=reason)


def fingerprint(session: Session) -> dict[str, list[tuple]]:
    """Every row of the tables a record operation may touch, as stored."""
    connection = session.connection()
    return {table: sorted(connection.exec_driver_sql(f"SELECT * FROM {table}").fetchall())
            for table in ("event", "event_topic", "event_agency", "event_attendee",
                          "participation", "volunteer", "outcome", "person", "audit_entry")}


# --- locking ---------------------------------------------------------------------------------

def test_ops_month_locks_lock_records_who_when_and_audits(session: Session, head: User) -> None:
    before = audit_count(session)
    result = lock(session, head)
    assert (result.month, result.locked_by, result.revision) == ("2026-10", "head", 1)
    assert result.locked_at == LOCKED_AT
    assert lock_of(session, home(session).id, OCTOBER) == result
    assert list_locks(session, home(session).id) == [result]
    [entry] = new_audit(session, before)
    assert (entry.action, entry.table_name, entry.record_uuid, entry.user_login) == (
        "month_lock", "month_lock", result.uuid, "head")
    assert changes(entry)["month"] == "2026-10"
    assert changes(entry)["revision"] == 1


def test_ops_month_locks_is_locked_for_the_month_and_facility_only(session: Session,
                                                                   admin: User) -> None:
    other = new_facility(session, admin)
    lock(session, admin)
    facility_id = home(session).id
    assert is_month_locked(session, facility_id, D(2026, 10, 1))
    assert is_month_locked(session, facility_id, D(2026, 10, 31))
    assert not is_month_locked(session, facility_id, D(2026, 9, 30))
    assert not is_month_locked(session, facility_id, D(2026, 11, 1))
    assert not is_month_locked(session, other.id, D(2026, 10, 15))
    assert locked_reason(session, facility_id, D(2026, 11, 1)) == ""


def test_ops_month_locks_reason_names_month_day_and_login(session: Session, head: User) -> None:
    lock(session, head)
    reason = locked_reason(session, home(session).id, D(2026, 10, 10))
    assert "Октябрь 2026" in reason
    assert "03.11.2026" in reason
    assert "head" in reason


def test_ops_month_locks_lock_twice_is_a_conflict(session: Session, head: User) -> None:
    lock(session, head)
    before = audit_count(session)
    with pytest.raises(Conflict, match="03.11.2026"):
        lock(session, head)
    assert audit_count(session) == before


def test_ops_month_locks_month_not_begun_refused(session: Session, head: User) -> None:
    lock(session, head, Month(2026, 11))  # today is 15.11.2026: the month has begun
    with pytest.raises(ValidationError) as error:
        lock(session, head, Month(2026, 12))
    assert set(error.value.errors) == {"month"}


@pytest.mark.parametrize("role", ["operator", "analyst"])
def test_ops_month_locks_lock_refused_for_role_writes_nothing(session: Session, admin: User,
                                                              role: str) -> None:
    actor = new_user(session, admin, role)
    before = audit_count(session)
    with pytest.raises(PermissionDenied):
        lock(session, actor)
    assert lock_of(session, home(session).id, OCTOBER) is None
    assert current_revision(session, home(session).id, OCTOBER) == 1  # no revision used up
    assert audit_count(session) == before


# --- unlocking and revisions -----------------------------------------------------------------

def test_ops_month_locks_unlock_with_reason_is_audited(session: Session, admin: User,
                                                       head: User) -> None:
    event = new_event(session, admin)
    locked = lock(session, head)
    before = audit_count(session)
    unlock(session, admin, "  ошибка в числе слушателей ")
    assert lock_of(session, home(session).id, OCTOBER) is None
    [entry] = new_audit(session, before)
    assert (entry.action, entry.user_login, entry.record_uuid) == (
        "month_unlock", "admin", locked.uuid)
    assert entry.details.endswith(": ошибка в числе слушателей")
    assert changes(entry)["locked_by"] == "head"
    # the records are open again
    update_event(session=session, actor=head, event_id=event.id, data=EventUpdate(notes="ok"))


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_ops_month_locks_unlock_needs_a_reason(session: Session, head: User,
                                               reason: str) -> None:
    lock(session, head)
    before = audit_count(session)
    with pytest.raises(ValidationError) as error:
        unlock(session, head, reason)
    assert set(error.value.errors) == {"reason"}
    assert lock_of(session, home(session).id, OCTOBER) is not None
    assert audit_count(session) == before


def test_ops_month_locks_unlock_refused_for_operator(session: Session, head: User,
                                                     operator: User) -> None:
    lock(session, head)
    with pytest.raises(PermissionDenied):
        unlock(session, operator)
    assert lock_of(session, home(session).id, OCTOBER) is not None


def test_ops_month_locks_unlock_of_an_open_month_is_not_found(session: Session,
                                                              head: User) -> None:
    with pytest.raises(NotFound, match="Октябрь 2026"):
        unlock(session, head)


def test_ops_month_locks_revision_grows_across_unlocks(session: Session, head: User) -> None:
    facility_id = home(session).id
    assert current_revision(session, facility_id, OCTOBER) == 1  # never locked
    assert lock(session, head).revision == 1
    assert current_revision(session, facility_id, OCTOBER) == 1
    unlock(session, head)
    assert current_revision(session, facility_id, OCTOBER) == 2  # the next export is new
    assert lock(session, head).revision == 2
    unlock(session, head)
    assert lock(session, head).revision == 3
    # other months keep their own count
    assert lock(session, head, Month(2026, 9)).revision == 1


def test_ops_month_locks_facility_with_a_locked_month_not_deleted(session: Session,
                                                                  admin: User) -> None:
    other = new_facility(session, admin)
    lock(session, admin, facility_id=other.id)
    with pytest.raises(InUse):
        delete_facility(session=session, actor=admin, facility_id=other.id)
    unlock_month(session=session, actor=admin, facility_id=other.id, month=OCTOBER,
                 reason="ошибка")
    # the month's revision count goes with the facility
    delete_facility(session=session, actor=admin, facility_id=other.id)


# --- records of a locked month are read-only -------------------------------------------------

@dataclass
class Case:
    """Records made as admin before October is locked, then one operation on them."""

    prepare: Callable[[Session, User], dict[str, Any]]
    run: Callable[[Session, User, dict[str, Any]], object]
    facility: str = "home"  # whose October is locked: "home" or "other"
    extra: dict[str, Any] = field(default_factory=dict)


def _event(s: Session, a: User) -> dict[str, Any]:
    return {"event": new_event(s, a)}


def _event_in_november(s: Session, a: User) -> dict[str, Any]:
    return {"event": new_event(s, a, event_date=D(2026, 11, 2))}


def _with_volunteer(s: Session, a: User, **event: Any) -> dict[str, Any]:
    volunteer = new_volunteer(s, a, new_person(s, a, surname="Волков"))
    made = {"volunteer": volunteer, "event": new_event(s, a, **event)}
    made["participation"] = new_participation(s, a, volunteer, made["event"])
    return made


def _outcome(s: Session, a: User, **person: Any) -> dict[str, Any]:
    subject = new_person(s, a, **person)
    outcome = create_outcome(session=s, actor=a, data=OutcomeCreate(
        person_id=subject.id, outcome_date=D(2026, 10, 20), kind="repeat_offence"))
    return {"person": subject, "outcome": outcome}


def _volunteer(s: Session, a: User, **values: Any) -> dict[str, Any]:
    return {"volunteer": new_volunteer(s, a, new_person(s, a, surname="Волков"), **values)}


def _other_facility_volunteer(s: Session, a: User) -> dict[str, Any]:
    """A volunteer of facility 54 at an event of 69 (home): 54's report has the hours."""
    other = new_facility(s, a)
    volunteer = new_volunteer(s, a, new_person(s, a, surname="Волков", facility_id=other.id),
                              facility_id=other.id)
    return {"volunteer": volunteer, "event": new_event(s, a)}


LOCKED_OPERATIONS: dict[str, Case] = {
    "create event": Case(lambda s, a: {}, lambda s, u, m: new_event(s, u)),
    "update event": Case(_event, lambda s, u, m: update_event(
        session=s, actor=u, event_id=m["event"].id, data=EventUpdate(notes="правка"))),
    "delete event": Case(_event, lambda s, u, m: delete_event(
        session=s, actor=u, event_id=m["event"].id)),
    "move event out of the month": Case(_event, lambda s, u, m: update_event(
        session=s, actor=u, event_id=m["event"].id,
        data=EventUpdate(event_date=D(2026, 11, 2)))),
    "move event into the month": Case(_event_in_november, lambda s, u, m: update_event(
        session=s, actor=u, event_id=m["event"].id,
        data=EventUpdate(event_date=D(2026, 10, 28)))),
    "move event to a facility whose month is locked": Case(
        lambda s, a: {"event": new_event(s, a, facility_id=new_facility(s, a).id)},
        lambda s, u, m: update_event(session=s, actor=u, event_id=m["event"].id,
                                     data=EventUpdate(facility_id=home(s).id))),
    "create participation": Case(
        lambda s, a: _volunteer(s, a) | _event(s, a),
        lambda s, u, m: new_participation(s, u, m["volunteer"], m["event"])),
    "update participation": Case(_with_volunteer, lambda s, u, m: update_participation(
        session=s, actor=u, participation_id=m["participation"].id,
        data=ParticipationUpdate(hours=5))),
    "delete participation": Case(_with_volunteer, lambda s, u, m: delete_participation(
        session=s, actor=u, participation_id=m["participation"].id)),
    "participations saved through the event": Case(
        lambda s, a: _volunteer(s, a) | _event(s, a),
        lambda s, u, m: update_event(session=s, actor=u, event_id=m["event"].id,
                                     data=EventUpdate(participations=[ParticipationInput(
                                         volunteer_id=m["volunteer"].id, role="story")]))),
    "participation of another facility's volunteer, through the event": Case(
        _other_facility_volunteer,
        lambda s, u, m: update_event(session=s, actor=u, event_id=m["event"].id,
                                     data=EventUpdate(participations=[ParticipationInput(
                                         volunteer_id=m["volunteer"].id, role="story")])),
        facility="other"),
    "participation of another facility's volunteer": Case(
        _other_facility_volunteer,
        lambda s, u, m: new_participation(s, u, m["volunteer"], m["event"]),
        facility="other"),
    "create outcome": Case(
        lambda s, a: {"person": new_person(s, a)},
        lambda s, u, m: create_outcome(session=s, actor=u, data=OutcomeCreate(
            person_id=m["person"].id, outcome_date=D(2026, 10, 20), kind="repeat_offence"))),
    "update outcome": Case(_outcome, lambda s, u, m: update_outcome(
        session=s, actor=u, outcome_id=m["outcome"].id, data=OutcomeUpdate(notes="правка"))),
    "move outcome out of the month": Case(_outcome, lambda s, u, m: update_outcome(
        session=s, actor=u, outcome_id=m["outcome"].id,
        data=OutcomeUpdate(outcome_date=D(2026, 11, 1)))),
    "delete outcome": Case(_outcome, lambda s, u, m: delete_outcome(
        session=s, actor=u, outcome_id=m["outcome"].id)),
    "outcome of a volunteer without a facility": Case(
        lambda s, a: _volunteer_without_facility(s, a),
        lambda s, u, m: create_outcome(session=s, actor=u, data=OutcomeCreate(
            person_id=m["person"].id, outcome_date=D(2026, 10, 20), kind="repeat_offence"))),
    "enrol a volunteer": Case(
        lambda s, a: {"person": new_person(s, a)},
        lambda s, u, m: new_volunteer(s, u, m["person"], enrolled_on=D(2026, 10, 5),
                                      consent_date=D(2026, 10, 5))),
    "move an enrolment into the month": Case(_volunteer, lambda s, u, m: update_volunteer(
        session=s, actor=u, volunteer_id=m["volunteer"].id,
        data=VolunteerUpdate(enrolled_on=D(2026, 10, 1), consent_date=D(2026, 10, 1)))),
    "move an enrolment out of the month": Case(
        lambda s, a: _volunteer(s, a, enrolled_on=D(2026, 10, 5), consent_date=D(2026, 10, 5)),
        lambda s, u, m: update_volunteer(session=s, actor=u, volunteer_id=m["volunteer"].id,
                                         data=VolunteerUpdate(enrolled_on=D(2026, 11, 2),
                                                              consent_date=D(2026, 11, 2)))),
    "an exit dated in the month": Case(_volunteer, lambda s, u, m: update_volunteer(
        session=s, actor=u, volunteer_id=m["volunteer"].id,
        data=VolunteerUpdate(status="left", exit_date=D(2026, 10, 30), exit_reason="переезд"))),
    "delete a volunteer enrolled in the month": Case(
        lambda s, a: _volunteer(s, a, enrolled_on=D(2026, 10, 5), consent_date=D(2026, 10, 5)),
        lambda s, u, m: delete_volunteer(session=s, actor=u, volunteer_id=m["volunteer"].id)),
}


def _volunteer_without_facility(s: Session, a: User) -> dict[str, Any]:
    """The person has no facility, but the home facility's report counts the outcome: the
    person is its volunteer."""
    person = new_person(s, a, facility_id=None)
    new_volunteer(s, a, person)
    return {"person": person}


@pytest.mark.parametrize("case", list(LOCKED_OPERATIONS))
def test_ops_month_locks_locked_record_operation_refused(session: Session, admin: User,
                                                         head: User, operator: User,
                                                         case: str) -> None:
    spec = LOCKED_OPERATIONS[case]
    made = spec.prepare(session, admin)
    facility_id = home(session).id if spec.facility == "home" else made["volunteer"].facility_id
    lock(session, head, facility_id=facility_id)
    before = fingerprint(session)
    with pytest.raises(MonthLocked) as error:
        spec.run(session, operator, made)
    assert "Октябрь 2026" in error.value.message and "head" in error.value.message
    session.rollback()
    assert fingerprint(session) == before
    # an administrator is refused alike: the lock is about the month, not the role
    with pytest.raises(MonthLocked):
        spec.run(session, admin, made)


def test_ops_month_locks_open_months_and_undated_records_stay_editable(
        session: Session, admin: User, head: User, operator: User) -> None:
    person = new_person(session, admin)
    volunteer = new_volunteer(session, admin, new_person(session, admin, surname="Волков"),
                              enrolled_on=D(2026, 10, 5), consent_date=D(2026, 10, 5))
    outcome = create_outcome(session=session, actor=admin, data=OutcomeCreate(
        person_id=new_person(session, admin, surname="Без", facility_id=None).id,
        outcome_date=D(2026, 10, 20), kind="repeat_offence"))
    september = new_event(session, admin, event_date=D(2026, 9, 30))
    lock(session, head)
    # persons have no date
    update_person(session=session, actor=operator, person_id=person.id,
                  data=PersonUpdate(district="Абайский"))
    # a volunteer's undated fields, with the enrolment in the locked month
    update_volunteer(session=session, actor=operator, volunteer_id=volunteer.id,
                     data=VolunteerUpdate(coordinator="Новый К."))
    # an outcome of a person with no facility who is no volunteer
    update_outcome(session=session, actor=operator, outcome_id=outcome.id,
                   data=OutcomeUpdate(notes="уточнено"))
    # the months around October
    update_event(session=session, actor=operator, event_id=september.id,
                 data=EventUpdate(notes="сентябрь"))
    new_event(session, operator, event_date=D(2026, 11, 1))


def test_ops_month_locks_record_locked_reason_for_forms(session: Session, admin: User,
                                                        head: User) -> None:
    made = _with_volunteer(session, admin)
    november = new_event(session, admin, event_date=D(2026, 11, 2))
    outcome = _outcome(session, admin)["outcome"]
    lock(session, head)
    for record in (made["event"], made["participation"], outcome):
        assert "Октябрь 2026" in record_locked_reason(session, record)
    assert record_locked_reason(session, november) == ""
    assert record_locked_reason(session, made["volunteer"]) == ""  # enrolled in February


def test_ops_month_locks_require_open_ignores_missing_values(session: Session,
                                                             head: User) -> None:
    lock(session, head)
    require_open(session, None, D(2026, 10, 10))
    require_open(session, home(session).id, None)
    with pytest.raises(MonthLocked):
        require_open(session, home(session).id, None, D(2026, 11, 1), D(2026, 10, 31))
