"""Facilities: the reference list of institutions, and this database's own one."""

from __future__ import annotations

from sqlmodel import Session, select

from db.errors import FieldErrors, ValidationError
from db.i18n import _
from db.models import (
    Event,
    Facility,
    FacilityCreate,
    FacilityUpdate,
    MonthLock,
    Person,
    User,
    Volunteer,
)
from db.ops.common import (
    count_where,
    create_record,
    delete_record,
    get_or_raise,
    given_values,
    refuse_if_referenced,
    transaction,
    update_record,
)
from db.ops.settings import own_facility
from db.rights import Action, require
from db.rules import in_choices, required_text
from db.values import FacilityType

TABLE = "facility"


def _check(session: Session, code: str, name: str, facility_type: str,
           facility_id: int | None = None) -> None:
    errors = FieldErrors()
    required_text(errors, "code", code, _("The facility code is required (for example 69)."), 20)
    required_text(errors, "name", name, _("The facility name is required."))
    in_choices(errors, "facility_type", facility_type, [t.value for t in FacilityType])
    if code and code.strip():
        other = facility_by_code(session, code.strip())
        if other is not None and other.id != facility_id:
            errors.add("code", _("A facility with the code “{code}” already exists.").format(
                code=code.strip()))
    errors.raise_if_any()


def facility_by_code(session: Session, code: str) -> Facility | None:
    return session.exec(select(Facility).where(Facility.code == code.strip())).first()


def require_facility(session: Session, code: str) -> Facility:
    facility = facility_by_code(session, code)
    if facility is None:
        raise ValidationError({"facility": _(
            "There is no facility with the code “{code}” in this database.").format(code=code)})
    return facility


def add_facility(session: Session, data: FacilityCreate) -> Facility:
    """Insert without rights or commit: for initialization and imports inside their own
    transaction."""
    _check(session, data.code, data.name, data.facility_type)
    facility = Facility.model_validate(data)
    facility.code = facility.code.strip()
    facility.name = facility.name.strip()
    return facility


def create_facility(*, session: Session, actor: User, data: FacilityCreate) -> Facility:
    require(actor, Action.EDIT_FACILITIES)
    facility = add_facility(session, data)
    with transaction(session):
        create_record(session, actor, facility, TABLE)
    return facility


def update_facility(*, session: Session, actor: User, facility_id: int,
                    data: FacilityUpdate) -> Facility:
    require(actor, Action.EDIT_FACILITIES)
    facility = get_or_raise(session, Facility, facility_id, _("The facility"))
    values = given_values(data, Facility)
    for field in ("code", "name"):  # stripped as on creation, so lookups by code find it
        if isinstance(values.get(field), str):
            values[field] = values[field].strip()
    _check(session, values.get("code", facility.code), values.get("name", facility.name),
           values.get("facility_type", facility.facility_type), facility.id)
    with transaction(session):
        update_record(session, actor, facility, values, TABLE)
    return facility


def delete_facility(*, session: Session, actor: User, facility_id: int) -> None:
    require(actor, Action.EDIT_FACILITIES)
    facility = get_or_raise(session, Facility, facility_id, _("The facility"))
    own = own_facility(session)
    refuse_if_referenced(_("The facility №{code}").format(code=facility.code), {
        _("this database's settings (its own facility)"): int(
            own is not None and own.id == facility.id),
        _("persons"): count_where(session, Person, Person.facility_id == facility.id),
        _("events"): count_where(session, Event, Event.facility_id == facility.id)
        + count_where(session, Event, Event.place_facility_id == facility.id),
        _("volunteers"): count_where(session, Volunteer, Volunteer.facility_id == facility.id),
        _("locked months"): count_where(session, MonthLock, MonthLock.facility_id == facility.id),
    })
    with transaction(session):
        delete_record(session, actor, facility, TABLE)


def list_facilities(session: Session, *, include_retired: bool = False) -> list[Facility]:
    query = select(Facility)
    if not include_retired:
        query = query.where(Facility.retired == False)  # noqa: E712
    return list(session.exec(query.order_by(Facility.code)))
