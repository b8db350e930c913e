"""The registry's rules for each kind of record. Each check adds a message to the field it is about.

Checks that need other records (does the kind exist, is the person released) take those values
as arguments; the operations look them up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from db import clock
from db.errors import FieldErrors
from db.i18n import _
from db.iin import InvalidIin, parse_iin
from db.phone import InvalidPhone, normalize_phone
from db.values import (
    AudienceCategory,
    EventStatus,
    OutcomeKind,
    ParticipationRole,
    PersonStatus,
    PlaceKind,
    Sex,
    VolunteerStatus,
    label,
)

EARLIEST_BIRTH = dt.date(1900, 1, 1)
EARLIEST_RECORD = dt.date(2000, 1, 1)
MAX_HOURS = 24.0
MAX_COUNT = 100_000  # the event form's spin boxes stop here too

# Which volunteer status may follow which. Left and re-offended are final: a new enrolment
# is a new volunteer record.
VOLUNTEER_TRANSITIONS: dict[str, set[str]] = {
    VolunteerStatus.CANDIDATE: {VolunteerStatus.ACTIVE, VolunteerStatus.LEFT},
    VolunteerStatus.ACTIVE: {VolunteerStatus.PAUSED, VolunteerStatus.LEFT,
                             VolunteerStatus.REOFFENDED},
    VolunteerStatus.PAUSED: {VolunteerStatus.ACTIVE, VolunteerStatus.LEFT,
                             VolunteerStatus.REOFFENDED},
    VolunteerStatus.LEFT: set(),
    VolunteerStatus.REOFFENDED: set(),
}
VOLUNTEER_ELIGIBLE = {PersonStatus.RELEASED, PersonStatus.PROBATION}
EXIT_STATUSES = {VolunteerStatus.LEFT, VolunteerStatus.REOFFENDED}
CONSENT_STATUSES = {VolunteerStatus.ACTIVE, VolunteerStatus.PAUSED, VolunteerStatus.REOFFENDED}


def fmt_date(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


def required_text(errors: FieldErrors, field: str, value: str | None, message: str,
                  max_length: int = 300) -> None:
    if value is None or not value.strip():
        errors.add(field, message)
    elif len(value) > max_length:
        errors.add(field, _("At most {n} characters are allowed here.").format(n=max_length))


def not_future(errors: FieldErrors, field: str, value: dt.date | None, message: str) -> None:
    if value is not None and value > clock.today():
        errors.add(field, message.format(date=fmt_date(value)))


def in_choices(errors: FieldErrors, field: str, value: str | None, choices: Iterable[str]) -> None:
    if value is not None and value not in set(choices):
        errors.add(field, _("“{value}” is not one of the allowed values.").format(value=value))


def check_count(errors: FieldErrors, field: str, value: int | None) -> None:
    if value is not None and value < 0:
        errors.add(field, _("A count cannot be negative."))
    elif value is not None and value > MAX_COUNT:
        errors.add(field, _("A count cannot be more than {n}.").format(n=MAX_COUNT))


def not_too_early(errors: FieldErrors, field: str, value: dt.date | None) -> None:
    """No record of the registry's work is dated before EARLIEST_RECORD."""
    if value is not None and value < EARLIEST_RECORD:
        errors.add(field, _("The date {date} is too early.").format(date=fmt_date(value)))


# --- persons --------------------------------------------------------------------------------

def check_person(errors: FieldErrors, *, surname: str, name: str, patronymic: str,
                 iin: str | None, birth_date: dt.date | None, sex: str | None, status: str,
                 release_date: dt.date | None, phone: str) -> tuple[str | None, dt.date | None,
                                                                    str | None, str]:
    """Check a person's fields; return (iin, birth date, sex, phone) completed and normalised.

    A valid IIN fills a missing birth date and sex, and must agree with typed ones."""
    required_text(errors, "surname", surname, _("The surname is required."), 100)
    required_text(errors, "name", name, _("The first name is required."), 100)
    if patronymic and len(patronymic) > 100:
        errors.add("patronymic", _("At most {n} characters are allowed here.").format(n=100))
    in_choices(errors, "sex", sex, [s.value for s in Sex])
    in_choices(errors, "status", status, [s.value for s in PersonStatus])
    iin = (iin or "").strip().replace(" ", "") or None
    if iin is not None:
        try:
            info = parse_iin(iin)
        except InvalidIin as exc:
            errors.add("iin", str(exc))
        else:
            iin = info.iin
            if birth_date is None:
                birth_date = info.birth_date
            elif birth_date != info.birth_date:
                errors.add("birth_date", _(
                    "The birth date {typed} does not match the IIN, which says {encoded}."
                ).format(typed=fmt_date(birth_date), encoded=fmt_date(info.birth_date)))
            if sex is None:
                sex = info.sex.value
            elif sex != info.sex.value:
                errors.add("sex", _("The sex does not match the IIN (its 7th digit)."))
    if birth_date is not None:
        not_future(errors, "birth_date", birth_date,
                   _("The birth date {date} is in the future."))
        if birth_date < EARLIEST_BIRTH:
            errors.add("birth_date", _("The birth date {date} is too early.").format(
                date=fmt_date(birth_date)))
    if release_date is not None:
        not_future(errors, "release_date", release_date,
                   _("The release date {date} is in the future."))
        if birth_date is not None and release_date <= birth_date:
            errors.add("release_date", _("The release date must be after the birth date."))
    if phone and phone.strip():
        try:
            phone = normalize_phone(phone)
        except InvalidPhone as exc:
            errors.add("phone", str(exc))
    else:
        phone = ""
    return iin, birth_date, sex, phone


# --- events ---------------------------------------------------------------------------------

