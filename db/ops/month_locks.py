"""Month locks: the head marks a facility's month as submitted, and its records become read-only.

A lock is one `month_lock` row per (facility, month). Unlocking deletes the row, with a reason
in the audit trail. Revisions only grow: `month_revision` keeps the highest revision each month
has reached, so lock → unlock → lock gives revisions 1 and then 2, and the package exported
after an unlock is told apart from the one sent before.

Which records a lock covers (every operation asks `require_open` before it writes anything):
- an event, by its date, in its own facility (`Event.facility_id`, whose report counts it);
  also its volunteers' facilities when its participations, date or status change, because the
  volunteers' hours count in their own facility's report;
- a participation, by its event's date, in the event's and the volunteer's facility;
- an outcome, by its date, in the person's facility and in every facility the person is (or
  was) a volunteer of, since the report counts outcomes of a facility's volunteers; a person
  with neither has no lock;
- a volunteer, by the enrolment and the exit date, in the volunteer's facility, when a record
  with those dates is created or deleted or those dates change (status and consent changes
  carry no date of their own, as in the report).
Persons, facilities and reference lists have no date, so no lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlmodel import Session, col, select

from db import clock
from db.errors import Conflict, FieldErrors, MonthLocked, NotFound, ValidationError
from db.i18n import _, current_language
from db.models import (
    Event,
    Facility,
    MonthLock,
    MonthRevision,
    Outcome,
    Participation,
    Person,
    User,
    Volunteer,
)
from db.months import Month, month_title
from db.ops.common import get_or_raise, snapshot, transaction, write_audit
from db.rights import Action, require
from db.rules import fmt_date, required_text

TABLE = "month_lock"
MAX_REASON = 500

# (facility id, day): a place in some facility's monthly report that a change would touch.
Point = tuple[int | None, dt.date | None]


def lock_of(session: Session, facility_id: int, month: Month) -> MonthLock | None:
    return session.exec(select(MonthLock).where(MonthLock.facility_id == facility_id,
                                                MonthLock.month == str(month))).first()


def is_month_locked(session: Session, facility_id: int, day: dt.date) -> bool:
    return lock_of(session, facility_id, Month.of(day)) is not None


def _locked_on(lock: MonthLock) -> str:
    """The day of the lock as the head saw it on the PC's clock, not the UTC day stored."""
    locked_at = lock.locked_at if lock.locked_at.tzinfo else lock.locked_at.replace(
        tzinfo=dt.UTC)
    return fmt_date(locked_at.astimezone().date())


def lock_sentence(lock: MonthLock) -> str:
    """"October 2026 was submitted on 03.11.2026 by head; its records are read-only.\""""
    return _("{month} was submitted on {date} by {login}; its records are read-only.").format(
        month=month_title(Month.parse(lock.month), current_language()), date=_locked_on(lock),
        login=lock.locked_by)


def locked_reason(session: Session, facility_id: int, day: dt.date) -> str:
    """Why records of this facility dated `day` are read-only; "" when the month is open."""
    lock = lock_of(session, facility_id, Month.of(day))
    return lock_sentence(lock) if lock is not None else ""


def list_locks(session: Session, facility_id: int) -> list[MonthLock]:
    """The facility's locked months, the latest month first."""
    return list(session.exec(select(MonthLock).where(MonthLock.facility_id == facility_id)
                             .order_by(col(MonthLock.month).desc())))


def _last_revision(session: Session, facility_id: int, month: Month) -> MonthRevision | None:
    return session.exec(select(MonthRevision).where(MonthRevision.facility_id == facility_id,
                                                    MonthRevision.month == str(month))).first()


def current_revision(session: Session, facility_id: int, month: Month) -> int:
    """The revision an export of this month carries: the lock's own while the month is locked;
    while it is open, the one its next lock will get (1 for a month never locked, one more
    than the last lock's after an unlock: the first export after an unlock is a new one)."""
    lock = lock_of(session, facility_id, month)
    if lock is not None:
        return lock.revision
    last = _last_revision(session, facility_id, month)
    return (last.revision if last is not None else 0) + 1


# --- the check every operation makes ---------------------------------------------------------

def first_locked(session: Session, points: Iterable[Point]) -> MonthLock | None:
    seen: set[tuple[int, Month]] = set()
    for facility_id, day in points:
        if facility_id is None or day is None:
            continue  # no facility or no date: nothing to lock
        key = (facility_id, Month.of(day))
        if key in seen:
            continue
        seen.add(key)
        lock = lock_of(session, *key)
        if lock is not None:
            return lock
    return None


