"""The monthly figures of one facility: built once from the database as a `MonthlyReport`.

Every figure is aggregated in SQL (about a dozen queries whatever the size of the database),
and every list has a total order, so the same data always give the same report.

Periods: the month is its first to its last day; the year to date is 1 January to the month's
last day; the 12-month window is the 12 whole calendar months ending with the month
(for October 2026: 01.11.2025 to 31.10.2026, i.e. month end − 12 months + 1 day).

Choices where the contract's comments leave room (see also the comments at each query):
- Only events of the facility (`Event.facility_id`) with status "held" count, wherever held.
- "Active at month end" counts a volunteer enrolled and consenting by the month's end, not
  exited by then, whose status is not "candidate" or "paused". Status changes carry no date,
  so a current pause is applied to past months too; an exit has a date, so a volunteer who
  left after the month still counts as active in it.
- "Taking part" and "hours" are about this facility's volunteers (section 3), in held events
  of any facility dated in the period.
- Outcomes count when dated on or after the person's enrolment as a volunteer of this facility,
  also after the volunteer has left (the work is judged by what happens afterwards too).
- The 12-month rate counts distinct persons, so a re-enrolled volunteer is one volunteer.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import and_, case, distinct, exists, func, or_
from sqlmodel import Session, col, select

from db.i18n import _
from db.models import (
    Event,
    EventAgency,
    EventAttendee,
    EventTopic,
    Facility,
    Outcome,
    Participation,
    ReferenceItem,
    Volunteer,
)
from db.months import Month
from db.ops.common import get_or_raise
from db.values import EventStatus, PlaceKind, ReferenceList, VolunteerStatus
from reports.model import (
    EventLine,
    FacilityInfo,
    KindCount,
    MonthlyReport,
    Pair,
    Signature,
)

HOURS_DIGITS = 2  # hours are summed as floats: round so the summation order cannot show
NOT_ACTIVE_STATUSES = (VolunteerStatus.CANDIDATE.value, VolunteerStatus.PAUSED.value)


def window_start(month: Month) -> dt.date:
    """First day of the 12 calendar months ending with `month` (month end − 12 months + 1)."""
    return Month(month.year - 1, month.month).next().first_day


def _count_if(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _int(value: Any) -> int:
    return int(value or 0)


def _pair(month: Any, year: Any) -> Pair:
    return Pair(month=_int(month), year=_int(year))


def no_reoffence_rate(considered: int, reoffended: int) -> float | None:
    """Percent without an outcome, to one decimal, half up (exact decimal arithmetic: 2 of 3
    gives 66.7 on every machine); None when no volunteer is considered."""
    if considered <= 0:
        return None
    share = Decimal(100 * (considered - reoffended)) / Decimal(considered)
    return float(share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def build_monthly_report(session: Session, *, facility_id: int, month: Month,
                         signature: Signature | None = None,
                         now: dt.datetime | None = None,
                         taking_part: TakingPart | None = None,
                         considered_12m: tuple[int, int] | None = None) -> MonthlyReport:
    """The facility's figures of the month. `taking_part` and `considered_12m` are given when
    the caller computed them already, for every facility at once (the regional report)."""
    facility = get_or_raise(session, Facility, facility_id, _("The facility"))
    first, last = month.first_day, month.last_day
    year_first = dt.date(month.year, 1, 1)

    # --- 1 and 2: the facility's held events of the year to date, in one pass ---------------
    held_in_year = (Event.facility_id == facility_id, Event.status == EventStatus.HELD.value,
                    col(Event.event_date) >= year_first, col(Event.event_date) <= last)
    in_month = col(Event.event_date) >= first
    inside = Event.place_kind == PlaceKind.FACILITY.value
    outside = Event.place_kind == PlaceKind.OUTSIDE.value
    sums = {
        "serving": Event.count_serving, "released": Event.count_released,
        "community": Event.count_community, "wants": Event.wants_to_volunteer,
        "materials": Event.materials_count,
    }
    columns: list[Any] = [_count_if(in_month), func.count(),
                          _count_if(and_(in_month, inside)), _count_if(inside),
                          _count_if(and_(in_month, outside)), _count_if(outside)]
    for field in sums.values():
        columns += [func.coalesce(func.sum(case((in_month, field), else_=0)), 0),
                    func.coalesce(func.sum(field), 0)]
    row = session.exec(select(*columns).where(*held_in_year)).one()
    events_total, events_inside, events_outside = (
        _pair(row[0], row[1]), _pair(row[2], row[3]), _pair(row[4], row[5]))
    summed = {name: _pair(row[6 + 2 * i], row[7 + 2 * i]) for i, name in enumerate(sums)}

    # By kind: every current kind, and a retired one only if it has events this year.
    per_kind = (select(col(Event.kind_id).label("kind_id"),
                       _count_if(in_month).label("month"), func.count().label("year"))
                .where(*held_in_year).group_by(Event.kind_id).subquery())
    kind_rows = session.exec(
        select(ReferenceItem.code, ReferenceItem.name_ru, ReferenceItem.name_kk,
               per_kind.c.month, per_kind.c.year)
        .join(per_kind, per_kind.c.kind_id == ReferenceItem.id, isouter=True)
        .where(ReferenceItem.list_name == ReferenceList.EVENT_KIND.value,
               or_(ReferenceItem.retired == False, per_kind.c.year > 0))  # noqa: E712
        # the order of the app's lists (sort order, then name), with the id to break ties
        .order_by(col(ReferenceItem.sort_order), col(ReferenceItem.name_ru),
                  col(ReferenceItem.id))).all()
    events_by_kind = [KindCount(code=code, name_ru=name_ru, name_kk=name_kk,
                                events=_pair(m, y))
                      for code, name_ru, name_kk, m, y in kind_rows]

    # Unique persons: distinct named attendees of held events (attendances count every visit).
    unique = session.exec(
        select(func.count(distinct(case((in_month, EventAttendee.person_id), else_=None))),
               func.count(distinct(EventAttendee.person_id)))
        .join(Event, Event.id == EventAttendee.event_id).where(*held_in_year)).one()

    # --- 3: the facility's volunteers ---------------------------------------------------------
    enrolled_in_month = and_(col(Volunteer.enrolled_on) >= first,
                             col(Volunteer.enrolled_on) <= last)
    enrolled_in_year = and_(col(Volunteer.enrolled_on) >= year_first,
                            col(Volunteer.enrolled_on) <= last)
    exited_in_month = and_(col(Volunteer.exit_date) >= first, col(Volunteer.exit_date) <= last)
    exited_in_year = and_(col(Volunteer.exit_date) >= year_first,
                          col(Volunteer.exit_date) <= last)
    # Active at the end: on the books then (enrolled, consent signed, not yet exited) and not
    # a candidate or paused now; an exit after the month leaves the volunteer active in it.
    active_at_end = and_(col(Volunteer.enrolled_on) <= last,
                         col(Volunteer.consent_date).is_not(None),
                         col(Volunteer.consent_date) <= last,
                         or_(col(Volunteer.exit_date).is_(None), col(Volunteer.exit_date) > last),
                         col(Volunteer.status).not_in(NOT_ACTIVE_STATUSES))
    v_row = session.exec(
        select(_count_if(enrolled_in_month), _count_if(enrolled_in_year),
               _count_if(active_at_end), _count_if(exited_in_month), _count_if(exited_in_year))
        .where(Volunteer.facility_id == facility_id)).one()

    if taking_part is None:
        taking_part = volunteers_taking_part(session, facility_id, month)

    # --- 4: outcomes of persons enrolled as this facility's volunteers -----------------------
    start_12m = window_start(month)  # never after 1 January of the month's year
    was_volunteer = exists().where(Volunteer.person_id == Outcome.person_id,
                                   Volunteer.facility_id == facility_id,
                                   col(Volunteer.enrolled_on) <= col(Outcome.outcome_date))
    o_row = session.exec(
        select(_count_if(col(Outcome.outcome_date) >= first),
               _count_if(col(Outcome.outcome_date) >= year_first), func.count())
        .where(col(Outcome.outcome_date) >= start_12m, col(Outcome.outcome_date) <= last,
               was_volunteer)).one()

    considered, reoffended = (considered_12m if considered_12m is not None
                              else volunteers_considered_12m(session, facility_id, month))

    return MonthlyReport(
        facility=FacilityInfo(code=facility.code, name=facility.name,
                              facility_type=facility.facility_type, region=facility.region),
        month=month,
        generated_at=now if now is not None else dt.datetime.now(),
        events_total=events_total,
        events_inside=events_inside,
        events_outside=events_outside,
        events_by_kind=events_by_kind,
        attendances_serving=summed["serving"],
        attendances_released=summed["released"],
        attendances_community=summed["community"],
        attendances_total=Pair(
            month=sum(summed[k].month for k in ("serving", "released", "community")),
            year=sum(summed[k].year for k in ("serving", "released", "community"))),
        unique_persons=_pair(unique[0], unique[1]),
        wants_to_volunteer=summed["wants"],
        materials_handed_out=summed["materials"],
        volunteers_new=_pair(v_row[0], v_row[1]),
        volunteers_active_at_end=_int(v_row[2]),
        volunteers_left=_pair(v_row[3], v_row[4]),
        volunteers_taking_part=taking_part.volunteers,
        volunteer_hours=taking_part.hours,
        volunteer_reoffences=_pair(o_row[0], o_row[1]),
        volunteer_reoffences_12m=_int(o_row[2]),
        volunteers_considered_12m=considered,
        no_reoffence_rate_12m=no_reoffence_rate(considered, reoffended),
        events=_event_lines(session, facility_id, month),
        signature=signature if signature is not None else Signature(),
    )


@dataclass(frozen=True)
class TakingPart:
    """A facility's volunteers in held events (of any facility) dated in the month and in
    the year to date, and their hours."""

    volunteers: Pair
    hours: Pair

    @classmethod
    def of(cls, row: Any) -> TakingPart:
        """From (volunteers in month, in year, hours in month, in year)."""
        return cls(volunteers=_pair(row[0], row[1]),
                   hours=Pair(month=round(float(row[2] or 0), HOURS_DIGITS),
                              year=round(float(row[3] or 0), HOURS_DIGITS)))


NOBODY_TOOK_PART = TakingPart.of((0, 0, 0.0, 0.0))  # hours are floats, as a facility's sum is


def volunteers_taking_part(session: Session, facility_id: int, month: Month) -> TakingPart:
    """One facility's: SQLite starts from the facility's volunteers and their participations
    (starting from the year's events by date would read every event of every facility in a
    regional database)."""
    first, last = month.first_day, month.last_day
    in_month = col(Event.event_date) >= first
    row = session.exec(
        select(func.count(distinct(case((in_month, Participation.volunteer_id), else_=None))),
               func.count(distinct(Participation.volunteer_id)),
               func.coalesce(func.sum(case((in_month, Participation.hours), else_=0.0)), 0.0),
               func.coalesce(func.sum(Participation.hours), 0.0))
        .join(Event, Event.id == Participation.event_id)
        .join(Volunteer, Volunteer.id == Participation.volunteer_id)
        .where(Volunteer.facility_id == facility_id, Event.status == EventStatus.HELD.value,
               col(Event.event_date) >= dt.date(month.year, 1, 1),
               col(Event.event_date) <= last)).one()
    return TakingPart.of(row)


def volunteers_taking_part_by_facility(session: Session, month: Month
                                       ) -> dict[int, TakingPart]:
    """`volunteers_taking_part` of every facility at once, for the regional report: one pass
    over the year's participations (each volunteer's summed first, then the facility's),
    instead of every participation its volunteers ever had for each facility. A facility
    whose volunteers took no part is missing: NOBODY_TOOK_PART."""
    in_month = col(Event.event_date) >= month.first_day
    per_volunteer = (
        select(col(Participation.volunteer_id).label("volunteer_id"),
               func.max(case((in_month, 1), else_=0)).label("in_month"),
               func.sum(case((in_month, Participation.hours), else_=0.0)).label("hours_month"),
               func.sum(Participation.hours).label("hours_year"))
        .join(Event, Event.id == Participation.event_id)
        .where(Event.status == EventStatus.HELD.value,
               col(Event.event_date) >= dt.date(month.year, 1, 1),
               col(Event.event_date) <= month.last_day)
        .group_by(Participation.volunteer_id).subquery())
    rows = session.exec(
        select(Volunteer.facility_id, func.sum(per_volunteer.c.in_month), func.count(),
               func.sum(per_volunteer.c.hours_month), func.sum(per_volunteer.c.hours_year))
        .join(per_volunteer, per_volunteer.c.volunteer_id == Volunteer.id)
        .group_by(Volunteer.facility_id))
    return {facility_id: TakingPart.of(figures) for facility_id, *figures in rows}


def volunteers_considered_12m(session: Session, facility_id: int, month: Month
                              ) -> tuple[int, int]:
    """(considered, reoffended) of the 12-month rate: public so that the regional report can
    sum them over facilities and recompute the rate, instead of averaging percentages."""
    last = month.last_day
    start_12m = window_start(month)
    # Considered: enrolled by the month's end and not exited before the window starts; of
    # them, those with an outcome in the window dated on or after that enrolment.
    outcome_in_window = exists().where(Outcome.person_id == Volunteer.person_id,
                                       col(Outcome.outcome_date) >= start_12m,
                                       col(Outcome.outcome_date) <= last,
                                       col(Outcome.outcome_date) >= col(Volunteer.enrolled_on))
    c_row = session.exec(
        select(func.count(distinct(Volunteer.person_id)),
               func.count(distinct(case((outcome_in_window, Volunteer.person_id),
                                        else_=None))))
        .where(Volunteer.facility_id == facility_id, col(Volunteer.enrolled_on) <= last,
               or_(col(Volunteer.exit_date).is_(None),
                   col(Volunteer.exit_date) >= start_12m))).one()
    return _int(c_row[0]), _int(c_row[1])


def _event_lines(session: Session, facility_id: int, month: Month) -> list[EventLine]:
    """The month's held events by date, then time (an event without a time first: it is
    usually an all-day one), then id: three queries for the whole list."""
    in_month = (Event.facility_id == facility_id, Event.status == EventStatus.HELD.value,
                col(Event.event_date) >= month.first_day, col(Event.event_date) <= month.last_day)
    named = (select(func.count()).where(EventAttendee.event_id == Event.id)
             .correlate(Event).scalar_subquery())
    volunteers = (select(func.count()).where(Participation.event_id == Event.id)
                  .correlate(Event).scalar_subquery())
    rows = session.exec(
        select(Event, ReferenceItem.name_ru, ReferenceItem.name_kk, Facility.name, named,
               volunteers)
        .join(ReferenceItem, ReferenceItem.id == Event.kind_id)
        .join(Facility, Facility.id == Event.place_facility_id, isouter=True)
        .where(*in_month)
        .order_by(col(Event.event_date), col(Event.event_time).is_not(None),
                  col(Event.event_time), col(Event.id))).all()
    ids = [event.id for event, *_rest in rows]
    topics = _names_by_event(session, EventTopic, EventTopic.topic_id, ids)
    agencies = _names_by_event(session, EventAgency, EventAgency.agency_id, ids)
    lines: list[EventLine] = []
    for event, kind_ru, kind_kk, place_facility, named_count, volunteer_count in rows:
        inside = event.place_kind == PlaceKind.FACILITY.value
        topic_names = topics.get(event.id, [])
        agency_names = agencies.get(event.id, [])
        lines.append(EventLine(
            event_date=event.event_date, event_time=event.event_time,
            kind_ru=kind_ru, kind_kk=kind_kk,
            place=(place_facility or event.place_text) if inside else event.place_text,
            inside=inside,
            topics_ru=[ru for ru, _kk in topic_names], topics_kk=[kk for _ru, kk in topic_names],
            organizers_ru=[ru for ru, _kk in agency_names],
            organizers_kk=[kk for _ru, kk in agency_names],
            count_serving=event.count_serving, count_released=event.count_released,
            count_community=event.count_community, named=_int(named_count),
            volunteers=_int(volunteer_count), responsible=event.responsible))
    return lines


def _names_by_event(session: Session, link: type, item_column: Any, event_ids: list[int]
                    ) -> dict[int, list[tuple[str, str]]]:
    """{event id: [(name_ru, name_kk), …]} in the reference list's order."""
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    if not event_ids:
        return found
    rows = session.exec(
        select(link.event_id, ReferenceItem.name_ru, ReferenceItem.name_kk)
        .join(ReferenceItem, ReferenceItem.id == item_column)
        .where(col(link.event_id).in_(event_ids))
        .order_by(col(link.event_id), col(ReferenceItem.sort_order), col(ReferenceItem.name_ru),
                  col(ReferenceItem.id)))
    for event_id, name_ru, name_kk in rows:
        found[event_id].append((name_ru, name_kk))
    return found


def report_json(report: MonthlyReport) -> str:
    return json.dumps(report.as_json_dict(), ensure_ascii=False, indent=2, sort_keys=True)
