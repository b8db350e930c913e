"""Importing facilities' packages into a regional database.

It lives in reports/ because it reads packages with `reports.package.read_package`, and db/
must not import reports/. Each file is one transaction: either the whole package is taken or
the database keeps what it had.

Decisions:
- Only a regional database imports (a facility database refuses), only an analyst or an
  administrator (`Action.IMPORT_PACKAGE`). A facility the region does not know is refused
  unless `add_facility` is given; it is then created from the package's code and name inside
  the import's own transaction (part of the import: the analyst needs no facility rights).
- A package replaces the facility's month only when its revision is greater than the highest
  revision imported for that facility and month; the same or an older one is refused.
- Replacing: the facility's events of the month (and any event carrying one of the package's
  event UUIDs, so an event moved between months is not duplicated) are deleted with their
  topics, organizers, attendees and participations; then the package's events and links are
  inserted. Persons, volunteers and outcomes are upserted by UUID and never deleted (other
  months and other facilities may refer to them). A participation whose event the region does
  not hold (another facility's event, not imported yet) is skipped: it comes with that
  facility's own package, which carries its events' participations.
- Persons of a "pseudonymised" package: surname = the initials (e.g. "Ж.Н."), name = "" (the
  model's required fields are non-null, an empty text is allowed), no IIN, no birth date (only
  the year is known: it goes into the notes). An existing person is never downgraded: names,
  IIN and dates of a full record are kept, only sex and status are updated (and the initials
  of a person that is itself pseudonymised, i.e. has no name). A "full" package sets every
  field it carries. A package with "none" personal data cannot be imported: its volunteers
  and outcomes cannot be tied to persons, so the region's figures would be wrong.
- A new volunteer belongs to the package's facility (the package does not say another).
- Checksums prove only that a file is whole: anyone can recompute them. So every row is checked
  like a user's input, with the core's own rules (db/rules.py, the `*Create` models' field
  limits, the enums of db/values.py) and the references resolved, BEFORE anything is written
  (`_check_values`). The first wrong value refuses the file with one message naming the sheet,
  the Excel row and the column. Rules that tie a record to the state of other records at the
  moment it was saved (a volunteer's person released, a status change allowed from the last
  one) are the facility's: it checked them when the record was saved, and later changes there
  may rightly break them, so the import does not apply them.
- Every attempt leaves a row in `package_import`. A refused file's row is written in its own
  transaction after the rollback: that row is the ONLY change a refusal makes.
- One audit entry, action "import", per imported file (not one per record).
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic
from sqlalchemy import delete, func, or_
from sqlmodel import Session, SQLModel, col, select

from db import clock
from db.errors import FieldErrors, QadamError
from db.i18n import _
from db.models import (
    Event,
    EventAgency,
    EventAttendee,
    EventCreate,
    EventTopic,
    Facility,
    FacilityCreate,
    Outcome,
    OutcomeCreate,
    PackageImport,
    Participation,
    ParticipationCreate,
    Person,
    PersonCreate,
    ReferenceItem,
    User,
    Volunteer,
    VolunteerCreate,
)
from db.months import Month
from db.ops.common import transaction, write_audit
from db.ops.facilities import add_facility, facility_by_code
from db.ops.persons import set_person_keys
from db.ops.references import item_by_code
from db.ops.settings import database_mode
from db.rights import Action, require
from db.rules import (
    EARLIEST_RECORD,
    check_count,
    check_event,
    check_outcome,
    check_participation,
    check_person,
    check_volunteer,
    fmt_date,
    in_choices,
)
from db.values import AudienceCategory, DatabaseMode, ReferenceList
from reports.excel import MAX_CELL_TEXT
from reports.package import Package, PackageError, Row, data_columns, read_package

TABLE = "package_import"
IMPORTED = "imported"
REFUSED = "refused"


class UnknownFacility(PackageError):
    """The package's facility is not in the regional database: a window may offer to add it."""

    def __init__(self, message: str, code: str, name: str) -> None:
        super().__init__(message)
        self.code = code
        self.name = name


