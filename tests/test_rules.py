"""The registry's rules for each kind of record, checked without a database.

Every test that involves "the future" uses the `fixed_today` fixture: today is 15.11.2026.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from typing import Any

import pytest

from db.errors import FieldErrors, ValidationError
from db.iin import make_iin
from db.months import Month
from db.rules import (
    VOLUNTEER_TRANSITIONS,
    check_event,
    check_outcome,
    check_participation,
    check_person,
    check_volunteer,
)
from db.values import Sex, VolunteerStatus

pytestmark = pytest.mark.usefixtures("fixed_today")

D = dt.date
IIN_1985_M = "850101301231"  # 01.01.1985, male (hand-checked in test_iin.py)
IIN_2003_F = "030715645676"  # 15.07.2003, female


# --- persons ---------------------------------------------------------------------------------

def person(**overrides: Any) -> tuple[dict[str, str], tuple]:
    values: dict[str, Any] = dict(surname="Иванов", name="Иван", patronymic="", iin=None,
                                  birth_date=None, sex=None, status="released",
                                  release_date=None, phone="")
    values.update(overrides)
    errors = FieldErrors()
    result = check_person(errors, **values)
    return errors.errors, result


def test_rules_person_minimal_is_valid() -> None:
    errors, result = person()
    assert errors == {}
    assert result == (None, None, None, "")


@pytest.mark.parametrize(("iin", "birth", "sex"), [
    (IIN_1985_M, D(1985, 1, 1), "M"),
    (IIN_2003_F, D(2003, 7, 15), "F"),
    (" 850101 301231 ", D(1985, 1, 1), "M"),
])
def test_rules_person_iin_fills_birth_date_and_sex(iin: str, birth: dt.date, sex: str) -> None:
    errors, (clean_iin, birth_date, filled_sex, _phone) = person(iin=iin)
    assert errors == {}
    assert clean_iin == iin.replace(" ", "")
    assert (birth_date, filled_sex) == (birth, sex)


def test_rules_person_iin_agreeing_with_typed_values_is_valid() -> None:
    errors, result = person(iin=IIN_2003_F, birth_date=D(2003, 7, 15), sex="F")
    assert errors == {}
    assert result[:3] == (IIN_2003_F, D(2003, 7, 15), "F")


def test_rules_person_iin_and_typed_birth_date_disagree() -> None:
    errors, _result = person(iin=IIN_1985_M, birth_date=D(1985, 1, 2))
    assert set(errors) == {"birth_date"}
    assert "01.01.1985" in errors["birth_date"]
    assert "02.01.1985" in errors["birth_date"]


def test_rules_person_iin_and_typed_sex_disagree() -> None:
    errors, _result = person(iin=IIN_1985_M, sex="F")
    assert set(errors) == {"sex"}


def test_rules_person_both_disagreements_are_reported_together() -> None:
    errors, _result = person(iin=IIN_1985_M, birth_date=D(1990, 1, 1), sex="F")
    assert set(errors) == {"birth_date", "sex"}


@pytest.mark.parametrize("iin", ["850101301232", "85010130123", "85010130123X", "991301300011"])
def test_rules_person_invalid_iin_is_an_error_on_iin(iin: str) -> None:
    errors, (_iin, birth_date, sex, _phone) = person(iin=iin)
    assert set(errors) == {"iin"}
    assert birth_date is None and sex is None


@pytest.mark.parametrize("iin", [None, "", "   "])
def test_rules_person_blank_iin_is_none(iin: str | None) -> None:
    errors, (clean_iin, *_rest) = person(iin=iin)
    assert errors == {}
    assert clean_iin is None


def test_rules_person_iin_with_no_break_space_is_stored_clean() -> None:
    errors, (clean_iin, *_rest) = person(iin="850101\u00a0301231")
    assert errors == {}
    assert clean_iin == IIN_1985_M


@pytest.mark.parametrize(("birth", "ok"), [
    (D(2026, 11, 15), True),  # today
    (D(2026, 11, 16), False),  # tomorrow
    (D(2030, 1, 1), False),
    (D(1900, 1, 1), True),
    (D(1899, 12, 31), False),
])
def test_rules_person_birth_date_bounds(birth: dt.date, ok: bool) -> None:
    errors, _result = person(birth_date=birth)
    assert ("birth_date" not in errors) is ok


def test_rules_person_future_birth_date_names_the_date() -> None:
    errors, _result = person(birth_date=D(2027, 3, 4))
    assert "04.03.2027" in errors["birth_date"]


def test_rules_person_iin_from_the_future_is_an_error_on_birth_date() -> None:
    iin = next(i for s in range(100) if (i := make_iin(D(2027, 1, 1), Sex.MALE, s)))
    errors, _result = person(iin=iin)
    assert set(errors) == {"birth_date"}


@pytest.mark.parametrize(("birth", "release", "field_in_error"), [
    (D(1985, 1, 1), D(1984, 12, 31), True),  # before birth
    (D(1985, 1, 1), D(1985, 1, 1), True),  # on the birth day
    (D(1985, 1, 1), D(2026, 11, 15), False),  # today
    (D(1985, 1, 1), D(2026, 11, 16), True),  # future
    (None, D(2026, 12, 1), True),  # future, no birth date
    (None, D(2020, 1, 1), False),
])
def test_rules_person_release_date(birth: dt.date | None, release: dt.date,
                                   field_in_error: bool) -> None:
    errors, _result = person(birth_date=birth, release_date=release)
    assert ("release_date" in errors) is field_in_error
    assert set(errors) <= {"release_date"}


def test_rules_person_release_before_iin_birth_date() -> None:
    errors, _result = person(iin=IIN_2003_F, release_date=D(2001, 1, 1))
    assert set(errors) == {"release_date"}


@pytest.mark.parametrize(("overrides", "field"), [
    ({"surname": ""}, "surname"),
    ({"surname": "   "}, "surname"),
    ({"name": ""}, "name"),
    ({"name": "\t"}, "name"),
    ({"surname": "Ж" * 101}, "surname"),
    ({"patronymic": "О" * 101}, "patronymic"),
    ({"sex": "X"}, "sex"),
    ({"status": "free"}, "status"),
    ({"phone": "12345"}, "phone"),
])
def test_rules_person_field_errors(overrides: dict, field: str) -> None:
    errors, _result = person(**overrides)
    assert set(errors) == {field}


def test_rules_person_surname_and_name_both_missing() -> None:
    errors, _result = person(surname="", name="")
    assert set(errors) == {"surname", "name"}


@pytest.mark.parametrize(("typed", "stored"), [
    ("8 (701) 123-45-67", "+7 701 123 45 67"),
    ("", ""),
    ("   ", ""),
])
def test_rules_person_phone_is_normalised(typed: str, stored: str) -> None:
    errors, (*_rest, phone) = person(phone=typed)
    assert errors == {}
    assert phone == stored


# --- events ----------------------------------------------------------------------------------

def event_errors(**overrides: Any) -> dict[str, str]:
    values: dict[str, Any] = dict(
        event_date=D(2026, 10, 10), status="held", place_kind="facility", place_facility_id=1,
        place_text="", counts={"serving": 10, "released": 2, "community": 0},
        attendees_by_category={}, wants_to_volunteer=0, materials_count=0)
    values.update(overrides)
    errors = FieldErrors()
    check_event(errors, **values)
    return errors.errors


def test_rules_event_minimal_is_valid() -> None:
    assert event_errors() == {}


@pytest.mark.parametrize(("status", "day", "ok"), [
    ("held", D(2026, 11, 15), True),
    ("held", D(2026, 11, 16), False),
    ("cancelled", D(2026, 12, 1), False),
    ("planned", D(2026, 12, 1), True),
    ("planned", D(2027, 6, 1), True),
    ("planned", D(2026, 11, 1), True),
    ("held", D(2000, 1, 1), True),
    ("held", D(1999, 12, 31), False),
    ("planned", D(1999, 12, 31), False),
])
def test_rules_event_date_and_status(status: str, day: dt.date, ok: bool) -> None:
    errors = event_errors(status=status, event_date=day)
    assert ("event_date" not in errors) is ok
    assert set(errors) <= {"event_date"}


def test_rules_event_future_date_message_names_the_date() -> None:
    assert "20.11.2026" in event_errors(event_date=D(2026, 11, 20))["event_date"]


def test_rules_event_date_required() -> None:
    assert set(event_errors(event_date=None)) == {"event_date"}


@pytest.mark.parametrize(("overrides", "field"), [
    ({"counts": {"serving": -1, "released": 0, "community": 0}}, "count_serving"),
    ({"counts": {"serving": 0, "released": -3, "community": 0}}, "count_released"),
    ({"counts": {"serving": 5, "released": 0, "community": -1}}, "count_community"),
    ({"materials_count": -1}, "materials_count"),
    ({"wants_to_volunteer": -1}, "wants_to_volunteer"),
    ({"status": "done"}, "status"),
    ({"place_kind": "street"}, "place_kind"),
])
def test_rules_event_bad_values(overrides: dict, field: str) -> None:
    assert set(event_errors(**overrides)) == {field}


@pytest.mark.parametrize(("category", "field"), [
    ("serving", "count_serving"),
    ("released", "count_released"),
    ("community", "count_community"),
])
def test_rules_event_more_named_attendees_than_count(category: str, field: str) -> None:
    counts = {"serving": 3, "released": 3, "community": 3}
    assert event_errors(counts=counts, attendees_by_category={category: 3}) == {}
    errors = event_errors(counts=counts, attendees_by_category={category: 4})
    assert set(errors) == {field}
    assert "4" in errors[field] and "3" in errors[field]


def test_rules_event_named_attendees_with_zero_count() -> None:
    errors = event_errors(counts={"serving": 5, "released": 0, "community": 0},
                          attendees_by_category={"released": 1})
    assert set(errors) == {"count_released"}


def test_rules_event_attendee_of_unknown_category() -> None:
    assert set(event_errors(attendees_by_category={"guards": 1})) == {"attendees"}


@pytest.mark.parametrize(("wants", "ok"), [(0, True), (12, True), (13, False), (100, False)])
def test_rules_event_wants_to_volunteer_at_most_audience(wants: int, ok: bool) -> None:
    errors = event_errors(wants_to_volunteer=wants)  # audience 10 + 2 + 0 = 12
    assert (errors == {}) is ok
    if not ok:
        assert set(errors) == {"wants_to_volunteer"}
        assert str(wants) in errors["wants_to_volunteer"]
        assert "12" in errors["wants_to_volunteer"]


@pytest.mark.parametrize(("place_kind", "facility_id", "text", "field"), [
    ("facility", None, "", "place_facility_id"),
    ("facility", None, "школа №5", "place_facility_id"),
    ("outside", None, "", "place_text"),
    ("outside", None, "   ", "place_text"),
    ("outside", None, "Школа №12, ул. Тауке хана", None),
    ("facility", 1, "", None),
])
def test_rules_event_place(place_kind: str, facility_id: int | None, text: str,
                           field: str | None) -> None:
    errors = event_errors(place_kind=place_kind, place_facility_id=facility_id, place_text=text)
    assert set(errors) == ({field} if field else set())


# --- volunteers ------------------------------------------------------------------------------

def volunteer_errors(**overrides: Any) -> dict[str, str]:
    values: dict[str, Any] = dict(
        person_status="released", person_release_date=D(2026, 1, 10),
        enrolled_on=D(2026, 2, 1), consent_number="", consent_date=None, status="candidate",
        exit_date=None, exit_reason="", previous_status=None)
    values.update(overrides)
    errors = FieldErrors()
    check_volunteer(errors, **values)
    return errors.errors


CONSENT = {"consent_number": "17", "consent_date": D(2026, 2, 1)}


def test_rules_volunteer_candidate_is_valid() -> None:
    assert volunteer_errors() == {}


@pytest.mark.parametrize(("person_status", "ok"), [
    ("released", True), ("probation", True), ("serving", False), ("other", False),
])
def test_rules_volunteer_person_must_be_released_or_on_probation(person_status: str,
                                                                  ok: bool) -> None:
    errors = volunteer_errors(person_status=person_status)
    assert set(errors) == (set() if ok else {"person_id"})


@pytest.mark.parametrize(("enrolled", "field_in_error"), [
    (D(2026, 1, 9), True),  # before release
    (D(2026, 1, 10), False),  # the release day
    (D(2026, 11, 15), False),  # today
    (D(2026, 11, 16), True),  # future
    (None, True),
])
def test_rules_volunteer_enrolment_date(enrolled: dt.date | None, field_in_error: bool) -> None:
    errors = volunteer_errors(enrolled_on=enrolled)
    assert ("enrolled_on" in errors) is field_in_error
    assert set(errors) <= {"enrolled_on"}


def test_rules_volunteer_enrolment_before_release_names_the_release_date() -> None:
    assert "10.01.2026" in volunteer_errors(enrolled_on=D(2025, 12, 1))["enrolled_on"]


def test_rules_volunteer_without_release_date_may_enrol() -> None:
    assert volunteer_errors(person_status="probation", person_release_date=None) == {}


@pytest.mark.parametrize(("status", "consent", "ok"), [
    ("candidate", {}, True),
    ("active", {}, False),
    ("active", {"consent_number": "17"}, False),
    ("active", {"consent_date": D(2026, 2, 1)}, False),
    ("active", {"consent_number": "  ", "consent_date": D(2026, 2, 1)}, False),
    ("active", CONSENT, True),
    ("paused", {}, False),
    ("paused", CONSENT, True),
])
def test_rules_volunteer_consent_required_when_active(status: str, consent: dict,
                                                      ok: bool) -> None:
    errors = volunteer_errors(status=status, **consent)
    assert set(errors) == (set() if ok else {"consent_number"})


def test_rules_volunteer_consent_date_not_in_future() -> None:
    errors = volunteer_errors(status="active", consent_number="1", consent_date=D(2026, 12, 1))
    assert set(errors) == {"consent_date"}


@pytest.mark.parametrize(("status", "exit_date", "reason", "field_in_error"), [
    ("left", None, "", True),
    ("left", None, "moved away", True),
    ("left", D(2026, 5, 1), "moved away", False),
    ("left", D(2026, 5, 1), "", False),
    ("left", D(2026, 1, 31), "", True),  # before enrolment
    ("left", D(2026, 2, 1), "", False),  # the enrolment day
    ("left", D(2026, 11, 16), "", True),  # future
    ("reoffended", None, "", True),
    ("reoffended", D(2026, 6, 1), "", False),
    ("candidate", D(2026, 6, 1), "", True),  # an exit date for one who did not leave
    ("candidate", None, "tired", True),
])
def test_rules_volunteer_exit_date(status: str, exit_date: dt.date | None, reason: str,
                                   field_in_error: bool) -> None:
    consent = CONSENT if status == "reoffended" else {}
    errors = volunteer_errors(status=status, exit_date=exit_date, exit_reason=reason, **consent)
    assert ("exit_date" in errors) is field_in_error
    assert set(errors) <= {"exit_date"}


ALLOWED_TRANSITIONS = {
    ("candidate", "active"), ("candidate", "left"),
    ("active", "paused"), ("active", "left"), ("active", "reoffended"),
    ("paused", "active"), ("paused", "left"), ("paused", "reoffended"),
}
ALL_STATUSES = [s.value for s in VolunteerStatus]


def test_rules_volunteer_transitions_table_is_the_documented_one() -> None:
    table = {(old, new) for old, news in VOLUNTEER_TRANSITIONS.items() for new in news}
    assert table == ALLOWED_TRANSITIONS
    assert set(VOLUNTEER_TRANSITIONS) == set(ALL_STATUSES)


@pytest.mark.parametrize(("old", "new"), list(itertools.product(ALL_STATUSES, ALL_STATUSES)))
def test_rules_volunteer_status_transition(old: str, new: str) -> None:
    exit_date = D(2026, 6, 1) if new in ("left", "reoffended") else None
    errors = volunteer_errors(previous_status=old, status=new, exit_date=exit_date, **CONSENT)
    allowed = old == new or (old, new) in ALLOWED_TRANSITIONS
    assert set(errors) == (set() if allowed else {"status"})


def test_rules_volunteer_unknown_status() -> None:
    assert set(volunteer_errors(status="retired")) == {"status"}
    assert set(volunteer_errors(status="retired", previous_status="active")) == {"status"}


# --- participation ---------------------------------------------------------------------------

def participation_errors(**overrides: Any) -> dict[str, str]:
    values: dict[str, Any] = dict(role="story", hours=2.0, event_date=D(2026, 3, 1),
                                  enrolled_on=D(2026, 2, 1))
    values.update(overrides)
    errors = FieldErrors()
    check_participation(errors, **values)
    return errors.errors


@pytest.mark.parametrize(("hours", "ok"), [
    (0.0, True), (0.5, True), (24.0, True), (-0.5, False), (24.5, False), (100.0, False),
    (math.inf, False), (-math.inf, False), (math.nan, False),
])
def test_rules_participation_hours_bounds(hours: float, ok: bool) -> None:
    errors = participation_errors(hours=hours)
    assert set(errors) == (set() if ok else {"hours"})


@pytest.mark.parametrize(("event_date", "ok"), [
    (D(2026, 1, 31), False), (D(2026, 2, 1), True), (D(2026, 2, 2), True),
])
def test_rules_participation_event_before_enrolment(event_date: dt.date, ok: bool) -> None:
    errors = participation_errors(event_date=event_date)
    assert set(errors) == (set() if ok else {"event_id"})


@pytest.mark.parametrize("role", ["story", "materials", "organize", "mentor"])
def test_rules_participation_roles(role: str) -> None:
    assert participation_errors(role=role) == {}


def test_rules_participation_unknown_role() -> None:
    assert set(participation_errors(role="singer")) == {"role"}


# --- outcomes --------------------------------------------------------------------------------

def outcome_errors(**overrides: Any) -> dict[str, str]:
    values: dict[str, Any] = dict(outcome_date=D(2026, 9, 1), kind="repeat_offence",
                                  birth_date=D(1985, 1, 1))
    values.update(overrides)
    errors = FieldErrors()
    check_outcome(errors, **values)
    return errors.errors


@pytest.mark.parametrize(("overrides", "fields"), [
    ({}, set()),
    ({"kind": "probation_violation"}, set()),
    ({"birth_date": None}, set()),
    ({"outcome_date": D(2026, 11, 15)}, set()),
    ({"outcome_date": None}, {"outcome_date"}),
    ({"outcome_date": D(2026, 11, 16)}, {"outcome_date"}),
    ({"outcome_date": D(1984, 12, 31)}, {"outcome_date"}),
    ({"outcome_date": D(1985, 1, 1)}, {"outcome_date"}),
    ({"kind": "theft"}, {"kind"}),
])
def test_rules_outcome(overrides: dict, fields: set[str]) -> None:
    assert set(outcome_errors(**overrides)) == fields


# --- months ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("2026-10", Month(2026, 10)),
    ("2026-01", Month(2026, 1)),
    (" 2026-12 ", Month(2026, 12)),
    ("1900-01", Month(1900, 1)),
])
def test_months_parse_good(text: str, expected: Month) -> None:
    month = Month.parse(text)
    assert month == expected
    assert Month.parse(str(month)) == month


@pytest.mark.parametrize("text", [
    "", "2026", "2026-1", "2026-13", "2026-00", "26-10", "2026/10", "10.2026", "2026-10-01",
    "1899-12", "октябрь 2026", "2026-1O", "２０２６-１０", "٢٠٢٦-١٠", "2026 - 10",
])
def test_months_parse_bad(text: str) -> None:
    with pytest.raises(ValidationError) as error:
        Month.parse(text)
    assert set(error.value.errors) == {"month"}


@pytest.mark.parametrize(("month", "first", "last"), [
    (Month(2024, 2), D(2024, 2, 1), D(2024, 2, 29)),
    (Month(2026, 2), D(2026, 2, 1), D(2026, 2, 28)),
    (Month(2026, 12), D(2026, 12, 1), D(2026, 12, 31)),
    (Month(2026, 4), D(2026, 4, 1), D(2026, 4, 30)),
])
def test_months_first_and_last_day(month: Month, first: dt.date, last: dt.date) -> None:
    assert (month.first_day, month.last_day) == (first, last)


def test_months_previous_next_and_order() -> None:
    assert Month(2026, 1).previous() == Month(2025, 12)
    assert Month(2026, 12).next() == Month(2027, 1)
    assert Month(2026, 5).next().previous() == Month(2026, 5)
    assert Month(2025, 12) < Month(2026, 1) < Month(2026, 2)
    assert Month.of(D(2026, 10, 31)) == Month(2026, 10)
    assert str(Month(2026, 3)) == "2026-03"
