"""The consolidated (regional) report of a month: every facility's monthly report side by side
and the region's total, plus the completeness of that month.

Each facility's figures are `build_monthly_report`'s own, so a facility's column is exactly
its report. The total is the sum of the facilities' figures, field by field, except:
- unique persons: a person reached in two facilities is one person of the region, so the total
  counts distinct named attendees of the facilities' held events in the database (it can be
  less than the sum of the columns);
- the 12-month rate: recomputed from the summed considered and re-offended volunteers (each
  facility's own 12-month counts), never an average of percentages.
Facilities are the non-retired ones, by code (the order of every list in the app).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, fields, replace
from typing import Any

from sqlalchemy import case, distinct, func
from sqlmodel import Session, col, select

from db.i18n import N_
from db.models import Event, EventAttendee
from db.months import Month
from db.ops.facilities import list_facilities
from db.ops.settings import deadline_day as stored_deadline_day
from db.values import EventStatus
from reports.completeness import CompletenessRow, completeness
from reports.model import (
    EventLine,
    FacilityInfo,
    KindCount,
    MonthlyReport,
    Pair,
    Signature,
    _jsonable,
    summary_rows,
)
from reports.monthly import (
    NOBODY_TOOK_PART,
    build_monthly_report,
    no_reoffence_rate,
    volunteers_considered_12m,
    volunteers_taking_part_by_facility,
)

# TRANSLATORS: head of the total column of the consolidated report: «Итого по области» /
# «Облыс бойынша барлығы»
REGION_TOTAL = N_("Region total")

# Fields the total does not get by summing (see the module's docstring).
_NOT_SUMMED = frozenset({"facility", "month", "generated_at", "events_by_kind",
                         "unique_persons", "no_reoffence_rate_12m", "events", "signature"})


@dataclass(frozen=True)
class RegionReport:
    month: Month
    generated_at: dt.datetime
    region: str  # the facilities' region when they share one, else ""
    facilities: list[MonthlyReport]  # in facility code order
    total: MonthlyReport  # the region's figures; `facility` names the region
    reoffended_12m: int  # summed, for the recomputed rate of the total
    completeness: list[CompletenessRow] = field(default_factory=list)

    def as_json_dict(self) -> dict[str, Any]:
        return {
            "month": str(self.month),
            "generated_at": self.generated_at.isoformat(),
            "region": self.region,
            "facilities": [report.as_json_dict() for report in self.facilities],
            "total": self.total.as_json_dict(),
            "reoffended_12m": self.reoffended_12m,
            "completeness": [row.as_json_dict() for row in self.completeness],
        }


def region_json(report: RegionReport) -> str:
    return json.dumps(_jsonable(report.as_json_dict()), ensure_ascii=False, indent=2,
                      sort_keys=True)


def _sum_pairs(values: list[Pair]) -> Pair:
    return Pair(month=sum(value.month for value in values),
                year=sum(value.year for value in values))


def _merged_kinds(reports: list[MonthlyReport]) -> list[KindCount]:
    """Every kind any facility lists, in the reference list's order, with summed counts. The
    kinds come from one reference list, so the facilities list them in the same order; a
    retired kind appears only where it has events, and is put after the kind it follows."""
    order: list[str] = []
    names: dict[str, KindCount] = {}
    counts: dict[str, list[Pair]] = {}
    for report in reports:
        previous = -1
        for kind in report.events_by_kind:
            if kind.code not in names:
                order.insert(previous + 1, kind.code)
                names[kind.code] = kind
                counts[kind.code] = []
            previous = order.index(kind.code)
            counts[kind.code].append(kind.events)
    return [replace(names[code], events=_sum_pairs(counts[code])) for code in order]


def _with_kinds(report: MonthlyReport, kinds: list[KindCount]) -> MonthlyReport:
    """The report listing every kind of the region (zeros where it has none), so every
    facility's numbered table has the same rows and numbers as the total's."""
    own = {kind.code: kind for kind in report.events_by_kind}
    return replace(report, events_by_kind=[
        own.get(kind.code, replace(kind, events=Pair(0, 0))) for kind in kinds])


def _unique_persons(session: Session, facility_ids: list[int], month: Month) -> Pair:
    """Distinct named attendees of the facilities' held events: month and year to date."""
    if not facility_ids:
        return Pair(0, 0)
    in_month = col(Event.event_date) >= month.first_day
    row = session.exec(
        select(func.count(distinct(case((in_month, EventAttendee.person_id), else_=None))),
               func.count(distinct(EventAttendee.person_id)))
        .join(Event, Event.id == EventAttendee.event_id)
        .where(col(Event.facility_id).in_(facility_ids),
               Event.status == EventStatus.HELD.value,
               col(Event.event_date) >= dt.date(month.year, 1, 1),
               col(Event.event_date) <= month.last_day)).one()
    return Pair(month=int(row[0] or 0), year=int(row[1] or 0))