def require_open_points(session: Session, points: Iterable[Point]) -> None:
    lock = first_locked(session, points)
    if lock is not None:
        raise MonthLocked(lock_sentence(lock))


def require_open(session: Session, facility_id: int | None, *days: dt.date | None) -> None:
    """Raise MonthLocked (with the sentence the form shows) when any of the days falls in a
    locked month of the facility. None (no facility, an empty date) locks nothing."""
    require_open_points(session, [(facility_id, day) for day in days])


def volunteer_facilities(session: Session, volunteer_ids: Iterable[int]) -> set[int]:
    ids = set(volunteer_ids)
    if not ids:
        return set()
    return set(session.exec(select(Volunteer.facility_id).where(col(Volunteer.id).in_(ids))))


def outcome_facilities(session: Session, person_id: int) -> set[int]:
    """The facilities whose reports count an outcome of this person (see the module's notes)."""
    person = session.get(Person, person_id)
    found = set(session.exec(select(Volunteer.facility_id)
                             .where(Volunteer.person_id == person_id)))
    if person is not None and person.facility_id is not None:
        found.add(person.facility_id)
    return found


def record_points(session: Session, record: Event | Participation | Outcome | Volunteer
                  ) -> list[Point]:
    """Where a stored record stands in the monthly reports, for a form to ask before editing."""
    if isinstance(record, Event):
        return [(record.facility_id, record.event_date)]
    if isinstance(record, Participation):
        event = session.get(Event, record.event_id)
        if event is None:
            return []
        facilities = {event.facility_id} | volunteer_facilities(session, [record.volunteer_id])
        return [(facility_id, event.event_date) for facility_id in sorted(facilities)]
    if isinstance(record, Outcome):
        return [(facility_id, record.outcome_date)
                for facility_id in sorted(outcome_facilities(session, record.person_id))]
    if isinstance(record, Volunteer):
        return [(record.facility_id, record.enrolled_on), (record.facility_id, record.exit_date)]
    raise TypeError(f"no month lock applies to {type(record).__name__}")


def record_locked_reason(session: Session,
                         record: Event | Participation | Outcome | Volunteer) -> str:
    """Why a stored record is read-only ("" when it is not): for forms opening it."""
    lock = first_locked(session, record_points(session, record))
    return lock_sentence(lock) if lock is not None else ""


# --- locking and unlocking --------------------------------------------------------------------

def lock_month(*, session: Session, actor: User, facility_id: int, month: Month) -> MonthLock:
    """Mark the month as submitted. A month that has not begun cannot be; one already locked
    raises Conflict."""
    require(actor, Action.LOCK_MONTHS)
    facility = get_or_raise(session, Facility, facility_id, _("The facility"))
    if month > Month.of(clock.today()):
        raise ValidationError({"month": _(
            "{month} has not begun yet: only a month that has begun can be submitted.").format(
            month=month_title(month, current_language()))})
    existing = lock_of(session, facility_id, month)
    if existing is not None:
        raise Conflict(_("{month} is already submitted (on {date} by {login}).").format(
            month=month_title(month, current_language()),
            date=_locked_on(existing), login=existing.locked_by))
    with transaction(session):
        last = _last_revision(session, facility_id, month)
        if last is None:
            last = MonthRevision(facility_id=facility_id, month=str(month), revision=0)
            session.add(last)
        last.revision += 1
        lock = MonthLock(facility_id=facility_id, month=str(month), locked_at=clock.now(),
                         locked_by=actor.login, revision=last.revision)
        session.add(lock)
        session.flush()
        write_audit(session, actor, "month_lock", table=TABLE, record_uuid=lock.uuid,
                    changes=snapshot(lock), details=f"{facility.code} {month}")
    return lock


def unlock_month(*, session: Session, actor: User, facility_id: int, month: Month,
                 reason: str) -> None:
    """Open a locked month again; the reason goes into the audit trail with the lock's values.
    The month's next lock is a new revision."""
    require(actor, Action.UNLOCK_MONTHS)
    facility = get_or_raise(session, Facility, facility_id, _("The facility"))
    errors = FieldErrors()
    required_text(errors, "reason", reason, _("Say why the month is unlocked."), MAX_REASON)
    errors.raise_if_any()
    lock = lock_of(session, facility_id, month)
    if lock is None:
        raise NotFound(_("{month} is not locked.").format(
            month=month_title(month, current_language())))
    with transaction(session):
        write_audit(session, actor, "month_unlock", table=TABLE, record_uuid=lock.uuid,
                    changes=snapshot(lock),
                    details=f"{facility.code} {month}: {reason.strip()}")
        session.delete(lock)
