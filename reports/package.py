"""The package a facility sends to the regional department each month, and its reader.

A package is an .xlsx a person can open: first the monthly report's own sheets (the form and
the list of events, exactly as `reports.excel` writes them), then machine-readable data sheets
whose first row holds stable column keys, then a veryHidden sheet "qadam_meta" that says what
the file is. Reference items go by CODE, records by UUID, never by a local integer id: the
region's database numbers its rows differently.

Checksums. Every sheet but the meta sheet, the readable ones too, has a SHA-256 over a canonical
serialization of its cell VALUES as openpyxl reads them back (`sheet_digest`): what a person
reads in the file must be what the region imports. Styles and widths are not part of it. The
meta sheet's "sha256" is a SHA-256 over all its other entries (the per-sheet checksums
included), so changing the revision or a count by hand is caught as well. Structure protection
and the hidden sheet only keep casual hands off; the checksums are what the reader trusts.

The writer saves the workbook once without the meta sheet, reads it back to compute the
checksums exactly as the reader will, then saves it again with the meta sheet and checks the
result with `read_package` before it replaces the target: an exported package always verifies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import or_
from sqlmodel import Session, col, select

from db import __version__
from db.errors import QadamError
from db.i18n import _
from db.models import (
    Event,
    EventAgency,
    EventAttendee,
    EventTopic,
    Facility,
    Outcome,
    Participation,
    Person,
    ReferenceItem,
    User,
    Volunteer,
)
from db.months import Month
from db.ops.audit_log import record_export
from db.ops.common import get_or_raise
from db.ops.month_locks import current_revision
from db.rights import Action, require
from reports.excel import (
    CALIBRI_11,
    DATE_FORMAT,
    CellStyles,
    build_workbook,
    date_value,
    discard_workbook,
    discarded_on_failure,
    identifier_cell,
    text_cell,
    text_width,
)
from reports.files import write_atomically
from reports.monthly import build_monthly_report, window_start

FORMAT_VERSION = 1
META_SHEET = "qadam_meta"
PERSONAL_DATA_LEVELS = ("none", "pseudonymised", "full")
_MAX_WIDTH = 40.0
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class PackageError(QadamError):
    """A file that cannot be taken as a package: the message says why, for the user."""


# --- the data sheets' columns --------------------------------------------------------------

TEXT, INT, FLOAT, DATE, TIME, IDENT = "text", "int", "float", "date", "time", "ident"


@dataclass(frozen=True)
class Column:
    key: str
    kind: str = TEXT  # TEXT, INT, FLOAT, DATE, TIME ("HH:MM" text) or IDENT (text kept "@")


def _columns(*specs: str | tuple[str, str]) -> tuple[Column, ...]:
    return tuple(Column(spec) if isinstance(spec, str) else Column(*spec) for spec in specs)


_EVENTS = _columns("uuid", ("event_date", DATE), ("event_time", TIME), "place_kind",
                   "place_facility_code", "place_text", "kind_code", "responsible",
                   ("count_serving", INT), ("count_released", INT), ("count_community", INT),
                   ("named_count", INT), ("materials_count", INT), ("wants_to_volunteer", INT),
                   "status")
# Free texts that may name people go only into a "full" package.
_EVENTS_FULL_EXTRA = _columns("speakers", "materials", "notes")
_EVENT_TOPICS = _columns("event_uuid", "topic_code")
_EVENT_AGENCIES = _columns("event_uuid", "agency_code")
_ATTENDEES = _columns("event_uuid", "person_uuid", "category")
_PERSONS_PSEUDONYMISED = _columns("uuid", "initials", ("birth_year", INT), "sex", "status")
_PERSONS_FULL = _columns("uuid", "surname", "name", "patronymic", ("iin", IDENT),
                         ("birth_date", DATE), "sex", "status", ("release_date", DATE))
_VOLUNTEERS = _columns("uuid", "person_uuid", ("enrolled_on", DATE), ("consent_date", DATE),
                       "status", ("exit_date", DATE))
_PARTICIPATIONS = _columns("uuid", "volunteer_uuid", "event_uuid", "role", ("hours", FLOAT))
_OUTCOMES = _columns("uuid", "person_uuid", ("outcome_date", DATE), "kind", "article_code")

DATA_SHEETS = ("events", "event_topics", "event_agencies", "attendees", "persons", "volunteers",
               "participations", "outcomes")


def data_columns(personal_data: str) -> dict[str, tuple[Column, ...]]:
    """The data sheets of a package at this level and their columns, in the file's order.
    "none" has no persons and no attendees sheet (events keep their named count) and leaves
    person_uuid empty; "pseudonymised" names a person by UUID, initials and birth year."""
    sheets: dict[str, tuple[Column, ...]] = {
        "events": _EVENTS + (_EVENTS_FULL_EXTRA if personal_data == "full" else ()),
        "event_topics": _EVENT_TOPICS, "event_agencies": _EVENT_AGENCIES}
    if personal_data != "none":
        sheets["attendees"] = _ATTENDEES
        sheets["persons"] = _PERSONS_FULL if personal_data == "full" else _PERSONS_PSEUDONYMISED
    sheets.update(volunteers=_VOLUNTEERS, participations=_PARTICIPATIONS, outcomes=_OUTCOMES)
    return sheets


# --- what the reader returns -----------------------------------------------------------------


@dataclass(frozen=True)
class PackageMeta:
    format_version: int
    facility_code: str
    facility_name: str
    month: Month
    revision: int
    created_at: str
    created_by: str
    program_version: str
    personal_data: str
    language: str
    counts: dict[str, int]
    sheet_checksums: dict[str, str]
    checksum: str


Row = dict[str, Any]


@dataclass
class Package:
    meta: PackageMeta
    events: list[Row] = field(default_factory=list)
    event_topics: list[Row] = field(default_factory=list)
    event_agencies: list[Row] = field(default_factory=list)
    attendees: list[Row] = field(default_factory=list)
    persons: list[Row] = field(default_factory=list)
    volunteers: list[Row] = field(default_factory=list)
    participations: list[Row] = field(default_factory=list)
    outcomes: list[Row] = field(default_factory=list)
    # Each data sheet's rows' numbers in the file (blank rows are skipped), for messages that
    # name the Excel row; not part of what the package says.
    row_numbers: dict[str, list[int]] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class PackageInfo:
    path: Path
    revision: int
    counts: dict[str, int]
    checksum: str


# --- canonical content and checksums -----------------------------------------------------------


def _canonical(value: Any) -> Any:
    """A cell value as JSON, the same whichever way openpyxl typed it: a whole float is an int,
    a date read back is a midnight datetime, an empty text is no value."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, int | str):
        return value
    return str(value)


