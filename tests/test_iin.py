"""The IIN (ИИН): its check digit, the birth date and sex it carries, every way to mistype it."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.iin import FIRST_WEIGHTS, SECOND_WEIGHTS, InvalidIin, check_digit, make_iin, parse_iin
from db.values import Sex

# Two IINs checked by hand against the algorithm in DOMAIN.md ("Validation facts"):
#
# 850101 3 0123 ?  (born 01.01.1985, male: 7th digit 3 = 1900s, odd)
#   digits  8  5  0  1  0  1  3  0  1  2  3
#   weights 1  2  3  4  5  6  7  8  9 10 11
#   8 + 10 + 0 + 4 + 0 + 6 + 21 + 0 + 9 + 20 + 33 = 111;  111 mod 11 = 1  -> 850101301231
#
# 030715 6 4567 ?  (born 15.07.2003, female: 7th digit 6 = 2000s, even)
#   digits  0  3  0  7  1  5  6  4  5  6  7
#   0 + 6 + 0 + 28 + 5 + 30 + 42 + 32 + 45 + 60 + 77 = 325;  325 mod 11 = 6  -> 030715645676
HAND_VERIFIED = {
    "850101301231": (dt.date(1985, 1, 1), Sex.MALE),
    "030715645676": (dt.date(2003, 7, 15), Sex.FEMALE),
}


def first_pass(prefix: str) -> int:
    return sum(int(d) * w for d, w in zip(prefix, FIRST_WEIGHTS, strict=True)) % 11


def second_pass(prefix: str) -> int:
    return sum(int(d) * w for d, w in zip(prefix, SECOND_WEIGHTS, strict=True)) % 11


def with_check(prefix: str) -> str:
    check = check_digit(prefix)
    assert check is not None, prefix
    return prefix + str(check)


def first_valid(date_part: str, century_digit: str) -> str:
    """The first valid IIN for this YYMMDD and century digit (serials 0000, 0001, …)."""
    for serial in range(10000):
        prefix = f"{date_part}{century_digit}{serial:04d}"
        if check_digit(prefix) is not None:
            return with_check(prefix)
    raise AssertionError("no serial gives a valid IIN")


def prefixes(predicate) -> list[str]:
    """11-digit prefixes (a fixed date, serials in order) for which predicate(prefix) holds."""
    found = [p for s in range(10000) if predicate(p := f"9005123{s:04d}")]
    assert found, "no prefix found"
    return found


# --- valid numbers ---------------------------------------------------------------------------

def test_iin_weights_are_the_documented_ones() -> None:
    assert FIRST_WEIGHTS == (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
    assert SECOND_WEIGHTS == (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


@pytest.mark.parametrize(("iin", "expected"), HAND_VERIFIED.items())
def test_iin_hand_verified_numbers_parse(iin: str, expected: tuple[dt.date, Sex]) -> None:
    assert check_digit(iin[:11]) == int(iin[11])
    info = parse_iin(iin)
    assert (info.iin, info.birth_date, info.sex) == (iin, *expected)


@pytest.mark.parametrize(("birth", "sex", "serial"), [
    (dt.date(1985, 1, 1), Sex.MALE, 123),
    (dt.date(2003, 7, 15), Sex.FEMALE, 4567),
    (dt.date(1999, 12, 31), Sex.FEMALE, 1),
    (dt.date(2000, 2, 29), Sex.MALE, 9999),
    (dt.date(1960, 6, 30), Sex.MALE, 42),
])
def test_iin_make_iin_output_parses_back(birth: dt.date, sex: Sex, serial: int) -> None:
    iin = make_iin(birth, sex, serial)
    assert iin is not None
    assert iin[7:11] == f"{serial:04d}"
    info = parse_iin(iin)
    assert (info.birth_date, info.sex) == (birth, sex)


@pytest.mark.parametrize(("century_digit", "year", "sex"), [
    ("1", 1875, Sex.MALE),
    ("2", 1875, Sex.FEMALE),
    ("3", 1975, Sex.MALE),
    ("4", 1975, Sex.FEMALE),
    ("5", 2075, Sex.MALE),
    ("6", 2075, Sex.FEMALE),
])
def test_iin_century_digit_gives_century_and_sex(century_digit: str, year: int, sex: Sex) -> None:
    info = parse_iin(first_valid("750304", century_digit))
    assert info.birth_date == dt.date(year, 3, 4)
    assert info.sex == sex


def test_iin_first_pass_ten_uses_second_pass() -> None:
    found = prefixes(lambda p: first_pass(p) == 10 and second_pass(p) != 10)
    for prefix in found[:20]:
        assert check_digit(prefix) == second_pass(prefix)
        info = parse_iin(prefix + str(second_pass(prefix)))
        assert info.birth_date == dt.date(1990, 5, 12)
        # The first pass's 10 is no digit: "…10" or "…0" must not be taken for it.
        for wrong in set("0123456789") - {str(second_pass(prefix))}:
            with pytest.raises(InvalidIin):
                parse_iin(prefix + wrong)


def test_iin_first_pass_not_ten_ignores_second_pass() -> None:
    found = prefixes(lambda p: first_pass(p) != 10 and first_pass(p) != second_pass(p))
    for prefix in found[:20]:
        assert check_digit(prefix) == first_pass(prefix)


def test_iin_both_passes_ten_has_no_valid_number() -> None:
    found = prefixes(lambda p: first_pass(p) == 10 and second_pass(p) == 10)
    prefix = found[0]
    assert check_digit(prefix) is None
    for last in "0123456789":
        with pytest.raises(InvalidIin):
            parse_iin(prefix + last)


def test_iin_make_iin_returns_none_when_no_check_digit() -> None:
    prefix = prefixes(lambda p: first_pass(p) == 10 and second_pass(p) == 10)[0]
    assert make_iin(dt.date(1990, 5, 12), Sex.MALE, int(prefix[7:11])) is None


def test_iin_invalid_iin_is_a_value_error() -> None:
    assert issubclass(InvalidIin, ValueError)


# --- malformed numbers -----------------------------------------------------------------------

GOOD = "850101301231"


@pytest.mark.parametrize("iin", [
    GOOD[:11] + str((int(GOOD[11]) + 1) % 10),  # wrong check digit
    "850101301331",  # one serial digit mistyped
    "850101301321",  # two digits swapped
])
def test_iin_wrong_check_digit_is_refused(iin: str) -> None:
    with pytest.raises(InvalidIin):
        parse_iin(iin)


@pytest.mark.parametrize(("iin", "count"), [
    (GOOD[:11], "11"),
    (GOOD + "0", "13"),
    ("85010130", "8"),
])
def test_iin_wrong_length_is_refused_naming_the_length(iin: str, count: str) -> None:
    with pytest.raises(InvalidIin) as error:
        parse_iin(iin)
    assert count in str(error.value)


@pytest.mark.parametrize("iin", [
    "85010130123A",  # Latin letter
    "85010130123А",  # Cyrillic А
    "85О101301231",  # Cyrillic О for zero
    "8501013O1231",  # Latin O for zero
    "８５０１０１３０１２３１",  # fullwidth digits
    "٨٥٠١٠١٣٠١٢٣١",  # Arabic-Indic digits
    "850101-301231",
    "+85010130123",
    "8501013012.1",
])
def test_iin_non_ascii_digits_or_letters_are_refused(iin: str) -> None:
    with pytest.raises(InvalidIin):
        parse_iin(iin)


@pytest.mark.parametrize("iin", ["", "   ", "\t"])
def test_iin_empty_is_refused(iin: str) -> None:
    with pytest.raises(InvalidIin):
        parse_iin(iin)


@pytest.mark.parametrize("typed", [
    " 850101301231 ",
    "850101 301231",
    "850 101 301 231",
    "850101\u00a0301231",  # no-break space, as copied from a document
    "850101\t301231",
])
def test_iin_spaces_inside_are_ignored(typed: str) -> None:
    assert parse_iin(typed).iin == GOOD


@pytest.mark.parametrize("century_digit", ["0", "7", "8", "9"])
def test_iin_century_digit_outside_1_to_6_is_refused(century_digit: str) -> None:
    prefix = f"850101{century_digit}0123"
    iin = prefix + str(check_digit(prefix) if check_digit(prefix) is not None else 0)
    with pytest.raises(InvalidIin) as error:
        parse_iin(iin)
    assert century_digit in str(error.value)


@pytest.mark.parametrize("date_part", [
    "990230",  # 30 February
    "990001",  # month 0
    "991301",  # month 13
    "990100",  # day 0
    "990431",  # 31 April
    "010229",  # 29 February 2001 (not a leap year)
])
def test_iin_impossible_birth_date_is_refused(date_part: str) -> None:
    prefix = f"{date_part}30001"
    iin = prefix + str(check_digit(prefix) if check_digit(prefix) is not None else 0)
    with pytest.raises(InvalidIin):
        parse_iin(iin)


def test_iin_leap_day_is_accepted_in_a_leap_year() -> None:
    assert parse_iin(first_valid("000229", "5")).birth_date == dt.date(2000, 2, 29)


def test_iin_1800s_leap_rule_applies() -> None:
    # 1900 and 1800 are not leap years: 29.02 with digits 3/4 or 1/2 is no date.
    for century_digit in "1234":
        prefix = f"000229{century_digit}0001"
        iin = prefix + str(check_digit(prefix) if check_digit(prefix) is not None else 0)
        with pytest.raises(InvalidIin):
            parse_iin(iin)


# --- property --------------------------------------------------------------------------------

@given(
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 12, 31)),
    sex=st.sampled_from(list(Sex)),
    serial=st.integers(min_value=0, max_value=9999),
)
def test_iin_make_iin_round_trips_through_parse_iin(birth: dt.date, sex: Sex,
                                                      serial: int) -> None:
    iin = make_iin(birth, sex, serial)
    century_digit = (3 if birth.year < 2000 else 5) + (0 if sex == Sex.MALE else 1)
    prefix = f"{birth:%y%m%d}{century_digit}{serial:04d}"
    if iin is None:
        assert check_digit(prefix) is None
        return
    assert iin[:11] == prefix
    assert len(iin) == 12 and iin.isascii() and iin.isdigit()
    info = parse_iin(iin)
    assert info.iin == iin
    assert info.birth_date == birth
    assert info.sex == sex
    assert iin[7:11] == f"{serial:04d}"
