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
from db.ops.settings import DEFAULT_DEADLINE_DAY, database_mode
from db.ops.settings import deadline_day as stored_deadline_day
from db.values import DatabaseMode, EventStatus


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
                 deadline_day: int | None = None,
                 facilities: list[Facility] | None = None) -> list[CompletenessRow]:
    """One row per facility (non-retired, by code) and month, facilities outer, months in the
    order given; the deadline day is the database's setting unless given."""
    today = today if today is not None else clock.today()
    if deadline_day is None:
        deadline_day = stored_deadline_day(session)
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


# Colours of a status, shared by the window and the exported grid (light fills that keep black
# text readable and print on a grey printer as different greys).
RECEIVED_COLOUR, LATE_COLOUR = "C6EFCE", "FFEB9C"
MISSING_COLOUR, NOT_DUE_COLOUR = "FFC7CE", "EDEDED"
# TRANSLATORS: a month whose report is not received but whose deadline has not passed:
# «срок не наступил» / «мерзімі келмеді»
NOT_DUE_LABEL = N_("not due yet")


# The legend of the colours, in the order the window and the sheet show it.
LEGEND_ITEMS: tuple[tuple[str, str], ...] = (
    (RECEIVED_COLOUR, STATUS_LABELS[Status.RECEIVED]),
    (LATE_COLOUR, STATUS_LABELS[Status.LATE]),
    (MISSING_COLOUR, STATUS_LABELS[Status.MISSING]),
    (NOT_DUE_COLOUR, NOT_DUE_LABEL),
)


def colour_of(row: CompletenessRow) -> str:
    """The fill of a cell: green received, yellow late, red missing past the deadline, grey
    missing but not yet due."""
    if row.status == Status.RECEIVED:
        return RECEIVED_COLOUR
    if row.status == Status.LATE:
        return LATE_COLOUR
    return MISSING_COLOUR if row.overdue else NOT_DUE_COLOUR


def label_of(row: CompletenessRow) -> str:
    """The status msgid of a cell (a missing month not yet due has its own words)."""
    if row.status == Status.MISSING and not row.overdue:
        return NOT_DUE_LABEL
    return STATUS_LABELS[row.status]


def months_ending(last: Month, count: int) -> list[Month]:
    """`count` months up to and including `last`, oldest first."""
    months = [last]
    while len(months) < count:
        months.append(months[-1].previous())
    return list(reversed(months))