@dataclass(frozen=True)
class ImportResult:
    file_name: str
    facility_code: str
    month: Month
    revision: int
    replaced_revision: int | None  # the revision held before, None for a first import
    counts: dict[str, int] = field(default_factory=dict)


def imported_revision(session: Session, facility_id: int, month: Month) -> PackageImport | None:
    """The latest imported (not refused) package of the facility's month, if any."""
    return session.exec(
        select(PackageImport).where(PackageImport.facility_id == facility_id,
                                    PackageImport.month == str(month),
                                    PackageImport.result == IMPORTED)
        .order_by(col(PackageImport.revision).desc(), col(PackageImport.id).desc())).first()


def import_history(session: Session) -> list[PackageImport]:
    """Every import attempt, the latest first."""
    return list(session.exec(select(PackageImport).order_by(col(PackageImport.id).desc())))


def import_package(session: Session, *, actor: User, path: Path,
                   add_facility_if_unknown: bool = False) -> ImportResult:
    """Import one package file in one transaction; PackageError (or another QadamError) says
    why a file is refused, and the database then holds only the refusal's history row more."""
    require(actor, Action.IMPORT_PACKAGE)
    if database_mode(session) != DatabaseMode.REGIONAL:
        raise PackageError(_("Packages are imported only into a regional database; this "
                             "database is a facility's."))
    path = Path(path)
    known: dict[str, Any] = {}
    try:
        return _import(session, actor, path, add_facility_if_unknown, known)
    except QadamError as exc:
        session.rollback()
        _record(session, actor, path, known, REFUSED, exc.message)
        raise


def _record(session: Session, actor: User, path: Path, known: dict[str, Any], result: str,
            message: str) -> PackageImport:
    entry = PackageImport(
        facility_id=known.get("facility_id"), month=known.get("month", ""),
        revision=known.get("revision"), file_name=path.name[:500],
        sha256=known.get("sha256", ""), imported_at=clock.now(), imported_by=actor.login,
        result=result, message=message)
    if result == IMPORTED:  # inside the import's own transaction
        session.add(entry)
        return entry
    with transaction(session):
        session.add(entry)
    return entry


def _import(session: Session, actor: User, path: Path, add_facility_if_unknown: bool,
            known: dict[str, Any]) -> ImportResult:
    package = read_package(path)
    meta = package.meta
    known.update(month=str(meta.month), revision=meta.revision, sha256=meta.checksum)
    if meta.personal_data == "none":
        raise PackageError(_("The package {file} carries no personal data: its volunteers and "
                             "outcomes cannot be tied to persons. Ask the facility for a "
                             "pseudonymised package.").format(file=path.name))
    facility = facility_by_code(session, meta.facility_code)
    if facility is not None:
        assert facility.id is not None
        known["facility_id"] = facility.id
        held = imported_revision(session, facility.id, meta.month)
        if held is not None and (held.revision or 0) >= meta.revision:
            raise PackageError(_("{file}: facility №{code}, {month}: revision {held} is "
                                 "already imported; this package is revision {revision}. "
                                 "Only a newer revision replaces it.").format(
                file=path.name, code=meta.facility_code, month=meta.month,
                held=held.revision, revision=meta.revision))
        previous = held.revision if held is not None else None
    elif not add_facility_if_unknown:
        raise UnknownFacility(_("{file}: the facility №{code} “{name}” is not in this "
                                "database. Add the facility first (or import with "
                                "--add-facility).").format(
            file=path.name, code=meta.facility_code, name=meta.facility_name),
            meta.facility_code, meta.facility_name)
    else:
        previous = None
    codes = _Codes(session, path.name)
    _check_values(package, path.name, codes)  # before anything is written
    with transaction(session):
        if facility is None:
            facility = add_facility(session, FacilityCreate(code=meta.facility_code,
                                                            name=meta.facility_name))
            session.add(facility)
            session.flush()
            write_audit(session, actor, "create", table="facility", record_uuid=facility.uuid,
                        details=_("added by the import of {file}").format(file=path.name))
        assert facility.id is not None
        known["facility_id"] = facility.id
        _replace(session, facility, package, path.name, codes)
        entry = _record(session, actor, path, known, IMPORTED, "")
        write_audit(session, actor, "import", table=TABLE, record_uuid=entry.uuid,
                    details=f"{meta.facility_code} {meta.month} r{meta.revision} {path.name}",
                    changes={"counts": meta.counts, "replaced_revision": previous,
                             "sha256": meta.checksum})
    return ImportResult(file_name=path.name, facility_code=meta.facility_code,
                        month=meta.month, revision=meta.revision, replaced_revision=previous,
                        counts=dict(meta.counts))


