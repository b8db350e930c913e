"""Property-based tests of the rules: whatever a user types or a file holds, a rule answers with
its own error (shown next to the field), never with a crash.

The make_iin/parse_iin round trip lives in test_iin.py.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import string
from enum import StrEnum

from hypothesis import example, given, settings
from hypothesis import strategies as st

from db.errors import FieldErrors, ValidationError
from db.iin import IinInfo, InvalidIin, parse_iin
from db.months import Month
from db.phone import InvalidPhone, normalize_phone
from db.rules import check_event, check_participation, check_person
from db.values import AudienceCategory, EventStatus, ParticipationRole, PlaceKind, Sex

# phonenumbers loads its metadata on first use: no per-example deadline
relaxed = settings(deadline=None)

EVENT_FIELDS = {"status", "place_kind", "event_date", "place_facility_id", "place_text",
                "count_serving", "count_released", "count_community", "attendees",
                "materials_count", "wants_to_volunteer"}

texts = st.text()  # any Unicode: Cyrillic, Kazakh, fullwidth and Arabic-Indic digits, controls
iin_like = st.text(alphabet=string.digits + " \u00a0\t", min_size=10, max_size=15)
phone_like = st.text(alphabet=string.digits + " +-()\u00a0", max_size=20)
dates = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
ints = st.integers(min_value=-(2**63), max_value=2**63 - 1)
categories = st.sampled_from([c.value for c in AudienceCategory]) | st.text(max_size=12)


def of_enum(values: type[StrEnum]) -> st.SearchStrategy[str]:
    """One of the enum's codes, or any short text (a code from a damaged or foreign file)."""
    return st.sampled_from([v.value for v in values]) | st.text(max_size=12)


# --- IIN -------------------------------------------------------------------------------------

@given(st.one_of(texts, iin_like))
@example("８５０１０１３０１２３１")
@example("850101301231")
@example("000229500019")
def test_properties_parse_iin_raises_only_invalid_iin(text: str) -> None:
    try:
        info = parse_iin(text)
    except InvalidIin as exc:
        assert str(exc)  # a message to show
        return
    assert isinstance(info, IinInfo)
    assert re.fullmatch(r"[0-9]{12}", info.iin)
    assert info.iin == "".join(text.split())
    assert info.birth_date.strftime("%y%m%d") == info.iin[:6]
    assert info.sex == (Sex.MALE if int(info.iin[6]) % 2 else Sex.FEMALE)


# --- phone -----------------------------------------------------------------------------------

@relaxed
@given(st.one_of(texts, phone_like))
@example("8 701 123 45 67")
@example("+7 7252 53 12 34")
@example("доб. 12")
def test_properties_normalize_phone_raises_only_invalid_phone(text: str) -> None:
    try:
        phone = normalize_phone(text)
    except InvalidPhone as exc:
        assert str(exc)
        return
    assert phone.startswith("+7 ")
    assert normalize_phone(phone) == phone  # the written form is itself accepted, unchanged


# --- months ----------------------------------------------------------------------------------

@given(texts)
@example("2026-10")
@example("２０２６-１０")
@example("2026-13")
def test_properties_month_parse_raises_only_validation_error(text: str) -> None:
    try:
        month = Month.parse(text)
    except ValidationError as exc:
        assert set(exc.errors) == {"month"}
        return
    assert 1 <= month.month <= 12 and month.year >= 1900
    assert str(month) == text.strip()


@given(st.integers(min_value=1900, max_value=9999), st.integers(min_value=1, max_value=12))
def test_properties_month_round_trips_through_its_text(year: int, number: int) -> None:
    month = Month(year, number)
    assert Month.parse(str(month)) == month
    assert month.first_day <= month.last_day and month.first_day.day == 1
    assert Month.of(month.last_day) == month


# --- events ----------------------------------------------------------------------------------

@given(
    event_date=st.none() | dates,
    status=of_enum(EventStatus),
    place_kind=of_enum(PlaceKind),
    place_facility_id=st.none() | ints,
    place_text=texts,
    counts=st.dictionaries(categories, ints, max_size=5),
    attendees=st.dictionaries(categories, ints, max_size=5),
    wants=ints,
    materials=ints,
)
def test_properties_check_event_only_adds_errors(
        event_date: dt.date | None, status: str, place_kind: str, place_facility_id: int | None,
        place_text: str, counts: dict[str, int], attendees: dict[str, int], wants: int,
        materials: int) -> None:
    errors = FieldErrors()
    check_event(errors, event_date=event_date, status=status, place_kind=place_kind,
                place_facility_id=place_facility_id, place_text=place_text, counts=counts,
                attendees_by_category=attendees, wants_to_volunteer=wants,
                materials_count=materials)
    assert set(errors.errors) <= EVENT_FIELDS
    assert all(message for message in errors.errors.values())
    if event_date is None:
        assert "event_date" in errors.errors
    if materials < 0:
        assert "materials_count" in errors.errors
    for category, field in (("serving", "count_serving"), ("released", "count_released"),
                            ("community", "count_community")):
        if counts.get(category, 0) < 0:
            assert field in errors.errors


@given(role=of_enum(ParticipationRole),
       hours=st.floats(allow_nan=True, allow_infinity=True),
       event_date=dates, enrolled_on=dates)
def test_properties_check_participation_only_adds_errors(role: str, hours: float,
                                                         event_date: dt.date,
                                                         enrolled_on: dt.date) -> None:
    errors = FieldErrors()
    check_participation(errors, role=role, hours=hours, event_date=event_date,
                        enrolled_on=enrolled_on)
    assert ("hours" in errors.errors) == (math.isnan(hours) or not 0 <= hours <= 24)


# --- persons ---------------------------------------------------------------------------------

@relaxed
@given(surname=texts, name=texts, patronymic=texts, iin=st.none() | texts | iin_like,
       birth_date=st.none() | dates, sex=st.none() | of_enum(Sex), status=texts,
       release_date=st.none() | dates, phone=texts | phone_like)
def test_properties_check_person_only_adds_errors(
        surname: str, name: str, patronymic: str, iin: str | None, birth_date: dt.date | None,
        sex: str | None, status: str, release_date: dt.date | None, phone: str) -> None:
    errors = FieldErrors()
    result = check_person(errors, surname=surname, name=name, patronymic=patronymic, iin=iin,
                          birth_date=birth_date, sex=sex, status=status,
                          release_date=release_date, phone=phone)
    checked_iin, _birth, _sex, checked_phone = result
    if "iin" not in errors.errors and checked_iin is not None:
        assert re.fullmatch(r"[0-9]{12}", checked_iin)
    if "phone" not in errors.errors:
        assert checked_phone == "" or checked_phone.startswith("+7 ")
