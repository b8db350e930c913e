"""Kazakhstan phone numbers as staff type them, normalised to one written form."""

from __future__ import annotations

import pytest

from db.phone import InvalidPhone, normalize_phone


@pytest.mark.parametrize("typed", [
    "+7 701 123 45 67",
    "+77011234567",
    "+7 (701) 123-45-67",
    "+7-701-123-45-67",
    "87011234567",
    "8 701 123 45 67",
    "8 (701) 123-45-67",
    "8-701-123-45-67",
    "  8 701 1234567  ",
    "701 123 45 67",
    "7011234567",
])
def test_phone_mobile_typings_normalise_alike(typed: str) -> None:
    assert normalize_phone(typed) == "+7 701 123 45 67"


@pytest.mark.parametrize(("typed", "expected"), [
    ("+7 747 765 43 21", "+7 747 765 43 21"),
    ("8 775 000 11 22", "+7 775 000 11 22"),
    ("8(700)9998877", "+7 700 999 88 77"),
])
def test_phone_other_mobile_operators(typed: str, expected: str) -> None:
    assert normalize_phone(typed) == expected


@pytest.mark.parametrize("typed", [
    "8 7252 53 12 34",
    "8 (7252) 53-12-34",
    "87252531234",
    "+7 7252 531234",
    "+7 (7252) 53-12-34",
])
def test_phone_shymkent_landline(typed: str) -> None:
    assert normalize_phone(typed) == "+7 7252 53 12 34"


@pytest.mark.parametrize("typed", [
    "8701123456",  # a digit short
    "+7 701 123 45",
    "53 12 34",  # landline without area code
    "123",
    "+7 701 123 45 678",  # a digit too many
    "+998 90 123 45 67",  # Uzbekistan
    "+996 555 123 456",  # Kyrgyzstan
    "+7 495 123 45 67",  # Moscow: +7 but Russia
    "+7 912 345 67 89",  # Russian mobile
    "+1 202 555 0143",
    "телефон",
    "abc",
    "8701ABC4567",  # letters are not digits (no "vanity" numbers)
    "+7 701 ABC 45 67",
    "+7 701 12a 45 67",
    "8 701 123 45 67 доб. 12",  # an extension would be silently dropped
    "+7 701 123 45 67 x5",
])
def test_phone_invalid_numbers_are_refused(typed: str) -> None:
    with pytest.raises(InvalidPhone):
        normalize_phone(typed)


@pytest.mark.parametrize("typed", ["", "   "])
def test_phone_empty_is_refused(typed: str) -> None:
    with pytest.raises(InvalidPhone):
        normalize_phone(typed)


def test_phone_invalid_phone_is_a_value_error() -> None:
    assert issubclass(InvalidPhone, ValueError)


def test_phone_normalised_form_is_stable() -> None:
    once = normalize_phone("8 (701) 123-45-67")
    assert normalize_phone(once) == once
    landline = normalize_phone("87252531234")
    assert normalize_phone(landline) == landline