# --- the data ----------------------------------------------------------------------------------


class _Codes:
    """Reference items by code, cached; an unknown code refuses the whole file."""

    def __init__(self, session: Session, file_name: str) -> None:
        self.session = session
        self.file_name = file_name
        self.cache: dict[tuple[str, str], int] = {}

    def __call__(self, list_name: ReferenceList, code: str) -> int:
        key = (str(list_name), code)
        if key not in self.cache:
            item = item_by_code(self.session, list_name, code)
            if item is None or item.id is None:
                raise PackageError(_("{file} refers to “{code}”, which the reference list "
                                     "“{list}” of this database does not have. Update the "
                                     "reference lists, then import again.").format(
                    file=self.file_name, code=code, list=str(list_name)))
            self.cache[key] = item.id
        return self.cache[key]


def _by_uuid(session: Session, model: Any, uuids: set[str]) -> dict[str, Any]:
    if not uuids:
        return {}
    return {r.uuid: r for r in session.exec(select(model).where(col(model.uuid).in_(uuids)))}


def _missing(file_name: str, what: str, uuid: str) -> PackageError:
    return PackageError(_("{file} refers to a {what} {uuid} that it does not contain: the "
                          "file is not as Qadam wrote it.").format(file=file_name, what=what,
                                                                     uuid=uuid))


# --- checking the values before anything is written --------------------------------------------

# Columns that hold a record's UUID or refer to one.
_UUID_COLUMNS = frozenset({"uuid", "event_uuid", "person_uuid", "volunteer_uuid"})
_UUID_LENGTH = 36
# The rules ask only whether a place facility is named; the package names it by code, and the
# region may not know that facility yet (the event then keeps no place facility).
_NAMED_BY_CODE = 0


def _event_values(row: Row) -> dict[str, Any]:
    """An events row as the event's fields the import writes (ids aside): a blank count is 0,
    a blank place kind "facility"."""
    return dict(
        event_date=row["event_date"], event_time=row["event_time"],
        place_kind=row["place_kind"] or "facility", place_text=row["place_text"],
        responsible=row["responsible"], count_serving=row["count_serving"] or 0,
        count_released=row["count_released"] or 0, count_community=row["count_community"] or 0,
        materials_count=row["materials_count"] or 0,
        wants_to_volunteer=row["wants_to_volunteer"] or 0, status=row["status"],
        speakers=row.get("speakers", ""), materials=row.get("materials", ""),
        notes=row.get("notes", ""))


def _hours(row: Row) -> float:
    return row["hours"] or 0.0


def _wrong_value(file_name: str, sheet: str, row: int, column: str, problem: str
                 ) -> PackageError:
    return PackageError(_("{file}: sheet “{sheet}”, row {row}, “{column}”: {problem}").format(
        file=file_name, sheet=sheet, row=row, column=column, problem=problem))


def _model_limits(errors: FieldErrors, model: type[SQLModel],
                  values: dict[str, tuple[str, Any]]) -> None:
    """A model's own field constraints (the lengths of its texts: the `*Create` models', a
    reference item's code) on the values a row gives it; `values` maps a column to (the
    model's field, the value)."""
    blank = model.model_construct()
    for column, (name, value) in values.items():
        try:
            model.__pydantic_validator__.validate_assignment(blank, name, value)
        except pydantic.ValidationError as exc:
            problem = exc.errors()[0]
            if problem["type"] == "string_too_long":
                errors.add(column, _("At most {n} characters are allowed here.").format(
                    n=problem["ctx"]["max_length"]))
            else:  # the reader typed the cells: no other constraint is expected to fail
                errors.add(column, problem["msg"])


