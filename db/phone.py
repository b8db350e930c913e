"""Kazakhstan phone numbers, through `phonenumbers` (it knows the KZ numbering plan)."""

from __future__ import annotations

import phonenumbers

from db.i18n import _


class InvalidPhone(ValueError):
    pass


def normalize_phone(text: str) -> str:
    """Return the number as "+7 7xx xxx xx xx" style international format, or raise InvalidPhone.

    Accepts 8-prefixed local dialling (8 701 ...) as staff type it, and +7 numbers.
    """
    raw = text.strip()
    if not raw:
        raise InvalidPhone(_("The phone number is empty."))
    if any(c.isalpha() for c in raw):
        # phonenumbers would read letters as keypad digits ("ABC" -> 222) and drop "доб. 12"
        raise InvalidPhone(
            _("“{text}” is not a phone number. Example: +7 701 123 45 67.").format(text=text)
        )
    digits = "".join(c for c in raw if c.isdigit())
    if raw.startswith("8") and len(digits) == 11:
        raw = "+7" + digits[1:]
    try:
        number = phonenumbers.parse(raw, "KZ")
    except phonenumbers.NumberParseException:
        raise InvalidPhone(
            _("“{text}” is not a phone number. Example: +7 701 123 45 67.").format(text=text)
        ) from None
    if number.country_code != 7 or not phonenumbers.is_valid_number_for_region(number, "KZ"):
        raise InvalidPhone(
            _("“{text}” is not a valid Kazakhstan phone number. Example: +7 701 123 45 67.").format(
                text=text
            )
        )
    return format_phone(number)


def format_phone(number: phonenumbers.PhoneNumber) -> str:
    national = str(number.national_number)
    if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE:
        return f"+7 {national[0:3]} {national[3:6]} {national[6:8]} {national[8:10]}"
    if national.startswith("7252"):  # Shymkent landline: +7 7252 53 12 34
        return f"+7 7252 {national[4:6]} {national[6:8]} {national[8:10]}"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