def check_event(errors: FieldErrors, *, event_date: dt.date | None, status: str,
                place_kind: str, place_facility_id: int | None, place_text: str,
                counts: dict[str, int], attendees_by_category: dict[str, int],
                wants_to_volunteer: int, materials_count: int) -> None:
    in_choices(errors, "status", status, [s.value for s in EventStatus])
    in_choices(errors, "place_kind", place_kind, [p.value for p in PlaceKind])
    if event_date is None:
        errors.add("event_date", _("The date of the event is required."))
    else:
        if status != EventStatus.PLANNED:
            not_future(errors, "event_date", event_date, _(
                "The date {date} is in the future: only a planned event may be dated ahead."))
        not_too_early(errors, "event_date", event_date)
    if place_kind == PlaceKind.FACILITY and place_facility_id is None:
        errors.add("place_facility_id", _("Choose the facility where the event took place."))
    if place_kind == PlaceKind.OUTSIDE and not place_text.strip():
        errors.add("place_text", _("Say where the event took place (school, street, mahalla…)."))
    field_by_category = {
        AudienceCategory.SERVING: "count_serving",
        AudienceCategory.RELEASED: "count_released",
        AudienceCategory.COMMUNITY: "count_community",
    }
    for category, field in field_by_category.items():
        count = counts.get(category, 0)
        check_count(errors, field, count)
        named = attendees_by_category.get(category, 0)
        if named > max(count, 0):
            errors.add(field, _(
                "{named} named attendees are in this category, but its count is {count}."
            ).format(named=named, count=count))
    for category in attendees_by_category:
        if category not in field_by_category:
            errors.add("attendees", _("“{value}” is not an audience category.").format(
                value=category))
    check_count(errors, "materials_count", materials_count)
    check_count(errors, "wants_to_volunteer", wants_to_volunteer)
    total = sum(max(v, 0) for v in counts.values())
    if wants_to_volunteer > total:
        errors.add("wants_to_volunteer", _(
            "{n} people want to volunteer, but the audience is only {total}."
        ).format(n=wants_to_volunteer, total=total))


# --- volunteers -----------------------------------------------------------------------------

def check_volunteer(errors: FieldErrors, *, person_status: str,
                    person_release_date: dt.date | None, enrolled_on: dt.date | None,
                    consent_number: str, consent_date: dt.date | None, status: str,
                    exit_date: dt.date | None, exit_reason: str,
                    previous_status: str | None = None) -> None:
    in_choices(errors, "status", status, [s.value for s in VolunteerStatus])
    if person_status not in VOLUNTEER_ELIGIBLE:
        errors.add("person_id", _(
            "A volunteer must be a released person or one on probation."))
    if enrolled_on is None:
        errors.add("enrolled_on", _("The enrolment date is required."))
    else:
        not_future(errors, "enrolled_on", enrolled_on,
                   _("The enrolment date {date} is in the future."))
        not_too_early(errors, "enrolled_on", enrolled_on)
        if person_release_date is not None and enrolled_on < person_release_date:
            errors.add("enrolled_on", _(
                "The enrolment date must not be before the release date {date}."
            ).format(date=fmt_date(person_release_date)))
    if status in CONSENT_STATUSES and (not consent_number.strip() or consent_date is None):
        errors.add("consent_number", _(
            "The written consent (form number and date) is required before the volunteer "
            "becomes active."))
    if consent_date is not None:
        not_future(errors, "consent_date", consent_date,
                   _("The consent date {date} is in the future."))
        not_too_early(errors, "consent_date", consent_date)
    if status in EXIT_STATUSES:
        if exit_date is None:
            errors.add("exit_date", _("The exit date is required for this status."))
    elif exit_date is not None or exit_reason.strip():
        errors.add("exit_date", _(
            "An exit date and reason are only for a volunteer who left or re-offended."))
    if exit_date is not None:
        not_future(errors, "exit_date", exit_date, _("The exit date {date} is in the future."))
        if enrolled_on is not None and exit_date < enrolled_on:
            errors.add("exit_date", _("The exit date must not be before the enrolment date."))
    if previous_status is not None and status != previous_status:
        allowed = VOLUNTEER_TRANSITIONS.get(previous_status, set())
        if status not in allowed and status in set(VolunteerStatus):
            # a status from elsewhere (an import) is named as stored rather than crashing
            old = (label(VolunteerStatus(previous_status))
                   if previous_status in set(VolunteerStatus) else previous_status)
            errors.add("status", _("The status cannot change from “{old}” to “{new}”.").format(
                old=old, new=label(VolunteerStatus(status))))


def check_participation(errors: FieldErrors, *, role: str, hours: float,
                        event_date: dt.date, enrolled_on: dt.date) -> None:
    in_choices(errors, "role", role, [r.value for r in ParticipationRole])
    if not 0 <= hours <= MAX_HOURS:  # also refuses NaN, which compares false both ways
        errors.add("hours", _("Hours must be between 0 and {max}.").format(max=int(MAX_HOURS)))
    if event_date < enrolled_on:
        errors.add("event_id", _(
            "The event ({date}) is before the volunteer's enrolment."
        ).format(date=fmt_date(event_date)))


def check_outcome(errors: FieldErrors, *, outcome_date: dt.date | None, kind: str,
                  birth_date: dt.date | None) -> None:
    in_choices(errors, "kind", kind, [k.value for k in OutcomeKind])
    if outcome_date is None:
        errors.add("outcome_date", _("The date is required."))
        return
    not_future(errors, "outcome_date", outcome_date, _("The date {date} is in the future."))
    if birth_date is not None and outcome_date <= birth_date:
        errors.add("outcome_date", _("The date must be after the person's birth date."))
    not_too_early(errors, "outcome_date", outcome_date)
