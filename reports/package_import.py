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
- Every attempt leaves a row in `package_import`. A refused file's row is written in its own
  transaction after the rollback: that row is the ONLY change a refusal makes.
- One audit entry, action "import", per imported file (not one per record).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, or_
from sqlmodel import Session, col, select

from db import clock
from db.errors import QadamError
from db.i18n import _
from db.models import (
    Event,
    EventAgency,
    EventAttendee,
    EventTopic,
    Facility,
    FacilityCreate,
    Outcome,
    PackageImport,
    Participation,
    Person,
    User,
    Volunteer,
)
from db.months import Month
from db.ops.common import transaction, write_audit
from db.ops.facilities import add_facility, facility_by_code
from db.ops.persons import set_person_keys
from db.ops.references import item_by_code
from db.ops.settings import database_mode
from db.rights import Action, require
from db.values import DatabaseMode, ReferenceList
from reports.package import Package, PackageError, read_package

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
        _replace(session, facility, package, path.name)
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


def _replace(session: Session, facility: Facility, package: Package, file_name: str) -> None:
    meta = package.meta
    month = meta.month
    codes = _Codes(session, file_name)
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
            uuid=row["uuid"], facility_id=facility_id, event_date=row["event_date"],
            event_time=row["event_time"], place_kind=row["place_kind"] or "facility",
            place_facility_id=place.id if place is not None else None,
            place_text=row["place_text"], kind_id=codes(ReferenceList.EVENT_KIND,
                                                         row["kind_code"]),
            responsible=row["responsible"], count_serving=row["count_serving"] or 0,
            count_released=row["count_released"] or 0,
            count_community=row["count_community"] or 0,
            materials_count=row["materials_count"] or 0,
            wants_to_volunteer=row["wants_to_volunteer"] or 0, status=row["status"],
            speakers=row.get("speakers", ""), materials=row.get("materials", ""),
            notes=row.get("notes", ""))
        if event.event_date is None or not month.first_day <= event.event_date <= month.last_day:
            raise PackageError(_("{file} holds an event outside its month {month}.").format(
                file=file_name, month=month))
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
        participation.role, participation.hours = row["role"], row["hours"] or 0.0
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

