"""Turning stored codes and values into the words and formats the window shows."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from db.values import label


def word(enum_type: type[StrEnum], value: str | None) -> str:
    if not value:
        return ""
    try:
        return label(enum_type(value))
    except (ValueError, KeyError):
        return value


def date_text(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def time_text(value: dt.time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def hours_text(value: float) -> str:
    return f"{value:g}"
