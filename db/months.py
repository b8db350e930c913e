"""Calendar months as the registry reports them ("2026-10")."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from db.errors import ValidationError
from db.i18n import _

_MONTH = re.compile(r"^(\d{4})-(\d{2})$", re.ASCII)  # not fullwidth or Arabic-Indic digits


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        match = _MONTH.match(text.strip())
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
            raise ValidationError({"month": _(
                "“{text}” is not a month: write it as YYYY-MM, for example 2026-10."
            ).format(text=text)})
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def month_name(month: int, language: str) -> str:
    """The month's own name (nominative, stand-alone), capitalised: "Октябрь", "Қазан"."""
    from babel.dates import get_month_names

    return get_month_names("wide", context="stand-alone", locale=language)[month].capitalize()


def month_title(value: Month, language: str) -> str:
    """"Октябрь 2026" / "Қазан 2026"."""
    return f"{month_name(value.month, language)} {value.year}"