def _add(errors: FieldErrors, found: FieldErrors, columns: dict[str, str | None]) -> None:
    """A rule's messages, each moved from the rule's field to the package's column: `columns`
    renames a field, or drops it (None) where the rule is not the import's to apply; a field
    named as its column needs no entry."""
    for name, message in found.errors.items():
        column = columns.get(name, name)
        if column is not None:
            errors.add(column, message)


class _Checker:
    """The package's rows checked like a user's input, sheet by sheet and row by row in the
    file's order; the first wrong value refuses the file, naming its sheet, row and column."""

    def __init__(self, package: Package, file_name: str, codes: _Codes) -> None:
        self.package = package
        self.file_name = file_name
        self.codes = codes
        self.month = package.meta.month
        self.event_dates = {row["uuid"]: row["event_date"] for row in package.events}
        self.enrolments = {row["uuid"]: row["enrolled_on"] for row in package.volunteers}
        self.persons = {row["uuid"]: row for row in package.persons}
        self.attendees: dict[str, Counter[str]] = {}
        self.lookups: list[tuple[ReferenceList, str]] = []  # the current row's codes
        for row in package.attendees:
            self.attendees.setdefault(row["event_uuid"], Counter())[row["category"]] += 1

    def run(self) -> None:
        checks: dict[str, Callable[[FieldErrors, Row], None]] = {
            "events": self._event, "event_topics": self._topic,
            "event_agencies": self._agency, "attendees": self._attendee,
            "persons": self._person, "volunteers": self._volunteer,
            "participations": self._participation, "outcomes": self._outcome}
        for sheet, columns in data_columns(self.package.meta.personal_data).items():
            rows: list[Row] = getattr(self.package, sheet)
            numbers = self.package.row_numbers.get(sheet) or range(2, len(rows) + 2)
            keys = [column.key for column in columns]
            for number, row in zip(numbers, rows, strict=True):
                errors = FieldErrors()
                self.lookups.clear()
                self._cells(errors, row)
                checks[sheet](errors, row)
                for key in [*keys, *errors.errors]:  # the first wrong column, left to right
                    if key in errors.errors:
                        raise _wrong_value(self.file_name, sheet, number, key,
                                           errors.errors[key])
                for list_name, code in self.lookups:  # a code this database lacks: refused
                    self.codes(list_name, code)

    def _code(self, errors: FieldErrors, column: str, list_name: ReferenceList,
              code: str) -> None:
        """A reference item's code: no longer than a code can be, then looked up once the
        row's other values are right."""
        _model_limits(errors, ReferenceItem, {column: ("code", code)})
        self.lookups.append((list_name, code))

    @staticmethod
    def _cells(errors: FieldErrors, row: Row) -> None:
        """What any text cell must be: no longer than Excel holds (Qadam never writes more),
        and a record's UUID where one is expected."""
        for key, value in row.items():
            if isinstance(value, str) and len(value) > MAX_CELL_TEXT:
                errors.add(key, _("At most {n} characters are allowed here.").format(
                    n=MAX_CELL_TEXT))
            elif key in _UUID_COLUMNS:
                try:
                    uuid_module.UUID(value)
                    if len(value) > _UUID_LENGTH:
                        raise ValueError(value)
                except (TypeError, ValueError):
                    errors.add(key, _("This is not a record identifier (UUID)."))

    def _event(self, errors: FieldErrors, row: Row) -> None:
        values = _event_values(row)
        _model_limits(errors, EventCreate, {key: (key, values[key]) for key in (
            "place_kind", "place_text", "responsible", "status")})
        found = FieldErrors()
        check_event(
            found, event_date=values["event_date"], status=values["status"],
            place_kind=values["place_kind"],
            place_facility_id=_NAMED_BY_CODE if row["place_facility_code"] else None,
            place_text=values["place_text"],
            counts={"serving": values["count_serving"], "released": values["count_released"],
                    "community": values["count_community"]},
            attendees_by_category=dict(self.attendees.get(row["uuid"], {})),
            wants_to_volunteer=values["wants_to_volunteer"],
            materials_count=values["materials_count"])
        check_count(found, "named_count", row["named_count"])
        event_date = values["event_date"]
        if event_date is not None and not (self.month.first_day <= event_date
                                           <= self.month.last_day):
            found.add("event_date", _("The date {date} is not in the package's month {month}.")
                      .format(date=fmt_date(event_date), month=self.month))
        # an unknown audience category is reported on the attendee's own row
        _add(errors, found, {"place_facility_id": "place_facility_code", "attendees": None})
        if row["place_facility_code"]:
            _model_limits(errors, FacilityCreate,
                          {"place_facility_code": ("code", row["place_facility_code"])})
        self._code(errors, "kind_code", ReferenceList.EVENT_KIND, row["kind_code"])

    def _topic(self, errors: FieldErrors, row: Row) -> None:
        self._code(errors, "topic_code", ReferenceList.TOPIC, row["topic_code"])

    def _agency(self, errors: FieldErrors, row: Row) -> None:
        self._code(errors, "agency_code", ReferenceList.AGENCY, row["agency_code"])

    def _attendee(self, errors: FieldErrors, row: Row) -> None:
        in_choices(errors, "category", row["category"], [c.value for c in AudienceCategory])

    def _person(self, errors: FieldErrors, row: Row) -> None:
        # A blank sex is none; a blank status keeps the one the region holds (None: the rule
        # checks a status only when one is given).
        sex, status = row["sex"] or None, row["status"] or None
        if self.package.meta.personal_data == "full":
            surname, name, patronymic = row["surname"], row["name"], row["patronymic"]
            iin, birth_date = row["iin"] or None, row["birth_date"]
            release_date = row["release_date"]
            columns: dict[str, str | None] = {}
            texts = {"surname": ("surname", surname), "name": ("name", name),
                     "patronymic": ("patronymic", patronymic)}
        else:
            # Pseudonymised: the initials become the surname, and there is no name (not
            # required of such a person); of the birth date only the year is known, checked
            # as its 1 January.
            surname, name, patronymic = row["initials"], "", ""
            year = row["birth_year"]
            iin, release_date = None, None
            birth_date = (None if year is None
                          else dt.date(min(max(year, dt.MINYEAR), dt.MAXYEAR), 1, 1))
            columns = {"surname": "initials", "name": None, "birth_date": "birth_year"}
            texts = {"initials": ("surname", surname)}
        texts.update({key: (key, value) for key, value in (("sex", sex), ("status", status))
                      if value is not None})
        _model_limits(errors, PersonCreate, texts)
        found = FieldErrors()
        check_person(found, surname=surname, name=name, patronymic=patronymic, iin=iin,
                     birth_date=birth_date, sex=sex, status=status,  # type: ignore[arg-type]
                     release_date=release_date, phone="")
        _add(errors, found, columns)

    def _volunteer(self, errors: FieldErrors, row: Row) -> None:
        _model_limits(errors, VolunteerCreate, {"status": ("status", row["status"])})
        person = self.persons.get(row["person_uuid"]) or {}
        found = FieldErrors()
        check_volunteer(
            found, person_status=person.get("status") or "",
            # the enrolment was checked against the person's release when it was saved; the
            # person may have been released again since
            person_release_date=None, enrolled_on=row["enrolled_on"],
            # the package carries the consent's date, not its form number
            consent_number="-", consent_date=row["consent_date"], status=row["status"],
            exit_date=row["exit_date"], exit_reason="")
        # the person was released or on probation at enrolment; a re-offence may have changed
        # that since
        _add(errors, found, {"person_id": None, "consent_number": "consent_date"})

    def _participation(self, errors: FieldErrors, row: Row) -> None:
        _model_limits(errors, ParticipationCreate, {"role": ("role", row["role"])})
        event_date = self.event_dates.get(row["event_uuid"])
        enrolled_on = self.enrolments.get(row["volunteer_uuid"])
        found = FieldErrors()
        check_participation(found, role=row["role"], hours=_hours(row),
                            event_date=event_date or EARLIEST_RECORD,
                            enrolled_on=enrolled_on or EARLIEST_RECORD)
        # the dates' order only where the file holds both; an event of another facility is
        # that facility's package's to say, and a volunteer the file lacks is refused later
        _add(errors, found, {"event_id": "event_uuid" if event_date and enrolled_on
                             else None})

    def _outcome(self, errors: FieldErrors, row: Row) -> None:
        _model_limits(errors, OutcomeCreate, {"kind": ("kind", row["kind"])})
        person = self.persons.get(row["person_uuid"]) or {}
        found = FieldErrors()
        check_outcome(found, outcome_date=row["outcome_date"], kind=row["kind"],
                      birth_date=person.get("birth_date"))
        _add(errors, found, {})
        if row["article_code"]:
            self._code(errors, "article_code", ReferenceList.ARTICLE, row["article_code"])