def sheet_digest(ws: Worksheet) -> str:
    """SHA-256 (hex) of a sheet's values: the rows top to bottom as a JSON array of arrays
    (compact separators, UTF-8, no ASCII escaping), each row's trailing empty cells and the
    sheet's trailing empty rows dropped, values as `_canonical` gives them."""
    rows: list[list[Any]] = []
    for values in ws.iter_rows(values_only=True):
        row = [_canonical(value) for value in values]
        while row and row[-1] is None:
            row.pop()
        rows.append(row)
    while rows and not rows[-1]:
        rows.pop()
    return _sha256(rows)


def _sha256(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def meta_digest(entries: Sequence[tuple[str, Any]]) -> str:
    """SHA-256 of the meta sheet's entries but the total itself, as [key, value] pairs."""
    return _sha256([[key, _canonical(value)] for key, value in entries if key != "sha256"])


# --- collecting the month's data --------------------------------------------------------------


def _codes(session: Session) -> dict[int, str]:
    return {item.id: item.code for item in session.exec(select(ReferenceItem))
            if item.id is not None}


def _initials(person: Person) -> str:
    return "".join(f"{part[0]}." for part in (person.surname, person.name, person.patronymic)
                   if part)


def collect_rows(session: Session, facility_id: int, month: Month, personal_data: str
                 ) -> dict[str, list[list[Any]]]:
    """The data sheets' rows, in the columns of `data_columns`. Taken: the facility's events
    of the month (any status, with the status), their topics, organizers and named attendees;
    the facility's volunteers enrolled by the month's end and any volunteer taking part in the
    month's events; the participations in events of the month that are the facility's or its
    volunteers'; those persons' outcomes of the report's 12-month window; the persons these
    refer to. Every list is in a total order, so the same data give the same file."""
    first, last = month.first_day, month.last_day
    codes = _codes(session)
    facility_codes = {f.id: f.code for f in session.exec(select(Facility))}
    full = personal_data == "full"
    named = personal_data != "none"

    events = list(session.exec(
        select(Event).where(Event.facility_id == facility_id, col(Event.event_date) >= first,
                            col(Event.event_date) <= last)
        .order_by(col(Event.event_date), col(Event.event_time).is_not(None),
                  col(Event.event_time), col(Event.uuid))))
    event_ids = [e.id for e in events]
    uuid_of_event = {e.id: e.uuid for e in events}
    topics = session.exec(select(EventTopic).where(col(EventTopic.event_id).in_(event_ids))).all()
    agencies = session.exec(
        select(EventAgency).where(col(EventAgency.event_id).in_(event_ids))).all()
    attendees = session.exec(
        select(EventAttendee).where(col(EventAttendee.event_id).in_(event_ids))).all()
    named_count: dict[int, int] = {}
    for attendee in attendees:
        named_count[attendee.event_id] = named_count.get(attendee.event_id, 0) + 1

    participations = session.exec(
        select(Participation, Event.uuid, Volunteer)
        .join(Event, col(Event.id) == Participation.event_id)
        .join(Volunteer, col(Volunteer.id) == Participation.volunteer_id)
        .where(col(Event.event_date) >= first, col(Event.event_date) <= last,
               or_(Event.facility_id == facility_id, Volunteer.facility_id == facility_id))
        .order_by(col(Participation.uuid))).all()
    volunteers = {v.id: v for v in session.exec(
        select(Volunteer).where(Volunteer.facility_id == facility_id,
                                col(Volunteer.enrolled_on) <= last))}
    for _participation, _event_uuid, volunteer in participations:
        volunteers.setdefault(volunteer.id, volunteer)
    own_person_ids = {v.person_id for v in volunteers.values() if v.facility_id == facility_id}
    outcomes = session.exec(
        select(Outcome).where(col(Outcome.person_id).in_(own_person_ids),
                              col(Outcome.outcome_date) >= window_start(month),
                              col(Outcome.outcome_date) <= last)
        .order_by(col(Outcome.uuid))).all()
    person_ids = ({a.person_id for a in attendees} | {v.person_id for v in volunteers.values()}
                  | {o.person_id for o in outcomes})
    persons = {p.id: p for p in session.exec(select(Person).where(col(Person.id).in_(person_ids)))}

    def person_uuid(person_id: int) -> str | None:
        return persons[person_id].uuid if named else None

    rows: dict[str, list[list[Any]]] = {}
    rows["events"] = [
        [e.uuid, e.event_date, e.event_time.strftime("%H:%M") if e.event_time else None,
         e.place_kind, facility_codes.get(e.place_facility_id), e.place_text,
         codes[e.kind_id], e.responsible, e.count_serving, e.count_released, e.count_community,
         named_count.get(e.id, 0), e.materials_count, e.wants_to_volunteer, e.status]
        + ([e.speakers, e.materials, e.notes] if full else [])
        for e in events]
    # link rows follow their events' order, then their own code or person
    place = {e.uuid: index for index, e in enumerate(events)}

    def linked(rows: Iterable[list[Any]]) -> list[list[Any]]:
        return sorted(rows, key=lambda row: (place[row[0]], row[1]))

    rows["event_topics"] = linked([uuid_of_event[t.event_id], codes[t.topic_id]] for t in topics)
    rows["event_agencies"] = linked([uuid_of_event[a.event_id], codes[a.agency_id]]
                                    for a in agencies)
    if named:
        rows["attendees"] = linked([uuid_of_event[a.event_id], persons[a.person_id].uuid,
                                    a.category] for a in attendees)
        rows["persons"] = [_person_row(p, full)
                           for p in sorted(persons.values(), key=lambda p: p.uuid)]
    rows["volunteers"] = [
        [v.uuid, person_uuid(v.person_id), v.enrolled_on, v.consent_date, v.status, v.exit_date]
        for v in sorted(volunteers.values(), key=lambda v: v.uuid)]
    rows["participations"] = [[p.uuid, volunteer.uuid, event_uuid, p.role, p.hours]
                              for p, event_uuid, volunteer in participations]
    rows["outcomes"] = [[o.uuid, person_uuid(o.person_id), o.outcome_date, o.kind,
                         codes.get(o.article_id) if o.article_id is not None else None]
                        for o in outcomes]
    return rows


def _person_row(person: Person, full: bool) -> list[Any]:
    if full:
        return [person.uuid, person.surname, person.name, person.patronymic, person.iin,
                person.birth_date, person.sex, person.status, person.release_date]
    return [person.uuid, _initials(person),
            person.birth_date.year if person.birth_date else None, person.sex, person.status]


# --- writing -----------------------------------------------------------------------------------


def _widths(columns: Sequence[Column], rows: list[list[Any]]) -> list[float]:
    """No autofit in Excel: each column as wide as its longest value (dates a fixed 11),
    capped so that a long note does not make the sheet unusable."""
    widths = []
    for index, column in enumerate(columns):
        longest = text_width(column.key, CALIBRI_11)
        if column.kind == DATE:
            longest = max(longest, 11.0)
        else:
            for row in rows[:2000]:  # enough to judge a column; a year costs nothing more
                value = row[index]
                if value is not None:
                    longest = max(longest, text_width(str(value), CALIBRI_11))
        widths.append(min(longest + 1.5, _MAX_WIDTH))
    return widths


def _write_data_sheet(ws: WriteOnlyWorksheet, columns: Sequence[Column],
                      rows: list[list[Any]]) -> None:
    style = CellStyles(ws)
    head = style(font=Font(bold=True))
    date_style = style(number_format=DATE_FORMAT)
    # Settings before the first row: a write-only sheet writes them first.
    for index, width in enumerate(_widths(columns, rows), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    ws.append([text_cell(ws, column.key, head) for column in columns])
    for row in rows:
        cells: list[Any] = []
        for column, value in zip(columns, row, strict=True):
            if value is None:
                cells.append(None)
            elif column.kind == IDENT:
                cells.append(identifier_cell(ws, value))
            elif column.kind in (TEXT, TIME):
                cells.append(text_cell(ws, str(value)))  # user text never becomes a formula
            elif column.kind == DATE:
                cell = text_cell(ws, "", date_style)
                cell.value = date_value(value)
                cells.append(cell)
            else:
                cells.append(value)
        ws.append(cells)


def _write_meta(ws: WriteOnlyWorksheet, entries: Sequence[tuple[str, Any]]) -> None:
    ws.sheet_state = "veryHidden"
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 70
    for key, value in entries:
        ws.append([text_cell(ws, key), text_cell(ws, value) if isinstance(value, str)
                   else value])


def _build(report_wb: Callable[[], Workbook], sheets: dict[str, tuple[Column, ...]],
           rows: dict[str, list[list[Any]]], meta: Sequence[tuple[str, Any]] | None
           ) -> Workbook:
    wb = report_wb()
    with discarded_on_failure(wb):
        for name, columns in sheets.items():
            _write_data_sheet(wb.create_sheet(name), columns, rows[name])
        if meta is not None:
            _write_meta(wb.create_sheet(META_SHEET), meta)
            # Keeps casual hands from unhiding, renaming or adding sheets; not security.
            wb.security = WorkbookProtection(lockStructure=True)
    return wb


def _save(wb: Workbook, path: Path) -> None:
    try:
        wb.save(path)
    except BaseException:
        discard_workbook(wb)
        raise


def write_package(session: Session, *, actor: User, facility_id: int, month: Month, path: Path,
                  personal_data: str = "pseudonymised", now: dt.datetime | None = None,
                  language: str = "ru") -> PackageInfo:
    """Write the month's package of the facility to `path` (replaced only once the new file is
    complete and verified) and note it in the audit trail."""
    require(actor, Action.EXPORT_PACKAGE)
    if personal_data not in PERSONAL_DATA_LEVELS:
        raise PackageError(_("Unknown personal data level “{level}”: choose none, "
                             "pseudonymised or full.").format(level=personal_data))
    facility = get_or_raise(session, Facility, facility_id, _("The facility"))
    report = build_monthly_report(session, facility_id=facility_id, month=month, now=now)
    sheets = data_columns(personal_data)
    rows = collect_rows(session, facility_id, month, personal_data)
    revision = current_revision(session, facility_id, month)
    created = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    counts = {name: len(rows[name]) for name in sheets}
    result: dict[str, Any] = {}

    def write(temporary: Path) -> None:
        # First without the meta sheet, read back for the checksums exactly as the reader
        # computes them; then the real file, with them.
        _save(_build(lambda: build_workbook(report, language), sheets, rows, None), temporary)
        draft = load_workbook(temporary, data_only=False)
        digests = {ws.title: sheet_digest(ws) for ws in draft.worksheets}
        draft.close()
        entries: list[tuple[str, Any]] = [
            ("format_version", FORMAT_VERSION), ("facility_code", facility.code),
            ("facility_name", facility.name), ("month", str(month)), ("revision", revision),
            ("created_at", created.isoformat().replace("+00:00", "Z")),
            ("created_by", actor.login), ("program_version", __version__),
            ("personal_data", personal_data), ("language", language)]
        entries += [(f"count:{name}", count) for name, count in counts.items()]
        entries += [(f"sha256:{title}", digest) for title, digest in digests.items()]
        total = meta_digest(entries)
        entries.append(("sha256", total))
        _save(_build(lambda: build_workbook(report, language), sheets, rows, entries), temporary)
        read_package(temporary)  # a package that would not verify is never handed out
        result["checksum"] = total

    written = write_atomically(Path(path), write)
    record_export(session, actor, what="package", facility_code=facility.code, month=month,
                  personal_data=personal_data, path=str(written.resolve()))
    return PackageInfo(path=written, revision=revision, counts=counts,
                       checksum=result["checksum"])


# --- reading -----------------------------------------------------------------------------------


def _open(path: Path) -> Any:
    name = path.name
    if not path.is_file():
        raise PackageError(_("The file {file} does not exist.").format(file=path))
    damaged = _("The file {file} is damaged or not an Excel file (.xlsx): it may have been "
                "cut short while copying. Ask for the file again.").format(file=name)
    try:
        with zipfile.ZipFile(path) as archive:
            # testzip reads every part and checks its CRC: a flipped byte anywhere is found
            # here, not as an odd error deep in openpyxl.
            if archive.testzip() is not None:
                raise PackageError(damaged)
        return load_workbook(path, read_only=False, data_only=False)
    except PackageError:
        raise
    except Exception:  # BadZipFile, zlib.error, KeyError, XML errors: all a broken file
        raise PackageError(damaged) from None


def _meta_entries(ws: Worksheet, name: str) -> list[tuple[str, Any]]:
    entries: list[tuple[str, Any]] = []
    for key, value, *_rest in ws.iter_rows(min_col=1, max_col=2, values_only=True):
        if key is None:
            continue
        entries.append((str(key), value))
    if not entries:
        raise PackageError(_("{file} is not a Qadam package: its description is empty.")
                           .format(file=name))
    return entries


def _meta_text(values: dict[str, Any], key: str, name: str) -> str:
    value = values.get(key)
    if not isinstance(value, str) or not value:
        raise PackageError(_("The description of the package {file} lacks “{key}”: the file "
                             "was changed or damaged.").format(file=name, key=key))
    return value


def _meta_int(values: dict[str, Any], key: str, name: str) -> int:
    value = values.get(key)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise PackageError(_("The description of the package {file} lacks “{key}”: the file "
                             "was changed or damaged.").format(file=name, key=key))
    return value


def _refuse_formulas(wb: Any, name: str) -> None:
    """Values only: a formula's result is whatever the program that opened the file last
    computed (openpyxl computes none), so a package with a formula is not taken."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    raise PackageError(_("The sheet “{sheet}” of {file} has a formula in cell "
                                         "{cell} where a value is expected: the file was "
                                         "edited. Ask the facility for a new export.").format(
                        sheet=ws.title, file=name, cell=cell.coordinate))


def _typed(value: Any, column: Column, where: Callable[[], str]) -> Any:
    """A data cell's value as its column's type, or PackageError naming the cell."""
    if value is None or value == "":
        return "" if column.kind in (TEXT, IDENT) else None
    expected = ""
    if column.kind in (TEXT, IDENT):
        if isinstance(value, str):
            return value
        expected = _("a text")
    elif column.kind == TIME:
        if isinstance(value, str) and _TIME.match(value):
            return dt.time.fromisoformat(value)
        expected = _("a time HH:MM")
    elif column.kind == INT:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        expected = _("a whole number")
    elif column.kind == FLOAT:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        expected = _("a number")
    elif column.kind == DATE:
        if isinstance(value, dt.datetime) and value.time() == dt.time():
            return value.date()
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        expected = _("a date")
    raise PackageError(_("{where} holds “{value}” where {expected} is expected: the file is "
                         "not as Qadam wrote it.").format(where=where(), value=value,
                                                          expected=expected))


def _data_rows(ws: Worksheet, columns: Sequence[Column], name: str) -> list[tuple[int, Row]]:
    """The sheet's non-blank rows, typed, each with its row number in the file."""
    rows = list(ws.iter_rows(values_only=True))
    header = [value for value in (rows[0] if rows else ()) if value not in (None, "")]
    keys = [column.key for column in columns]
    if header != keys:
        raise PackageError(_("The sheet “{sheet}” of {file} does not have the columns of this "
                             "format version.").format(sheet=ws.title, file=name))
    result: list[tuple[int, Row]] = []
    for number, values in enumerate(rows[1:], start=2):
        if all(value in (None, "") for value in values):
            continue
        if any(value not in (None, "") for value in values[len(columns):]):
            raise PackageError(_("Row {row} of the sheet “{sheet}” of {file} has values beyond "
                                 "its columns.").format(row=number, sheet=ws.title, file=name))
        row: Row = {}
        for index, column in enumerate(columns):
            value = values[index] if index < len(values) else None

            def where(index: int = index, number: int = number) -> str:
                return _("Cell {cell} of the sheet “{sheet}”").format(
                    cell=f"{get_column_letter(index + 1)}{number}", sheet=ws.title)

            row[column.key] = _typed(value, column, where)
        result.append((number, row))
    return result


def read_package(path: Path) -> Package:
    """Open and check a package; PackageError says what is wrong with a file that is damaged,
    not a package, of another format version, changed after export or not as Qadam writes."""
    path = Path(path)
    name = path.name
    wb = _open(path)
    try:
        if META_SHEET not in wb.sheetnames:
            raise PackageError(_("{file} is not a Qadam package: it has no package "
                                 "description. Only a package exported by Qadam can be "
                                 "imported.").format(file=name))
        entries = _meta_entries(wb[META_SHEET], name)
        values = dict(entries)
        version = values.get("format_version")
        if version != FORMAT_VERSION:
            raise PackageError(_("The package {file} has format version {version}; this "
                                 "version of Qadam reads version {known}. Update Qadam or "
                                 "ask for a package from the same version.").format(
                file=name, version=version, known=FORMAT_VERSION))
        _refuse_formulas(wb, name)
        sheet_checksums = {key.removeprefix("sha256:"): str(value) for key, value in entries
                           if key.startswith("sha256:")}
        titles = [ws.title for ws in wb.worksheets if ws.title != META_SHEET]
        if list(sheet_checksums) != titles:
            raise PackageError(_("The sheets of {file} are not those it was exported with: a "
                                 "sheet was added, removed or renamed. Ask the facility for a "
                                 "new export.").format(file=name))
        for title in titles:
            if sheet_digest(wb[title]) != sheet_checksums[title]:
                raise PackageError(_("The sheet “{sheet}” of {file} was changed after export "
                                     "(its content does not match its checksum): the file "
                                     "was edited or damaged. Ask the facility for a new "
                                     "export.").format(sheet=title, file=name))
        checksum = _meta_text(values, "sha256", name)
        if meta_digest(entries) != checksum:
            raise PackageError(_("The description of the package {file} was changed after "
                                 "export (its checksum does not match). Ask the facility for "
                                 "a new export.").format(file=name))
        personal_data = _meta_text(values, "personal_data", name)
        if personal_data not in PERSONAL_DATA_LEVELS:
            raise PackageError(_("The package {file} has an unknown personal data level "
                                 "“{level}”.").format(file=name, level=personal_data))
        try:
            month = Month.parse(_meta_text(values, "month", name))
        except QadamError:
            raise PackageError(_("The package {file} names no valid month.").format(
                file=name)) from None
        sheets = data_columns(personal_data)
        counts = {sheet: _meta_int(values, f"count:{sheet}", name) for sheet in sheets}
        meta = PackageMeta(
            format_version=FORMAT_VERSION,
            facility_code=_meta_text(values, "facility_code", name),
            facility_name=_meta_text(values, "facility_name", name), month=month,
            revision=_meta_int(values, "revision", name),
            created_at=_meta_text(values, "created_at", name),
            created_by=_meta_text(values, "created_by", name),
            program_version=_meta_text(values, "program_version", name),
            personal_data=personal_data, language=_meta_text(values, "language", name),
            counts=counts, sheet_checksums=sheet_checksums, checksum=checksum)
        package = Package(meta=meta)
        for sheet, columns in sheets.items():
            if sheet not in wb.sheetnames:
                raise PackageError(_("The package {file} lacks the sheet “{sheet}”.").format(
                    file=name, sheet=sheet))
            numbered = _data_rows(wb[sheet], columns, name)
            rows = [row for _number, row in numbered]
            if len(rows) != counts[sheet]:
                raise PackageError(_("The sheet “{sheet}” of {file} has {found} rows, its "
                                     "description says {expected}.").format(
                    sheet=sheet, file=name, found=len(rows), expected=counts[sheet]))
            setattr(package, sheet, rows)
            package.row_numbers[sheet] = [number for number, _row in numbered]
        return package
    finally:
        wb.close()


def iter_sheet_values(path: Path) -> Iterable[tuple[str, Any]]:
    """Every cell value of every sheet, the hidden one too, as (sheet, value): for checks
    that a file carries no personal data it should not."""
    wb = load_workbook(path, data_only=False)
    try:
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                for value in row:
                    if value is not None:
                        yield ws.title, value
    finally:
        wb.close()
