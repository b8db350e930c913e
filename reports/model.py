"""The monthly report as plain data. The screen, the Excel file, the PDF and the JSON output all
print one `MonthlyReport`, so their numbers cannot disagree.

Texts are msgids (English) translated at print time with `db.i18n.translate(msgid, language)`,
so one report object prints in Russian or Kazakh."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from db.i18n import N_
from db.months import Month


@dataclass(frozen=True)
class Pair:
    """A figure for the month and for the year to date (1 January to the month's end)."""

    month: float
    year: float


@dataclass(frozen=True)
class KindCount:
    code: str
    name_ru: str
    name_kk: str
    events: Pair


@dataclass(frozen=True)
class FacilityInfo:
    code: str
    name: str
    facility_type: str
    region: str


@dataclass(frozen=True)
class EventLine:
    """One held event of the month, as the list of events prints it."""

    event_date: dt.date
    event_time: dt.time | None
    kind_ru: str
    kind_kk: str
    place: str  # the facility's name or the outside place typed by staff
    inside: bool
    topics_ru: list[str]
    topics_kk: list[str]
    organizers_ru: list[str]
    organizers_kk: list[str]
    count_serving: int
    count_released: int
    count_community: int
    named: int  # named attendees (a subset of the counts)
    volunteers: int  # volunteers who took part (participations), not those who want to
    responsible: str

    @property
    def audience(self) -> int:
        return self.count_serving + self.count_released + self.count_community


@dataclass(frozen=True)
class Signature:
    prepared_by: str = ""  # "Фамилия И. О."
    position: str = ""
    phone: str = ""
    head_name: str = ""  # head of facility, for the approval block and the signature line


@dataclass(frozen=True)
class MonthlyReport:
    facility: FacilityInfo
    month: Month
    generated_at: dt.datetime  # naive local time of generation (printed on the report)

    # 1. Events held (status "held" only; planned and cancelled are not counted)
    events_total: Pair
    events_inside: Pair  # place is a facility
    events_outside: Pair
    events_by_kind: list[KindCount]  # every kind of the reference list in use, zeros included

    # 2. Reach: attendances by audience category (sums of the counts) and unique named persons
    attendances_serving: Pair
    attendances_released: Pair
    attendances_community: Pair
    attendances_total: Pair
    unique_persons: Pair  # distinct named attendees over the period
    wants_to_volunteer: Pair
    materials_handed_out: Pair

    # 3. Volunteers of this facility
    volunteers_new: Pair  # enrolled in the period
    volunteers_active_at_end: int  # status active (or enrolled and not yet left) at month end
    volunteers_left: Pair  # exit date in the period (left or re-offended)
    volunteers_taking_part: Pair  # distinct volunteers with a participation in held events
    volunteer_hours: Pair

    # 4. Outcomes among this facility's volunteers (repeat offences and probation violations
    # of persons enrolled as volunteers, dated on or after their enrolment)
    volunteer_reoffences: Pair  # outcomes dated in the month / since 1 January
    volunteer_reoffences_12m: int  # outcomes in the 12 months ending at the month's end
    volunteers_considered_12m: int  # volunteers enrolled at any time in those 12 months
    no_reoffence_rate_12m: float | None  # % of those with no outcome in the 12 months; None if 0

    # 5. The list of held events of the month, by date and time
    events: list[EventLine] = field(default_factory=list)

    # 6. Signature block
    signature: Signature = field(default_factory=Signature)

    def as_json_dict(self) -> dict:
        data = asdict(self)
        data["month"] = str(self.month)
        return _jsonable(data)


def _jsonable(value):  # noqa: ANN001, ANN202
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class TableRow:
    """One row of the numbered summary table: "1.2  Inside the facility  3  17"."""

    number: str
    label: str  # msgid, or a reference-list name already in the report's language
    month: float | None  # None: a heading row with no figures
    year: float | None
    bold: bool = False
    translate_label: bool = True
    percent: bool = False
    decimals: int = 0  # hours and percentages print with one decimal
    heading: bool = False  # a section or group title: no figures at all


def summary_rows(report: MonthlyReport, language: str) -> list[TableRow]:
    """The numbered table in the order every output prints it (1, 1.1, 1.2, …, 4.3)."""
    rows: list[TableRow] = [
        TableRow("1", N_("Events held, total"), report.events_total.month,
                 report.events_total.year, bold=True),
        TableRow("1.1", N_("in the facility"), report.events_inside.month,
                 report.events_inside.year),
        TableRow("1.2", N_("outside the facility"), report.events_outside.month,
                 report.events_outside.year),
    ]
    rows.append(TableRow("1.3", N_("by kind of event:"), None, None, heading=True))
    for number, kind in enumerate(report.events_by_kind, start=1):
        rows.append(TableRow(f"1.3.{number}",
                             kind.name_kk if language == "kk" else kind.name_ru,
                             kind.events.month, kind.events.year, translate_label=False))
    rows += [
        TableRow("2", N_("Attendances, total"), report.attendances_total.month,
                 report.attendances_total.year, bold=True),
        TableRow("2.1", N_("serving convicts"), report.attendances_serving.month,
                 report.attendances_serving.year),
        TableRow("2.2", N_("released persons"), report.attendances_released.month,
                 report.attendances_released.year),
        TableRow("2.3", N_("community, youth and others"), report.attendances_community.month,
                 report.attendances_community.year),
        TableRow("2.4", N_("Unique persons reached (named attendees)"),
                 report.unique_persons.month, report.unique_persons.year),
        TableRow("2.5", N_("Said they want to volunteer"), report.wants_to_volunteer.month,
                 report.wants_to_volunteer.year),
        TableRow("2.6", N_("Materials handed out"), report.materials_handed_out.month,
                 report.materials_handed_out.year),
        TableRow("3", N_("Volunteers"), None, None, bold=True, heading=True),
        TableRow("3.1", N_("newly enrolled"), report.volunteers_new.month,
                 report.volunteers_new.year),
        TableRow("3.2", N_("active at the end of the month"), report.volunteers_active_at_end,
                 report.volunteers_active_at_end),
        TableRow("3.3", N_("left"), report.volunteers_left.month, report.volunteers_left.year),
        TableRow("3.4", N_("took part in events"), report.volunteers_taking_part.month,
                 report.volunteers_taking_part.year),
        TableRow("3.5", N_("volunteer hours"), report.volunteer_hours.month,
                 report.volunteer_hours.year, decimals=1),
        TableRow("4", N_("Outcomes among volunteers"), None, None, bold=True, heading=True),
        TableRow("4.1", N_("repeat offences and probation violations"),
                 report.volunteer_reoffences.month, report.volunteer_reoffences.year),
        # the 12-month figures are states at the month's end: the same in both columns
        TableRow("4.2", N_("over the last 12 months"), report.volunteer_reoffences_12m,
                 report.volunteer_reoffences_12m),
        TableRow("4.3", N_("volunteers over the last 12 months"),
                 report.volunteers_considered_12m, report.volunteers_considered_12m),
        TableRow("4.4", N_("share of them without a repeat offence, %"),
                 report.no_reoffence_rate_12m, report.no_reoffence_rate_12m, bold=True,
                 percent=True, decimals=1),
    ]
    return rows