def _event_key(order: dict[int, int]) -> Any:
    """By date, then time (none first, as in a facility's list), then facility code order."""
    def key(item: tuple[int, EventLine]) -> tuple[Any, ...]:
        index, event = item
        return (event.event_date, event.event_time is not None,
                event.event_time or dt.time(0), order[index])
    return key


def build_region_report(session: Session, *, month: Month, now: dt.datetime | None = None,
                        deadline_day: int | None = None) -> RegionReport:
    """The region's month; the deadline day is the database's own setting unless given."""
    generated_at = now if now is not None else dt.datetime.now()
    if deadline_day is None:
        deadline_day = stored_deadline_day(session)
    facilities = list_facilities(session)
    reports: list[MonthlyReport] = []
    considered = reoffended = 0
    # one query for every facility's volunteers taking part: per facility it is most of the
    # time of the whole report on a decade of a region's data
    taking_part = volunteers_taking_part_by_facility(session, month)
    for facility in facilities:
        assert facility.id is not None
        got_considered, got_reoffended = volunteers_considered_12m(session, facility.id, month)
        reports.append(build_monthly_report(
            session, facility_id=facility.id, month=month, now=generated_at,
            taking_part=taking_part.get(facility.id, NOBODY_TOOK_PART),
            considered_12m=(got_considered, got_reoffended)))
        considered += got_considered
        reoffended += got_reoffended
    kinds = _merged_kinds(reports)
    reports = [_with_kinds(report, kinds) for report in reports]

    summed: dict[str, Any] = {}
    for item in fields(MonthlyReport):
        if item.name in _NOT_SUMMED:
            continue
        values = [getattr(report, item.name) for report in reports]
        if values and isinstance(values[0], Pair):
            total = _sum_pairs(values)
            # hours are floats: round as the facility report does, so no 0.30000000000000004
            summed[item.name] = Pair(round(total.month, 2), round(total.year, 2))
        else:
            summed[item.name] = sum(values)
    if not reports:  # no facility: every Pair field is zero
        summed = {item.name: Pair(0, 0) for item in fields(MonthlyReport)
                  if item.name not in _NOT_SUMMED and item.type == "Pair"}
        summed.update(volunteers_active_at_end=0, volunteer_reoffences_12m=0,
                      volunteers_considered_12m=0)

    regions = {facility.region for facility in facilities}
    region = regions.pop() if len(regions) == 1 else ""
    order = {index: index for index in range(len(reports))}
    tagged = [(index, event) for index, report in enumerate(reports) for event in report.events]
    events = [event for _index, event in sorted(tagged, key=_event_key(order))]
    total = MonthlyReport(
        facility=FacilityInfo(code="", name=region, facility_type="", region=region),
        month=month, generated_at=generated_at, events_by_kind=kinds,
        unique_persons=_unique_persons(
            session, [facility.id for facility in facilities if facility.id is not None], month),
        no_reoffence_rate_12m=no_reoffence_rate(considered, reoffended),
        events=events, signature=Signature(), **summed)
    rows = completeness(session, months=[month], today=generated_at.date(),
                        deadline_day=deadline_day, facilities=facilities)
    return RegionReport(month=month, generated_at=generated_at, region=region,
                        facilities=reports, total=total, reoffended_12m=reoffended,
                        completeness=rows)


@dataclass(frozen=True)
class RegionRow:
    """One row of the consolidated table: the label of `summary_rows`' row and one figure per
    facility, then the region's total (None in a heading row, or a rate with nobody)."""

    number: str
    label: str
    translate_label: bool
    bold: bool
    heading: bool
    percent: bool
    decimals: int
    values: list[float | None]  # one per facility, then the total

    @property
    def total(self) -> float | None:
        return self.values[-1]


def region_summary_rows(report: RegionReport, language: str, *, year: bool = False
                        ) -> list[RegionRow]:
    """The numbered table (1, 1.1, …, 4.4) with a column per facility and the total: for the
    month, or with `year` since 1 January. Built from `summary_rows` of each facility and of
    the total, whose rows line up because every report lists the same kinds."""
    tables = [summary_rows(facility, language) for facility in report.facilities]
    total_rows = summary_rows(report.total, language)
    result: list[RegionRow] = []
    for index, row in enumerate(total_rows):
        values: list[float | None] = []
        for table in tables:
            same = table[index]
            assert same.number == row.number  # the tables line up (see _with_kinds)
            values.append(same.year if year else same.month)
        values.append(row.year if year else row.month)
        result.append(RegionRow(number=row.number, label=row.label,
                                translate_label=row.translate_label, bold=row.bold,
                                heading=row.heading, percent=row.percent,
                                decimals=row.decimals, values=values))
    return result
