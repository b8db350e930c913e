"""The month choice of the report pages: this month and three years back, the month just
ended chosen (a report is usually made for it)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from db import clock
from db.months import Month, month_title
from desktop.widgets.combo import fill_combo

MONTHS_BACK = 36


def report_months() -> list[Month]:
    """This month, then each month before it, newest first."""
    months = [Month.of(clock.today())]
    for _step in range(MONTHS_BACK):
        months.append(months[-1].previous())
    return months


def fill_report_months(combo: QComboBox, language: str) -> None:
    months = report_months()
    fill_combo(combo, [(month, month_title(month, language)) for month in months],
               months[0].previous())
