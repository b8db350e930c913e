"""Kazakhstan's individual identification number (ИИН): 12 digits that carry the birth date and sex.

Layout: YYMMDD, a century/sex digit (1/2 = 1800s, 3/4 = 1900s, 5/6 = 2000s; odd male, even female),
four serial digits and a check digit (weights 1..11 mod 11; if 10, weights 3..11,1,2 mod 11; if
still 10 the number is not valid). No maintained library covers it, so it is ours, with tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from db.i18n import _
from db.values import Sex

FIRST_WEIGHTS = tuple(range(1, 12))
SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
CENTURY_BY_DIGIT = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}


class InvalidIin(ValueError):
    """The IIN is malformed; the message (in the user's language) says what is wrong."""


@dataclass(frozen=True)
class IinInfo:
    iin: str
    birth_date: dt.date
    sex: Sex


def check_digit(first_eleven: str) -> int | None:
    """The check digit for 11 digits, or None when both passes give 10 (no valid IIN exists)."""
    digits = [int(c) for c in first_eleven]
    total = sum(d * w for d, w in zip(digits, FIRST_WEIGHTS, strict=True)) % 11
    if total == 10:
        total = sum(d * w for d, w in zip(digits, SECOND_WEIGHTS, strict=True)) % 11
        if total == 10:
            return None
    return total


def parse_iin(text: str) -> IinInfo:
    """Validate an IIN and return the birth date and sex it encodes."""
    iin = "".join(text.split())  # spaces, tabs, no-break spaces copied from documents
    if not iin:
        raise InvalidIin(_("The IIN is empty."))
    if not iin.isascii() or not iin.isdigit():
        raise InvalidIin(_("The IIN must contain digits only."))
    if len(iin) != 12:
        raise InvalidIin(
            _("The IIN must have 12 digits, not {count}.").format(count=len(iin))
        )
    century_digit = iin[6]
    if century_digit not in CENTURY_BY_DIGIT:
        raise InvalidIin(
            _("The 7th digit of the IIN (century and sex) must be 1 to 6, not {digit}.").format(
                digit=century_digit
            )
        )
    year = CENTURY_BY_DIGIT[century_digit] + int(iin[0:2])
    try:
        birth_date = dt.date(year, int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        raise InvalidIin(
            _("The first six digits of the IIN are not a valid birth date (YYMMDD).")
        ) from None
    expected = check_digit(iin[:11])
    if expected is None:
        raise InvalidIin(_("This IIN cannot exist: its check digit cannot be computed."))
    if expected != int(iin[11]):
        raise InvalidIin(_("The IIN's check digit is wrong: check the number for a typo."))
    sex = Sex.MALE if int(century_digit) % 2 == 1 else Sex.FEMALE
    return IinInfo(iin=iin, birth_date=birth_date, sex=sex)


def make_iin(birth_date: dt.date, sex: Sex, serial: int) -> str | None:
    """Build a valid IIN (demo data, tests); None when this serial gives no valid check digit."""
    century = (birth_date.year // 100) * 100
    base = {1800: 1, 1900: 3, 2000: 5}[century]
    digit = base if sex == Sex.MALE else base + 1
    first = f"{birth_date:%y%m%d}{digit}{serial % 10000:04d}"
    check = check_digit(first)
    return None if check is None else f"{first}{check}"
