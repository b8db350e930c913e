"""Completeness of a regional database: for each facility and month, whether its report has come.

What "received" means lives in ONE function, `received_status`. In a regional database a
facility-month is received when a package of it was imported (reports/package_import.py keeps
the history): the latest imported revision and the moment of its import. In a facility
database it is received when the month is locked (submitted: the lock carries the revision and
its date) or when held events of that facility and month are in the database (data is there,
but with no revision and no date of receipt).

Statuses (a choice; the issue leaves "late" open):
- ``received``: received by the deadline, the given day of the next month (default the 5th);
  also received with no known date while the deadline has not yet passed;
- ``late``: received after the deadline, or data present with no date of receipt once the
  deadline has passed (nobody can show it came in time: the month was not submitted);
- ``missing``: nothing received. ``overdue`` tells whether the deadline has passed, so a
  window can colour a month still within its time differently from one past it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func
from sqlmodel import Session, col, select

from db import clock
from db.i18n import N_
from db.models import Event, Facility, PackageImport
from db.months import Month
from db.ops.facilities import list_facilities
from db.ops.month_locks import lock_of
from db.ops.settings import database_mode
from db.values import DatabaseMode, EventStatus

DEFAULT_DEADLINE_DAY = 5


class Status(StrEnum):
    RECEIVED = "received"
    LATE = "late"
    MISSING = "missing"


# TRANSLATORS: completeness of the regional reports: «получен» / «алынды»
# «с опозданием» / «кешігіп», «не получен» / «алынбады»
STATUS_LABELS: dict[Status, str] = {
    Status.RECEIVED: N_("received"),
    Status.LATE: N_("late"),
    Status.MISSING: N_("missing"),
}


@dataclass(frozen=True)
class Received:
    """What is known of a received facility-month: revision and date when a package or a lock
    says so, None when only the data shows it came."""

    revision: int | None
    received_at: dt.datetime | None  # naive local time, or None when unknown


@dataclass(frozen=True)
class CompletenessRow:
    facility_code: str
    facility_name: str
    month: Month
    status: Status
    revision: int | None
    received_at: dt.datetime | None
    deadline: dt.date
    overdue: bool  # the deadline has passed (meaningful for a missing month)

    def as_json_dict(self) -> dict:
        return {
            "facility_code": self.facility_code, "facility_name": self.facility_name,
            "month": str(self.month), "status": self.status.value, "revision": self.revision,
            "received_at": self.received_at.isoformat() if self.received_at else None,
            "deadline": self.deadline.isoformat(), "overdue": self.overdue,
        }


def _local(moment: dt.datetime) -> dt.datetime:
    """Locks are stored in UTC (naive once read back from SQLite); the deadline is a local day."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone().replace(tzinfo=None)


def received_status(session: Session, facility_id: int, month: Month) -> Received | None:
    """Whether the facility's month has been received, and what is known of it; None if not.

    The one place that decides it. In a regional database: the import history, the latest
    imported revision and when it was imported (a refused file receives nothing). In a
    facility database: a month lock, else held events of the facility in the month."""
    if database_mode(session) == DatabaseMode.REGIONAL:
        imported = session.exec(
            select(PackageImport).where(PackageImport.facility_id == facility_id,
                                        PackageImport.month == str(month),
                                        PackageImport.result == "imported")
            .order_by(col(PackageImport.revision).desc(), col(PackageImport.id).desc())
        ).first()
        if imported is None:
            return None
        return Received(revision=imported.revision, received_at=_local(imported.imported_at))
    lock = lock_of(session, facility_id, month)
    if lock is not None:
        return Received(revision=lock.revision, received_at=_local(lock.locked_at))
    held = session.exec(
        select(func.count()).select_from(Event)
        .where(Event.facility_id == facility_id, Event.status == EventStatus.HELD.value,
               col(Event.event_date) >= month.first_day,
               col(Event.event_date) <= month.last_day)).one()
    return Received(revision=None, received_at=None) if held else None


def deadline_of(month: Month, deadline_day: int = DEFAULT_DEADLINE_DAY) -> dt.date:
    """The last day a month's report is on time: `deadline_day` of the next month (clamped to
    the next month's length, so 31 still means its last day)."""
    following = month.next()
    return dt.date(following.year, following.month,
                   min(max(deadline_day, 1), following.last_day.day))


def completeness(session: Session, *, months: list[Month], today: dt.date | None = None,
                 deadline_day: int = DEFAULT_DEADLINE_DAY,
                 facilities: list[Facility] | None = None) -> list[CompletenessRow]:
    """One row per facility (non-retired, by code) and month, facilities outer, months in the
    order given."""
    today = today if today is not None else clock.today()
    found = facilities if facilities is not None else list_facilities(session)
    rows: list[CompletenessRow] = []
    for facility in found:
        assert facility.id is not None
        for month in months:
            deadline = deadline_of(month, deadline_day)
            overdue = today > deadline
            got = received_status(session, facility.id, month)
            if got is None:
                status = Status.MISSING
            elif got.received_at is not None:
                status = Status.LATE if got.received_at.date() > deadline else Status.RECEIVED
            else:
                status = Status.LATE if overdue else Status.RECEIVED
            rows.append(CompletenessRow(
                facility_code=facility.code, facility_name=facility.name, month=month,
                status=status, revision=got.revision if got else None,
                received_at=got.received_at if got else None, deadline=deadline,
                overdue=overdue))
    return rows