def _check_values(package: Package, file_name: str, codes: _Codes) -> None:
    """Refuse a package with any value a user could not have saved (see the module's notes);
    the reference codes are looked up on the way. Writes nothing."""
    month = package.meta.month
    if month > Month.of(clock.today()):
        raise PackageError(_("{file} is the package of {month}, which has not begun yet: only "
                             "a month that has begun can be imported.").format(
            file=file_name, month=month))
    _Checker(package, file_name, codes).run()


def _replace(session: Session, facility: Facility, package: Package, file_name: str,
             codes: _Codes) -> None:
    """Write the package, whose values `_check_values` has checked."""
    meta = package.meta
    month = meta.month
    assert facility.id is not None
    facility_id = facility.id

    # 1. the facility's month goes, with everything hanging from its events
    event_uuids = {row["uuid"] for row in package.events}
    old_ids = list(session.exec(select(Event.id).where(or_(
        (col(Event.facility_id) == facility_id) & (col(Event.event_date) >= month.first_day)
        & (col(Event.event_date) <= month.last_day),
        col(Event.uuid).in_(event_uuids)))))
    if old_ids:
        for model in (EventTopic, EventAgency, EventAttendee, Participation):
            session.execute(delete(model).where(col(model.event_id).in_(old_ids)))
        session.execute(delete(Event).where(col(Event.id).in_(old_ids)))
    session.flush()

    # 2. persons, by UUID, never downgraded
    full = meta.personal_data == "full"
    persons = _by_uuid(session, Person, {row["uuid"] for row in package.persons})
    for row in package.persons:
        person = persons.get(row["uuid"])
        if person is None:
            person = Person(uuid=row["uuid"], surname="", name="", facility_id=facility_id)
            persons[row["uuid"]] = person
            if not full:
                person.surname = row["initials"]
                if row["birth_year"] is not None:
                    person.notes = _("Birth year: {year}").format(year=row["birth_year"])
        if full:
            iin = row["iin"] or None
            if iin is not None:
                other = session.exec(select(Person).where(Person.iin == iin,
                                                          Person.uuid != row["uuid"])).first()
                if other is not None:
                    raise PackageError(_("{file}: a person with the IIN {iin} is already in "
                                         "this database as another record.").format(
                        file=file_name, iin=iin))
            person.surname, person.name = row["surname"], row["name"]
            person.patronymic, person.iin = row["patronymic"], iin
            person.birth_date, person.release_date = row["birth_date"], row["release_date"]
        elif not person.name:  # itself pseudonymised: the initials may have changed
            person.surname = row["initials"]
        person.sex = row["sex"] or None
        person.status = row["status"] or person.status
        set_person_keys(person)
        session.add(person)
    session.flush()

    def person_id(uuid: str, what: str) -> int:
        person = persons.get(uuid)
        if person is None:
            person = _by_uuid(session, Person, {uuid}).get(uuid)
            if person is None:
                raise _missing(file_name, what, uuid)
            persons[uuid] = person
        return person.id

    # 3. volunteers and outcomes, by UUID
    volunteers = _by_uuid(session, Volunteer, {row["uuid"] for row in package.volunteers})
    for row in package.volunteers:
        volunteer = volunteers.get(row["uuid"])
        if volunteer is None:
            volunteer = Volunteer(uuid=row["uuid"], facility_id=facility_id,
                                  person_id=person_id(row["person_uuid"], _("person")),
                                  enrolled_on=row["enrolled_on"])
            volunteers[row["uuid"]] = volunteer
        volunteer.enrolled_on, volunteer.consent_date = row["enrolled_on"], row["consent_date"]
        volunteer.status, volunteer.exit_date = row["status"], row["exit_date"]
        session.add(volunteer)
    outcomes = _by_uuid(session, Outcome, {row["uuid"] for row in package.outcomes})
    for row in package.outcomes:
        outcome = outcomes.get(row["uuid"])
        if outcome is None:
            outcome = Outcome(uuid=row["uuid"], person_id=person_id(row["person_uuid"],
                                                                    _("person")),
                              outcome_date=row["outcome_date"], kind=row["kind"])
        outcome.outcome_date, outcome.kind = row["outcome_date"], row["kind"]
        outcome.article_id = (codes(ReferenceList.ARTICLE, row["article_code"])
                              if row["article_code"] else None)
        session.add(outcome)
    session.flush()

    # 4. the events and their links
    events: dict[str, Event] = {}
    for row in package.events:
        place = facility_by_code(session, row["place_facility_code"]) \
            if row["place_facility_code"] else None
        event = Event(
            uuid=row["uuid"], facility_id=facility_id,
            place_facility_id=place.id if place is not None else None,
            kind_id=codes(ReferenceList.EVENT_KIND, row["kind_code"]), **_event_values(row))
        events[event.uuid] = event
        session.add(event)
    session.flush()

    def event_id(uuid: str) -> int:
        event = events.get(uuid)
        if event is None:
            raise _missing(file_name, _("event"), uuid)
        assert event.id is not None
        return event.id

    for row in package.event_topics:
        session.add(EventTopic(event_id=event_id(row["event_uuid"]),
                               topic_id=codes(ReferenceList.TOPIC, row["topic_code"])))
    for row in package.event_agencies:
        session.add(EventAgency(event_id=event_id(row["event_uuid"]),
                                agency_id=codes(ReferenceList.AGENCY, row["agency_code"])))
    for row in package.attendees:
        session.add(EventAttendee(event_id=event_id(row["event_uuid"]),
                                  person_id=person_id(row["person_uuid"], _("person")),
                                  category=row["category"]))

    # 5. participations: replaced by UUID; one in an event the region does not hold is skipped
    participations = _by_uuid(session, Participation,
                              {row["uuid"] for row in package.participations})
    other_events = _by_uuid(session, Event, {row["event_uuid"] for row in package.participations
                                             if row["event_uuid"] not in events})
    for row in package.participations:
        volunteer = volunteers.get(row["volunteer_uuid"])
        if volunteer is None:
            raise _missing(file_name, _("volunteer"), row["volunteer_uuid"])
        target = events.get(row["event_uuid"]) or other_events.get(row["event_uuid"])
        if target is None:
            continue
        participation = participations.get(row["uuid"])
        if participation is None:
            participation = Participation(uuid=row["uuid"], volunteer_id=volunteer.id,
                                          event_id=target.id, role=row["role"])
        participation.volunteer_id, participation.event_id = volunteer.id, target.id
        participation.role, participation.hours = row["role"], _hours(row)
        session.add(participation)
    session.flush()


def table_counts(session: Session) -> dict[str, int]:
    """Rows per table of the data an import touches: for checks and for the window."""
    return {model.__tablename__: session.exec(  # type: ignore[attr-defined]
        select(func.count()).select_from(model)).one()
        for model in (Event, EventTopic, EventAgency, EventAttendee, Person, Volunteer,
                      Participation, Outcome, Facility, PackageImport)}


__all__ = ["IMPORTED", "REFUSED", "ImportResult", "import_history", "import_package",
           "imported_revision", "table_counts"]

